"""The public page's day-by-day chart as inline SVG markup: drawn on the server, nothing loaded from outside,
no script. A pure function: points in, markup out.

A day's figure is the count at its end: the line is drawn as steps, level through each day at that figure and
jumping at midnight, never as slopes that would show observers accredited at hours they were not. The chart starts
a few days before the first accreditation (the bulletin's LEAD_DAYS, so that the page and the PDF of one moment
start alike): weeks of zero while the window is open tell a reader nothing (the table under the chart keeps every
day). The grid counts whole observers in the bulletin's round steps (`reports.charts.count_axis_top`); the day
ticks fall at a regular interval.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise

from markupsafe import Markup, escape

from reports.charts import LEAD_DAYS, count_axis_top

# The drawing's own units; the page scales it to its width (CSS). Narrow enough that on a 390 px phone the text
# is drawn at about 12 px, and tall enough that a jump of a few observers is visible.
WIDTH, HEIGHT = 400, 280
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 12, 52
FONT_SIZE = 14
# Width a "dd.mm" label needs, with a gap, so that two day labels never touch.
DAY_LABEL_ROOM = FONT_SIZE * 3.8
# Intervals between day ticks, in days: the smallest that leaves every label its room is used.
TICK_DAYS = (1, 2, 3, 7, 14, 28, 56, 91, 182, 364)
INK = "#1f4e79"
GRID = "#d9d9d9"
TEXT = "#444"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def shown_days(points: Sequence[tuple[dt.date, int]]) -> list[tuple[dt.date, int]]:
    """The points the chart draws, in order: from LEAD_DAYS before the first day with observers (all of them
    when none has any)."""
    days = sorted(points)
    first_counted = next((day for day, observers in days if observers), None)
    if first_counted is None:
        return days
    start = first_counted - dt.timedelta(days=LEAD_DAYS)
    return [(day, observers) for day, observers in days if day >= start]


def timeline_svg(
    points: Sequence[tuple[dt.date, int]],
    *,
    title: str,
    description: str,
    x_title: str,
    y_title: str,
    chart_id: str = "timeline",
) -> Markup:
    """Steps through the points (day, accredited observers at its end), with a grid of whole observers, day labels
    (dd.mm) at a regular interval and the axes' titles. `title` and `description` name the chart to screen
    readers; the page gives the figures as a table as well."""
    days = shown_days(points)
    # Day `o` spans [x(o), x(o + 1)]: the axis runs from the first day's start to the last day's end.
    first, end = days[0][0].toordinal(), days[-1][0].toordinal() + 1
    top, step = count_axis_top(max(observers for _, observers in days))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(ordinal: float) -> float:
        return LEFT + (ordinal - first) / (end - first) * plot_width

    def y(observers: int) -> float:
        return TOP + plot_height - observers / top * plot_height

    day_width = plot_width / (end - first)
    every = next((n for n in TICK_DAYS if n * day_width >= DAY_LABEL_ROOM), TICK_DAYS[-1])
    ticks = range(first, end, every)

    title_id, description_id = f"{chart_id}-title", f"{chart_id}-description"
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(description_id)}" font-size="{FONT_SIZE}" '
        f'data-points="{len(days)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(description_id)}">{escape(description)}</desc>',
        f'<g stroke="{GRID}" stroke-width="1">',
    ]
    levels = range(0, top + 1, step)
    parts += [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_number(y(n))}" y2="{_number(y(n))}"/>' for n in levels]
    parts += [
        f'<line x1="{_number(x(t))}" x2="{_number(x(t))}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM + 4}"/>'
        for t in ticks
    ]
    parts.append(f'</g><g fill="{TEXT}" text-anchor="end">')
    parts += [f'<text x="{LEFT - 6}" y="{_number(y(n) + FONT_SIZE * 0.35)}">{n}</text>' for n in levels]
    parts.append(f'</g><g fill="{TEXT}" text-anchor="middle" data-ticks="{every}">')
    baseline = HEIGHT - BOTTOM + FONT_SIZE + 6
    parts += [f'<text x="{_number(x(t + 0.5))}" y="{baseline}">{dt.date.fromordinal(t):%d.%m}</text>' for t in ticks]
    # The axes' titles: the days under their labels, the count turned along the left edge.
    middle_y = TOP + plot_height / 2
    parts += [
        f'<text x="{_number(LEFT + plot_width / 2)}" y="{HEIGHT - 6}" data-axis="x">{escape(x_title)}</text>',
        f'<text x="{FONT_SIZE}" y="{_number(middle_y)}" transform="rotate(-90 {FONT_SIZE} {_number(middle_y)})" '
        f'data-axis="y">{escape(y_title)}</text>',
    ]
    # Level through each point's day (and any days sampled away after it), a jump at the next point's midnight.
    path = [f"M{_number(x(first))},{_number(y(days[0][1]))}"]
    for (_, before), (day, observers) in pairwise(days):
        if observers != before:
            path.append(f"H{_number(x(day.toordinal()))}V{_number(y(observers))}")
    path.append(f"H{_number(x(end))}")
    last_observers = days[-1][1]
    parts += [
        "</g>",
        f'<path fill="none" stroke="{INK}" stroke-width="2.5" stroke-linejoin="miter" d="{"".join(path)}"/>',
        f'<circle fill="{INK}" r="4" cx="{_number(x(end))}" cy="{_number(y(last_observers))}"/>',
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 - every piece of text in it is escaped above
