"""Finding the header row and proposing which column holds which field, from labels in en/ru/kk."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from tracker.spreadsheets.files import SpreadsheetError
from tracker.spreadsheets.words import split_words

FIELDS: tuple[str, ...] = (
    "name_original",
    "name_latin",
    "surname",
    "given_names",
    "patronymic",
    "surname_latin",
    "given_names_latin",
    "nationality",
    "birth_date",
    "gender",
    "document_number",
    "document_country",
    "role",
    "email",
    "phone",
)
NAME_FIELDS: Final = frozenset(
    {"name_original", "name_latin", "surname", "given_names", "patronymic", "surname_latin", "given_names_latin"}
)

# ---------------------------------------------------------------------------------------------------------------
# The header row

# "Name" (and Kazakh "Аты") is the given name next to a surname column and the full name without one.
AMBIGUOUS_NAME: Final = "name"
HEADER_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "name_original": (
        "ФИО", "Ф. И. О.", "Фамилия Имя Отчество", "Фамилия и имя", "Фамилия имя", "Имя и фамилия", "Полное имя",
        "Full name", "Name and surname", "Surname and name", "Surname, given names", "Surname and given names",
        "Last name, first name", "Name of observer", "Observer's name", "Аты-жөні", "Толық аты-жөні",
        "Тегі, аты, әкесінің аты", "Тегі аты", "Тегі, аты",
    ),
    "name_latin": ("Латынша аты-жөні",),
    "surname": ("Фамилия", "Surname", "Last name", "Family name", "Тегі"),
    "given_names": (
        "Имя", "Имя Отчество", "Имя и отчество", "Given name", "Given names", "Given name(s)", "First name",
        "First names", "First name(s)", "Forename", "Forenames",
    ),
    "patronymic": ("Отчество", "Әкесінің аты", "Patronymic", "Father's name"),
    "nationality": (
        "Гражданство", "Страна гражданства", "Национальность", "Подданство", "Страна", "Nationality",
        "Citizenship", "Country", "Country of citizenship", "Азаматтығы", "Азаматтық", "Елі", "Ел",
    ),
    "birth_date": (
        "Дата рождения", "Число, месяц, год рождения", "Date of birth", "Birth date", "Birthdate", "DOB", "Born",
        "Туған күні", "Туған күні, айы, жылы", "Туған жылы, айы, күні", "Туылған күні",
    ),
    "gender": ("Пол", "Gender", "Sex", "M/F", "М/Ж", "Жынысы", "Жыныс"),
    "document_number": (
        "№ паспорта", "Номер паспорта", "Паспорт №", "Паспорт", "Серия и номер паспорта", "Паспортные данные",
        "Номер документа", "№ документа", "Номер удостоверения личности", "Passport No.", "Passport number",
        "Passport", "Passport #", "No. of passport", "Document number", "Document No.", "Travel document",
        "Travel document number", "ID number", "Төлқұжат нөмірі", "Төлқұжат", "Паспорт нөмірі", "Құжат нөмірі",
        "Жеке куәлік нөмірі",
    ),
    "document_country": (
        "Страна выдачи", "Страна выдачи паспорта", "Государство выдачи", "Country of issue", "Issuing country",
        "Issuing state", "Passport issued by", "Passport issuing country", "Берген ел", "Төлқұжатты берген ел",
        "Берілген елі",
    ),
    "role": (
        "Должность", "Роль", "Функция", "Должность в миссии", "Роль в миссии", "Role", "Position", "Function",
        "Role in mission", "Role in the mission", "Position in mission", "Лауазымы", "Лауазым", "Рөлі",
        "Миссиядағы лауазымы",
    ),
    "email": (
        "E-mail", "Email", "E-mail address", "Email address", "Mail", "Эл. почта", "Электронная почта",
        "Адрес электронной почты", "Почта", "Электрондық пошта", "Эл. пошта",
    ),
    "phone": (
        "Телефон", "Тел.", "Контактный телефон", "Мобильный телефон", "Номер телефона", "Phone", "Telephone",
        "Tel.", "Phone number", "Mobile", "Mobile phone", "Contact phone", "Телефон нөмірі", "Ұялы телефон",
    ),
    AMBIGUOUS_NAME: ("Name", "Names", "Аты"),
}  # fmt: skip
# Words that say a name column is in Latin letters; what remains says which name.
LATIN_MARKERS: Final = tuple(
    sorted(
        (
            split_words(marker)
            for marker in (
                "латиницей", "латинскими буквами", "на латинице", "лат", "латинские", "в латинской транскрипции",
                "латинская транскрипция", "транслитерация", "на английском", "на английском языке", "латын әрпімен",
                "латын әріптерімен", "латынша", "латын", "ағылшынша", "latin", "in latin", "latin letters",
                "in latin letters", "latin script", "latin characters", "in latin characters", "transliteration",
                "transliterated", "romanized", "english", "in english",
            )
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
LATIN_OF: Final = {
    "name_original": "name_latin",
    "surname": "surname_latin",
    "given_names": "given_names_latin",
    AMBIGUOUS_NAME: "name_latin?",
}
EXACT, PART, LOOSE = 3, 2, 1


@functools.cache
def _header_words() -> dict[tuple[str, ...], str]:
    return {split_words(label): field for field, labels in HEADER_NAMES.items() for label in labels}


@functools.cache
def _header_keys() -> dict[str, str]:
    # Joined, so that "Ф.И.О." is "ФИО" and "E-mail" is "Email".
    return {"".join(words): field for words, field in _header_words().items()}


@dataclass(frozen=True)
class Header:
    row_index: int
    labels: tuple[str, ...]
    mapping: dict[str, int]


def find_header(rows: Iterable[tuple[object, ...]], scan: int = 20) -> Header:
    """Look at the first `scan` rows and pick the one whose cells best match known header names (en/ru/kk,
    case- and punctuation-insensitive). Raises SpreadsheetError when no row has at least two recognizable
    columns including a name column. The mapping never maps two fields to one column, nor one field to two."""
    best: tuple[tuple[int, int], int, tuple[object, ...], dict[str, int]] | None = None
    for index, row in enumerate(rows):
        if index >= scan:
            break
        mapping, strength = _propose(row)
        if len(mapping) < 2 or not NAME_FIELDS & mapping.keys():
            continue
        score = (len(mapping), strength)
        if best is None or score > best[0]:
            best = (score, index, row, mapping)
    if best is None:
        raise SpreadsheetError(
            f"no recognizable header row in the first {scan} rows. The list needs a row of column names above the "
            'observers, with at least a name column and one more, such as "ФИО" / "Full name" / "Аты-жөні", '
            '"Дата рождения" / "Date of birth", "№ паспорта" / "Passport No.", "Гражданство" / "Nationality". '
            "Add one and send the file again."
        )
    _, index, row, mapping = best
    labels = tuple("" if value is None else str(value) for value in row)
    return Header(
        row_index=index, labels=labels, mapping={field: mapping[field] for field in FIELDS if field in mapping}
    )


def _propose(row: tuple[object, ...]) -> tuple[dict[str, int], int]:
    """The fields this row's cells name, as field -> column, and how strongly they matched in total."""
    candidates = sorted(
        (
            (-strength, column, field)
            for column, value in enumerate(row)
            if isinstance(value, str)
            for field, strength in [_match_label(value)]
            if field is not None
        ),
    )
    mapping: dict[str, int] = {}
    strength = 0
    for negative, column, field in candidates:
        if field not in mapping and column not in mapping.values():
            mapping[field] = column
            strength -= negative
    for pseudo, with_surname, without in (
        (AMBIGUOUS_NAME, ("surname", "given_names"), "name_original"),
        ("name_latin?", ("surname_latin", "given_names_latin"), "name_latin"),
    ):
        column = mapping.pop(pseudo, None)
        if column is None:
            continue
        surname, given = with_surname
        target = given if surname in mapping else without
        if target not in mapping:
            mapping[target] = column
    return mapping, strength


def _match_label(label: str) -> tuple[str | None, int]:
    pieces = [(label, EXACT)]
    parts = _split_outside_brackets(label)
    if len(parts) > 1:
        pieces += [(part, PART) for part in parts]
    best: tuple[str | None, int] = (None, 0)
    for piece, strength in pieces:
        latin, words = _strip_latin(split_words(piece))
        field = _field_of(words, latin)
        if field is not None and strength > best[1]:
            best = (field, strength)
            continue
        _, plain = _strip_latin(split_words(_without_brackets(piece)))
        field = _field_of(plain, latin)
        if field is not None and best[1] < PART:
            best = (field, PART)
            continue
        field = _loose_field_of(plain, latin)
        if field is not None and best[1] < LOOSE:
            best = (field, LOOSE)
    return best


def _field_of(words: tuple[str, ...], latin: bool) -> str | None:
    if not words:
        return "name_latin" if latin else None
    field = _header_keys().get("".join(words))
    if field is not None and latin:
        return LATIN_OF.get(field, field)
    return field


def _loose_field_of(words: tuple[str, ...], latin: bool) -> str | None:
    """A known name at the start of the label ("Date of birth dd.mm.yyyy") or, of two words or more, at its end
    ("Observer's full name"); the longest wins. A bare "Name" never matches loosely: "Middle name" is not one."""
    found: tuple[int, str] | None = None
    for known, field in _header_words().items():
        if field == AMBIGUOUS_NAME or len(known) >= len(words):
            continue
        at_start = words[: len(known)] == known
        at_end = len(known) > 1 and words[-len(known) :] == known
        if (at_start or at_end) and (found is None or len(known) > found[0]):
            found = (len(known), field)
    if found is None:
        return None
    return LATIN_OF.get(found[1], found[1]) if latin else found[1]


def _strip_latin(words: tuple[str, ...]) -> tuple[bool, tuple[str, ...]]:
    for marker in LATIN_MARKERS:
        for start in range(len(words) - len(marker) + 1):
            if words[start : start + len(marker)] == marker:
                return True, words[:start] + words[start + len(marker) :]
    return False, words


BRACKETED: Final = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
SEPARATORS: Final = frozenset("/|\\\n;")


def _without_brackets(text: str) -> str:
    return BRACKETED.sub(" ", text)


def _split_outside_brackets(text: str) -> list[str]:
    # "Ф.И.О. / Full name" is two labels for one column, but "Дата рождения (дд/мм/гггг)" is one.
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for character in text:
        if character in "([":
            depth += 1
        elif character in ")]":
            depth = max(depth - 1, 0)
        if character in SEPARATORS and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(character)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]
