"""The bulletin's two charts, drawn with reportlab.graphics: observers by sender, and the running total by day.

Every label is set in DejaVu Sans (the charts' own default is Helvetica, which has no Cyrillic) or, for a
sender named in another script, in that script's font; and the axes count whole observers: a tick at 2.5
observers would read as a mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import cycle

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import REGULAR
from reports.scripts import in_one_face

INK = colors.HexColor("#1f4e79")
LABEL_SIZE = 7
# Points of height per sender; fewer when there are so many senders that the chart would leave the page.
BAR_PITCH = 14
LABEL_SHARE = 0.45  # of the chart's width, at most, for the senders' names
BARS_HEIGHT_LIMIT = 560
TIMELINE_HEIGHT = 170
TIMELINE_TICKS = 8
# Days drawn before the first accreditation: enough to see the count start from zero.
LEAD_DAYS = 3


def drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose starting font is DejaVu: left alone, rendering it sets Helvetica first."""
    return Drawing(width, height, initialFontName=REGULAR)


def whole_step(largest: int, ticks: int = 6) -> int:
    """A round step (1, 2, 5, 10, 20, 50, ...) that covers `largest` in at most `ticks` ticks."""
    step, factors = 1, cycle((2, 2.5, 2))
    while step * ticks < largest:
        step = round(step * next(factors))
    return step


def count_axis_top(largest: int) -> tuple[int, int]:
    """The axis maximum and step for counts up to `largest`; an axis of zeros still needs a height."""
    step = whole_step(max(largest, 1))
    top = -(-max(largest, 1) // step) * step
    return top, step


def sender_bars(labels: Sequence[str], observers: Sequence[int], width: float) -> Drawing:
    """Horizontal bars, first sender on top, each with its count at the end of the bar (at least one sender)."""
    pitch = min(BAR_PITCH, BARS_HEIGHT_LIMIT / len(labels))
    faces = [in_one_face(label) for label in labels]
    widest = max(stringWidth(drawn, face, LABEL_SIZE) for face, drawn in faces) + 8
    label_room = min(width * LABEL_SHARE, widest)
    # Names in three languages can be long: smaller letters rather than labels running off the page.
    label_size = LABEL_SIZE * min(1.0, label_room / widest)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_room, 18
    chart.width, chart.height = width - label_room - 24, pitch * len(labels)
    chart.data = [tuple(observers)]
    chart.bars[0].fillColor = INK
    chart.bars[0].strokeColor = None
    chart.barSpacing = 0
    chart.groupSpacing = pitch * 0.3

    chart.categoryAxis.categoryNames = [drawn for _, drawn in faces]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = REGULAR
    # The axis styles its labels by position, and positions run bottom-up: the first sender is the last.
    for position, (face, _) in enumerate(reversed(faces)):
        chart.categoryAxis.labels[position].fontName = face
    chart.categoryAxis.labels.fontSize = label_size
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4

    top, step = count_axis_top(max(observers))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.lightgrey

    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3

    bars = drawing(width, chart.height + 30)
    bars.add(chart)
    return bars


def day_label(ordinal: float) -> str:
    # Day first, as the commission writes dates, the same in every language.
    return date.fromordinal(int(ordinal)).strftime("%d.%m")


def day_ticks(first: int, last: int) -> list[int]:
    """Whole days at a regular step (1, 2 or 3 days, a week, two, four...), at most TIMELINE_TICKS of them."""
    steps = (1, 2, 3, 7, 14, 28)
    step = next((days for days in steps if (last - first) // days < TIMELINE_TICKS), None)
    if step is None:
        step = 28 * -(-(last - first) // (28 * (TIMELINE_TICKS - 1)))
    return list(range(first, last + 1, step))


def step_points(days: Sequence[date], observers: Sequence[int]) -> list[tuple[int, int]]:
    """The running total as steps, from LEAD_DAYS before the first accreditation: a day's count holds from its
    midnight to the next, where it jumps. Weeks of zeros before the first accreditation are left out."""
    counts = sorted(zip((day.toordinal() for day in days), observers, strict=True))
    first_counted = next((day for day, count in counts if count), counts[-1][0])
    counts = [(day, count) for day, count in counts if day >= first_counted - LEAD_DAYS]
    points: list[tuple[int, int]] = []
    for day, count in counts:
        if points:
            points.append((day, points[-1][1]))  # the previous count holds until this day's midnight
        points += [(day, count), (day + 1, count)]
    return points


def timeline(
    days: Sequence[date], observers: Sequence[int], width: float, axes: tuple[str, Sequence[str]] = ("", ())
) -> Drawing:
    """Accredited observers at the end of each day, as steps (at least one day). `axes` titles the axes: the
    dates' in one line, the counts' in one line per language, set above the count axis."""
    date_title, count_titles = axes
    points = step_points(days, observers)
    first, last = points[0][0], points[-1][0]
    above = LABEL_SIZE + 3
    top_room = above * len(count_titles) + 4

    chart = LinePlot()
    chart.x, chart.y = 36, 34
    chart.width, chart.height = width - 56, TIMELINE_HEIGHT - chart.y - 12
    chart.data = [points]
    chart.lines[0].strokeColor = INK
    chart.lines[0].strokeWidth = 1.5

    x_axis = chart.xValueAxis
    x_axis.valueMin, x_axis.valueMax = first, last
    x_axis.valueSteps = day_ticks(first, last)
    x_axis.labelTextFormat = day_label
    x_axis.labels.fontName = REGULAR
    x_axis.labels.fontSize = LABEL_SIZE

    top, step = count_axis_top(max(observers))
    chart.yValueAxis.valueMin, chart.yValueAxis.valueMax, chart.yValueAxis.valueStep = 0, top, step
    chart.yValueAxis.labels.fontName = REGULAR
    chart.yValueAxis.labels.fontSize = LABEL_SIZE
    chart.yValueAxis.visibleGrid = True
    chart.yValueAxis.gridStrokeColor = colors.lightgrey

    line = drawing(width, TIMELINE_HEIGHT + top_room)
    line.add(chart)
    line.add(
        String(chart.x + chart.width / 2, 6, date_title, fontName=REGULAR, fontSize=LABEL_SIZE, textAnchor="middle")
    )
    for number, title in enumerate(count_titles):
        y = TIMELINE_HEIGHT + top_room - above * (number + 1)
        line.add(String(chart.x - 30, y, title, fontName=REGULAR, fontSize=LABEL_SIZE))
    return line
