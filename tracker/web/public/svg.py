"""The public page's day-by-day chart as inline SVG markup: drawn on the server, nothing loaded from outside,
no script. A pure function: points in, markup out.

The axes follow the bulletin's chart (`reports.charts`): the same round steps of whole observers and the same
day ticks, so the page and the PDF of one moment look alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from reports.charts import count_axis_top, day_ticks

# The drawing's own units; the page scales it to its width (CSS), so text is sized for a phone's width too.
WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 22, 12, 30
FONT_SIZE = 13
# Width a "dd.mm" label needs, with a gap, so that two day labels never touch.
DAY_LABEL_ROOM = FONT_SIZE * 3.8
INK = "#1f4e79"
GRID = "#d9d9d9"
TEXT = "#444"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def timeline_svg(
    points: Sequence[tuple[dt.date, int]], *, title: str, description: str, chart_id: str = "timeline"
) -> Markup:
    """A line through one vertex per point (day, accredited observers), days in order, with a grid of whole
    observers and day labels (dd.mm). `title` and `description` name the chart to screen readers; the page
    gives the figures as a table as well."""
    days = sorted(points)
    first, last = days[0][0].toordinal(), days[-1][0].toordinal()
    ticks = day_ticks(first, last)
    if first == last:
        # One day alone has no width: give it a day on either side so its vertex sits in the middle.
        first, last = first - 1, last + 1
    top, step = count_axis_top(max(observers for _, observers in days))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(ordinal: int) -> float:
        return LEFT + (ordinal - first) / (last - first) * plot_width

    def y(observers: int) -> float:
        return TOP + plot_height - observers / top * plot_height

    final = days[-1][0].toordinal()
    if ticks[-1] != final:
        # The last day is the one a reader looks for: label it, in place of a tick too close to share the room.
        ticks = [*ticks[:-1], final] if x(final) - x(ticks[-1]) < DAY_LABEL_ROOM else [*ticks, final]

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
    parts.append(f'</g><g fill="{TEXT}" text-anchor="end">')
    parts += [f'<text x="{LEFT - 6}" y="{_number(y(n) + FONT_SIZE * 0.35)}">{n}</text>' for n in levels]
    parts.append(f'</g><g fill="{TEXT}" text-anchor="middle">')
    baseline = HEIGHT - BOTTOM + FONT_SIZE + 6
    parts += [f'<text x="{_number(x(tick))}" y="{baseline}">{dt.date.fromordinal(tick):%d.%m}</text>' for tick in ticks]
    vertices = " ".join(f"{_number(x(day.toordinal()))},{_number(y(observers))}" for day, observers in days)
    last_day, last_observers = days[-1]
    parts += [
        "</g>",
        f'<polyline fill="none" stroke="{INK}" stroke-width="2" stroke-linejoin="round" points="{vertices}"/>',
        f'<circle fill="{INK}" r="3.5" cx="{_number(x(last_day.toordinal()))}" cy="{_number(y(last_observers))}"/>',
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 - every piece of text in it is escaped above
