"""The roster's Summary sheet: the headline, the instant and the tally's tables, on one A4 page.

The tables stand in two columns, by kind of sender, by sender and by role on the left, by nationality on the
right: one under the other, the 2023 record's 85 lines only fitted the page squeezed to 5.4 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from reports.cells import cell
from reports.roster_print import (
    BODY_SIZE,
    BOLD,
    HEADLINE,
    HEADLINE_SIZE,
    TOP,
    WRAPPED,
    append_row,
    characters,
    date_cell,
    row_height,
)

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from reports.roster import Count, Labels, Summary

# Characters of the body font across a portrait A4 page between the margins (110), shared out: the left labels,
# a figure, a gap, the nationalities, a figure. Longer labels wrap.
LEFT_LIMIT, RIGHT_LIMIT, GAP = 48, 28, 2
# The instant's cell, "22.02.2023 21:13", shares the left figures' column: a number never wraps, it shows ###.
DATE_WIDTH = 16
# The right column's table starts level with the left column's first one, under the headline, instant and zone.
HEAD_ROWS = 4

Line = tuple[list[Any], float]
"""A half row of the Summary: its cells and the height they need."""


def write_summary(sheet: WriteOnlyWorksheet, summary: Summary, labels: Labels, zone: ZoneInfo, zone_name: str) -> None:
    left_width, figure_width, right_width = summary_widths(summary, labels)
    widths = (left_width, max(figure_width, DATE_WIDTH), GAP, right_width, figure_width)
    for letter, width in zip("ABCDE", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    one_line = float(row_height([]))
    left: list[Line] = [
        _title(sheet, summary.headline, left_width),
        # Every cell starts at the top, so a wrapped label stays level with its figure.
        ([cell(sheet, labels.as_of, font=BOLD, alignment=TOP), date_cell(sheet, summary.as_of, zone)], one_line),
        ([cell(sheet, labels.time_zone, font=BOLD, alignment=TOP), cell(sheet, zone_name, alignment=TOP)], one_line),
        ([], one_line),
    ]
    for heading, kind, counts in (
        (labels.by_sender_kind, labels.sender_kind, summary.by_sender_kind),
        (labels.by_sender, labels.sender, summary.by_sender),
        (labels.by_role, labels.role, summary.by_role),
    ):
        left += _table(sheet, labels, heading, kind, counts, left_width, figure_width)
        left.append(([], one_line))
    right: list[Line] = [([], 0.0)] * HEAD_ROWS
    right += _table(
        sheet, labels, labels.by_nationality, labels.nationality, summary.by_nationality, right_width, figure_width
    )
    for number, (one, other) in enumerate(zip_longest(left, right, fillvalue=([], 0.0)), start=1):
        values = [*one[0], *[None] * (2 - len(one[0])), None, *other[0]] if other[0] else one[0]
        append_row(sheet, number, f"{max(one[1], other[1]):.1f}", values)


def summary_widths(summary: Summary, labels: Labels) -> tuple[float, float, float]:
    """The left labels' column, the figures' and the nationalities': as wide as their longest text on one line,
    within the page."""
    left = [labels.as_of, labels.time_zone, labels.sender_kind, labels.sender, labels.role]
    left += [count.label for counts in (summary.by_sender_kind, summary.by_sender, summary.by_role) for count in counts]
    right = [labels.nationality, *(count.label for count in summary.by_nationality)]

    def widest(texts: Sequence[str], titles: Sequence[str], limit: int) -> float:
        wanted = [characters(text, BODY_SIZE, bold=True) for text in texts]
        wanted += [characters(title, HEADLINE_SIZE, bold=True) for title in titles]
        return min(max(12, *wanted), limit)

    left_width = widest(left, (labels.by_sender_kind, labels.by_sender, labels.by_role), LEFT_LIMIT)
    right_width = widest(right, (labels.by_nationality,), RIGHT_LIMIT)
    # The figures' header wraps between its words ("Байқаушылар / саны"), so the tables keep to the page.
    figure_width = max(8, *(characters(word, BODY_SIZE, bold=True) for word in labels.observers.split()))
    return left_width, figure_width, right_width


def _title(sheet: WriteOnlyWorksheet, text: str, width: float) -> Line:
    height = row_height([(text, width)], size=HEADLINE_SIZE, bold=True)
    return [cell(sheet, text, font=HEADLINE, alignment=WRAPPED)], float(height)


def _table(
    sheet: WriteOnlyWorksheet,
    labels: Labels,
    heading: str,
    kind: str,
    counts: Sequence[Count],
    width: float,
    figure_width: float,
) -> list[Line]:
    """A table's title, header, counts and total."""
    header = [
        cell(sheet, kind, font=BOLD, alignment=WRAPPED),
        cell(sheet, labels.observers, font=BOLD, alignment=WRAPPED),
    ]
    lines = [
        _title(sheet, heading, width),
        (header, float(row_height([(kind, width), (labels.observers, figure_width)], bold=True))),
    ]
    for count in counts:
        label = cell(sheet, count.label, alignment=WRAPPED)
        lines.append(([label, cell(sheet, count.observers, alignment=TOP)], float(row_height([(count.label, width)]))))
    total = sum(count.observers for count in counts)
    bold_total = [cell(sheet, labels.total, font=BOLD, alignment=TOP), cell(sheet, total, font=BOLD, alignment=TOP)]
    lines.append((bold_total, float(row_height([]))))
    return lines
