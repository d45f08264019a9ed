"""The interface language: gettext catalogs (Babel) and the language of the current request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from pyuca import Collator

LANGUAGES = ("en", "ru", "kk")
NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
LOCALES = Path(__file__).resolve().parent / "locales"

current_language: ContextVar[str] = ContextVar("current_language", default="en")


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The catalog for `lang`, compiled in memory from its .po file: no build step, no binary in git."""
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not po.exists():
        return NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Translate in `lang` inside the block: documents are written in the language asked for, not the page's."""
    token = current_language.set(lang)
    try:
        yield
    finally:
        current_language.reset(token)


def N_(message: str) -> str:
    """Mark a message for the catalogs where it is defined; it is translated where it is shown."""
    return message


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def best_language(accept_language: str) -> str:
    """Our language an Accept-Language header asks for most (Babel matches `ru-RU` to `ru`); English else."""
    asked = []
    for index, part in enumerate(accept_language.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        weight = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            quality = float(weight)
        except ValueError:
            quality = 0.0
        if tag.strip() and quality > 0:
            asked.append((-quality, index, tag.strip().lower()))
    chosen = negotiate_locale([tag for _, _, tag in sorted(asked)], LANGUAGES, sep="-")
    return chosen or "en"


def format_instant(instant: dt.datetime, zone: dt.tzinfo, lang: str | None = None) -> str:
    """A moment as people in `lang` write it, in the election's time zone."""
    lang = lang or current_language.get()
    return babel_datetime(instant.astimezone(zone), "d MMMM y, HH:mm", locale=Locale.parse(lang))


def format_day(day: dt.date, lang: str | None = None) -> str:
    """A day as people in `lang` write it, as `format_instant` writes a moment: 22 февраля 2023."""
    return babel_date(day, "d MMMM y", locale=Locale.parse(lang or current_language.get()))


@lru_cache(maxsize=len(LANGUAGES))
def input_date_pattern(lang: str) -> str:
    """How a date is written into a form field in `lang`, to be sent again as it stands: the locale's short
    pattern where it puts the day first (ru, kk: `dd.MM.y`, the year in four digits where kk's has two), ISO 8601
    elsewhere (en's `M/d/yy` would be read month first, which `tracker.instants` refuses to guess)."""
    pattern = Locale.parse(lang).date_formats["short"].pattern
    return re.sub("y+", "y", pattern) if pattern.startswith("d") else "y-MM-dd"


def format_input_date(day: dt.date, lang: str | None = None) -> str:
    """A date as a form field in `lang` shows it: 22.02.2023 in ru and kk, 2023-02-22 in en."""
    lang = lang or current_language.get()
    return babel_date(day, input_date_pattern(lang), locale=Locale.parse(lang))


def format_input_instant(instant: dt.datetime, zone: dt.tzinfo, lang: str | None = None) -> str:
    """A moment as a form field in `lang` shows it, in `zone`: `22.02.2023 21:13` in ru and kk,
    `2023-02-22 21:13` in en; the 24-hour clock of the ru and kk locales, seconds and their fractions only when
    there are some, so that the text sent again is the same instant."""
    lang = lang or current_language.get()
    local = instant.astimezone(zone)
    time = "HH:mm" + (":ss" if local.second or local.microsecond else "") + (".SSSSSS" if local.microsecond else "")
    return babel_datetime(local, f"{input_date_pattern(lang)} {time}", locale=Locale.parse(lang))


@cache
def _collator() -> Collator:
    # Reads the Unicode Collation Algorithm's table once per process (about 0.2 s).
    return Collator()


@lru_cache(maxsize=16_384)
def collation_key(text: str) -> tuple[int, ...]:
    """A key that sorts names alphabetically for readers of Kazakh, Russian and English alike (the UCA's default
    order: Ә after А, Ғ after Г, Қ after К, Ө after О, where code points would put them after Я)."""
    return tuple(_collator().sort_key(text))
