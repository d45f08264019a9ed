"""/api/elections/{slug}/missions: staff read missions with their counts; admins and registrars change them."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers
from tests.web.api_helpers import ELECTION, fields_named, nominate

MISSIONS = f"{ELECTION}/missions"


def mission(**changes: Any) -> dict[str, Any]:
    return {
        "slug": "eu-experts",
        "name": "Election expert team of the European Union",
        "sender": "country:BE",
        "head_name": "Chef de Mission",
        "expected_size": 4,
    } | changes


def test_it_lists_the_missions_with_counts_by_current_status(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.get(MISSIONS)

    assert response.status_code == 200
    by_slug = {row["slug"]: row for row in response.json()}
    assert len(by_slug) == 20
    assert by_slug["odihr"]["sender"] == "organization:osce-odihr"
    assert by_slug["odihr"]["counts"] == {
        "nominated": 0,
        "accredited": 97,
        "withdrawn": 2,
        "revoked": 0,
        "rejected": 0,
    }
    assert by_slug["mn"]["counts"]["rejected"] == 1


def test_it_counts_a_new_nomination_in_its_mission(as_rita: TestClient[Litestar]) -> None:
    assert nominate(as_rita, mission="de").status_code == 201

    counts = as_rita.get(f"{MISSIONS}/de").json()["counts"]

    assert counts["nominated"] == 1
    assert counts["accredited"] == 1


def test_it_creates_a_mission(as_rita: TestClient[Litestar]) -> None:
    russian = "Группа экспертов Европейского союза по выборам"
    response = as_rita.post(MISSIONS, json=mission(name_ru=russian), headers=csrf_headers(as_rita))

    assert response.status_code == 201
    created = response.json()
    assert (created["name_ru"], created["name_kk"]) == (russian, None)
    assert created["sender_kind"] == "foreign_state"
    assert created["sender_name"] == "Belgium"
    assert created["counts"]["accredited"] == 0
    assert "eu-experts" in [row["slug"] for row in as_rita.get(MISSIONS).json()]


def test_it_shows_one_mission(as_pat: TestClient[Litestar]) -> None:
    response = as_pat.get(f"{MISSIONS}/odihr")

    assert response.status_code == 200
    assert response.json()["nomination_note_ref"] == "Note verbale (demo) ODIHR/2023/01"
    assert response.json()["news_item_ids"] == [1, 2]  # the first two demo news items quote ODIHR


def test_it_updates_a_mission_read_at_its_current_version(as_rita: TestClient[Litestar]) -> None:
    current = as_rita.get(f"{MISSIONS}/odihr").json()

    response = as_rita.put(
        f"{MISSIONS}/odihr",
        params={"version": current["version"]},
        json=mission(slug="odihr", name="OSCE/ODIHR EOM", sender="organization:osce-odihr", expected_size=350),
        headers=csrf_headers(as_rita),
    )

    assert response.status_code == 200
    assert response.json()["expected_size"] == 350
    assert response.json()["version"] == current["version"] + 1
    assert as_rita.get(f"{MISSIONS}/odihr").json()["name"] == "OSCE/ODIHR EOM"


def test_a_stale_version_is_409_and_changes_nothing(as_rita: TestClient[Litestar]) -> None:
    before = as_rita.get(f"{MISSIONS}/odihr").json()
    as_rita.put(
        f"{MISSIONS}/odihr",
        params={"version": before["version"]},
        json=mission(slug="odihr", name="First edit", sender="organization:osce-odihr"),
        headers=csrf_headers(as_rita),
    )

    response = as_rita.put(
        f"{MISSIONS}/odihr",
        params={"version": before["version"]},
        json=mission(slug="odihr", name="Second edit, from a stale page", sender="organization:osce-odihr"),
        headers=csrf_headers(as_rita),
    )

    assert response.status_code == 409
    assert response.json()["field"] == "version"
    assert as_rita.get(f"{MISSIONS}/odihr").json()["name"] == "First edit"


def test_a_put_without_a_version_is_400(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.put(f"{MISSIONS}/odihr", json=mission(slug="odihr"), headers=csrf_headers(as_rita))

    assert response.status_code == 400
    assert "version" in response.json()["detail"]


def test_it_deletes_a_mission_without_accreditations(as_ada: TestClient[Litestar]) -> None:
    created = as_ada.post(MISSIONS, json=mission(), headers=csrf_headers(as_ada)).json()

    response = as_ada.delete(
        f"{MISSIONS}/eu-experts", params={"version": created["version"]}, headers=csrf_headers(as_ada)
    )

    assert response.status_code == 204
    assert as_ada.get(f"{MISSIONS}/eu-experts").status_code == 404


def test_a_mission_with_accreditations_cannot_be_deleted(as_rita: TestClient[Litestar]) -> None:
    version = as_rita.get(f"{MISSIONS}/ps").json()["version"]

    response = as_rita.delete(f"{MISSIONS}/ps", params={"version": version}, headers=csrf_headers(as_rita))

    assert response.status_code == 409
    assert "accreditations" in response.json()["detail"]
    assert as_rita.get(f"{MISSIONS}/ps").status_code == 200


def test_a_slug_taken_in_the_election_is_409(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.post(MISSIONS, json=mission(slug="odihr"), headers=csrf_headers(as_rita))

    assert response.status_code == 409
    assert response.json()["field"] == "slug"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sender": "country:XX"}, "sender"),
        ({"sender": "organization:no-such-body"}, "sender"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"name": "Mission\u0000"}, "name"),
        ({"name_ru": "Миссия\u0000"}, "name_ru"),
        ({"name_kk": "Миссия" * 100}, "name_kk"),
        ({"expected_size": -1}, "expected_size"),
        ({"news_item_ids": [999999]}, "news_item_ids"),
        ({"language": "de"}, "language"),
        ({"contacts": "call\u0007me"}, "contacts"),
        ({"colour": "blue"}, "data"),
    ],
)
def test_bad_input_is_400_naming_the_field(as_rita: TestClient[Litestar], change: dict[str, Any], field: str) -> None:
    response = as_rita.post(MISSIONS, json=mission(**change), headers=csrf_headers(as_rita))

    assert response.status_code == 400
    assert field in fields_named(response)


def test_an_unknown_election_or_mission_is_404(as_rita: TestClient[Litestar]) -> None:
    assert as_rita.get("/api/elections/no-such-election/missions").status_code == 404
    assert as_rita.get(f"{MISSIONS}/no-such-mission").status_code == 404


def test_a_press_officer_reads_missions_but_cannot_change_them(as_pat: TestClient[Litestar]) -> None:
    headers = csrf_headers(as_pat)

    assert as_pat.get(MISSIONS).status_code == 200
    assert as_pat.post(MISSIONS, json=mission(), headers=headers).status_code == 403
    assert as_pat.put(f"{MISSIONS}/ps", params={"version": 1}, json=mission(), headers=headers).status_code == 403
    assert as_pat.delete(f"{MISSIONS}/ps", params={"version": 1}, headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", MISSIONS),
        ("POST", MISSIONS),
        ("GET", f"{MISSIONS}/ps"),
        ("PUT", f"{MISSIONS}/ps"),
        ("DELETE", f"{MISSIONS}/ps"),
    ],
)
def test_anonymous_is_401(client: TestClient[Litestar], method: str, path: str) -> None:
    response = client.request(method, path, params={"version": 1}, json=mission(), headers=csrf_headers(client))

    assert response.status_code == 401
