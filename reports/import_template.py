"""The workbook a mission can fill in: the expected columns, and a sheet of notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class TemplateColumn:
    title: str
    required: bool
    note: str
    example: str


def build_import_template(columns: Sequence[TemplateColumn], *, notes_title: str, heading: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "List"
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index, value=column.title + (" *" if column.required else ""))
        header.font = Font(bold=True)
        example = sheet.cell(row=2, column=index, value=column.example)
        example.number_format = "@"
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.title) + 4)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(notes_title)
    notes.append([heading])
    notes["A1"].font = Font(bold=True)
    notes.append([])
    for column in columns:
        notes.append([column.title, column.note])
    notes.column_dimensions["A"].width = 32
    notes.column_dimensions["B"].width = 100
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
