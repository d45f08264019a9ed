"""Reading the lists of observers that missions send: checking the file, streaming its rows, proposing which
column holds which field, and reading the values people write (dates, genders, roles, countries) in English,
Russian and Kazakh. Pure: bytes in, values out; no database, no HTTP."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import gettext
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Final

import babel
import openpyxl
import pycountry

from tracker.errors import InvalidInput
from tracker.models import Gender, Role

FIELDS: tuple[str, ...] = (
    "name_original",
    "name_latin",
    "surname",
    "given_names",
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
    {"name_original", "name_latin", "surname", "given_names", "surname_latin", "given_names_latin"}
)

SEND_INSTEAD: Final = 'Send the list as an Excel workbook (.xlsx) or as "CSV UTF-8" (.csv).'
SAVE_AGAIN: Final = (
    'Open it in Excel, save it again as "Excel Workbook (.xlsx)" and send that file, or send it as CSV UTF-8.'
)


class SpreadsheetError(InvalidInput):
    """The uploaded file cannot be used as a list of observers; the message says what to send instead."""

    def __init__(self, message: str, *, field: str = "file") -> None:
        prefix = f"{field}: "
        super().__init__(message if message.startswith(prefix) else prefix + message, field=field)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 100
    # openpyxl holds a workbook's whole table of distinct strings in memory, as Python objects.
    max_shared_strings_bytes: int = 32 * 1024 * 1024


class Table:
    """An opened spreadsheet whose rows can be streamed from the start any number of times."""

    def __init__(self, file_format: str, stream: Callable[[], Iterator[tuple[object, ...]]]) -> None:
        self.file_format = file_format
        self._stream = stream

    def rows(self) -> Iterator[tuple[object, ...]]:
        """Every row of the first worksheet (or of the CSV file) as cell values: str (stripped, never empty),
        int, float, bool, datetime.date/datetime.datetime or None, at most `max_columns` of them, trailing empty
        cells trimmed (a blank row is `()`). Streamed; raises SpreadsheetError when the sheet turns out to have
        more than `max_rows` rows or to be damaged further in."""
        return self._stream()


def open_table(content: bytes, filename: str, limits: Limits = Limits()) -> Table:
    """Check and open the file; raises SpreadsheetError for anything unusable."""
    name = _display_name(filename)
    if len(content) > limits.max_bytes:
        raise SpreadsheetError(
            f"{name} is {_megabytes(len(content), up=True)} MB; files up to {_megabytes(limits.max_bytes)} MB are "
            "accepted. Remove pictures and other sheets, or split the list into several files, and send it again."
        )
    if not content.strip():
        raise SpreadsheetError(f"{name} is empty. {SEND_INSTEAD}")
    if content.startswith(OLE2_MAGIC):
        raise _ole2_error(content, name)
    if content.startswith(ZIP_MAGIC):
        return _open_xlsx(content, name, limits)
    for magic, kind in KNOWN_BINARIES:
        if content.startswith(magic):
            raise SpreadsheetError(f"{name} is {kind}, not a spreadsheet. {SEND_INSTEAD}")
    return _open_csv(content, name, limits)


# ---------------------------------------------------------------------------------------------------------------
# Recognizing the file

OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC: Final = b"PK\x03\x04"
KNOWN_BINARIES: Final = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)
# Characters that never occur in a text file someone saved from a spreadsheet; their presence means binary data
# that happened to decode.
BINARY_CHARACTERS: Final = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


def _display_name(filename: str) -> str:
    # Browsers on Windows may send the whole path; the clerk knows the file by its last part.
    base = PureWindowsPath(filename or "").name.strip()
    if not base:
        return "the file"
    return f'"{base[:77]}..."' if len(base) > 80 else f'"{base}"'


def _megabytes(size: int, up: bool = False) -> str:
    # Rounded up when over a limit, so that 10 MB and 3 bytes never reads "10 MB, the limit is 10 MB".
    tenths = size * 10 / (1024 * 1024)
    return f"{(math.ceil(tenths) if up else round(tenths)) / 10:.1f}".removesuffix(".0")


def _ole2_error(content: bytes, name: str) -> SpreadsheetError:
    # An encrypted .xlsx is an OLE2 compound file too: Office wraps the real workbook in an "EncryptedPackage"
    # stream; stream names are stored in UTF-16LE in the directory.
    if "EncryptedPackage".encode("utf-16-le") in content:
        return SpreadsheetError(
            f"{name} is password-protected, so it cannot be read; the workbook must be saved without a password. "
            "Open it in Excel, clear the password under File › Info › Protect Workbook › Encrypt with Password, "
            "save it and send it again."
        )
    if "WordDocument".encode("utf-16-le") in content:
        return SpreadsheetError(
            f"{name} is a Word document, not a spreadsheet. Copy the table into Excel and save it as "
            f'"Excel Workbook (.xlsx)". {SEND_INSTEAD}'
        )
    return SpreadsheetError(
        f"{name} is an old Excel 97-2003 workbook (.xls), which is not accepted. Open it in Excel, choose "
        'File › Save As and save it as "Excel Workbook (.xlsx)" or as "CSV UTF-8 (Comma delimited) (.csv)", '
        "then send that file."
    )


# ---------------------------------------------------------------------------------------------------------------
# Excel workbooks


def _open_xlsx(content: bytes, name: str, limits: Limits) -> Table:
    damaged = f"{name} is damaged or incomplete and cannot be read (perhaps the upload was cut off). {SAVE_AGAIN}"
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except Exception as error:  # a hostile central directory can raise nearly anything from struct to zlib
        raise SpreadsheetError(damaged) from error
    # zipfile never inflates a member past its declared size, so the sum bounds what openpyxl can unpack.
    declared = sum(member.file_size for member in members)
    if declared > limits.max_uncompressed_bytes:
        raise SpreadsheetError(
            f"{name} would unpack to {_megabytes(declared)} MB, more than the "
            f"{_megabytes(limits.max_uncompressed_bytes)} MB accepted; a list of observers is far smaller, so the "
            "file is damaged or padded. Copy the list into a new workbook and send that, or send it as CSV UTF-8."
        )
    strings = sum(member.file_size for member in members if member.filename.lower() == "xl/sharedstrings.xml")
    if strings > limits.max_shared_strings_bytes:
        most = _megabytes(limits.max_shared_strings_bytes)
        raise SpreadsheetError(
            f"{name} holds {_megabytes(strings)} MB of text, more than the {most} MB a list of observers needs. "
            "Copy the list into a new workbook and send that, or send it as CSV UTF-8."
        )
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(_not_a_workbook(archive, names, name))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
        sheets = workbook.worksheets
    except Exception as error:  # openpyxl raises anything from KeyError to TypeError on malformed parts
        raise SpreadsheetError(damaged) from error
    if not sheets:
        raise SpreadsheetError(f"{name} has no worksheet. Put the list on the first sheet and send it again.")
    sheet = sheets[0]
    # The declared <dimension> is whatever the writer claimed (A1:XFD1048576 in a hostile file); read-only
    # openpyxl would pad every row to it. Forget it and read only the cells that are there.
    sheet.reset_dimensions()

    def stream() -> Iterator[tuple[object, ...]]:
        number = 0
        # max_col makes openpyxl drop cells past the limit instead of padding rows to a far-off column.
        values = sheet.iter_rows(min_row=1, max_col=limits.max_columns, values_only=True)
        while True:
            try:
                row = next(values, None)
            except Exception as error:  # damage inside the sheet only shows when the parser reaches it
                raise SpreadsheetError(
                    f"row {number + 1:,} of the first sheet of {name} could not be read: the workbook is damaged. "
                    f"{SAVE_AGAIN}"
                ) from error
            if row is None:
                return
            number += 1
            if number > limits.max_rows:
                raise SpreadsheetError(
                    f"the first sheet of {name} has more than {limits.max_rows:,} rows (empty rows that are "
                    f"formatted count too); at most {limits.max_rows:,} rows are accepted in one file. Delete the "
                    "empty rows under the list, or split it into several files, and send them one by one."
                )
            yield _clean_row(row)

    return Table("xlsx", stream)


def _not_a_workbook(archive: zipfile.ZipFile, names: set[str], name: str) -> str:
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            kind = member.read(100)
        if kind.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return (
                f'{name} is an OpenDocument spreadsheet (.ods). Save it as "Excel 2007-365 (.xlsx)" or as CSV '
                "UTF-8 and send that file."
            )
    if "xl/workbook.bin" in names:
        return (
            f"{name} is an Excel Binary Workbook (.xlsb), which is not accepted. Save it as "
            '"Excel Workbook (.xlsx)" or as CSV UTF-8 and send that file.'
        )
    if "word/document.xml" in names:
        return (
            f"{name} is a Word document, not a spreadsheet. Copy the table into Excel and save it as "
            f'"Excel Workbook (.xlsx)". {SEND_INSTEAD}'
        )
    return f"{name} is a ZIP archive, not an Excel workbook. {SEND_INSTEAD}"


# ---------------------------------------------------------------------------------------------------------------
# CSV files


def _open_csv(content: bytes, name: str, limits: Limits) -> Table:
    text = _decode(content)
    not_a_spreadsheet = f"{name} is not a spreadsheet this service can read. {SEND_INSTEAD}"
    if text is None or BINARY_CHARACTERS.search(text):
        raise SpreadsheetError(not_a_spreadsheet)
    if text.lstrip().startswith("<"):
        raise SpreadsheetError(
            f"{name} is a web page or an XML file, not a workbook (some programs give these an .xls name). Open "
            'it in Excel and save it as "Excel Workbook (.xlsx)", then send that file.'
        )
    delimiter = _sniff_delimiter(text[:SNIFF_CHARACTERS], complete=len(text) <= SNIFF_CHARACTERS)

    def stream() -> Iterator[tuple[object, ...]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        number = 0
        try:
            for fields in reader:
                number += 1
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    # Kept as an empty row, so that row numbers in messages are the ones a spreadsheet shows.
                    yield ()
                    continue
                if number > limits.max_rows:
                    total = number + sum(1 for rest in reader if rest and any(cell.strip() for cell in rest))
                    raise SpreadsheetError(
                        f"{name} has {total:,} rows; at most {limits.max_rows:,} rows are accepted in one file. "
                        "Split the list into several files and send them one by one."
                    )
                yield _clean_row(fields[: limits.max_columns])
        except csv.Error as error:
            raise SpreadsheetError(
                f"line {reader.line_num:,} of {name} could not be read ({error}). Check that line, or save the "
                'list from Excel again as "CSV UTF-8 (Comma delimited)" and send it.'
            ) from error

    return Table("csv", stream)


def _decode(content: bytes) -> str | None:
    # Excel's "Unicode Text" is UTF-16 with a BOM; "CSV UTF-8" has a UTF-8 BOM; plain "CSV" on a Russian
    # Windows is cp1251, which decodes almost any bytes, so it is tried last.
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1251")
    for encoding in encodings:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


SNIFF_CHARACTERS: Final = 65536


def _sniff_delimiter(sample: str, complete: bool) -> str:
    # csv.Sniffer guesses wrong on short files and on names with commas; instead pick the delimiter that splits
    # the most lines into the same number (above one) of fields, preferring more fields on a tie.
    lines = sample.splitlines()
    if not complete and len(lines) > 1:
        lines.pop()  # cut off mid-line by the sample
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            counts = [len(fields) for fields in csv.reader(lines, delimiter=delimiter) if len(fields) > 1]
        except csv.Error:
            continue
        if not counts:
            continue
        width, frequency = Counter(counts).most_common(1)[0]
        if (frequency, width) > best_score:
            best, best_score = delimiter, (frequency, width)
    return best


# ---------------------------------------------------------------------------------------------------------------
# Cell values


def _clean_row(values: Sequence[object]) -> tuple[object, ...]:
    # openpyxl pads every row to max_columns with None: skip the padding before the per-cell work.
    end = len(values)
    if values.count(None) == end:
        return ()
    while values[end - 1] is None:
        end -= 1
    row = [_clean_value(value) for value in values[:end]]
    while row and row[-1] is None:
        row.pop()
    return tuple(row)


def _clean_value(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------------------------
# Normalizing what people write

# Kazakh letters are often typed with their Russian look-alikes on a Russian keyboard; fold them so that
# "Туған күні" and "Туган куни" read the same.
FOLD: Final = str.maketrans(
    {"ё": "е", "ә": "а", "ə": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
)
WORD: Final = re.compile(r"[^\W_]+")


def _words(text: object) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKC", str(text)).casefold().translate(FOLD)
    return tuple(WORD.findall(folded))


def _key(text: object) -> str:
    return "".join(_words(text))


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
            _words(marker)
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
    return {_words(label): field for field, labels in HEADER_NAMES.items() for label in labels}


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
        latin, words = _strip_latin(_words(piece))
        field = _field_of(words, latin)
        if field is not None and strength > best[1]:
            best = (field, strength)
            continue
        _, plain = _strip_latin(_words(_without_brackets(piece)))
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
        raise ValueError("not a date; write it as DD.MM.YYYY, e.g. 05.03.1971")
    elif isinstance(value, int | float):
        raise ValueError(f"{value} is a number, not a date; format the cell as a date or write it as DD.MM.YYYY")
    else:
        date = _date_from_text(str(value).strip())
    if date.year < 1900:
        raise ValueError(f"{date:%d.%m.%Y} is before 1900; check the year")
    return date


def _date_from_text(text: str) -> dt.date:
    found = DAY_FIRST.fullmatch(text) or YEAR_FIRST.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not a date; write it as DD.MM.YYYY, e.g. 05.03.1971")
    day, month, year = (int(found[part]) for part in ("day", "month", "year"))
    if len(found["year"]) != 4:
        raise ValueError(f"{text!r}: write the year with four digits, e.g. 05.03.1971")
    if month > 12:
        raise ValueError(f"{text!r} has no month {month}; dates are read day first: DD.MM.YYYY")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the calendar") from None


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
    table = {_key(member.value): member.value for member in words}
    table.update({_key(word): member.value for member, synonyms in words.items() for word in synonyms})
    return table


def parse_gender(value: object) -> Gender:
    """M/F, М/Ж, male/female, мужской/женский, ер/әйел and their variants."""
    found = _lookup("gender").get(_key(value)) if value is not None else None
    if found is None:
        raise ValueError(f"{value!r} is not a gender; write M or F (М/Ж, Е/Ә)")
    return Gender(found)


def parse_role(value: object) -> Role:
    """The role in the mission, in English, Russian or Kazakh; a plain "observer" is a short-term observer."""
    if value is None:
        raise ValueError("no role given")
    found = _lookup("role").get(_key(value))
    if found is not None:
        return Role(found)
    words = set(_words(value))
    for role, keywords in ROLE_KEYWORDS:
        if words & {_key(keyword) for keyword in keywords}:
            return role
    raise ValueError(
        f"{value!r} is not a role; use head of mission, coordinator, long-term observer, short-term observer, "
        "parliamentarian, expert, interpreter or staff"
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
        (_key(name), code)
        for language in ("en", "ru", "kk")
        for code, name in babel.Locale.parse(language).territories.items()
        if len(code) == 2 and code.isalpha()
    )
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for language in ("ru", "kk")
    ]
    iso: list[tuple[str, str]] = []
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                iso.append((_key(name), country.alpha_2))
                iso += [(_key(translation.gettext(name)), country.alpha_2) for translation in translations]
    aliases = tuple((_key(alias), code) for code, names in COUNTRY_ALIASES.items() for alias in names)
    return cldr, tuple(iso), aliases


class CountryNames:
    """Resolves what people write for a country to its ISO 3166-1 alpha-2 code."""

    def __init__(self, rows: Iterable[tuple[str, str, str, str, str]]) -> None:
        rows = list(rows)
        known = {code.upper() for code, *_ in rows}
        self._codes: dict[str, str | None] = {}
        self._add([(_key(given), code.upper()) for code, alpha_3, *_ in rows for given in (code, alpha_3)], known)
        self._add([(_key(name), code.upper()) for code, _, *names in rows for name in names if name], known)
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

    def code(self, text: object) -> str | None:
        """Alpha-2 or alpha-3 code (any case), or the name in English, Russian or Kazakh; None when unknown."""
        if text is None:
            return None
        words = _words(text)
        if len(words) > 1 and words[0] == "the":
            words = words[1:]
        return self._codes.get("".join(words))
