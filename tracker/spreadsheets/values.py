"""Reading the values people write: dates, genders, roles and countries, in English, Russian and Kazakh."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
from collections.abc import Iterable
from typing import Final

import babel
import pycountry

from tracker.i18n import LANGUAGES, current_language
from tracker.i18n import gettext as _
from tracker.models import Gender, Role
from tracker.spreadsheets.words import fold_key, split_words

# ---------------------------------------------------------------------------------------------------------------
# Dates

DAY_FIRST: Final = re.compile(
    r"(?P<day>[0-9]{1,2})[./-](?P<month>[0-9]{1,2})[./-](?P<year>[0-9]{2,4})\.?(?:\s*[гж]\.?)?(?:\s+0?0:00(?::00)?)?"
)
YEAR_FIRST: Final = re.compile(
    r"(?P<year>[0-9]{4})[./-](?P<month>[0-9]{1,2})[./-](?P<day>[0-9]{1,2})(?:[T ]0?0:00(?::00)?)?"
)


def parse_date(value: object) -> dt.date:
    """A birth date as people enter it: an Excel date, or text with the day first ("05.03.1971", "5.3.1971",
    "05/03/1971") as in Kazakhstan, or ISO ("1971-03-05"). Raises ValueError with a short message otherwise."""
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, bool) or value is None:
        raise ValueError(_("not a date; write it as DD.MM.YYYY, e.g. 05.03.1971"))
    elif isinstance(value, int | float):
        raise ValueError(
            _("%(value)s is a number, not a date; format the cell as a date or write it as DD.MM.YYYY")
            % {"value": value}
        )
    else:
        date = _date_from_text(str(value).strip())
    if date.year < 1900:
        raise ValueError(_("%(date)s is before 1900; check the year") % {"date": f"{date:%d.%m.%Y}"})
    return date


def _date_from_text(text: str) -> dt.date:
    found = DAY_FIRST.fullmatch(text) or YEAR_FIRST.fullmatch(text)
    if found is None:
        raise ValueError(_("%(text)s is not a date; write it as DD.MM.YYYY, e.g. 05.03.1971") % {"text": repr(text)})
    day, month, year = (int(found[part]) for part in ("day", "month", "year"))
    if len(found["year"]) != 4:
        raise ValueError(_("%(text)s: write the year with four digits, e.g. 05.03.1971") % {"text": repr(text)})
    if month > 12:
        raise ValueError(
            _("%(text)s has no month %(month)d; dates are read day first: DD.MM.YYYY")
            % {"text": repr(text), "month": month}
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("%(text)s is not a date in the calendar") % {"text": repr(text)}) from None


# ---------------------------------------------------------------------------------------------------------------
# Gender and role

GENDER_WORDS: Final[dict[Gender, tuple[str, ...]]] = {
    Gender.MALE: (
        "M", "Male", "Man", "Mr", "М", "E", "Муж", "Мужской", "Мужчина", "Мужск", "Г-н", "Ер", "Е", "Еркек", "Ер адам",
    ),
    Gender.FEMALE: (
        "F", "Female", "Woman", "W", "Mrs", "Ms", "Miss", "Ж", "Жен", "Женский", "Женщина", "Женск", "Г-жа",
        "Әйел", "Ә", "Әйел адам",
    ),
    Gender.UNSPECIFIED: ("X", "Unspecified", "Not specified", "Не указан", "Не указано", "Көрсетілмеген"),
}  # fmt: skip
ROLE_WORDS: Final[dict[Role, tuple[str, ...]]] = {
    Role.HEAD_OF_MISSION: (
        "Head of mission", "Head of the mission", "Mission head", "Head of delegation", "Head of the delegation",
        "HoM", "Глава миссии", "Руководитель миссии", "Глава делегации", "Руководитель делегации",
        "Миссия басшысы", "Миссияның басшысы", "Делегация басшысы",
    ),
    Role.COORDINATOR: ("Coordinator", "Mission coordinator", "Координатор", "Координатор миссии", "Үйлестіруші"),
    Role.LONG_TERM_OBSERVER: (
        "Long-term observer", "LTO", "Долгосрочный наблюдатель", "ДСН", "Ұзақ мерзімді байқаушы",
        "Ұзақмерзімді байқаушы",
    ),
    Role.SHORT_TERM_OBSERVER: (
        "Short-term observer", "STO", "Observer", "International observer", "Member of the mission",
        "Краткосрочный наблюдатель", "КСН", "Наблюдатель", "Международный наблюдатель", "Член миссии",
        "Қысқа мерзімді байқаушы", "Қысқамерзімді байқаушы", "Байқаушы", "Халықаралық байқаушы", "Миссия мүшесі",
    ),
    Role.PARLIAMENTARIAN: (
        "Parliamentarian", "Member of parliament", "MP", "Депутат", "Парламентарий", "Член парламента",
        "Депутат парламента", "Парламент депутаты",
    ),
    Role.EXPERT: ("Expert", "Analyst", "Эксперт", "Аналитик", "Сарапшы", "Талдаушы"),
    Role.INTERPRETER: ("Interpreter", "Translator", "Переводчик", "Аудармашы", "Тілмаш"),
    Role.STAFF: (
        "Staff", "Staff member", "Mission staff", "Assistant", "Сотрудник", "Сотрудник миссии", "Ассистент",
        "Помощник", "Қызметкер", "Көмекші",
    ),
}  # fmt: skip
# Titles that carry the role in one word: "Legal analyst", "Депутат Мажилиса", "LTO coordinator".
ROLE_KEYWORDS: Final[tuple[tuple[Role, tuple[str, ...]], ...]] = (
    (Role.COORDINATOR, ("coordinator", "координатор", "үйлестіруші")),
    (Role.INTERPRETER, ("interpreter", "translator", "переводчик", "аудармашы", "тілмаш")),
    (Role.EXPERT, ("expert", "analyst", "эксперт", "аналитик", "сарапшы", "талдаушы")),
    (Role.PARLIAMENTARIAN, ("parliamentarian", "депутат", "парламентарий")),
)


@functools.cache
def _lookup(kind: str) -> dict[str, str]:
    words: dict[Gender, tuple[str, ...]] | dict[Role, tuple[str, ...]] = (
        GENDER_WORDS if kind == "gender" else ROLE_WORDS
    )
    table = {fold_key(member.value): member.value for member in words}
    table.update({fold_key(word): member.value for member, synonyms in words.items() for word in synonyms})
    return table


def parse_gender(value: object) -> Gender:
    """M/F, М/Ж, male/female, мужской/женский, ер/әйел and their variants."""
    found = _lookup("gender").get(fold_key(value)) if value is not None else None
    if found is None:
        raise ValueError(_("%(value)s is not a gender; write M or F (М/Ж, Е/Ә)") % {"value": repr(value)})
    return Gender(found)


def parse_role(value: object) -> Role:
    """The role in the mission, in English, Russian or Kazakh; a plain "observer" is a short-term observer."""
    if value is None:
        raise ValueError(_("no role given"))
    found = _lookup("role").get(fold_key(value))
    if found is not None:
        return Role(found)
    words = set(split_words(value))
    for role, keywords in ROLE_KEYWORDS:
        if words & {fold_key(keyword) for keyword in keywords}:
            return role
    raise ValueError(
        _(
            "%(value)s is not a role; use head of mission, coordinator, long-term observer, short-term observer, "
            "parliamentarian, expert, interpreter or staff"
        )
        % {"value": repr(value)}
    )


# ---------------------------------------------------------------------------------------------------------------
# Countries

# Short forms people write that neither CLDR (as Babel ships it) nor ISO 3166 spell out.
COUNTRY_ALIASES: Final = {
    "US": ("США", "АҚШ", "USA", "U.S.", "America"),
    "GB": ("UK", "U.K.", "Great Britain", "Британия", "Ұлыбритания"),
    "RU": ("РФ",),
    "DE": ("ФРГ",),
    "CN": ("КНР", "ҚХР", "PRC"),
    "KP": ("КНДР", "DPRK"),
    "KR": ("Республика Корея", "ROK"),
    "AE": ("ОАЭ", "БАӘ", "UAE"),
    "KZ": ("РК", "ҚР", "Республика Казахстан"),
    "TR": ("Turkey", "Republic of Turkey"),
    "PS": ("Palestine", "State of Palestine"),
    "KG": ("Кыргызская Республика", "Киргизия"),
    "CZ": ("Czech Republic", "Чехия"),
    "MD": ("Молдавия",),
    "BY": ("Белоруссия",),
}


@functools.cache
def _reference_names() -> tuple[tuple[tuple[str, str], ...], ...]:
    """(key, alpha-2) pairs from Babel's CLDR, pycountry and the aliases, in decreasing order of trust."""
    cldr = tuple(
        (fold_key(name), code)
        for language in LANGUAGES
        for code, name in babel.Locale.parse(language).territories.items()
        if len(code) == 2 and code.isalpha()
    )
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in LANGUAGES
        if language != "en"
    ]
    iso: list[tuple[str, str]] = []
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                iso.append((fold_key(name), country.alpha_2))
                iso += [(fold_key(translation.gettext(name)), country.alpha_2) for translation in translations]
    aliases = tuple((fold_key(alias), code) for code, names in COUNTRY_ALIASES.items() for alias in names)
    return cldr, tuple(iso), aliases


class CountryNames:
    """Resolves what people write for a country to its ISO 3166-1 alpha-2 code."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        rows = list(rows)
        known = {code.upper() for code, *_ in rows}
        self._names = {code.upper(): dict(zip(LANGUAGES, names, strict=False)) for code, _, *names in rows}
        self._codes: dict[str, str | None] = {}
        self._add([(fold_key(given), code.upper()) for code, alpha_3, *_ in rows for given in (code, alpha_3)], known)
        self._add([(fold_key(name), code.upper()) for code, _, *names in rows for name in names if name], known)
        for layer in _reference_names():
            self._add(layer, known)

    def _add(self, pairs: Iterable[tuple[str, str]], known: set[str]) -> None:
        # Earlier layers win; a name that means two countries within one layer means neither.
        layer: dict[str, str | None] = {}
        for key, code in pairs:
            if not key or code not in known:
                continue
            layer[key] = code if layer.get(key, code) == code else None
        for key, code in layer.items():
            self._codes.setdefault(key, code)

    def name(self, code: str) -> str:
        """The country's name in the current language (English where it has none in it), or the code."""
        names = self._names.get(code.upper(), {})
        return names.get(current_language.get()) or names.get("en") or code

    def code(self, text: object) -> str | None:
        """Alpha-2 or alpha-3 code (any case), or the name in English, Russian or Kazakh; None when unknown."""
        if text is None:
            return None
        words = split_words(text)
        if len(words) > 1 and words[0] == "the":
            words = words[1:]
        return self._codes.get("".join(words))
