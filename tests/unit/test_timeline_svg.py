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


def test_it_draws_one_vertex_per_day_in_order_with_higher_counts_higher() -> None:
    points = days(dt.date(2023, 2, 7), [0, 0, 25, 59, 62])
    svg = parsed(timeline_svg(list(reversed(points)), title="T", description="D"))

    line = svg.find(f"{SVG}polyline")
    assert line is not None
    vertices = [tuple(map(float, pair.split(","))) for pair in line.attrib["points"].split()]
    assert len(vertices) == 5
    assert [x for x, _ in vertices] == sorted(x for x, _ in vertices)
    assert vertices[0][1] == vertices[1][1] > vertices[2][1] > vertices[3][1] > vertices[4][1]
    assert svg.attrib["data-points"] == "5"


def test_it_is_named_for_screen_readers_and_escapes_the_text() -> None:
    markup = timeline_svg(days(dt.date(2023, 2, 7), [1, 2]), title="<b>Observers</b> & co", description='"D"')
    svg = parsed(markup)

    assert svg.attrib["role"] == "img"
    labelled_by = svg.attrib["aria-labelledby"].split()
    texts = {element.attrib.get("id"): element.text for element in svg if element.tag in (f"{SVG}title", f"{SVG}desc")}
    assert [texts[name] for name in labelled_by] == ["<b>Observers</b> & co", '"D"']
    assert "<b>" not in markup


def test_it_labels_the_axes_with_whole_observers_and_the_last_day() -> None:
    points = days(dt.date(2023, 1, 19), [0] * 21 + [25, 59, 59, 59, 62, 64, 72, 72, 72, 72, 72, 78, 81, 97])
    svg = parsed(timeline_svg(points, title="T", description="D"))

    labels = [text.text for text in svg.iter(f"{SVG}text")]
    assert labels[: labels.index("100") + 1] == ["0", "20", "40", "60", "80", "100"]
    assert labels[labels.index("100") + 1] == "19.01"
    assert labels[-1] == "22.02"


def test_one_day_or_nobody_still_makes_a_chart() -> None:
    markup = timeline_svg([(dt.date(2023, 1, 1), 0)], title="T", description="D")
    svg = parsed(markup)

    line = svg.find(f"{SVG}polyline")
    assert line is not None
    assert len(line.attrib["points"].split()) == 1
    assert "nan" not in markup
    assert re.search(r"<text [^>]*>01\.01</text>", markup)


def test_it_refers_to_nothing_outside() -> None:
    markup = timeline_svg(days(dt.date(2023, 1, 19), list(range(60))), title="T", description="D")

    assert "href" not in markup
    assert "src=" not in markup
    assert "url(" not in markup
    assert "style=" not in markup
