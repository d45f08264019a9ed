"""What every kind of list file shares: its limits, its errors, and the rows it streams."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Final

from tracker.errors import InvalidInput

SEND_INSTEAD: Final = 'Send the list as an Excel workbook (.xlsx) or as "CSV UTF-8" (.csv).'
SAVE_AGAIN: Final = (
    'Open it in Excel, save it again as "Excel Workbook (.xlsx)" and send that file, or send it as CSV UTF-8.'
)
COPY_INTO_NEW: Final = "Copy the list into a new workbook and send that, or send it as CSV UTF-8."


class SpreadsheetError(InvalidInput):
    """The uploaded file cannot be used as a list of observers; the message says what to send instead."""

    def __init__(self, message: str, *, field: str = "file") -> None:
        prefix = f"{field}: "
        super().__init__(message if message.startswith(prefix) else prefix + message, field=field)


@dataclass(frozen=True)
class Limits:
    """How much one file may make the server do. Each is checked as the file is read, when it is reached,
    so a hostile file is stopped after a bounded amount of work whatever it claims about itself."""

    max_bytes: int = 10 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    # The parts of a workbook that are parsed whole (its manifest, list of sheets, relationships, styles).
    max_part_bytes: int = 4 * 1024 * 1024
    # The workbook's shared table of distinct strings is held in memory while its sheet is read: its size
    # and its number of strings (each costs some 50 bytes beside its text) bound that memory.
    max_shared_strings_bytes: int = 32 * 1024 * 1024
    max_strings: int = 1_000_000
    max_rows: int = 200_000
    max_columns: int = 100
    # Every cell element counts, empty ones too: a row padded with 16,384 styled empty cells costs as much.
    max_cells: int = 3_000_000
    # A name, a document number or an address is never longer; Excel itself stops at 32,767.
    max_cell_characters: int = 10_000
    # One pass over the file (reading it and checking its rows) may take this long on the server; the limits
    # above stop a hostile file far sooner, this stops whatever they did not foresee.
    max_seconds: float = 30.0


class UnsavedFormula:
    """A cell holding a formula whose result was never saved (files written by scripts, not by Excel): its
    value is unknown here, since formulas are never run. Reads as empty text; the import flags it."""

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "UNSAVED_FORMULA"


UNSAVED_FORMULA: Final = UnsavedFormula()


class Table:
    """An opened spreadsheet whose rows can be streamed from the start any number of times."""

    def __init__(self, file_format: str, stream: Callable[[], Iterator[tuple[object, ...]]]) -> None:
        self.file_format = file_format
        self._stream = stream

    def rows(self) -> Iterator[tuple[object, ...]]:
        """Every row of the first worksheet (or of the CSV file) as cell values: str (stripped, never empty),
        int, float, bool, datetime.date/datetime.datetime, UNSAVED_FORMULA (a formula with no saved result)
        or None, at most `max_columns` of them, trailing empty cells trimmed (a blank row is `()`). Streamed;
        raises SpreadsheetError when a limit is reached or the file turns out to be damaged further in."""
        return self._stream()


class Deadline:
    """The time one pass over a file may take; checked as it goes, from whichever thread reads the file."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.seconds = limits.max_seconds
        self.ends = time.monotonic() + limits.max_seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise SpreadsheetError(
                f"reading {self.name} took longer than the {self.seconds:g} seconds one file may take, so it was "
                "stopped. A list of observers is read far faster: the file is padded or damaged. "
                f"{COPY_INTO_NEW}"
            )


def too_long_cell(where: str, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"{where} holds more than {limits.max_cell_characters:,} characters in one cell; no name, document or "
        "address is that long. Check that cell, or copy the list into a new workbook, and send it again."
    )


def display_name(filename: str) -> str:
    # Browsers on Windows may send the whole path; the clerk knows the file by its last part.
    base = PureWindowsPath(filename or "").name.strip()
    if not base:
        return "the file"
    return f'"{base[:77]}..."' if len(base) > 80 else f'"{base}"'


def megabytes(size: int, up: bool = False) -> str:
    # Rounded up when over a limit, so that 10 MB and 3 bytes never reads "10 MB, the limit is 10 MB".
    tenths = size * 10 / (1024 * 1024)
    return f"{(math.ceil(tenths) if up else round(tenths)) / 10:.1f}".removesuffix(".0")


def clean_row(values: Sequence[object]) -> tuple[object, ...]:
    """Values as `Table.rows` promises them: stripped text, trailing empty cells trimmed."""
    end = len(values)
    if values.count(None) == end:
        return ()
    while values[end - 1] is None:
        end -= 1
    row = [clean_value(value) for value in values[:end]]
    while row and row[-1] is None:
        row.pop()
    return tuple(row)


def clean_value(value: object) -> object:
    if value is None or value is UNSAVED_FORMULA or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)
