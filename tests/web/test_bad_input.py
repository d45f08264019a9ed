"""Bad input to the API: a 4xx whose body names the field, never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers
from tests.web.api_helpers import new_election, new_person
from tests.web.test_news import item as news_item
from tests.web.test_role_matrix import VALUES

NEWS = news_item(missions=[])


def test_a_wrong_type_names_the_field(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.post(
        "/api/elections/majilis-2023/missions",
        json={"slug": "x", "name": "X", "sender": "country:DE", "expected_size": "many"},
        headers=csrf_headers(as_rita),
    )

    assert response.status_code == 400
    assert response.json()["field"] == "expected_size"
    assert response.json()["detail"].startswith("expected_size: ")


def test_malformed_json_is_a_400(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.post(
        "/api/elections/majilis-2023/missions",
        content=b'{"slug": ',
        headers=csrf_headers(as_rita) | {"content-type": "application/json"},
    )

    assert response.status_code == 400


def test_an_unknown_field_is_named(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.post(
        "/api/persons",
        json={"name_original": "A", "name_latin": "A", "nationality": "DE", "favourite_colour": "blue"},
        headers=csrf_headers(as_rita),
    )

    assert response.status_code == 400
    assert "favourite_colour" in response.json()["detail"]


def json_routes(app: Litestar) -> list[tuple[str, str]]:
    """Every route that reads a JSON body, with the demo's values in its path."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None or data.annotation is bytes or not route.path.startswith("/api/"):
                continue
            path = re.sub(r"\{(\w+):\w+\}", lambda found: VALUES[found.group(1)], route.path)
            found += [(method, path) for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"})]
    return found


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"a":' * 100_000, b"[" * 5_000 + b"]" * 5_000])
def test_deeply_nested_json_is_a_400_on_every_json_route(
    as_ada: TestClient[Litestar], demo_app: Litestar, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    routes = json_routes(demo_app)
    answers = {
        (method, path): as_ada.request(
            method, path, content=body, headers=csrf_headers(as_ada) | {"content-type": "application/json"}
        )
        for method, path in routes
    }

    assert len(routes) > 10
    assert {route: answer.status_code for route, answer in answers.items() if answer.status_code != 400} == {}
    assert {answer.json()["detail"] for answer in answers.values()} == {
        "the JSON body is nested too deeply (arrays or objects within each other)"
    }
    assert "RecursionError" not in caplog.text


NOMINATION = {"mission": "odihr", "role": "short_term_observer", "person": new_person()}


@pytest.mark.parametrize(
    ("path", "body", "stored"),
    [
        (
            "/api/elections",
            new_election(window_opens_at="2029-09-20T18:00+05:00", window_closes_at="2029-11-12T18:00"),
            {"window_opens_at": "2029-09-20T18:00:00+05:00", "window_closes_at": "2029-11-12T18:00:00+05:00"},
        ),
        ("/api/news", NEWS | {"published_at": "2023-02-22T22:00+06:00"}, {"published_at": "2023-02-22T16:00:00Z"}),
        (
            "/api/elections/majilis-2023/accreditations",
            NOMINATION | {"effective_at": "2023-03-10T10:00+06:00"},
            {"history.0.effective_at": "2023-03-10T10:00:00+06:00"},
        ),
    ],
)
def test_a_date_time_without_seconds_is_taken_as_documented(
    as_ada: TestClient[Litestar], path: str, body: dict[str, Any], stored: dict[str, str]
) -> None:
    response = as_ada.post(path, json=body, headers=csrf_headers(as_ada))

    assert response.status_code == 201, response.text
    assert {path: found(response.json(), path) for path in stored} == stored


def found(body: Any, path: str) -> Any:
    """The value at a dotted path of a JSON answer: `history.0.effective_at`."""
    for step in path.split("."):
        body = body[int(step)] if isinstance(body, list) else body[step]
    return body


NOT_DATE_TIMES = ["2029-02-30T18:00", "yesterday", "2029-09-20", "2029-09-20T18:00+5", "20290920T1800"]


@pytest.mark.parametrize("value", NOT_DATE_TIMES)
def test_a_date_time_that_is_not_one_names_the_field_and_the_forms_accepted(
    as_ada: TestClient[Litestar], value: str
) -> None:
    response = as_ada.post("/api/elections", json=new_election(window_opens_at=value), headers=csrf_headers(as_ada))

    assert response.status_code == 400
    assert response.json()["field"] == "window_opens_at"
    assert response.json()["detail"] == (
        f"window_opens_at: {value!r} is not a date and time: write 22.02.2023 21:13 or 2023-02-22T21:13 (seconds "
        "may be added; the election's time zone, unless an offset such as +06:00 is added)."
    )
    assert as_ada.get("/api/elections/presidential-2029").status_code == 404


@pytest.mark.parametrize("as_of", ["0001-01-01T00:00", "0000-12-31", "9999-12-31T23:59-12:00"])
def test_an_instant_at_the_edge_of_the_calendar_is_called_out_of_range(
    client: TestClient[Litestar], as_of: str
) -> None:
    response = client.get("/api/elections/majilis-2023/tally", params={"as_of": as_of})

    assert response.status_code == 400
    assert response.json()["field"] == "as_of"
    assert response.json()["detail"] == (
        f"as_of: {as_of!r} is out of range: too near the first or the last year of the calendar to be placed "
        "in a time zone"
    )
