"""Small steps the staff API tests share: what a client would send, and reading errors back."""

from __future__ import annotations

from typing import Any

from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers

ELECTION = "/api/elections/majilis-2023"
# Inside the demo's accreditation window (19 January to 13 March 2023, 18:00 Astana time).
IN_WINDOW = "2023-03-10T10:00:00+06:00"
AFTER_WINDOW = "2023-03-14T10:00:00+06:00"


def new_election(**changes: Any) -> dict[str, Any]:
    return {
        "slug": "presidential-2029",
        "name_en": "Presidential election, 2029",
        "name_ru": "Выборы Президента 2029 года",
        "name_kk": "Президент сайлауы, 2029 жыл",
        "voting_day": "2029-11-18",
        "time_zone": "Asia/Almaty",
        "window_opens_at": "2029-09-20T00:00:00",
        "window_closes_at": "2029-11-12T18:00:00",
    } | changes


def new_person(name_latin: str = "Jana Beispiel", **changes: Any) -> dict[str, Any]:
    return {
        "name_original": name_latin,
        "name_latin": name_latin,
        "nationality": "DE",
        "birth_date": "1980-04-02",
        "gender": "female",
        "document_number": "C01X00T47",
        "document_country": "DE",
        "email": "jana@example.org",
    } | changes


def nominate(client: TestClient[Litestar], mission: str = "odihr", **changes: Any) -> Response:
    body = {
        "mission": mission,
        "role": "short_term_observer",
        "person": new_person(),
        "effective_at": IN_WINDOW,
    } | changes
    return client.post(f"{ELECTION}/accreditations", json=body, headers=csrf_headers(client))


def transition(client: TestClient[Litestar], accreditation: dict[str, Any], status: str, **changes: Any) -> Response:
    body = {"status": status, "version": accreditation["version"], "effective_at": "2023-03-11T12:00:00+06:00"}
    return client.post(
        f"/api/accreditations/{accreditation['id']}/transitions", json=body | changes, headers=csrf_headers(client)
    )


def fields_named(response: Response) -> set[str]:
    """The fields an error points at: ours say `field`, Litestar's validation lists them in `extra`."""
    body = response.json()
    named = {body["field"]} if body.get("field") else set()
    return named | {item["key"] for item in body.get("extra") or [] if isinstance(item, dict)}
