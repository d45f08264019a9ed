"""Every field of a staff form is checked before it is used: a value a browser would never send is a 400
with a message that names the field, and nothing changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADA, RITA, csrf_headers, sign_in
from tests.web.page_forms import form_fields

NOT_VERSIONS = ["abc", "", "²", "1.0", "-1", "0", "99999999999999999999"]
ELECTION = "/staff/elections/majilis-2023"


def draft_bulletin(client: TestClient[Litestar]) -> str:
    created = client.post("/api/bulletins", json={"election": "majilis-2023"}, headers=csrf_headers(client))
    assert created.status_code == 201, created.text
    return f"{ELECTION}/bulletins/{created.json()['id']}"


# (who, the page with the form, the form's action: None for the page's own form)
EDIT_FORMS: dict[str, tuple[str, str, str | None]] = {
    "organization": (ADA, "/staff/organizations/osce-odihr/edit", None),
    "election": (ADA, f"{ELECTION}/edit", None),
    "mission": (RITA, f"{ELECTION}/missions/odihr/edit", None),
    "person": (RITA, "/staff/persons/1/edit", None),
    "news item": (ADA, f"{ELECTION}/news/1/edit", None),
    "transition": (RITA, "/staff/accreditations/1", "/staff/accreditations/1/transition"),
    "substitution": (RITA, "/staff/accreditations/1", "/staff/accreditations/1/substitute"),
    "bulletin publish": (ADA, "{bulletin}", "{bulletin}/publish"),
    "bulletin delete": (ADA, "{bulletin}", "{bulletin}/delete"),
}


@pytest.mark.parametrize("form", sorted(EDIT_FORMS))
def test_a_version_that_is_not_one_is_refused_and_nothing_changes(client: TestClient[Litestar], form: str) -> None:
    who, page, action = EDIT_FORMS[form]
    sign_in(client, who)
    if "{bulletin}" in page:
        bulletin = draft_bulletin(client)
        page, action = page.format(bulletin=bulletin), action and action.format(bulletin=bulletin)
    before = client.get(page).text
    sent: dict[str, Any] = form_fields(before, action) | {"status": "accredited"}

    answers = [
        client.post(action or page, data=sent | {"version": bad}, follow_redirects=False) for bad in NOT_VERSIONS
    ]

    assert [answer.status_code for answer in answers] == [400] * len(NOT_VERSIONS)
    for answer in answers:
        assert "The form carries no valid version of this record" in answer.text
    after = client.get(page)
    assert after.status_code == 200
    assert form_fields(after.text, action) | {"_csrf_token": ""} == form_fields(before, action) | {"_csrf_token": ""}


def test_a_user_is_neither_disabled_nor_enabled_by_a_value_that_is_not_a_choice(as_ada: TestClient[Litestar]) -> None:
    users = as_ada.get("/staff/users").text
    toggle = re.search(r'action="(/staff/users/\d+/active)"', users)
    assert toggle
    sent = form_fields(users, toggle.group(1))

    answers = [as_ada.post(toggle.group(1), data=sent | {"active": bad}) for bad in ("abc", "")]

    assert [answer.status_code for answer in answers] == [400, 400]
    assert "Choose one of the listed options." in answers[0].text
    assert as_ada.get("/staff/users").text.count(">Disable<") == users.count(">Disable<")


def test_a_role_that_is_not_one_is_named(as_ada: TestClient[Litestar]) -> None:
    sent = form_fields(as_ada.get("/staff/users").text, "/staff/users")

    answer = as_ada.post(
        "/staff/users", data=sent | {"email": "x@cec.example", "password": "a" * 16, "role": "superuser"}
    )

    assert answer.status_code == 400
    assert '<a href="#f-role">Role</a>: Choose one of the listed options.' in answer.text
    assert "x@cec.example" not in as_ada.get("/staff/users").text.split("<h2>")[0]


@pytest.mark.parametrize("bad", ["²", "abc", "99999999999999999999"])
def test_cards_for_accreditations_that_are_not_numbers_are_refused(as_rita: TestClient[Litestar], bad: str) -> None:
    answer = as_rita.get(f"{ELECTION}/badges", params={"download": "1", "accreditation": ["1", bad]})

    assert answer.status_code == 400
    assert "is not a record number" in answer.text
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("who", "page", "action"),
    [(ADA, f"{ELECTION}/bulletins", f"{ELECTION}/bulletins"), (RITA, f"{ELECTION}/missions/odihr/edit", None)],
)
def test_a_ticked_news_item_that_is_not_a_number_is_named(
    client: TestClient[Litestar], who: str, page: str, action: str | None
) -> None:
    sign_in(client, who)
    sent = form_fields(client.get(page).text, action) | {"as_of": "2023-02-22T21:13"}

    answer = client.post(action or page, data=sent | {"news_item_ids": ["1", "²"]}, follow_redirects=False)

    assert answer.status_code == 400
    assert 'name="news_item_ids" value="1" checked' in answer.text
