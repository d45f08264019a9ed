"""Writing cells that a spreadsheet program will never run as formulas."""

from __future__ import annotations

from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Text starting with these is a formula to Excel and LibreOffice (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@")


def cell(sheet: WriteOnlyWorksheet, value: Any, **style: Any) -> Any:
    """The value for a write-only sheet's row: risky text is stored as text, never as a formula."""
    risky = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if not risky and not style:
        return value
    written = WriteOnlyCell(sheet, value=None if risky else value)
    if risky:
        written.data_type = "s"
        # openpyxl has no public way to force a string cell.
        written._value = value
    for name, setting in style.items():
        setattr(written, name, setting)
    return written


def set_value(target: Cell, value: Any) -> None:
    """Put `value` in a worksheet's cell: risky text is stored as text, never as a formula."""
    target.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        target.data_type = "s"
