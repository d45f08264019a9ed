"""Every route of the app × every role → allowed, or refused with the right status.

The routes come from the app itself: a route added without a line here fails this test.
"""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADA, PAT, RITA, csrf_headers, sign_in

EVERYONE = frozenset({"anonymous", "admin", "registrar", "press_officer"})
STAFF = frozenset({"admin", "registrar", "press_officer"})
REGISTRARS = frozenset({"admin", "registrar"})
ADMINS = frozenset({"admin"})
PRESS = frozenset({"admin", "press_officer"})

MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/"): EVERYONE,
    ("GET", "/static/{file_path}"): EVERYONE,
    ("GET", "/api/elections"): EVERYONE,
    ("GET", "/api/elections/{slug}"): EVERYONE,
    ("GET", "/api/elections/{slug}/tally"): EVERYONE,
    ("GET", "/api/elections/{slug}/timeline"): EVERYONE,
    ("GET", "/api/elections/{slug}/senders"): EVERYONE,
    ("GET", "/api/elections/{slug}/tally.csv"): EVERYONE,
    ("GET", "/api/elections/{slug}/timeline.csv"): EVERYONE,
    ("GET", "/api/elections/{slug}/senders.csv"): EVERYONE,
    ("POST", "/api/elections"): ADMINS,
    ("PUT", "/api/elections/{slug}"): ADMINS,
    ("GET", "/api/elections/{slug}/missions"): STAFF,
    ("GET", "/api/elections/{slug}/missions/{mission}"): STAFF,
    ("POST", "/api/elections/{slug}/missions"): REGISTRARS,
    ("PUT", "/api/elections/{slug}/missions/{mission}"): REGISTRARS,
    ("DELETE", "/api/elections/{slug}/missions/{mission}"): REGISTRARS,
    ("GET", "/api/persons"): REGISTRARS,
    ("POST", "/api/persons"): REGISTRARS,
    ("GET", "/api/persons/{person_id}"): REGISTRARS,
    ("PUT", "/api/persons/{person_id}"): REGISTRARS,
    ("GET", "/api/elections/{slug}/accreditations"): REGISTRARS,
    ("POST", "/api/elections/{slug}/accreditations"): REGISTRARS,
    ("GET", "/api/accreditations/{accreditation_id}"): REGISTRARS,
    ("POST", "/api/accreditations/{accreditation_id}/transitions"): REGISTRARS,
    ("POST", "/api/accreditations/{accreditation_id}/substitution"): REGISTRARS,
    ("GET", "/api/elections/{slug}/roster.xlsx"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/roster"): REGISTRARS,
    ("GET", "/api/bulletins"): EVERYONE,
    ("GET", "/api/bulletins/drafts"): STAFF,
    ("GET", "/api/bulletins/{bulletin_id}"): EVERYONE,
    ("POST", "/api/bulletins"): PRESS,
    ("POST", "/api/bulletins/{bulletin_id}/publish"): PRESS,
    ("DELETE", "/api/bulletins/{bulletin_id}"): PRESS,
    ("GET", "/api/bulletins/{bulletin_id}/preview.pdf"): STAFF,
    ("GET", "/api/news"): EVERYONE,
    ("GET", "/api/news/{item_id}"): EVERYONE,
    ("POST", "/api/news"): PRESS,
    ("PUT", "/api/news/{item_id}"): PRESS,
    ("GET", "/elections/{slug}"): EVERYONE,
    ("GET", "/bulletins/{name}"): EVERYONE,
    ("GET", "/news/{item_id}"): EVERYONE,
    ("GET", "/staff/elections/{slug}/bulletins"): PRESS,
    ("POST", "/staff/elections/{slug}/bulletins"): PRESS,
    ("GET", "/staff/elections/{slug}/bulletins/{bulletin_id}"): PRESS,
    ("POST", "/staff/elections/{slug}/bulletins/{bulletin_id}/publish"): PRESS,
    ("POST", "/staff/elections/{slug}/bulletins/{bulletin_id}/delete"): PRESS,
    ("GET", "/staff/elections/{slug}/news"): PRESS,
    ("GET", "/staff/elections/{slug}/news/new"): PRESS,
    ("POST", "/staff/elections/{slug}/news/new"): PRESS,
    ("GET", "/staff/elections/{slug}/news/{item_id}/edit"): PRESS,
    ("POST", "/staff/elections/{slug}/news/{item_id}/edit"): PRESS,
    ("GET", "/api/elections/{slug}/badges.pdf"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/badges"): REGISTRARS,
    ("GET", "/verify"): EVERYONE,
    ("GET", "/api/persons/{person_id}/photo"): REGISTRARS,
    ("PUT", "/api/persons/{person_id}/photo"): REGISTRARS,
    ("DELETE", "/api/persons/{person_id}/photo"): REGISTRARS,
    ("POST", "/staff/persons/{person_id}/photo"): REGISTRARS,
    ("GET", "/api/audit"): ADMINS,
    ("GET", "/api/users"): ADMINS,
    ("POST", "/api/session"): EVERYONE,
    ("GET", "/api/session"): STAFF,
    ("DELETE", "/api/session"): STAFF,
    ("GET", "/staff/sign-in"): EVERYONE,
    ("POST", "/staff/sign-in"): EVERYONE,
    ("POST", "/staff/sign-out"): STAFF,
    ("GET", "/staff"): STAFF,
    ("GET", "/staff/elections/new"): ADMINS,
    ("POST", "/staff/elections/new"): ADMINS,
    ("GET", "/staff/elections/{slug}/edit"): ADMINS,
    ("POST", "/staff/elections/{slug}/edit"): ADMINS,
    ("GET", "/staff/elections/{slug}/missions"): STAFF,
    ("GET", "/staff/elections/{slug}/missions/new"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/missions/new"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/missions/{mission}/edit"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/missions/{mission}/edit"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/accreditations"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/accreditations/new"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/accreditations/new"): REGISTRARS,
    ("GET", "/staff/accreditations/{accreditation_id}"): REGISTRARS,
    ("POST", "/staff/accreditations/{accreditation_id}/transition"): REGISTRARS,
    ("POST", "/staff/accreditations/{accreditation_id}/substitute"): REGISTRARS,
    ("GET", "/staff/persons/{person_id}"): REGISTRARS,
    ("GET", "/staff/persons/{person_id}/edit"): REGISTRARS,
    ("POST", "/staff/persons/{person_id}/edit"): REGISTRARS,
    ("GET", "/staff/audit"): ADMINS,
    ("GET", "/staff/users"): ADMINS,
    ("POST", "/staff/users"): ADMINS,
    ("POST", "/staff/users/{user_id}/active"): ADMINS,
    ("GET", "/staff/organizations"): ADMINS,
    ("GET", "/staff/organizations/new"): ADMINS,
    ("POST", "/staff/organizations/new"): ADMINS,
    ("GET", "/staff/organizations/{slug}/edit"): ADMINS,
    ("POST", "/staff/organizations/{slug}/edit"): ADMINS,
    ("GET", "/staff/elections/{slug}/missions/{mission}/import"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/missions/{mission}/import"): REGISTRARS,
    ("GET", "/staff/imports/{batch_id}"): REGISTRARS,
    ("POST", "/staff/imports/{batch_id}/mapping"): REGISTRARS,
    ("GET", "/staff/imports/{batch_id}/errors.xlsx"): REGISTRARS,
    ("POST", "/staff/imports/{batch_id}/commit"): REGISTRARS,
    ("GET", "/staff/imports/template.xlsx"): REGISTRARS,
}
# The OpenAPI document and its viewers are public.
SCHEMA = re.compile(r"^/schema")
VALUES = {
    "slug": "majilis-2023",
    "mission": "odihr",
    "person_id": "1",
    "accreditation_id": "1",
    "user_id": "999999",
    "batch_id": "999999",
    "path": "openapi.json",
    "bulletin_id": "999999",
    "item_id": "1",
    "name": "999999.pdf",
    "file_path": "site.css",
}
SIGN_OUT = {("POST", "/staff/sign-out"), ("DELETE", "/api/session")}
SIGN_IN = {("POST", "/staff/sign-in"), ("POST", "/api/session")}
ACCOUNTS = {"admin": ADA, "registrar": RITA, "press_officer": PAT}


def app_routes(app: Litestar) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append((method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)))
    return found


def test_every_route_is_in_the_matrix(demo_app: Litestar) -> None:
    missing = [route for route in app_routes(demo_app) if route not in MATRIX and not SCHEMA.match(route[1])]

    assert missing == []


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_each_role_reaches_exactly_its_routes(client: TestClient[Litestar], demo_app: Litestar, role: str) -> None:
    def enter() -> None:
        if role != "anonymous":
            sign_in(client, ACCOUNTS[role])

    enter()
    wrong = []
    for method, template in app_routes(demo_app):
        path = re.sub(r"\{(\w+)\}", lambda found: VALUES[found.group(1)], template)
        allowed = EVERYONE if SCHEMA.match(template) else MATRIX[(method, template)]
        headers = csrf_headers(client)
        if (method, template) in SIGN_IN:
            body = {"email": f"nobody-{role}-{len(wrong)}@example.org", "password": "not a password"}
            response = client.request(
                method,
                path,
                headers=headers,
                json=body if "/api/" in path else None,
                data=None if "/api/" in path else body,
            )
        elif method == "GET":
            response = client.get(path)
        elif "/api/" in path:
            response = client.request(method, path, headers=headers, json={})
        else:
            response = client.request(method, path, headers=headers, data={})
        expected = "allowed" if role in allowed else ("401" if role == "anonymous" else "403")
        if response.status_code >= 500:
            wrong.append((method, template, response.status_code, "server error"))
        elif (method, template) in SIGN_IN:
            if response.status_code != 401:
                wrong.append((method, template, response.status_code, "a wrong password is 401"))
        else:
            reached = response.status_code not in (401, 403)
            if reached != (expected == "allowed") or (not reached and str(response.status_code) != expected):
                wrong.append((method, template, response.status_code, expected))
        if (method, template) in SIGN_OUT and role != "anonymous":
            enter()

    assert wrong == []
