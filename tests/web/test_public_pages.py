"""The public election and home pages without a browser: the tally engine's figures, an inline chart that loads
nothing, clear error pages, language links that keep the moment, and no personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import RITA, sign_in
from tests.published import PUBLISHED_2023
from tracker.app import create_app
from tracker.settings import Settings

HTML = {"accept": "text/html"}
PAGE = "/elections/majilis-2023"
TALLY = "/api/elections/majilis-2023/tally"
KAZINFORM = "2023-02-22T21:13"
# The accreditation window opens on 19 January 2023 (Astana time): 19 January to 22 February is 35 days.
DAYS_TO_KAZINFORM = 35
DAYS_TO_VOTING_DAY = 60
KINDS = {
    "foreign_state": "Foreign state",
    "international_organization": "International organization",
    "domestic_organization": "Domestic organization",
}


class Tables(HTMLParser):
    """The page's tables that carry `data-table`, as rows of (the row's attributes, its cells' text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[dict[str, str | None], list[str]]]] = {}
        self.counts: dict[str, str] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._count: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("data-table"):
            self._table = found["data-table"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append((found, []))
        elif tag in ("td", "th") and self._table and self.tables[self._table]:
            self._cell = []
        if "data-count" in found:
            self._count = found["data-count"]
            self.counts[self._count] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1][1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "td":
            self._count = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._count is not None:
            self.counts[self._count] += data.strip()


def tables_of(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def chart_of(html: str) -> str:
    found = re.search(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert found, "the page has no inline SVG"
    return found.group(0)


def steps(svg: str) -> list[tuple[str, float]]:
    """The line's path data as (command, value): M's two values as ("M", x) and ("M", y), then H and V only."""
    path = re.search(r'<path[^>]* d="([^"]*)"', svg)
    assert path, "the chart has no line"
    commands = re.findall(r"([A-Za-z])([^A-Za-z]*)", path.group(1))
    assert commands[0][0] == "M"
    x, y = commands[0][1].split(",")
    return [("M", float(x)), ("M", float(y))] + [(command, float(value)) for command, value in commands[1:]]


def shown_points(svg: str) -> int:
    found = re.search(r'data-points="(\d+)"', svg)
    assert found
    return int(found.group(1))


def body(rows: list[tuple[dict[str, str | None], list[str]]]) -> list[tuple[dict[str, str | None], list[str]]]:
    """A table's rows under its header, its totals row left out."""
    return [(attrs, cells) for attrs, cells in rows[1:] if "data-total" not in attrs]


def total(rows: list[tuple[dict[str, str | None], list[str]]]) -> list[str]:
    [cells] = [cells for attrs, cells in rows if "data-total" in attrs]
    return cells[1:]


@pytest.mark.parametrize("as_of", [row[0] for row in PUBLISHED_2023] + ["2023-03-13T18:00", "2023-01-01"])
def test_the_tables_have_the_tally_engines_figures(client: TestClient[Litestar], as_of: str) -> None:
    expected = client.get(TALLY, params={"as_of": as_of}).json()
    page = client.get(PAGE, params={"as_of": as_of}, headers=HTML)

    assert page.status_code == 200
    tables = tables_of(page.text)
    assert tables.counts == {
        key: str(expected[key]) for key in ("observers", "countries", "organizations", "nominated")
    }
    assert f'<p class="headline" data-headline>{expected["headline"]}</p>' in page.text
    by_kind = {attrs["data-kind"]: int(cells[1]) for attrs, cells in body(tables.tables["by-kind"])}
    assert by_kind == expected["by_sender_kind"]
    if not expected["by_sender"]:
        assert tables.tables["by-sender"][1:] == [({}, ["No accredited observers at this moment."])]
        return
    by_sender = [
        (attrs["data-sender"], attrs["data-kind"], cells[0], int(cells[1]), int(cells[2]))
        for attrs, cells in body(tables.tables["by-sender"])
    ]
    assert by_sender == [
        (
            sender["code"],
            sender["kind"],
            f"{sender['name']} {KINDS[sender['kind']]}",
            sender["observers"],
            sender["nominated"],
        )
        for sender in expected["by_sender"]
        if sender["observers"] or sender["nominated"]
    ]
    by_role = {attrs["data-role"]: int(cells[1]) for attrs, cells in body(tables.tables["by-role"])}
    assert by_role == {row["role"]: row["observers"] for row in expected["by_role"]}


def test_the_page_says_the_instant_it_counts_at_and_links_back_to_now(client: TestClient[Litestar]) -> None:
    page = client.get(PAGE, params={"as_of": "2023-02-22 21:13"}, headers=HTML).text

    assert '<time datetime="2023-02-22T21:13:00+06:00" data-as-of>22 February 2023, 21:13</time>' in page
    assert f'<a href="{PAGE}" data-now>' in page
    assert 'name="as_of" value="2023-02-22 21:13"' in page
    assert "data-now" not in client.get(PAGE, headers=HTML).text


def test_the_chart_is_inline_svg_that_loads_nothing(client: TestClient[Litestar]) -> None:
    page = client.get(PAGE, params={"as_of": KAZINFORM}, headers=HTML).text
    svg = chart_of(page)

    for outside in ('href="http', "href='http", "src=", "url(", "<script", "<image", "<use", "@import", "xlink:href"):
        assert outside not in svg
    assert "<script" not in page
    assert ' style="' not in page
    assert 'role="img"' in svg
    assert '<title id="timeline-title">Accredited international observers, day by day</title>' in svg
    assert "19 January 2023 – 22 February 2023. On the last day: 97" in svg


def test_the_chart_draws_steps_from_shortly_before_the_first_accreditation(client: TestClient[Litestar]) -> None:
    page = client.get(PAGE, params={"as_of": KAZINFORM}, headers=HTML).text
    svg = chart_of(page)
    rows = tables_of(page).tables["timeline"][1:]

    # The table keeps every day of the window; the chart starts three days before the first accreditation (9
    # February, after 20 days of zero): 6 to 22 February.
    assert len(rows) == DAYS_TO_KAZINFORM
    assert rows[20][1] == ["8 February 2023, 23:59", "0"]
    assert rows[21][1] == ["9 February 2023, 23:59", "25"]
    assert shown_points(svg) == DAYS_TO_KAZINFORM - 18
    line = steps(svg)
    # Steps: level through a day (H), a jump at its end (V), never a slope; time runs to the right.
    assert [command for command, _ in line[2:]] == ["H", "V"] * ((len(line) - 3) // 2) + ["H"]
    across = [value for command, value in line if command == "H"]
    assert across == sorted(across)
    # A jump for each day whose figure differs from the day before's; higher counts are drawn higher.
    figures = [int(cells[1]) for _, cells in rows[18:]]
    jumps = [value for command, value in line if command == "V"]
    assert len(jumps) == sum(1 for before, after in pairwise(figures) if after != before)
    assert line[1][1] > jumps[0] > jumps[-1]
    # The axes have titles, and the day labels fall at a regular interval.
    assert '<text x="221" y="274" data-axis="x">Day</text>' in svg
    assert re.search(r'transform="rotate\(-90 [^"]*\)" data-axis="y">Accredited observers</text>', svg)
    ticks = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="248">\d\d\.\d\d</text>', svg)]
    gaps = {round(b - a) for a, b in pairwise(ticks)}
    assert len(ticks) > 3
    assert len(gaps) == 1


def test_the_chart_of_now_runs_to_voting_day_and_ends_at_the_headline(client: TestClient[Litestar]) -> None:
    now = client.get(TALLY).json()
    page = client.get(PAGE, headers=HTML).text
    rows = tables_of(page).tables["timeline"][1:]

    assert len(rows) == DAYS_TO_VOTING_DAY
    # From 6 February, three days before the first accreditation, to voting day.
    assert shown_points(chart_of(page)) == DAYS_TO_VOTING_DAY - 18
    assert rows[-1][1] == ["19 March 2023, 23:59", str(now["observers"])]


def test_a_moment_before_the_window_opens_is_one_point_at_zero(client: TestClient[Litestar]) -> None:
    page = client.get(PAGE, params={"as_of": "2023-01-01"}, headers=HTML)

    assert page.status_code == 200
    assert shown_points(chart_of(page.text)) == 1
    assert [command for command, _ in steps(chart_of(page.text))] == ["M", "M", "H"]
    assert "No accredited observers at this moment." in page.text


def test_a_moment_written_day_first_is_read_and_shown_back_as_the_language_writes_it(
    client: TestClient[Litestar],
) -> None:
    page = client.get(PAGE, params={"as_of": "22.02.2023 21:13", "lang": "ru"}, headers=HTML).text

    counts = tables_of(page).counts
    assert (counts["observers"], counts["countries"], counts["organizations"]) == ("97", "11", "3")
    assert '<time datetime="2023-02-22T21:13:00+06:00" data-as-of>22 февраля 2023, 21:13</time>' in page
    assert 'name="as_of" value="22.02.2023 21:13"' in page
    # A date alone is shown as that day, the one the figures are counted to the end of.
    assert 'name="as_of" value="15.02.2023"' in client.get(PAGE, params={"as_of": "2023-02-15", "lang": "ru"}).text


@pytest.mark.parametrize("as_of", ["22/02/2023", "2023-02-30"])
def test_a_bad_as_of_keeps_the_page_and_the_form_with_the_message_under_the_field(
    client: TestClient[Litestar], as_of: str
) -> None:
    response = client.get(PAGE, params={"as_of": as_of, "lang": "ru"}, headers=HTML)

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="ru">' in response.text
    assert "<h1>400</h1>" not in response.text
    assert "data-headline" in response.text
    assert f'name="as_of" value="{as_of}"' in response.text
    assert 'aria-describedby="as-of-hint as-of-error" aria-invalid="true"' in response.text
    error = re.search(r'<p id="as-of-error" class="error" data-error="as_of">([^<]*)</p>', response.text)
    assert error, "no message under the field"
    assert error.group(1).startswith(f"&#39;{as_of}&#39; — не дата и не дата со временем: пишите 22.02.2023 21:13 или")


def test_an_unknown_election_is_a_404_page(client: TestClient[Litestar]) -> None:
    response = client.get("/elections/majilis-1999", headers=HTML)

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    # Said in words, with a way back; not the record's internal name.
    assert "Page not found" in response.text
    assert 'href="/"' in response.text
    assert "unknown election" not in response.text


@pytest.mark.parametrize(
    ("lang", "headline"),
    [
        ("ru", "97 международных наблюдателей из 11 стран и 3 международных организаций"),
        ("kk", "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы"),
    ],
)
def test_the_page_speaks_the_chosen_language(client: TestClient[Litestar], lang: str, headline: str) -> None:
    page = client.get(PAGE, params={"as_of": KAZINFORM, "lang": lang}, headers=HTML).text

    assert f'<html lang="{lang}">' in page
    assert f'<p class="headline" data-headline>{headline}</p>' in page
    assert f'<strong lang="{lang}" aria-current="true">' in page


def test_the_language_links_keep_the_moment(client: TestClient[Litestar]) -> None:
    page = client.get(PAGE, params={"as_of": "2023-02-22 21:13", "lang": "ru"}, headers=HTML).text

    links = re.findall(r'<a href="([^"]*)" lang="(\w+)" hreflang="(\w+)">', page)
    assert links == [
        ("?as_of=2023-02-22+21%3A13&amp;lang=en", "en", "en"),
        ("?as_of=2023-02-22+21%3A13&amp;lang=kk", "kk", "kk"),
    ]
    followed = client.get(PAGE, params={"as_of": "2023-02-22 21:13", "lang": "kk"}, headers=HTML).text
    assert "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы" in followed


def test_a_staff_page_keeps_its_query_when_the_language_changes(client: TestClient[Litestar]) -> None:
    page = client.get("/staff/sign-in", params={"next": "/staff/audit"}, headers=HTML)

    assert page.status_code == 200
    assert '<a href="?next=%2Fstaff%2Faudit&amp;lang=ru" lang="ru" hreflang="ru">' in page.text


def test_the_home_page_links_each_election_with_its_figures_now(client: TestClient[Litestar]) -> None:
    now = client.get(TALLY).json()
    page = client.get("/", headers=HTML).text

    assert f'<a href="{PAGE}">' in page
    assert f'<p class="headline">{now["headline"]}</p>' in page
    assert tables_of(page).counts == {
        key: str(now[key]) for key in ("observers", "countries", "organizations", "nominated")
    }
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:[\d.]+\+0[56]:00" data-as-of>', page)


@pytest.fixture
def registrar(demo_db: str) -> Iterator[TestClient[Litestar]]:
    """Rita, signed in on an app of her own: the public pages are read by a client that never signed in."""
    with TestClient(app=create_app(Settings(database_url=demo_db))) as other:
        sign_in(other, RITA)
        yield other


def test_no_observer_is_named_on_the_public_pages(
    client: TestClient[Litestar], registrar: TestClient[Litestar]
) -> None:
    people: list[dict[str, Any]] = registrar.get(
        "/api/elections/majilis-2023/accreditations", params={"limit": 500}
    ).json()["items"]
    pages = [client.get("/", headers=HTML).text] + [
        client.get(PAGE, params={"as_of": as_of, "lang": lang}, headers=HTML).text
        for as_of in ("", KAZINFORM, "2023-02-13T13:44")
        for lang in ("en", "ru", "kk")
    ]
    text = "\n".join(pages)

    assert len(people) > 100
    named = [row["name_latin"] for row in people if row["name_latin"] in text or row["name_original"] in text]
    assert named == []
    badges = [row["badge_number"] for row in people if row.get("badge_number") and row["badge_number"] in text]
    assert badges == []
