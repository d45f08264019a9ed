"""Bad input to the API: a 4xx whose body names the field, never a 500."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers


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
