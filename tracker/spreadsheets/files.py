"""Opening the file a mission sent: recognized and checked before it is parsed, then streamed row by row.

Everything here runs in a worker thread (see services/imports.py), never on the event loop, and does a
bounded amount of work whatever the file: see `Limits`."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Final

from tracker.spreadsheets.table import (
    SEND_INSTEAD,
    Deadline,
    Limits,
    SpreadsheetError,
    Table,
    clean_row,
    display_name,
    megabytes,
    too_long_cell,
)
from tracker.spreadsheets.xlsx import open_xlsx

__all__ = ["Limits", "SpreadsheetError", "Table", "open_table"]


DEFAULT_LIMITS: Final = Limits()


def open_table(content: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Table:
    """Check and open the file; raises SpreadsheetError for anything unusable."""
    name = display_name(filename)
    if len(content) > limits.max_bytes:
        raise SpreadsheetError(
            f"{name} is {megabytes(len(content), up=True)} MB; files up to {megabytes(limits.max_bytes)} MB are "
            "accepted. Remove pictures and other sheets, or split the list into several files, and send it again."
        )
    if not content.strip():
        raise SpreadsheetError(f"{name} is empty. {SEND_INSTEAD}")
    if content.startswith(OLE2_MAGIC):
        raise _ole2_error(content, name)
    if content.startswith(ZIP_MAGIC):
        return open_xlsx(content, name, limits)
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
        deadline = Deadline(name, limits)
        number = 0
        try:
            for fields in reader:
                number += 1
                if number % 1000 == 0:
                    deadline.check()
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
                kept = fields[: limits.max_columns]
                if any(len(field) > limits.max_cell_characters for field in kept):
                    raise too_long_cell(f"line {reader.line_num:,} of {name}", limits)
                yield clean_row(kept)
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
