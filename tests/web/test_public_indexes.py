"""The public indexes of bulletins and news items, and a bulletin's own page with its frozen figures."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.published import PUBLISHED_2023
from tests.web.test_bulletins import create
from tests.web.test_news import record
from tests.web.test_public_pages import tables_of
from tracker.services import paging

HTML = {"accept": "text/html"}
TITLES = {"en": "Bulletins", "ru": "Бюллетени", "kk": "Бюллетеньдер"}
NO_4 = {"en": "Bulletin No. 4", "ru": "Бюллетень № 4", "kk": "№ 4 бюллетень"}
KAZINFORM_OBSERVERS = PUBLISHED_2023[3][1]


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-number="(\d+)"', html)]


def news_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-news="(\d+)"', html)]


def bulletin_id(client: TestClient[Litestar], number: int) -> int:
    page = client.get("/bulletins?election=majilis-2023", headers=HTML).text
    return int(re.search(rf'data-bulletin="(\d+)" data-number="{number}"', page)[1])  # type: ignore[index]


def test_the_indexes_are_newest_first_a_page_at_a_time_in_three_languages_and_refuse_bad_pages(
    client: TestClient[Litestar], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    for lang, title in TITLES.items():
        first = client.get(f"/bulletins?lang={lang}", headers=HTML)
        assert first.status_code == 200
        assert f"<h1>{title}</h1>" in first.text
        assert numbers(first.text) == [5, 4]
        assert NO_4[lang] in first.text
        # The next page's link keeps the language; the last page holds the oldest.
        assert f'rel="next" href="?lang={lang}&page_number=2"' in first.text
        assert numbers(client.get(f"/bulletins?lang={lang}&page_number=2", headers=HTML).text) == [3, 2]
        assert numbers(client.get(f"/bulletins?lang={lang}&page_number=3", headers=HTML).text) == [1]

        news = client.get(f"/news?lang={lang}&page_number=2", headers=HTML).text
        assert news_ids(news) == [3, 2]
        # The demo's items are in English: marked so on the Russian and Kazakh pages only.
        marked = {"en": "", "ru": '"en">(Английский)', "kk": '"en">(Ағылшын тілі)'}[lang]
        assert ('data-language="en"' in news) is bool(marked)
        assert marked in news

        again = client.get(f"/bulletins?lang={lang}", headers={**HTML, "if-none-match": first.headers["etag"]})
        assert again.status_code == 304

    for path in ("/bulletins", "/news"):
        for number in ("0", "-1", "x", "1.5", "12345678", "٣"):
            response = client.get(f"{path}?page_number={number}&lang=en", headers=HTML)
            assert response.status_code == 400, (path, number)
            assert "is not a page number: give a whole number from 1" in response.text
        beyond = client.get(f"{path}?page_number=4&lang=ru", headers=HTML)
        assert beyond.status_code == 400
        assert "всего 3 страницы" in beyond.text
        assert client.get(f"{path}?election=no-such-election", headers=HTML).status_code == 404


def test_an_elections_indexes_hold_only_its_published_bulletins_and_its_news(as_pat: TestClient[Litestar]) -> None:
    assert create(as_pat).status_code == 201  # a draft: not public
    unattached = record(as_pat, election=None, title="Observers arrive", language="en", missions=[])
    assert unattached.status_code == 201, unattached.text
    kazakh = record(as_pat)
    assert kazakh.status_code == 201, kazakh.text

    election_page = as_pat.get("/elections/majilis-2023", headers=HTML).text
    assert 'href="/bulletins?election=majilis-2023"' in election_page
    assert 'href="/news?election=majilis-2023"' in election_page
    assert numbers(as_pat.get("/bulletins?election=majilis-2023", headers=HTML).text) == [5, 4, 3, 2, 1]
    everything = as_pat.get("/news?lang=ru", headers=HTML).text
    assert unattached.json()["id"] in news_ids(everything)
    assert 'data-language="kk">(Казахский)' in everything
    its_own = news_ids(as_pat.get("/news?election=majilis-2023", headers=HTML).text)
    assert unattached.json()["id"] not in its_own
    # 7 March's update, then the Kazakh item of 22 February, 22:00, then Kazinform's of 21:13.
    assert its_own[:3] == [5, kazakh.json()["id"], 4]


def test_a_bulletins_page_shows_its_frozen_figures_its_neighbours_and_its_correction(
    as_pat: TestClient[Litestar],
) -> None:
    kazinform = bulletin_id(as_pat, 4)
    page = as_pat.get(f"/bulletins/{kazinform}?lang=ru", headers=HTML).text
    assert "<h1>Бюллетень № 4</h1>" in page
    tables = tables_of(page).tables
    assert set(tables) == {"by-kind", "by-sender", "by-role"}
    for rows in tables.values():
        label, total = rows[-1][1]
        assert (label, int(total)) == ("Итого", KAZINFORM_OBSERVERS)
        assert sum(int(cells[-1]) for _, cells in rows[1:-1]) == KAZINFORM_OBSERVERS
    assert ["Иностранное государство", "22"] in [cells for _, cells in tables["by-kind"]]
    assert re.search(r'rel="prev" href="/bulletins/\d+" data-previous>← Бюллетень № 3<', page)
    assert re.search(r'rel="next" href="/bulletins/\d+" data-next>Бюллетень № 5 →<', page)

    correction = create(as_pat, corrects_id=kazinform, languages=["kk"], publish=True)
    assert correction.status_code == 201, correction.text
    fixed = correction.json()["id"]
    page = as_pat.get(f"/bulletins/{kazinform}?lang=en", headers=HTML).text
    assert f'Corrected by <a href="/bulletins/{fixed}">Bulletin No. 6</a>' in page
    later = as_pat.get(f"/bulletins/{fixed}?lang=en", headers=HTML).text
    assert f'This bulletin corrects <a href="/bulletins/{kazinform}">Bulletin No. 4</a>' in later
    assert "data-next" not in later
    assert re.search(r"data-previous>← Bulletin No. 5<", later)
    # A Kazakh-only bulletin's headline on an English index is its Kazakh one.
    index = as_pat.get("/bulletins?lang=en", headers=HTML).text
    assert numbers(index)[0] == 6
    assert '<span lang="kk" data-headline>11 елден' in index
