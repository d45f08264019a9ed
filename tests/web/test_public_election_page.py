"""The election page as a journalist reads it: totals that agree with the headline, the nationalities in the page's
language, the open data behind it, the final figures said so once accreditation has closed, and bulletins and news
of a later moment kept apart from those of the moment chosen."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import TestClient

from tests.web.test_public_pages import HTML, KAZINFORM, PAGE, TALLY, body, tables_of, total

FINAL = '<p class="final" data-final>Final figures: accreditation closed on 13 March 2023, 18:00</p>'


def test_the_totals_are_the_headline_figures_and_the_nationalities_are_named_in_russian(
    client: TestClient[Litestar],
) -> None:
    expected = client.get(TALLY, params={"as_of": KAZINFORM, "lang": "ru"}).json()
    page = client.get(PAGE, params={"as_of": KAZINFORM, "lang": "ru"}, headers=HTML).text
    tables = tables_of(page).tables

    # The demo as Kazinform reported it: 97 observers from 11 countries and 3 organizations (tests/published.py).
    assert (expected["observers"], expected["countries"], expected["organizations"]) == (97, 11, 3)
    assert total(tables["by-kind"]) == ["97"]
    assert total(tables["by-sender"]) == ["97", str(expected["nominated"])]
    assert total(tables["by-role"]) == ["97"]
    assert total(tables["by-nationality"]) == ["97"]
    senders = body(tables["by-sender"])
    assert sum(1 for attrs, cells in senders if attrs["data-kind"] == "foreign_state" and cells[1] != "0") == 11
    assert sum(1 for attrs, cells in senders if attrs["data-kind"] == "international_organization") == 3

    nationalities = [
        (attrs["data-nationality"], cells[0], int(cells[1])) for attrs, cells in body(tables["by-nationality"])
    ]
    assert nationalities == [(row["code"], row["name"], row["observers"]) for row in expected["by_nationality"]]
    # Named in Russian (as the commission writes them: the country table's display names), none in Latin letters.
    assert nationalities[0][::2] == ("RU", 9)
    assert [name for _, name, _ in nationalities if re.search("[A-Za-z]", name)] == []


def test_the_open_data_links_and_the_final_figures_label(client: TestClient[Litestar]) -> None:
    page = client.get(PAGE, params={"as_of": KAZINFORM, "lang": "kk"}, headers=HTML).text
    links = [href.replace("&amp;", "&") for href in re.findall(r'<a href="(/api/elections/[^"]+)" data-format', page)]

    assert len(links) == 6
    for link in links:
        answer = client.get(link)
        assert answer.status_code == 200, link
        if ".csv?" in link:
            assert answer.headers["content-type"].startswith("text/csv")
        else:
            assert answer.headers["content-type"].startswith("application/json")
    tally = client.get(links[0]).json()
    assert (tally["observers"], tally["lang"], tally["as_of"]) == (97, "kk", "2023-02-22T21:13:00+06:00")
    # Without a moment asked for, the links give the figures of now; after accreditation closed, those are the
    # final figures, and the page says so.
    now = client.get(PAGE, params={"lang": "en"}, headers=HTML).text
    assert 'href="/api/elections/majilis-2023/tally?lang=en"' in now
    assert FINAL in now
    ru = client.get(PAGE, params={"lang": "ru"}, headers=HTML).text
    assert "Окончательные данные: аккредитация завершена 13 марта 2023, 18:00" in ru
    # A moment inside the window is not final, nor is one the reader chose after it.
    assert "data-final" not in client.get(PAGE, params={"as_of": KAZINFORM}, headers=HTML).text
    assert "data-final" not in client.get(PAGE, params={"as_of": "2023-03-14"}, headers=HTML).text


def test_bulletins_and_news_of_a_later_moment_are_marked_so(client: TestClient[Litestar]) -> None:
    page = client.get(PAGE, params={"as_of": "2023-02-13T13:44", "lang": "ru"}, headers=HTML).text
    later = '<h3 id="later-{}" class="later">Опубликовано после этого момента</h3>'
    bulletins, news = page.split('<h2 id="bulletins">')[1].split('<h2 id="news">')
    bulletins_then, bulletins_later = bulletins.split(later.format("bulletins"))
    news_then, news_later = news.split(later.format("news"))

    def linked(kind: str, html: str) -> list[str]:
        return re.findall(rf'<a href="/{kind}/(\d+)"', html)

    # Bulletins 1 and 2 count at 9 and 13 February, 3 to 5 at later moments; so are news items 1 to 5 published.
    assert linked("bulletins", bulletins_then) == ["2", "1"]
    assert linked("bulletins", bulletins_later) == ["5", "4", "3"]
    assert linked("news", news_then) == ["2", "1"]
    assert linked("news", news_later) == ["5", "4", "3"]
    assert news_later.count("<li data-later>") == 3
    assert "data-later" not in news_then
    # The demo's news items are in English: a Russian page says so; the English page has nothing to say.
    assert '<a href="/news/2" lang="en">' in news_then
    assert '<small class="language" data-language="en">(Английский)</small>' in news_then
    assert "data-language" not in client.get(PAGE, params={"as_of": KAZINFORM, "lang": "en"}, headers=HTML).text
