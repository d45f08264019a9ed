"""The uploaded list given back with an "errors" column, so the mission can correct it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from reports.cells import cell

ERROR_FILL = PatternFill("solid", start_color="FFF2CC")


def build_error_report(
    header: Sequence[Any],
    rows: Iterable[tuple[int, Sequence[Any]]],
    problems: Mapping[int, Sequence[str]],
    *,
    errors_title: str = "errors",
) -> bytes:
    """An .xlsx of `rows` (spreadsheet row number, values) under `header`, each with its problems."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Checked")
    sheet.freeze_panes = "A2"
    width = len(header)
    title = [cell(sheet, value) for value in header] + [errors_title]
    sheet.append(title)
    for number, values in rows:
        padded = list(values)[:width] + [None] * (width - len(values))
        found = problems.get(number, ())
        line = [cell(sheet, value) for value in padded]
        if found:
            line.append(cell(sheet, "; ".join(found), fill=ERROR_FILL, font=Font(bold=True)))
        sheet.append(line)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
