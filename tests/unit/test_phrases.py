"""Headline sentences: plural forms by CLDR category, zero parts left out, numbers per language."""

from __future__ import annotations

import pytest

from tracker.errors import InvalidInput
from tracker.phrases import headline

OBSERVERS = {
    "en": {
        1: "one international observer",
        2: "two international observers",
        3: "three international observers",
        5: "five international observers",
        9: "nine international observers",
        10: "10 international observers",
        11: "11 international observers",
        21: "21 international observers",
        22: "22 international observers",
        25: "25 international observers",
        101: "101 international observers",
        111: "111 international observers",
    },
    "ru": {
        1: "1 международный наблюдатель",
        2: "2 международных наблюдателя",
        3: "3 международных наблюдателя",
        5: "5 международных наблюдателей",
        9: "9 международных наблюдателей",
        10: "10 международных наблюдателей",
        11: "11 международных наблюдателей",
        21: "21 международный наблюдатель",
        22: "22 международных наблюдателя",
        25: "25 международных наблюдателей",
        101: "101 международный наблюдатель",
        111: "111 международных наблюдателей",
    },
    "kk": {n: f"{n} халықаралық байқаушы" for n in (1, 2, 3, 5, 9, 10, 11, 21, 22, 25, 101, 111)},
}

COUNTRIES = {
    "en": {
        1: "from one country",
        2: "from two countries",
        3: "from three countries",
        5: "from five countries",
        9: "from nine countries",
        10: "from 10 countries",
        11: "from 11 countries",
        21: "from 21 countries",
        22: "from 22 countries",
        25: "from 25 countries",
        101: "from 101 countries",
        111: "from 111 countries",
    },
    "ru": {
        1: "из 1 страны",
        2: "из 2 стран",
        3: "из 3 стран",
        5: "из 5 стран",
        9: "из 9 стран",
        10: "из 10 стран",
        11: "из 11 стран",
        21: "из 21 страны",
        22: "из 22 стран",
        25: "из 25 стран",
        101: "из 101 страны",
        111: "из 111 стран",
    },
    "kk": {n: f"{n} елден" for n in (1, 2, 3, 5, 9, 10, 11, 21, 22, 25, 101, 111)},
}

ORGANIZATIONS = {
    "en": {
        1: "from one international organization",
        2: "from two international organizations",
        3: "from three international organizations",
        5: "from five international organizations",
        9: "from nine international organizations",
        10: "from 10 international organizations",
        11: "from 11 international organizations",
        21: "from 21 international organizations",
        22: "from 22 international organizations",
        25: "from 25 international organizations",
        101: "from 101 international organizations",
        111: "from 111 international organizations",
    },
    "ru": {
        1: "из 1 международной организации",
        2: "из 2 международных организаций",
        3: "из 3 международных организаций",
        5: "из 5 международных организаций",
        9: "из 9 международных организаций",
        10: "из 10 международных организаций",
        11: "из 11 международных организаций",
        21: "из 21 международной организации",
        22: "из 22 международных организаций",
        25: "из 25 международных организаций",
        101: "из 101 международной организации",
        111: "из 111 международных организаций",
    },
    "kk": {n: f"{n} халықаралық ұйымнан" for n in (1, 2, 3, 5, 9, 10, 11, 21, 22, 25, 101, 111)},
}

COUNTS = (1, 2, 3, 5, 9, 10, 11, 21, 22, 25, 101, 111)


@pytest.mark.parametrize("n", COUNTS)
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_it_agrees_the_observers_noun_with_the_number(lang: str, n: int) -> None:
    assert headline(n, 0, 0, lang) == OBSERVERS[lang][n]


@pytest.mark.parametrize("n", COUNTS)
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_it_agrees_the_countries_noun_with_the_number(lang: str, n: int) -> None:
    sentence = headline(500, n, 0, lang)
    if lang == "kk":
        assert sentence == f"{COUNTRIES['kk'][n]} 500 халықаралық байқаушы"
    else:
        assert sentence == f"{headline(500, 0, 0, lang)} {COUNTRIES[lang][n]}"


@pytest.mark.parametrize("n", COUNTS)
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_it_agrees_the_organizations_noun_with_the_number(lang: str, n: int) -> None:
    sentence = headline(500, 0, n, lang)
    if lang == "kk":
        assert sentence == f"{ORGANIZATIONS['kk'][n]} 500 халықаралық байқаушы"
    else:
        assert sentence == f"{headline(500, 0, 0, lang)} {ORGANIZATIONS[lang][n]}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "97 international observers from 11 countries and three international organizations"),
        ("ru", "97 международных наблюдателей из 11 стран и 3 международных организаций"),
        ("kk", "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы"),
    ],
)
def test_it_writes_the_published_sentence_of_22_february(lang: str, expected: str) -> None:
    assert headline(97, 11, 3, lang) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((25, 1, 2), "25 international observers from one country and two international organizations"),
        ((1, 1, 0), "one international observer from one country"),
        ((21, 0, 1), "21 international observers from one international organization"),
        ((0, 0, 0), "no international observers"),
    ],
)
def test_it_leaves_out_a_part_that_is_zero(counts: tuple[int, int, int], expected: str) -> None:
    assert headline(*counts, "en") == expected


def test_it_says_zero_observers_in_russian_and_kazakh() -> None:
    assert headline(0, 0, 0, "ru") == "0 международных наблюдателей"
    assert headline(0, 0, 0, "kk") == "0 халықаралық байқаушы"


def test_it_groups_thousands_the_way_each_language_does() -> None:
    assert headline(1234, 0, 1, "en") == "1,234 international observers from one international organization"
    assert headline(1234, 0, 1, "ru") == "1\xa0234 международных наблюдателя из 1 международной организации"


def test_it_refuses_a_language_it_does_not_speak() -> None:
    with pytest.raises(InvalidInput, match="lang: 'de' is not one of en, ru, kk"):
        headline(1, 1, 0, "de")
