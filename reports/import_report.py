"""The mission's list given back with its problems, so the mission can correct the file it sent.

An .xlsx comes back as it was sent (title rows, merged cells, widths, fonts, number formats, formulas, frozen
panes, other sheets) with one column added to its first sheet after the last used column: the problems of each
row, in the registrar's language, and a light fill on the cells they are about. A CSV file, or a workbook too
large to open whole, comes back as a plain workbook of the rows as the import read them, with the same column
and fills. Every word arrives translated; the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
import shutil
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from copy import copy
from dataclasses import dataclass
from io import BytesIO
from tempfile import TemporaryFile
from typing import IO, Any, Final
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.core import DCTERMS_NS
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import fromstring

from reports.cells import cell, set_value
from reports.roster import SHEET_NAME_FORBIDDEN, SHEET_NAME_LIMIT, discard_unsaved

ERROR_FILL: Final = PatternFill("solid", start_color="FFF2CC")
BOLD: Final = Font(bold=True)
WRAPPED: Final = Alignment(wrap_text=True, vertical="top")
# Characters wide: the errors column fits its longest text between these, and wraps what is longer.
ERRORS_WIDTH: Final = (16, 60)
DATA_WIDTH: Final = (8, 40)
SIZED_ROWS: Final = 1_000
DAY_FIRST: Final = "dd.mm.yyyy"
DAY_FIRST_TIME: Final = "dd.mm.yyyy hh:mm"
# A line of 11-point text is 15 points tall; a letter of running text is a little wider than the digit "0" that
# measures a column's width.
DEFAULT_FONT_SIZE: Final = 11
LINE_HEIGHT: Final = 15
CHARACTER_WIDTH: Final = 1.1
# Excel's last column, XFD: a sheet used up to it has no room for one more.
LAST_COLUMN: Final = 16_384
# The date of a workbook that states none (openpyxl would write the clock's) and of every member of the archive;
# naive, as openpyxl keeps a workbook's dates (in UTC).
STABLE_TIME: Final = dt.datetime(1980, 1, 1)  # noqa: DTZ001
CHUNK: Final = 64 * 1024
# openpyxl's full load makes an object of every element of every part, some 30 microseconds and 0.6 KB each
# on the server (measured with lists of 10 columns: 5,000 rows take 1.4-1.7 s and 30 MB, 10,000 rows 3.3 s and
# 56 MB, 100,000 rows 34 s and 550 MB, against 2.2 s and 4 MB, and 23 s and 14 MB, for the plain workbook).
# Kept whole up to some 2 s: 50,000 cells, a list of 5,000 observers, far more than a mission sends.
MAX_CELLS_KEPT: Final = 50_000
# Elements per cell in a list's workbook, counting its text and its styles: 5.8 as openpyxl writes one, 6.2 as
# Excel or LibreOffice do (each name and document number is its own shared string).
ELEMENTS_PER_CELL: Final = 7
# Long text costs openpyxl little time but its size in memory: 36 MB of it took 0.6 s and 46 MB.
MAX_UNPACKED_KEPT: Final = 50 * 1024 * 1024


@dataclass(frozen=True)
class RowProblems:
    """The problems of one row of the list, as the mission will read them."""

    row: int  # the row number as the spreadsheet shows it (1-based)
    messages: tuple[str, ...]  # already translated, one per problem, e.g. "Дата рождения: такой даты нет"
    columns: frozenset[int]  # 0-based indexes of the cells to highlight (may be empty)


def build_error_report(
    original: bytes,
    file_format: str,
    header_row: int,
    problems: Sequence[RowProblems],
    *,
    errors_title: str,
    rows: Iterable[tuple[object, ...]] | None = None,
    max_cells_kept: int = MAX_CELLS_KEPT,
) -> bytes:
    """An .xlsx of the list the mission sent (`original`, an "xlsx" or "csv" file whose header is the row
    `header_row`, counted from 0) with a column titled `errors_title` giving each row's problems.

    `rows` are the rows of the first sheet (or of the CSV file) from its first row, as the import read them:
    the report is built from them for a CSV file, and for a workbook of more than `max_cells_kept` cells or one
    openpyxl cannot open, save or mark up whole."""
    by_row = _by_row(problems)
    if file_format == "xlsx":
        # openpyxl's full load holds every cell of every sheet as an object: the import's streaming limits let
        # through far more than that can hold in reasonable time and memory, hence the count first. A workbook
        # openpyxl's full reader or writer cannot handle (it is stricter than the import's streaming reader), or
        # a first sheet with no column left, falls back to the plain workbook: the mission still gets every row
        # and every problem, only not its own layout.
        with suppress(Exception):
            if _small_enough(original, max_cells_kept):
                return _marked_up(original, header_row, by_row, errors_title)
    if rows is None:
        raise ValueError("the rows as read are needed for a CSV file or a workbook too large to open whole")
    return _plain(rows, header_row, by_row, errors_title)


def _by_row(problems: Sequence[RowProblems]) -> dict[int, RowProblems]:
    merged: dict[int, RowProblems] = {}
    for found in problems:
        before = merged.get(found.row)
        if before is not None:
            found = RowProblems(found.row, before.messages + found.messages, before.columns | found.columns)
        merged[found.row] = found
    return merged


def _small_enough(original: bytes, max_cells: int) -> bool:
    """Whether openpyxl may load the whole workbook: the elements of all its parts (every "<" in them, counted as
    they unpack, stopping as soon as there are too many) are no more than `max_cells` cells of a list have."""
    budget = max_cells * ELEMENTS_PER_CELL
    with ZipFile(BytesIO(original)) as archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_UNPACKED_KEPT:
            return False
        for member in members:
            with archive.open(member) as part:
                while chunk := part.read(CHUNK):
                    budget -= chunk.count(b"<")
                    if budget < 0:
                        return False
    return True


def _marked_up(original: bytes, header_row: int, problems: dict[int, RowProblems], errors_title: str) -> bytes:
    book = load_workbook(BytesIO(original), rich_text=True)
    _dates_as_sent(book, original)
    sheet = book.worksheets[0]
    column = _last_used_column(sheet, header_row + 1) + 1
    if column > LAST_COLUMN:
        raise ValueError("the first sheet has no column left for the errors")
    header = header_row + 1
    _unmerge_column(sheet, column, {header, *problems})
    errors_width = _errors_width(errors_title, problems.values())
    _show_column(sheet, column, errors_width)
    last_row = max(sheet.max_row, header, *problems)
    for number in range(header, last_row + 1):
        _dress_like_neighbour(sheet, number, column)
    for found in problems.values():
        for index in found.columns:
            if index + 1 < column:
                sheet.cell(found.row, index + 1).fill = ERROR_FILL
        target = sheet.cell(found.row, column)
        text = _text("; ".join(found.messages))
        set_value(target, text)
        target.fill = ERROR_FILL
        target.alignment = WRAPPED
        dimension = sheet.row_dimensions[found.row]
        dimension.hidden = False  # the import read the hidden row too; its problems must be seen
        height = _height(text, errors_width, target.font.sz)
        if height and height > (dimension.height or 0):
            dimension.height = height
    title = sheet.cell(header, column)
    set_value(title, _text(errors_title))
    font = copy(title.font)
    font.bold = True
    title.font = font
    _widen_filter(sheet, header, column)
    return _saved(book)


def _dates_as_sent(book: Workbook, original: bytes) -> None:
    """The created and modified dates the mission's file states; a fixed date where it states none, which
    openpyxl would fill in from the clock, so that the same file always gives the same report."""
    stated: set[str] = set()
    with ZipFile(BytesIO(original)) as archive:
        if ARC_CORE in archive.namelist():
            stated = {child.tag for child in fromstring(archive.read(ARC_CORE))}
    properties = book.properties
    if f"{{{DCTERMS_NS}}}created" not in stated or properties.created is None:
        properties.created = STABLE_TIME
    if f"{{{DCTERMS_NS}}}modified" not in stated or properties.modified is None:
        properties.modified = properties.created


def _last_used_column(sheet: Worksheet, first_row: int) -> int:
    """The rightmost column holding a value from the header down; cells that are only formatted do not count,
    nor do the title rows above, so a title merged wider than the list does not push the errors away."""
    used = [column for (row, column), found in sheet._cells.items() if row >= first_row and found.value is not None]
    return max(used, default=0)


def _unmerge_column(sheet: Worksheet, column: int, rows: set[int]) -> None:
    """Merged cells crossing `column` on a row that gets a value there keep only their part left of it."""
    for merged in list(sheet.merged_cells.ranges):
        if not merged.min_col <= column <= merged.max_col:
            continue
        if not any(merged.min_row <= row <= merged.max_row for row in rows):
            continue
        bounds = merged.min_row, merged.min_col, merged.max_row, column - 1
        sheet.unmerge_cells(merged.coord)
        if bounds[3] > bounds[1] or (bounds[3] == bounds[1] and bounds[2] > bounds[0]):
            sheet.merge_cells(start_row=bounds[0], start_column=bounds[1], end_row=bounds[2], end_column=bounds[3])


def _show_column(sheet: Worksheet, column: int, width: float) -> None:
    """The errors column visible at `width`, taken out of any hidden or sized range of columns it fell in."""
    letter = get_column_letter(column)
    for key, dimension in list(sheet.column_dimensions.items()):
        dimension.reindex()
        if not dimension.min <= column <= dimension.max:
            continue
        if dimension.max > column:
            rest = ColumnDimension(
                sheet,
                index=get_column_letter(column + 1),
                width=dimension.width,
                bestFit=dimension.bestFit,
                hidden=dimension.hidden,
                outlineLevel=dimension.outlineLevel,
                collapsed=dimension.collapsed,
                min=column + 1,
                max=dimension.max,
            )
            rest._style = copy(dimension._style)
            sheet.column_dimensions[rest.index] = rest
        if dimension.min == column:
            del sheet.column_dimensions[key]
        else:
            dimension.max = column - 1
    sheet.column_dimensions[letter] = ColumnDimension(sheet, index=letter, width=width, min=column, max=column)


def _dress_like_neighbour(sheet: Worksheet, row: int, column: int) -> None:
    """The errors cell of a row takes the look of the cell on its left (font, borders, fill), so the column
    reads as part of the mission's table."""
    if column == 1:
        return
    neighbour = sheet._cells.get((row, column - 1))
    if neighbour is not None and neighbour.has_style:
        sheet.cell(row, column)._style = copy(neighbour._style)


def _widen_filter(sheet: Worksheet, header: int, column: int) -> None:
    """A filter on the list's header reaches the errors column, so the mission can show the rows with problems."""
    reference = sheet.auto_filter.ref
    if not reference:
        return
    left, top, right, bottom = range_boundaries(reference)
    if top == header and right == column - 1:
        sheet.auto_filter.ref = f"{get_column_letter(left)}{top}:{get_column_letter(column)}{bottom}"


def _plain(
    rows: Iterable[tuple[object, ...]], header_row: int, problems: dict[int, RowProblems], errors_title: str
) -> bytes:
    """A new workbook of `rows` with the errors column after the widest of them. The rows are read once into a
    temporary file first, since the column's place is known only at the end; memory stays flat however many."""
    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = STABLE_TIME
    with TemporaryFile() as spool:
        widths = _spool(rows, spool)
        sheet: WriteOnlyWorksheet = book.create_sheet(_sheet_name(errors_title))
        try:
            _write_plain(sheet, _unspool(spool), widths, header_row, problems, errors_title)
        except BaseException:
            discard_unsaved(book)
            raise
    return _saved(book)


def _spool(rows: Iterable[tuple[object, ...]], spool: IO[bytes]) -> list[int]:
    """Write `rows` to `spool` as cell values, in batches; answer the characters each column needs, as many as
    the widest row has columns (judged by the first rows, as anyone looking at the list would)."""
    widths: list[int] = []
    batch: list[tuple[object, ...]] = []
    for index, row in enumerate(rows):
        values = tuple(_plain_value(value) for value in row)
        widths.extend([0] * (len(values) - len(widths)))
        if index < SIZED_ROWS:
            for column, value in enumerate(values):
                widths[column] = max(widths[column], len(str(value)) if value is not None else 0)
        batch.append(values)
        if len(batch) == 1_000:
            pickle.dump(batch, spool)
            batch.clear()
    pickle.dump(batch, spool)
    return widths


def _unspool(spool: IO[bytes]) -> Iterator[tuple[object, ...]]:
    spool.seek(0)
    while True:
        try:
            batch = pickle.load(spool)  # noqa: S301 - the spool holds only what _spool wrote into it just before
        except EOFError:
            return
        yield from batch


def _write_plain(
    sheet: WriteOnlyWorksheet,
    rows: Iterable[tuple[object, ...]],
    widths: list[int],
    header_row: int,
    problems: dict[int, RowProblems],
    errors_title: str,
) -> None:
    sheet.freeze_panes = f"A{header_row + 2}"
    least, most = DATA_WIDTH
    for index, characters in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(characters, least), most) + 2
    width = len(widths)
    errors_width = _errors_width(errors_title, problems.values())
    sheet.column_dimensions[get_column_letter(width + 1)].width = errors_width
    for index, values in enumerate(rows):
        number = index + 1
        if index == header_row:
            line = [_plain_cell(sheet, value, font=BOLD) for value in values]
            line += [None] * (width - len(line))
            sheet.append([*line, cell(sheet, _text(errors_title), font=BOLD)])
            continue
        found = problems.get(number)
        if found is None:
            sheet.append([_plain_cell(sheet, value) for value in values])
            continue
        padded = list(values) + [None] * (width - len(values))
        line = [
            _plain_cell(sheet, value, fill=ERROR_FILL) if column in found.columns else _plain_cell(sheet, value)
            for column, value in enumerate(padded)
        ]
        text = _text("; ".join(found.messages))
        errors = cell(sheet, text, fill=ERROR_FILL, alignment=WRAPPED)
        height = _height(text, errors_width, None)
        if height:
            sheet.row_dimensions[number].height = height
        sheet.append([*line, errors])


def _plain_cell(sheet: WriteOnlyWorksheet, value: object, **style: Any) -> Any:
    """A cell of the plain workbook; dates day first, as the commission and most missions write them."""
    if isinstance(value, dt.datetime):
        style["number_format"] = DAY_FIRST if value.time() == dt.time() else DAY_FIRST_TIME
    elif isinstance(value, dt.date):
        style["number_format"] = DAY_FIRST
    return cell(sheet, value, **style)


def _plain_value(value: object) -> object:
    """A value openpyxl can write: what a spreadsheet holds as it is, text without the control characters a
    workbook cannot hold, anything else as its text."""
    if value is None or isinstance(value, bool | int | float | dt.date | dt.time | dt.timedelta):
        return value
    return _text(str(value)) or None


def _text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _errors_width(errors_title: str, problems: Iterable[RowProblems]) -> float:
    longest = max((len("; ".join(found.messages)) for found in problems), default=0)
    least, most = ERRORS_WIDTH
    return min(max(longest, len(errors_title), least), most) + 2


def _height(text: str, width: float, font_size: float | None) -> float | None:
    """Points tall for `text` wrapped in a column `width` characters wide, when it takes more than one line.
    LibreOffice sizes a row to its wrapped text only when the text is edited, and Excel not always on opening."""
    lines = math.ceil(len(text) * CHARACTER_WIDTH / max(width - 2, 1))
    if lines < 2:
        return None
    return round(lines * LINE_HEIGHT * (font_size or DEFAULT_FONT_SIZE) / DEFAULT_FONT_SIZE, 1)


def _sheet_name(wanted: str) -> str:
    return (SHEET_NAME_FORBIDDEN.sub("-", wanted).strip("'") or "-")[:SHEET_NAME_LIMIT]


class _StableZip(ZipFile):
    """A zip archive whose members all carry the same date, so the same workbook always gives the same bytes
    (zipfile dates each member with the clock, or with its temporary file's time)."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = self._dated(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        with open(filename, "rb") as source, self.open(self._dated(arcname or filename), "w") as target:
            shutil.copyfileobj(source, target, CHUNK)

    def _dated(self, name: str) -> ZipInfo:
        member = ZipInfo(name, date_time=STABLE_TIME.timetuple()[:6])
        member.compress_type = self.compression
        member.external_attr = 0o600 << 16
        return member


def _saved(book: Workbook) -> bytes:
    # Workbook.save would stamp the modified date with the clock.
    buffer = BytesIO()
    ExcelWriter(book, _StableZip(buffer, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()
