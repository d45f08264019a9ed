"""Bulletins in the press's languages: nothing left in English when English is not asked for, every shared
element in every language asked for, and a draft marked as one on each page until it is published."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import PAT, sign_in
from tests.unit.test_bulletin import all_text, page_texts
from tests.web.test_bulletins import create, publish
from tracker.app import create_app
from tracker.settings import Settings

# What the commission prints in every bulletin, whatever its figures, in each language.
SHARED = {
    "en": (
        "Central Election Commission of the Republic of Kazakhstan",
        "Place of issue: Astana",
        "Accredited observers by sender",
        "Accredited international observers, day by day",
        "Accredited observers",
        "Date",
        "The public tally as of this moment",
        "Snapshot",
        "Page 1 of",
    ),
    "ru": (
        "Центральная избирательная комиссия Республики Казахстан",
        "Место выпуска: Астана",
        "Аккредитованные наблюдатели по направившей стороне",
        "Аккредитованные международные наблюдатели по дням",
        "Аккредитовано наблюдателей",
        "Дата",
        "Открытые данные на этот момент",
        "Снимок",
        "Страница 1 из",
    ),
    "kk": (
        "Қазақстан Республикасының Орталық сайлау комиссиясы",
        "Шығарылған жері: Астана",
        "Жіберуші тарап бойынша аккредиттелген байқаушылар",
        "Аккредиттелген халықаралық байқаушылар, күн сайын",
        "Аккредиттелген байқаушылар",
        "Күні",
        "Деректерді тексеру үшін осы сәттегі ашық деректер",
        "Сурет",
        "беттің 1-беті",
    ),
}
DRAFT = {"en": "DRAFT", "ru": "ЧЕРНОВИК", "kk": "ЖОБА"}
ENGLISH = (
    "Page",
    "Snapshot",
    "Accredited",
    "Central Election Commission",
    "Bulletin",
    "Draft",
    "DRAFT",
    "Date",
    "Total",
)


def latin_words(text: str) -> set[str]:
    """Words in Latin letters, leaving out web addresses, the tz database's zone name and hexadecimal hashes."""
    text = re.sub(r"https?://\S+|Asia/Almaty", " ", text)
    return {word for word in re.findall(r"[A-Za-z]{2,}", text) if not re.fullmatch(r"[0-9a-f]+", word)}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_bulletin_in_one_language_has_no_english_word(as_pat: TestClient[Litestar], lang: str) -> None:
    draft = create(as_pat, languages=[lang]).json()
    preview = as_pat.get(f"/api/bulletins/{draft['id']}/preview.pdf").content
    published: dict[str, Any] = publish(as_pat, draft).json()
    kept = as_pat.get(published["pdf_url"]).content

    for content in (preview, kept):
        text = all_text(content)
        assert [word for word in ENGLISH if word in text] == []
        assert latin_words(text) == set()
        assert [words for words in SHARED[lang] if words not in text] == []
    # A draft says so on every page, in its language; the published bulletin never does.
    pages = page_texts(preview)
    assert len(pages) > 1
    assert all(DRAFT[lang] in page for page in pages)
    assert DRAFT[lang] not in all_text(kept)


def test_a_trilingual_bulletin_prints_every_shared_element_in_each_language(as_pat: TestClient[Litestar]) -> None:
    draft = create(as_pat, languages=["en", "ru", "kk"]).json()
    preview = as_pat.get(f"/api/bulletins/{draft['id']}/preview.pdf").content
    published: dict[str, Any] = publish(as_pat, draft).json()
    kept = all_text(as_pat.get(published["pdf_url"]).content)

    for lang in ("en", "ru", "kk"):
        assert [words for words in SHARED[lang] if words not in kept] == []
    number = published["number"]
    assert f"Bulletin No. {number} / Бюллетень № {number} / № {number} бюллетень" in kept
    assert "OSCE/ODIHR / ОБСЕ/БДИПЧ / ЕҚЫҰ/ДИАҚБ" in kept  # the chart's labels
    assert all("DRAFT / ЧЕРНОВИК / ЖОБА" in page for page in page_texts(preview))
    assert not any(word in kept for word in DRAFT.values())


def test_the_letterhead_gives_the_place_of_issue_and_the_press_contact_set_for_the_commission(demo_db: str) -> None:
    settings = Settings(database_url=demo_db, place_of_issue="Нұр-Сұлтан", press_contact="+7 7172 00 00 00")
    with TestClient(app=create_app(settings)) as press:
        sign_in(press, PAT)
        text = all_text(press.get(create(press, languages=["kk"], publish=True).json()["pdf_url"]).content)

    assert "Шығарылған жері: Нұр-Сұлтан. Шығарылған күні:" in text
    assert "Баспасөз қызметі: +7 7172 00 00 00" in text
