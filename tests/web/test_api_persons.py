"""/api/persons: observers' identities, with their personal data, for admins and registrars only."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import csrf_headers
from tests.web.api_helpers import fields_named, new_person

PERSONS = "/api/persons"


def create(client: TestClient[Litestar], **changes: Any) -> dict[str, Any]:
    response = client.post(PERSONS, json=new_person(**changes), headers=csrf_headers(client))
    assert response.status_code == 201, response.text
    return response.json()


def test_it_finds_people_by_name_in_any_script_and_case(as_rita: TestClient[Litestar]) -> None:
    cyrillic = as_rita.get(PERSONS, params={"q": "ДЕМОЕВА"}).json()

    latin = as_rita.get(PERSONS, params={"q": "demoeva"}).json()

    assert cyrillic["total"] == latin["total"] > 0
    assert all("Demoeva" in person["name_latin"] for person in cyrillic["items"])


def test_it_pages_through_the_people(as_rita: TestClient[Litestar]) -> None:
    first = as_rita.get(PERSONS, params={"limit": 2}).json()

    second = as_rita.get(PERSONS, params={"limit": 2, "offset": 2}).json()

    assert first["total"] == second["total"] > 4
    assert (len(first["items"]), second["offset"]) == (2, 2)
    assert {p["id"] for p in first["items"]}.isdisjoint({p["id"] for p in second["items"]})


def test_a_search_treats_wildcards_as_text(as_rita: TestClient[Litestar]) -> None:
    assert as_rita.get(PERSONS, params={"q": "%"}).json()["total"] == 0


def test_it_creates_a_person_with_their_personal_data(as_rita: TestClient[Litestar]) -> None:
    created = create(as_rita, name_original="Яна Пример", name_latin="Yana Primer", document_number="c01x 00t47")

    shown = as_rita.get(f"{PERSONS}/{created['id']}").json()

    assert shown == created
    assert shown["name_original"] == "Яна Пример"
    assert shown["document_number"] == "C01X00T47"
    assert shown["birth_date"] == "1980-04-02"
    assert shown["email"] == "jana@example.org"


def test_it_updates_a_person_read_at_its_current_version(as_rita: TestClient[Litestar]) -> None:
    created = create(as_rita)

    response = as_rita.put(
        f"{PERSONS}/{created['id']}",
        params={"version": created["version"]},
        json=new_person(nationality="AT", document_country="AT", phone="+43 1 1234567"),
        headers=csrf_headers(as_rita),
    )

    assert response.status_code == 200
    assert (response.json()["nationality"], response.json()["phone"]) == ("AT", "+43 1 1234567")
    assert response.json()["version"] == created["version"] + 1


def test_a_stale_version_is_409_and_changes_nothing(as_rita: TestClient[Litestar]) -> None:
    created = create(as_rita)
    url, headers = f"{PERSONS}/{created['id']}", csrf_headers(as_rita)
    as_rita.put(url, params={"version": created["version"]}, json=new_person(phone="111"), headers=headers)

    response = as_rita.put(url, params={"version": created["version"]}, json=new_person(phone="222"), headers=headers)

    assert response.status_code == 409
    assert response.json()["field"] == "version"
    assert as_rita.get(url).json()["phone"] == "111"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nationality": "XX"}, "nationality"),
        ({"nationality": "germany"}, "nationality"),
        ({"name_original": "Jana Beispiel", "name_latin": "Jana\u202eBeispiel"}, "name_latin"),
        ({"name_original": "Jana\nBeispiel"}, "name_original"),
        ({"name_original": "   "}, "name_original"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"birth_date": "yesterday"}, "birth_date"),
        ({"email": "not an address"}, "email"),
        ({"gender": "x"}, "gender"),
        ({"document_country": "ZZ"}, "document_country"),
    ],
)
def test_bad_input_is_400_naming_the_field(as_rita: TestClient[Litestar], change: dict[str, Any], field: str) -> None:
    response = as_rita.post(PERSONS, json=new_person(**change), headers=csrf_headers(as_rita))

    assert response.status_code == 400
    assert field in fields_named(response)


def test_malformed_json_is_400(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.post(
        PERSONS, content=b"{'single': 'quotes'}", headers={**csrf_headers(as_rita), "content-type": "application/json"}
    )

    assert response.status_code == 400


def test_an_unknown_person_is_404(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.get(f"{PERSONS}/999999")

    assert response.status_code == 404
    assert response.json()["field"] == "person"


def test_an_admin_sees_people_too(as_ada: TestClient[Litestar]) -> None:
    assert as_ada.get(PERSONS).status_code == 200


def test_a_press_officer_never_sees_personal_data(as_pat: TestClient[Litestar]) -> None:
    headers = csrf_headers(as_pat)

    assert as_pat.get(PERSONS).status_code == 403
    assert as_pat.get(f"{PERSONS}/1").status_code == 403
    assert as_pat.post(PERSONS, json=new_person(), headers=headers).status_code == 403
    assert as_pat.put(f"{PERSONS}/1", params={"version": 1}, json=new_person(), headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"), [("GET", PERSONS), ("POST", PERSONS), ("GET", f"{PERSONS}/1"), ("PUT", f"{PERSONS}/1")]
)
def test_anonymous_is_401(client: TestClient[Litestar], method: str, path: str) -> None:
    response = client.request(method, path, params={"version": 1}, json=new_person(), headers=csrf_headers(client))

    assert response.status_code == 401


def test_a_name_no_font_can_print_is_refused_naming_its_letters(as_rita: TestClient[Litestar]) -> None:
    """Cards would print it as empty boxes: the registrar hears which letters, in their language."""
    names = {"name_original": "𓀀𓁐 Ramses", "name_latin": "Ramses"}
    headers = {**csrf_headers(as_rita), "Accept-Language": "ru"}

    response = as_rita.post(PERSONS, json=new_person(**names), headers=headers)

    assert response.status_code == 400
    assert fields_named(response) == {"name_original"}
    assert "нельзя напечатать" in response.text
    assert "𓀀 (U+13000), 𓁐 (U+13050)" in response.json()["detail"]
    assert as_rita.get(PERSONS, params={"q": "Ramses"}).json()["items"] == []
    # Every script a card draws is taken, and Persian's zero-width non-joiner, which is how it spells names.
    created = create(as_rita, name_original="王小明 نمونه\u200cزاده", name_latin="Wang Nemounehzadeh")
    assert created["name_original"] == "王小明 نمونه\u200cزاده"
    assert as_rita.get(PERSONS, params={"q": "نمونهزاده"}).json()["items"][0]["id"] == created["id"]
