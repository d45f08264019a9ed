"""The Excel roster: the tally's summary and one row per accreditation, in English, Russian or Kazakh.

Written in openpyxl's write-only mode: each sheet streams to a temporary file as rows arrive, so a
national register of 100,000 observers never sits in memory as cells.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.cells import cell
from reports.roster_print import (
    BOLD,
    WRAPPED,
    Heading,
    append_row,
    date_cell,
    roster_widths,
    row_height,
    set_up_page,
    use_body_style,
)
from reports.roster_summary import write_summary

# Excel refuses longer sheet names and these characters in them.
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
ROSTER_COLUMNS = 12


@dataclass(frozen=True)
class RosterRow:
    """One accreditation as the reader sees it: every text already in the roster's language."""

    number: int
    name_original: str
    name_latin: str
    nationality: str
    sender: str
    mission: str
    role: str
    status: str
    badge_number: str | None
    decision_ref: str | None
    accredited_at: datetime | None
    document_number: str | None
    mission_slug: str


@dataclass(frozen=True)
class Count:
    label: str
    observers: int


@dataclass(frozen=True)
class Summary:
    """The tally as of an instant, counted by the tally engine: the roster prints it, never recounts it."""

    headline: str
    as_of: datetime
    by_sender_kind: tuple[Count, ...]
    by_sender: tuple[Count, ...]
    by_role: tuple[Count, ...]
    by_nationality: tuple[Count, ...]


@dataclass(frozen=True)
class Labels:
    """Every text of the workbook that does not come from the data, in one language (the service takes
    them from the translation catalogs)."""

    summary_sheet: str
    roster_sheet: str
    as_of: str
    time_zone: str
    by_sender_kind: str
    by_sender: str
    by_role: str
    by_nationality: str
    sender_kind: str
    observers: str
    total: str
    number: str
    name_original: str
    name_latin: str
    nationality: str
    sender: str
    mission: str
    role: str
    status: str
    badge_number: str
    decision_ref: str
    accredited_at: str
    document_number: str
    personal_data: str
    """The marking in every page's footer."""
    page_of: str
    """"Page %(page)s of %(pages)s": the printer fills in the numbers."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The roster's headers, in the order of `RosterRow`'s displayed fields."""
        return (
            self.number,
            self.name_original,
            self.name_latin,
            self.nationality,
            self.sender,
            self.mission,
            self.role,
            self.status,
            self.badge_number,
            self.decision_ref,
            self.accredited_at,
            self.document_number,
        )


def build_roster(
    summary: Summary,
    rows: Iterable[RosterRow],
    *,
    labels: Labels,
    time_zone: str,
    heading: Heading,
    per_mission: bool = False,
) -> bytes:
    """The .xlsx of `summary` and `rows` (read once, in the order given), with times in `time_zone`; every
    printed page is headed by `heading`.

    With `per_mission`, each row also goes to its mission's sheet in the same pass: every mission
    sheet stays open as its own temporary file until the end, so memory does not grow with the rows
    but one file handle is held per mission.
    """
    book = Workbook(write_only=True)
    use_body_style(book)
    try:
        _write_sheets(book, summary, rows, labels, time_zone, heading, per_mission)
    except BaseException:
        discard_unsaved(book)
        raise
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheets(
    book: Workbook,
    summary: Summary,
    rows: Iterable[RosterRow],
    labels: Labels,
    time_zone: str,
    heading: Heading,
    per_mission: bool,
) -> None:
    zone = ZoneInfo(time_zone)
    taken: set[str] = set()
    front = _new_sheet(book, labels.summary_sheet, taken)
    set_up_page(front, heading, labels.personal_data, labels.page_of, landscape=False, one_page=True)
    write_summary(front, summary, labels, zone, time_zone)
    widths = roster_widths(labels.columns)

    def roster_sheet(name: str) -> WriteOnlyWorksheet:
        sheet = _new_sheet(book, name, taken)
        set_up_page(sheet, heading, labels.personal_data, labels.page_of, landscape=True, one_page=False)
        return _prepare_roster_sheet(sheet, labels, widths)

    roster = roster_sheet(labels.roster_sheet)
    written = 0
    missions: dict[str, WriteOnlyWorksheet] = {}
    mission_rows: Counter[str] = Counter()
    for row in rows:
        height = row_height(zip(_texts(row), widths, strict=False))
        written += 1
        append_row(roster, written + 1, height, _row_values(roster, row, zone))
        if per_mission:
            sheet = missions.get(row.mission_slug)
            if sheet is None:
                sheet = missions[row.mission_slug] = roster_sheet(row.mission_slug)
            mission_rows[row.mission_slug] += 1
            # Fresh cells: openpyxl reuses an appended unstyled cell object for the next value in its row,
            # so cells already given to the roster sheet have been overwritten by now.
            append_row(sheet, mission_rows[row.mission_slug] + 1, height, _row_values(sheet, row, zone))
    # The filter is written after the rows, so it can cover exactly the rows that were streamed.
    _filter(roster, written)
    for slug, sheet in missions.items():
        _filter(sheet, mission_rows[slug])


def discard_unsaved(book: Workbook) -> None:
    """Close an unsaved workbook's sheets: each streams to a temporary file that would otherwise stay open, and on
    disk, until the process exits, which for the web service is never."""
    for sheet in book.worksheets:
        # The error that stopped the build is the one to report; a sheet that also fails to close adds nothing.
        with suppress(Exception):
            if not sheet.closed:
                sheet.close()
        # openpyxl removes a write-only sheet's file only when saving; there is no public way without saving.
        if sheet._writer is not None:
            sheet._writer.cleanup()


def _prepare_roster_sheet(sheet: WriteOnlyWorksheet, labels: Labels, widths: tuple[float, ...]) -> WriteOnlyWorksheet:
    """Widths and panes, then the header: write-only mode writes them before the first row."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    # The header row heads every printed page.
    sheet.print_title_rows = "1:1"
    headers = [cell(sheet, header, font=BOLD, alignment=WRAPPED) for header in labels.columns]
    append_row(sheet, 1, row_height(zip(labels.columns, widths, strict=True), bold=True), headers)
    return sheet


def _texts(row: RosterRow) -> tuple[str | None, ...]:
    """The row's texts in column order, for its height; the number and the time never wrap."""
    return (
        None,
        row.name_original,
        row.name_latin,
        row.nationality,
        row.sender,
        row.mission,
        row.role,
        row.status,
        row.badge_number,
        row.decision_ref,
        None,
        row.document_number,
    )


def _row_values(sheet: WriteOnlyWorksheet, row: RosterRow, zone: ZoneInfo) -> list[Any]:
    # Unstyled, each cell takes the workbook's default (use_body_style): long texts wrap inside their column rather
    # than run under the next one, which cuts them on paper, and every cell starts at the top, so a two-line name
    # stays level with its number.
    return [
        cell(sheet, row.number),
        cell(sheet, row.name_original),
        cell(sheet, row.name_latin),
        cell(sheet, row.nationality),
        cell(sheet, row.sender),
        cell(sheet, row.mission),
        cell(sheet, row.role),
        cell(sheet, row.status),
        cell(sheet, row.badge_number),
        cell(sheet, row.decision_ref),
        None if row.accredited_at is None else date_cell(sheet, row.accredited_at, zone),
        cell(sheet, row.document_number),
    ]


def _filter(sheet: WriteOnlyWorksheet, rows: int) -> None:
    last_column = get_column_letter(ROSTER_COLUMNS)
    sheet.auto_filter.ref = f"A1:{last_column}{rows + 1}"


def _new_sheet(book: Workbook, wanted: str, taken: set[str]) -> WriteOnlyWorksheet:
    """A sheet named as close to `wanted` as Excel allows, unlike any other (Excel ignores case here)."""
    base = SHEET_NAME_FORBIDDEN.sub("-", wanted).strip("'") or "-"
    name = base[:SHEET_NAME_LIMIT]
    suffix = 1
    while name.casefold() in taken:
        suffix += 1
        tail = f"~{suffix}"
        name = base[: SHEET_NAME_LIMIT - len(tail)] + tail
    taken.add(name.casefold())
    sheet: WriteOnlyWorksheet = book.create_sheet(name)
    return sheet
