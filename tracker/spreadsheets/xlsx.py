"""Excel workbooks: the first worksheet read as a stream, every limit applied as it is reached.

openpyxl reads the small parts that say where things are (the manifest, the list of sheets, the styles that
make a number a date) and converts values, but its own sheet reader cannot be bounded: in read-only mode it
scans a whole sheet for its size before the first row when the sheet does not declare one, and it builds
each row, and each cell's text, whole before anything can look at them. So the shared strings and the sheet
are parsed here with expat, fed 64 KB at a time from the archive, counting bytes, rows, cells and the
characters of each cell as they arrive and watching the clock. A file past any limit is refused after a
bounded amount of work, whatever it declares about itself.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.xml.constants import SHARED_STRINGS

from tracker.spreadsheets.table import (
    COPY_INTO_NEW,
    SAVE_AGAIN,
    SEND_INSTEAD,
    UNSAVED_FORMULA,
    Deadline,
    Limits,
    SpreadsheetError,
    Table,
    clean_row,
    megabytes,
    too_long_cell,
)

CHUNK: Final = 64 * 1024
# No element of a real workbook comes near this: a start tag is a few hundred bytes, and text arrives in
# pieces. A parser fed this much without reaching the end of one element is holding a padded file in memory.
MAX_ELEMENT_BYTES: Final = 1024 * 1024
# The parts openpyxl parses whole; a real workbook's are kilobytes.
SMALL_PARTS: Final = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")


class _Stop(Exception):
    """The sheet's data has ended: nothing after it is needed."""


def open_xlsx(content: bytes, name: str, limits: Limits) -> Table:
    """Check the archive, read where the first worksheet is and its shared strings; rows stream on demand."""
    damaged = f"{name} is damaged or incomplete and cannot be read (perhaps the upload was cut off). {SAVE_AGAIN}"
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = {member.filename: member.file_size for member in archive.infolist()}
    except Exception as error:  # a hostile central directory can raise nearly anything from struct to zlib
        raise SpreadsheetError(damaged) from error
    _check_sizes(members, name, limits)
    if "xl/workbook.xml" not in members:
        raise SpreadsheetError(_not_a_workbook(archive, set(members), name))
    deadline = Deadline(name, limits)
    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
        reader.read_manifest()
        part = _find_workbook_part(reader.package).PartName[1:]
        if members.get(part, 0) > limits.max_part_bytes:
            raise SpreadsheetError(_padded(name, part, members[part]))
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [rel.target for _, rel in reader.parser.find_sheets() if "worksheet" in rel.Type]
        strings_part = reader.package.find(SHARED_STRINGS)
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises anything from KeyError to TypeError on malformed parts
        raise SpreadsheetError(damaged) from error
    sheets = [target for target in sheets if target in members]
    if not sheets:
        raise SpreadsheetError(f"{name} has no worksheet. Put the list on the first sheet and send it again.")
    book = _Book(
        archive=reader.archive,
        name=name,
        limits=limits,
        epoch=reader.wb.epoch or WINDOWS_EPOCH,
        dates=frozenset(reader.wb._date_formats),
        durations=frozenset(reader.wb._timedelta_formats),
    )
    if strings_part is not None and strings_part.PartName[1:] in members:
        book.strings = _SharedStrings(book).read(strings_part.PartName[1:], deadline)
    sheet = sheets[0]

    def stream() -> Iterator[tuple[object, ...]]:
        return _Sheet(book).rows(sheet, Deadline(name, limits))

    return Table("xlsx", stream)


def _check_sizes(members: dict[str, int], name: str, limits: Limits) -> None:
    # zipfile never inflates a member past its declared size, so declared sizes bound what can be unpacked.
    declared = sum(members.values())
    if declared > limits.max_uncompressed_bytes:
        raise SpreadsheetError(
            f"{name} would unpack to {megabytes(declared, up=True)} MB, more than the "
            f"{megabytes(limits.max_uncompressed_bytes)} MB accepted; a list of observers is far smaller, so the "
            f"file is damaged or padded. {COPY_INTO_NEW}"
        )
    strings = sum(size for member, size in members.items() if member.lower() == "xl/sharedstrings.xml")
    if strings > limits.max_shared_strings_bytes:
        most = megabytes(limits.max_shared_strings_bytes)
        raise SpreadsheetError(
            f"{name} holds {megabytes(strings, up=True)} MB of text, more than the {most} MB a list of observers "
            f"needs. {COPY_INTO_NEW}"
        )
    for part in SMALL_PARTS:
        if members.get(part, 0) > limits.max_part_bytes:
            raise SpreadsheetError(_padded(name, part, members[part]))


def _padded(name: str, part: str, size: int) -> str:
    return (
        f"{name} is damaged or padded: its part {part} would unpack to {megabytes(size, up=True)} MB, where a "
        f"workbook's is a few kilobytes. {COPY_INTO_NEW}"
    )


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


@dataclass
class _Book:
    archive: zipfile.ZipFile
    name: str
    limits: Limits
    epoch: dt.datetime
    dates: frozenset[int]
    """Style numbers whose number format shows a date: their numbers are Excel serial dates."""
    durations: frozenset[int]
    strings: list[str] = field(default_factory=list)


class _Parse:
    """One part of the archive through expat, fed a chunk at a time with every limit checked between chunks.

    Subclasses handle elements by their local names (a prefix such as `x:` is dropped); a DOCTYPE, which
    only entity bombs need, is refused."""

    def __init__(self, book: _Book) -> None:
        self.book = book
        self.limits = book.limits

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, tag: str) -> None:
        raise NotImplementedError

    def text(self, data: str) -> None:
        raise NotImplementedError

    def damaged(self) -> SpreadsheetError:
        return SpreadsheetError(f"{self.book.name} is damaged and cannot be read. {SAVE_AGAIN}")

    def feed(self, part: str, deadline: Deadline) -> Iterator[None]:
        """Parse `part`, yielding after each chunk so the caller can hand on what it produced."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self._doctype
        fed = 0
        try:
            with self.book.archive.open(part) as member:
                while chunk := member.read(CHUNK):
                    parser.Parse(chunk, False)
                    fed += len(chunk)
                    # Where expat stands: the start of the one element (or comment) it is still reading.
                    if fed - parser.CurrentByteIndex > MAX_ELEMENT_BYTES:
                        raise SpreadsheetError(
                            f"{self.book.name} is damaged or padded: one element of {part} is larger than "
                            f"{megabytes(MAX_ELEMENT_BYTES)} MB. {COPY_INTO_NEW}"
                        )
                    deadline.check()
                    yield
                parser.Parse(b"", True)
                yield
        except _Stop:
            yield
        except SpreadsheetError:
            raise
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError) as error:
            raise self.damaged() from error

    def _doctype(self, *_: Any) -> None:
        raise SpreadsheetError(
            f"{self.book.name} declares a document type, which no Excel workbook does; it may be built to exhaust "
            f"the server. {COPY_INTO_NEW}"
        )


class _Text:
    """The text of one cell or shared string as it arrives, `<t>` by `<t>` (rich text runs included,
    phonetic guides left out), never longer than the limit."""

    def __init__(self, limits: Limits, where: str) -> None:
        self.limits = limits
        self.where = where
        self.parts: list[str] = []
        self.length = 0
        self.capturing = False
        self.phonetic = 0

    def reset(self) -> None:
        self.parts.clear()
        self.length = 0
        self.capturing = False
        self.phonetic = 0

    def add(self, data: str) -> None:
        if not self.capturing:
            return
        self.length += len(data)
        if self.length > self.limits.max_cell_characters:
            raise too_long_cell(self.where, self.limits)
        self.parts.append(data)

    def value(self) -> str | None:
        return "".join(self.parts) if self.parts else None


class _SharedStrings(_Parse):
    """The workbook's table of distinct strings, which cells refer to by number."""

    def __init__(self, book: _Book) -> None:
        super().__init__(book)
        self.strings: list[str] = []
        self.current = _Text(book.limits, f"the table of text of {book.name}")

    def read(self, part: str, deadline: Deadline) -> list[str]:
        for _ in self.feed(part, deadline):
            pass
        return self.strings

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "si":
            self.current.reset()
        elif tag == "t" and not self.current.phonetic:
            self.current.capturing = True
        elif tag == "rPh":
            self.current.phonetic += 1

    def end(self, tag: str) -> None:
        if tag == "si":
            self.strings.append(self.current.value() or "")
            if len(self.strings) > self.limits.max_strings:
                raise SpreadsheetError(
                    f"{self.book.name} holds more than {self.limits.max_strings:,} different pieces of text, far "
                    f"more than a list of observers needs. {COPY_INTO_NEW}"
                )
        elif tag == "t":
            self.current.capturing = False
        elif tag == "rPh":
            self.current.phonetic -= 1

    def text(self, data: str) -> None:
        self.current.add(data)


class _Sheet(_Parse):
    """The rows of one worksheet, handed on a chunk's worth at a time.

    The handlers run once per element of a sheet that may hold millions: they are kept flat and short."""

    def __init__(self, book: _Book) -> None:
        super().__init__(book)
        self.done: list[tuple[object, ...]] = []
        self.in_data = False
        self.row = 0  # the number of the row being read, as a spreadsheet shows it
        self.values: list[object] = []
        self.cells = 0
        self.column = 0
        self.reference: str | None = None
        self.kind = "n"
        self.style = "0"
        self.in_cell = False
        self.has_formula = False
        self.capturing = False
        self.phonetic = 0
        self.parts: list[str] = []
        self.length = 0

    def rows(self, part: str, deadline: Deadline) -> Iterator[tuple[object, ...]]:
        try:
            for _ in self.feed(part, deadline):
                yield from self.done
                self.done.clear()
        except SpreadsheetError:
            yield from self.done  # the rows read whole before the damage or the limit
            self.done.clear()
            raise

    def damaged(self) -> SpreadsheetError:
        return SpreadsheetError(
            f"row {self.row if self.values or self.in_cell else self.row + 1:,} of the first sheet of "
            f"{self.book.name} could not be read: the workbook is damaged. {SAVE_AGAIN}"
        )

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if ":" in tag:
            tag = tag[tag.index(":") + 1 :]
        if tag == "c":
            if not self.in_data:
                return
            self.cells += 1
            if self.cells > self.limits.max_cells:
                raise SpreadsheetError(
                    f"the first sheet of {self.book.name} has more than {self.limits.max_cells:,} cells, filled or "
                    f"formatted; a list of observers has far fewer. {COPY_INTO_NEW}"
                )
            self.reference = attributes.get("r")
            self.column = self._column(self.reference) if self.reference else self.column + 1
            self.kind = attributes.get("t", "n")
            self.style = attributes.get("s", "0")
            self.in_cell = True
            self.has_formula = False
            self.parts = []
            self.length = 0
        elif tag == "v" or tag == "t":
            self.capturing = self.in_cell and not self.phonetic
        elif tag == "f":
            self.has_formula = self.in_cell
        elif tag == "row":
            if self.in_data:
                self._start_row(attributes.get("r"))
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "sheetData":
            self.in_data = True

    def end(self, tag: str) -> None:
        if ":" in tag:
            tag = tag[tag.index(":") + 1 :]
        if tag == "c":
            if self.in_cell:
                self.in_cell = False
                if self.column <= self.limits.max_columns:
                    if self.parts:
                        self._keep(self._value("".join(self.parts)))
                    elif self.has_formula:
                        self._keep(UNSAVED_FORMULA)
        elif tag == "v" or tag == "t":
            self.capturing = False
        elif tag == "row":
            if self.in_data:
                self.done.append(clean_row(self.values) if self.values else ())
                self.values = []
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "sheetData":
            raise _Stop

    def text(self, data: str) -> None:
        if self.capturing:
            self.length += len(data)
            if self.length > self.limits.max_cell_characters:
                where = f"cell {self.reference or self.column} of the first sheet of {self.book.name}"
                raise too_long_cell(where, self.limits)
            self.parts.append(data)

    def _start_row(self, number: str | None) -> None:
        row = int(number) if number and number.isdigit() and len(number) <= 9 else 0
        row = max(row, self.row + 1)  # rows out of order or unnumbered follow the one before
        if row > self.limits.max_rows:
            most = self.limits.max_rows
            raise SpreadsheetError(
                f"the first sheet of {self.book.name} has more than {most:,} rows (empty rows that are formatted "
                f"count too); at most {most:,} rows are accepted in one file. Delete the empty rows under the "
                "list, or split it into several files, and send them one by one."
            )
        self.done.extend(() for _ in range(self.row + 1, row))
        self.row = row
        self.values = []
        self.column = 0

    def _column(self, reference: str) -> int:
        letters = reference.rstrip("0123456789")
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            raise self.damaged()
        number = 0
        for letter in letters.upper():
            number = number * 26 + ord(letter) - 64
        return number

    def _keep(self, value: object) -> None:
        missing = self.column - len(self.values)
        if missing > 0:
            self.values.extend([None] * missing)
        self.values[self.column - 1] = value

    def _value(self, text: str | None) -> object:
        """The cell's value as Excel shows it; the saved result for a formula, which is never run."""
        if text is None:
            return None
        kind = self.kind
        try:
            if kind == "n":
                number = float(text) if any(mark in text for mark in ".Ee") else int(text)
                style = int(self.style) if self.style.isdigit() and len(self.style) <= 9 else 0
                if style in self.book.dates:
                    try:
                        return from_excel(number, self.book.epoch, timedelta=style in self.book.durations)
                    except (OverflowError, ValueError):
                        return "#VALUE!"
                return number
            if kind == "s":
                return self.book.strings[int(text)]
            if kind == "b":
                return text.strip() in ("1", "true")
            if kind == "d":
                return from_ISO8601(text)
        except (ValueError, IndexError) as error:
            raise self.damaged() from error
        return text  # str, inlineStr, and errors such as #N/A
