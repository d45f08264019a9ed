"""Opening the file a mission sent: checked before it is parsed, then streamed row by row."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Final

import openpyxl

from tracker.errors import InvalidInput

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
