"""The bulletin's two charts, drawn with reportlab.graphics: observers by sender, and the running total by day.

Every label is set in DejaVu Sans (the charts' own default is Helvetica, which has no Cyrillic), and the
axes count whole observers: a tick at 2.5 observers would read as a mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import cycle

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import REGULAR

INK = colors.HexColor("#1f4e79")
LABEL_SIZE = 7
# Points of height per sender; fewer when there are so many senders that the chart would leave the page.
BAR_PITCH = 14
BARS_HEIGHT_LIMIT = 560
TIMELINE_HEIGHT = 170
TIMELINE_TICKS = 8


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
    label_room = min(width * 0.3, max(stringWidth(label, REGULAR, LABEL_SIZE) for label in labels) + 8)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_room, 18
    chart.width, chart.height = width - label_room - 24, pitch * len(labels)
    chart.data = [tuple(observers)]
    chart.bars[0].fillColor = INK
    chart.bars[0].strokeColor = None
    chart.barSpacing = 0
    chart.groupSpacing = pitch * 0.3

    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
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
    """At most TIMELINE_TICKS whole days, evenly spread from the first to the last."""
    step = max(1, -(-(last - first) // (TIMELINE_TICKS - 1)))
    return list(range(first, last + 1, step))


def timeline(days: Sequence[date], observers: Sequence[int], width: float) -> Drawing:
    """Accredited observers at the end of each day, as a line with a dot per reported day (at least one day)."""
    points = sorted(zip((day.toordinal() for day in days), observers, strict=True))
    first, last = points[0][0], points[-1][0]
    if first == last:
        # One day alone has no width: give it a day on either side so its dot sits in the middle.
        first, last = first - 1, last + 1

    chart = LinePlot()
    chart.x, chart.y = 36, 22
    chart.width, chart.height = width - 56, TIMELINE_HEIGHT - 34
    chart.data = [points]
    chart.lines[0].strokeColor = INK
    chart.lines[0].strokeWidth = 1.5
    chart.lines[0].symbol = makeMarker("FilledCircle", size=3, fillColor=INK, strokeColor=INK)

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

    line = drawing(width, TIMELINE_HEIGHT)
    line.add(chart)
    return line
