"""The public page's chart as SVG markup: points in, markup out, no database."""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree

from tracker.web.public.svg import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ElementTree.Element:
    # Inline SVG in HTML needs no namespace; a parser does.
    return ElementTree.fromstring(str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def days(first: dt.date, counts: list[int]) -> list[tuple[dt.date, int]]:
    return [(first + dt.timedelta(days=n), count) for n, count in enumerate(counts)]


def chart(points: list[tuple[dt.date, int]], **text: str) -> str:
    words = {"title": "T", "description": "D", "x_title": "Day", "y_title": "Observers"} | text
    return str(timeline_svg(points, **words))


def test_it_draws_steps_that_rise_with_the_counts_in_day_order() -> None:
    points = days(dt.date(2023, 2, 7), [0, 0, 25, 59, 62])
    svg = parsed(chart(list(reversed(points))))

    line = svg.find(f"{SVG}path")
    assert line is not None
    moves = re.findall(r"([MHV])([\d.,]+)", line.attrib["d"])
    assert moves[0][0] == "M"
    assert {kind for kind, _ in moves[1:]} == {"H", "V"}  # steps: no slopes
    heights = [float(value) for kind, value in moves if kind == "V"]
    assert heights == sorted(heights, reverse=True)  # each jump goes up (smaller y)
    assert len(heights) == 3  # the three days the count changed
    assert svg.attrib["data-points"] == "5"


def test_it_is_named_for_screen_readers_and_escapes_the_text() -> None:
    markup = chart(days(dt.date(2023, 2, 7), [1, 2]), title="<b>Observers</b> & co", description='"D"')
    svg = parsed(markup)

    assert svg.attrib["role"] == "img"
    labelled_by = svg.attrib["aria-labelledby"].split()
    texts = {element.attrib.get("id"): element.text for element in svg if element.tag in (f"{SVG}title", f"{SVG}desc")}
    assert [texts[name] for name in labelled_by] == ["<b>Observers</b> & co", '"D"']
    assert "<b>" not in markup


def test_it_starts_shortly_before_the_first_accreditation_and_titles_its_axes() -> None:
    points = days(dt.date(2023, 1, 19), [0] * 21 + [25, 59, 59, 59, 62, 64, 72, 72, 72, 72, 72, 78, 81, 97])
    svg = parsed(chart(points, x_title="День", y_title="Аккредитовано"))

    labels = [text.text for text in svg.iter(f"{SVG}text") if "data-axis" not in text.attrib]
    assert labels[: labels.index("100") + 1] == ["0", "20", "40", "60", "80", "100"]
    assert labels[labels.index("100") + 1] == "06.02"  # three days before 09.02, not the window's 19.01
    axes = {text.attrib["data-axis"]: text.text for text in svg.iter(f"{SVG}text") if "data-axis" in text.attrib}
    assert axes == {"x": "День", "y": "Аккредитовано"}


def test_one_day_or_nobody_still_makes_a_chart() -> None:
    markup = chart([(dt.date(2023, 1, 1), 0)])
    svg = parsed(markup)

    assert svg.find(f"{SVG}path") is not None
    assert "nan" not in markup
    assert re.search(r"<text [^>]*>01\.01</text>", markup)


def test_it_refers_to_nothing_outside() -> None:
    markup = chart(days(dt.date(2023, 1, 19), list(range(60))))

    assert "href" not in markup
    assert "src=" not in markup
    assert "url(" not in markup
    assert "style=" not in markup
