"""The bulletin's timeline as steps with titled axes, a draft's marks on every page, and the QR code never alone."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from itertools import pairwise

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import String

from reports.bulletin import NewsLink, build_bulletin
from reports.charts import LEAD_DAYS, day_ticks, timeline
from tests.unit.test_bulletin import make_bulletin, page_texts, with_many_senders

FIRST = date(2023, 1, 19)  # the window opens; the first observer is accredited weeks later
DAYS = [FIRST + timedelta(days=n) for n in range(37)]
COUNTS = [0] * 21 + [25, 25, 59, 59, 59, 62, 64, 72, 72, 72, 72, 72, 78, 81, 97, 97]
AXES = ("Дата / Күні", ("Аккредитовано наблюдателей", "Аккредиттелген байқаушылар"))


def plotted() -> tuple[list[tuple[int, int]], list[str]]:
    chart = timeline(DAYS, COUNTS, 480, AXES)
    plot = next(shape for shape in chart.contents if isinstance(shape, LinePlot))
    return list(plot.data[0]), [shape.text for shape in chart.contents if isinstance(shape, String)]


def test_the_timeline_is_drawn_in_steps_that_jump_at_midnight() -> None:
    points, _ = plotted()

    for (x0, y0), (x1, y1) in pairwise(points):
        assert x0 == x1 or y0 == y1  # flat within a day, upright at midnight: never a slope
        assert x1 >= x0
    first_accredited = FIRST.toordinal() + 21
    assert points[0] == (first_accredited - LEAD_DAYS, 0)  # a few days of zeros, not the three weeks before
    assert (first_accredited, 25) in points
    assert (first_accredited + 1, 25) in points
    assert points[-1] == (DAYS[-1].toordinal() + 1, 97)


def test_the_timeline_titles_its_axes_in_each_language() -> None:
    _, titles = plotted()

    assert titles == ["Дата / Күні", "Аккредитовано наблюдателей", "Аккредиттелген байқаушылар"]


def test_date_ticks_are_evenly_spaced_whole_days() -> None:
    for first, last in ((0, 5), (0, 16), (0, 40), (0, 200)):
        ticks = day_ticks(first, last)
        steps = {b - a for a, b in pairwise(ticks)}
        assert len(steps) == 1
        assert steps <= {1, 2, 3, 7, 14, 28, 56}
        assert len(ticks) <= 8


def test_a_draft_is_marked_on_every_page_in_each_language() -> None:
    pages = page_texts(
        build_bulletin(dataclasses.replace(with_many_senders(), draft=True, draft_mark=("ЧЕРНОВИК", "ЖОБА")))
    )

    assert len(pages) > 2
    assert all("ЧЕРНОВИК / ЖОБА" in page for page in pages)


def test_a_published_bulletin_carries_no_draft_mark() -> None:
    pages = page_texts(build_bulletin(dataclasses.replace(with_many_senders(), draft_mark=("ЧЕРНОВИК", "ЖОБА"))))

    assert not any("ЧЕРНОВИК" in page for page in pages)


def test_the_qr_code_keeps_company_on_the_last_page() -> None:
    # 15 and 16 news items leave no room for the QR code on the page of the last one: it takes the item along.
    for count in range(14, 17):
        news = tuple(NewsLink(f"News item number {n}", "Kazinform", "22.02.2023", None) for n in range(count))
        last_page = page_texts(build_bulletin(make_bulletin(news=news)))[-1]
        assert f"News item number {count - 1}" in last_page
