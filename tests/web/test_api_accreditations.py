"""Accreditations through the API: nominate, decide, replace, and the rules each step keeps."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers
from tests.web.api_helpers import AFTER_WINDOW, ELECTION, fields_named, new_person, nominate, transition

LIST = f"{ELECTION}/accreditations"


def demo_row(client: TestClient[Litestar], **filters: str) -> dict[str, Any]:
    return client.get(LIST, params={**filters, "limit": 1}).json()["items"][0]


def test_it_lists_a_page_of_accreditations(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.get(LIST, params={"mission": "odihr", "status": "withdrawn", "limit": 1})

    assert response.status_code == 200
    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 0)
    [row] = page["items"]
    assert row["mission"] == "odihr"
    assert row["status_since"] == "2023-02-13T11:30:00+06:00"


def test_it_finds_people_by_name_in_another_script(as_rita: TestClient[Litestar]) -> None:
    latin = as_rita.get(LIST, params={"q": "demoeva"}).json()

    cyrillic = as_rita.get(LIST, params={"q": "ДЕМОЕВА"}).json()

    assert latin["total"] > 0
    assert cyrillic["total"] == latin["total"]


def test_a_new_nomination_appears_in_the_list_as_nominated(as_rita: TestClient[Litestar]) -> None:
    response = nominate(as_rita)

    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "nominated"
    assert created["badge_number"] is None
    [row] = as_rita.get(LIST, params={"q": "Jana Beispiel"}).json()["items"]
    assert (row["id"], row["status"], row["mission"]) == (created["id"], "nominated", "odihr")


def test_it_shows_an_accreditation_with_its_history_in_the_election_time_zone(as_rita: TestClient[Litestar]) -> None:
    withdrawn = demo_row(as_rita, mission="odihr", status="withdrawn")

    response = as_rita.get(f"/api/accreditations/{withdrawn['id']}")

    assert response.status_code == 200
    body = response.json()
    assert body["nationality"] == withdrawn["nationality"]
    assert body["mission_name"] == "OSCE/ODIHR Election Observation Mission"
    assert [(e["status"], e["effective_at"]) for e in body["history"]] == [
        ("nominated", "2023-02-09T16:00:00+06:00"),
        ("accredited", "2023-02-10T17:00:00+06:00"),
        ("withdrawn", "2023-02-13T11:30:00+06:00"),
    ]
    assert body["history"][-1]["reason"].startswith("Could not come")


def test_a_likely_duplicate_is_409_with_matches_until_confirmed(as_rita: TestClient[Litestar]) -> None:
    existing = demo_row(as_rita, mission="odihr")
    their_document = as_rita.get(f"/api/persons/{existing['person_id']}").json()["document_number"]
    person = new_person("Someone Else", document_number=their_document)

    refused = nominate(as_rita, person=person)
    confirmed = nominate(as_rita, person=person, confirm_duplicate=True)

    assert refused.status_code == 409
    assert refused.json()["field"] == "confirm_duplicate"
    assert {match["accreditation_id"] for match in refused.json()["matches"]} == {existing["id"]}
    assert confirmed.status_code == 201


def test_accrediting_assigns_a_badge_number(as_rita: TestClient[Litestar]) -> None:
    nominated = nominate(as_rita).json()

    response = transition(as_rita, nominated, "accredited", decision_ref="CEC-2023/0311-1")

    assert response.status_code == 201
    accredited = response.json()
    assert accredited["status"] == "accredited"
    assert accredited["badge_number"] == "M23-00213"  # the demo has issued 212
    assert accredited["decision_ref"] == "CEC-2023/0311-1"
    assert accredited["version"] == nominated["version"] + 1


def test_a_transition_the_workflow_forbids_is_409_saying_why(as_rita: TestClient[Litestar]) -> None:
    rejected = demo_row(as_rita, status="rejected")

    response = transition(as_rita, rejected, "revoked", reason="changed our mind")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "status: a rejected accreditation cannot become revoked; it can become nothing: it is final"
    )
    assert as_rita.get(f"/api/accreditations/{rejected['id']}").json()["status"] == "rejected"


def test_a_transition_from_a_stale_page_is_409(as_rita: TestClient[Litestar]) -> None:
    nominated = nominate(as_rita).json()
    assert transition(as_rita, nominated, "accredited").status_code == 201

    response = transition(as_rita, nominated, "rejected", reason="no documents")

    assert response.status_code == 409
    assert response.json()["field"] == "version"


def test_a_registrar_cannot_accredit_after_the_window_closed(as_rita: TestClient[Litestar]) -> None:
    nominated = nominate(as_rita).json()

    response = transition(as_rita, nominated, "accredited", effective_at=AFTER_WINDOW, override_reason="late")

    assert response.status_code == 403
    assert "13 March 2023, 18:00" in response.json()["detail"]
    assert as_rita.get(f"/api/accreditations/{nominated['id']}").json()["status"] == "nominated"


def test_an_admin_must_give_a_reason_to_accredit_after_the_window(as_ada: TestClient[Litestar]) -> None:
    nominated = nominate(as_ada).json()

    response = transition(as_ada, nominated, "accredited", effective_at=AFTER_WINDOW)

    assert response.status_code == 400
    assert response.json()["field"] == "override_reason"


def test_an_admin_override_is_recorded_on_the_event(as_ada: TestClient[Litestar]) -> None:
    nominated = nominate(as_ada).json()

    response = transition(
        as_ada, nominated, "accredited", effective_at=AFTER_WINDOW, override_reason="Flight delayed; CEC decision 41"
    )

    assert response.status_code == 201
    event = response.json()["history"][-1]
    assert event["status"] == "accredited"
    assert event["effective_at"] == AFTER_WINDOW
    assert event["override_reason"] == "Flight delayed; CEC decision 41"
    assert event["actor"] == "ada@cec.example"


def test_a_substitution_withdraws_the_old_and_accredits_the_new_in_one_step(as_rita: TestClient[Litestar]) -> None:
    old = demo_row(as_rita, mission="kg", status="accredited")

    response = as_rita.post(
        f"/api/accreditations/{old['id']}/substitution",
        json={
            "version": old["version"],
            "person": new_person("Asel Zamena", nationality="KG", document_number="KG0001234"),
            "effective_at": "2023-03-12T09:00:00+06:00",
            "reason": "Fell ill",
        },
        headers=csrf_headers(as_rita),
    )

    assert response.status_code == 201
    new = response.json()
    assert (new["status"], new["replaces_id"], new["mission"]) == ("accredited", old["id"], "kg")
    assert new["badge_number"] is not None
    replaced = as_rita.get(f"/api/accreditations/{old['id']}").json()
    assert replaced["status"] == "withdrawn"
    assert replaced["history"][-1]["reason"] == "Fell ill"


def test_a_final_accreditation_cannot_be_substituted(as_rita: TestClient[Litestar]) -> None:
    rejected = demo_row(as_rita, status="rejected")

    response = as_rita.post(
        f"/api/accreditations/{rejected['id']}/substitution",
        json={"version": rejected["version"], "person": new_person()},
        headers=csrf_headers(as_rita),
    )

    assert response.status_code == 409
    assert "rejected" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mission": "no-such-mission"}, "mission"),
        ({"person": new_person(nationality="XX")}, "nationality"),
        ({"person": new_person(name_original="Jana\u0007Beispiel")}, "name_original"),
        ({"person": new_person(document_number="№ 1")}, "document_number"),
        ({"role": "spy"}, "role"),
        ({"person_id": 1}, "person"),
        ({"effective_at": "2099-01-01T00:00:00+06:00"}, "effective_at"),
    ],
)
def test_bad_input_is_400_naming_the_field(as_rita: TestClient[Litestar], change: dict[str, Any], field: str) -> None:
    response = nominate(as_rita, **change)

    assert response.status_code == 400
    assert field in fields_named(response)


def test_malformed_json_is_400(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.post(
        LIST, content=b'{"mission": "odihr",', headers={**csrf_headers(as_rita), "content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "Input data was truncated"


def test_bad_filters_are_400_naming_them(as_rita: TestClient[Litestar]) -> None:
    assert fields_named(as_rita.get(LIST, params={"status": "approved"})) == {"status"}
    assert fields_named(as_rita.get(LIST, params={"sender": "planet:mars"})) == {"sender"}
    assert fields_named(as_rita.get(LIST, params={"limit": "0"})) == {"limit"}


def test_an_unknown_accreditation_is_404(as_rita: TestClient[Litestar]) -> None:
    assert as_rita.get("/api/accreditations/999999").status_code == 404


def test_a_press_officer_cannot_see_accreditations(as_pat: TestClient[Litestar]) -> None:
    headers = csrf_headers(as_pat)

    assert as_pat.get(LIST).status_code == 403
    assert as_pat.get("/api/accreditations/1").status_code == 403
    assert nominate(as_pat).status_code == 403
    assert transition(as_pat, {"id": 1, "version": 1}, "revoked", reason="x").status_code == 403
    assert as_pat.post("/api/accreditations/1/substitution", json={"version": 1}, headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", LIST),
        ("POST", LIST),
        ("GET", "/api/accreditations/1"),
        ("POST", "/api/accreditations/1/transitions"),
        ("POST", "/api/accreditations/1/substitution"),
    ],
)
def test_anonymous_is_401(client: TestClient[Litestar], method: str, path: str) -> None:
    response = client.request(method, path, json={"version": 1}, headers=csrf_headers(client))

    assert response.status_code == 401


def test_it_documents_the_staff_api_in_openapi(client: TestClient[Litestar]) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]

    nominate_doc = paths["/api/elections/{slug}/accreditations"]["post"]
    transition_doc = paths["/api/accreditations/{accreditation_id}/transitions"]["post"]
    assert nominate_doc["summary"] == "Nominate someone"
    assert nominate_doc["responses"]["409"]["content"]["application/json"]["schema"]["$ref"].endswith("DuplicateOut")
    assert {"201", "400", "401", "403", "404", "409"} <= set(transition_doc["responses"])
    assert {"get", "post"} <= set(paths["/api/elections/{slug}/missions"])
    assert {"get", "put", "delete"} <= set(paths["/api/elections/{slug}/missions/{mission}"])
    assert {"post"} <= set(paths["/api/elections"])
    assert {"put"} <= set(paths["/api/elections/{slug}"])
    assert {"/api/persons", "/api/persons/{person_id}", "/api/audit", "/api/users"} <= set(paths)
