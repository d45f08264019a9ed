"""The headline sentence of a tally, in English, Russian and Kazakh.

"97 international observers from 11 countries and three international organizations". Noun forms
are chosen by CLDR plural category (Babel), a part that is zero is left out, and numbers are
formatted for the language: English spells one to nine, Russian and Kazakh use digits.
"""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_decimal
from num2words import num2words

from tracker.errors import InvalidInput
from tracker.i18n import LANGUAGES
from tracker.i18n import gettext as _

# Noun phrases by CLDR plural category. Russian needs the genitive after "из" for the senders;
# Kazakh nouns stay singular after a numeral and take the ablative for the senders.
NOUNS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "observers": {"one": "international observer", "other": "international observers"},
        "countries": {"one": "country", "other": "countries"},
        "organizations": {"one": "international organization", "other": "international organizations"},
    },
    "ru": {
        "observers": {
            "one": "международный наблюдатель",
            "few": "международных наблюдателя",
            "many": "международных наблюдателей",
            "other": "международного наблюдателя",
        },
        "countries": {"one": "страны", "few": "стран", "many": "стран", "other": "страны"},
        "organizations": {
            "one": "международной организации",
            "few": "международных организаций",
            "many": "международных организаций",
            "other": "международной организации",
        },
    },
    "kk": {
        "observers": {"one": "халықаралық байқаушы", "other": "халықаралық байқаушы"},
        "countries": {"one": "елден", "other": "елден"},
        "organizations": {"one": "халықаралық ұйымнан", "other": "халықаралық ұйымнан"},
    },
}

NO_OBSERVERS = {
    "en": "no international observers",
    "ru": "0 международных наблюдателей",
    "kk": "0 халықаралық байқаушы",
}


def check_language(lang: str, *, field: str = "lang") -> str:
    if lang not in LANGUAGES:
        message = _("%(value)s is not one of %(languages)s") % {"value": repr(lang), "languages": ", ".join(LANGUAGES)}
        raise InvalidInput(f"{field}: {message}", field=field)
    return lang


def check_languages(text: str, *, field: str = "lang") -> list[str]:
    """A comma-separated list of languages, in order (`kk,ru`): each one of ours, none twice, at least one."""
    chosen = [check_language(lang.strip(), field=field) for lang in text.split(",") if lang.strip()]
    if not chosen:
        raise InvalidInput(
            f"{field}: " + _("give at least one of %(languages)s") % {"languages": ", ".join(LANGUAGES)}, field=field
        )
    if len(set(chosen)) != len(chosen):
        raise InvalidInput(f"{field}: " + _("a language is listed twice"), field=field)
    return chosen


def number(n: int, lang: str) -> str:
    """How the language writes a count in running text."""
    if lang == "en" and 1 <= n <= 9:
        return str(num2words(n, lang="en"))
    return format_decimal(n, locale=lang)


def counted(n: int, noun: str, lang: str) -> str:
    """`n` followed by the form of `noun` that CLDR's plural rules choose for it."""
    category = Locale.parse(lang).plural_form(n)
    forms = NOUNS[lang][noun]
    return f"{number(n, lang)} {forms.get(category, forms['other'])}"


def headline(observers: int, countries: int, organizations: int, lang: str = "en") -> str:
    """`97 international observers from 11 countries and three international organizations`."""
    check_language(lang)
    if observers == 0:
        return NO_OBSERVERS[lang]
    senders = [counted(n, noun, lang) for n, noun in ((countries, "countries"), (organizations, "organizations")) if n]
    who = counted(observers, "observers", lang)
    if not senders:
        return who
    if lang == "en":
        return f"{who} from {' and '.join(senders)}"
    if lang == "ru":
        return f"{who} из {' и '.join(senders)}"
    return f"{' және '.join(senders)} {who}"
