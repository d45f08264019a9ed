"""Bad input to the API: a 4xx whose body names the field, never a 500."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers
from tests.web.test_role_matrix import VALUES


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
