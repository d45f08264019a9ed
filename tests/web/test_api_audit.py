"""Admin-only: the audit trail, the staff accounts, and writing elections."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADA, RITA, csrf_headers, sign_in
from tests.web.api_helpers import fields_named, new_election, nominate, transition

AUDIT = "/api/audit"


def test_it_records_who_changed_what_before_and_after(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)
    nominated = nominate(client).json()
    accredited = transition(client, nominated, "accredited").json()
    sign_in(client, ADA)

    response = client.get(AUDIT, params={"entity": f"accreditation:{nominated['id']}"})

    assert response.status_code == 200
    newest, oldest = response.json()["items"]
    assert (newest["actor"], newest["action"], newest["election"]) == (RITA, "transition:accredited", "majilis-2023")
    assert (newest["before"]["status"], newest["after"]["status"]) == ("nominated", "accredited")
    assert (newest["before"]["badge_number"], newest["after"]["badge_number"]) == (None, accredited["badge_number"])
    assert (oldest["actor"], oldest["action"], oldest["before"]) == (RITA, "nominate", None)
    assert oldest["after"]["role"] == "short_term_observer"


def test_it_lists_the_newest_entries_first_filtered_by_actor(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)
    nominate(client)
    sign_in(client, ADA)

    page = client.get(AUDIT, params={"actor": RITA}).json()

    assert page["total"] == 2
    assert [(entry["action"], entry["entity"]) for entry in page["items"]] == [
        ("nominate", "accreditation"),
        ("create", "person"),
    ]
    assert page["items"][0]["at"] >= page["items"][1]["at"]


def test_it_shows_times_in_the_election_time_zone(as_ada: TestClient[Litestar]) -> None:
    nominate(as_ada)

    [entry] = as_ada.get(AUDIT, params={"election": "majilis-2023", "limit": 1}).json()["items"]

    assert entry["at"].endswith("+05:00")  # Asia/Almaty has been UTC+5 since 2024


def test_it_filters_by_time(as_ada: TestClient[Litestar]) -> None:
    nominate(as_ada)

    assert as_ada.get(AUDIT, params={"until": "2024-01-01"}).json()["total"] == 0
    assert as_ada.get(AUDIT, params={"since": "2024-01-01", "actor": ADA}).json()["total"] == 2


def test_bad_filters_are_400_naming_them(as_ada: TestClient[Litestar]) -> None:
    assert fields_named(as_ada.get(AUDIT, params={"since": "last week"})) == {"since"}
    assert fields_named(as_ada.get(AUDIT, params={"election": "no-such-election"})) == {"election"}
    assert fields_named(as_ada.get(AUDIT, params={"offset": "-1"})) == {"offset"}


def test_only_admins_read_the_audit_trail(as_rita: TestClient[Litestar]) -> None:
    assert as_rita.get(AUDIT).status_code == 403


def test_it_lists_the_staff_without_password_hashes(as_ada: TestClient[Litestar]) -> None:
    response = as_ada.get("/api/users")

    assert response.status_code == 200
    assert [(user["email"], user["role"], user["is_active"]) for user in response.json()] == [
        (ADA, "admin", True),
        ("pat@cec.example", "press_officer", True),
        (RITA, "registrar", True),
    ]
    assert "password" not in response.text
    assert "argon2" not in response.text


def test_only_admins_list_the_staff(as_rita: TestClient[Litestar]) -> None:
    assert as_rita.get("/api/users").status_code == 403


def test_an_admin_creates_an_election(as_ada: TestClient[Litestar]) -> None:
    response = as_ada.post("/api/elections", json=new_election(), headers=csrf_headers(as_ada))

    assert response.status_code == 201
    assert response.json()["window_closes_at"] == "2029-11-12T18:00:00+05:00"
    assert as_ada.get("/api/elections/presidential-2029").status_code == 200
    [entry] = as_ada.get(AUDIT, params={"entity": "election", "actor": ADA}).json()["items"]
    assert (entry["action"], entry["after"]["slug"]) == ("create", "presidential-2029")


def test_an_admin_changes_an_election_at_its_current_version(as_ada: TestClient[Litestar]) -> None:
    created = as_ada.post("/api/elections", json=new_election(), headers=csrf_headers(as_ada))
    assert created.status_code == 201
    url = "/api/elections/presidential-2029"
    changed = new_election(name_en="Early presidential election, 2029")

    first = as_ada.put(url, params={"version": 1}, json=changed, headers=csrf_headers(as_ada))
    stale = as_ada.put(url, params={"version": 1}, json=new_election(), headers=csrf_headers(as_ada))

    assert first.status_code == 200
    assert stale.status_code == 409
    assert as_ada.get(url).json()["name"] == "Early presidential election, 2029"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"slug": "majilis-2023"}, "slug"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"window_closes_at": "2029-09-01T00:00:00"}, "window_closes_at"),
        ({"name_kk": "\u200b"}, "name_kk"),
        ({"voting_day": "2029-02-30"}, "voting_day"),
    ],
)
def test_bad_election_input_is_refused_naming_the_field(
    as_ada: TestClient[Litestar], change: dict[str, Any], field: str
) -> None:
    response = as_ada.post("/api/elections", json=new_election(**change), headers=csrf_headers(as_ada))

    assert response.status_code in (400, 409)
    assert field in fields_named(response)


def test_a_registrar_cannot_write_elections(as_rita: TestClient[Litestar]) -> None:
    headers = csrf_headers(as_rita)

    created = as_rita.post("/api/elections", json=new_election(), headers=headers)
    changed = as_rita.put("/api/elections/majilis-2023", params={"version": 1}, json=new_election(), headers=headers)

    assert (created.status_code, changed.status_code) == (403, 403)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", AUDIT), ("GET", "/api/users"), ("POST", "/api/elections"), ("PUT", "/api/elections/majilis-2023")],
)
def test_anonymous_is_401(client: TestClient[Litestar], method: str, path: str) -> None:
    response = client.request(method, path, params={"version": 1}, json=new_election(), headers=csrf_headers(client))

    assert response.status_code == 401


def test_reading_elections_stays_public(client: TestClient[Litestar]) -> None:
    assert client.get("/api/elections/majilis-2023").status_code == 200
