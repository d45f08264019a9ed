"""Every route of the app × every role → allowed, or refused with the right status.

The routes come from the app itself: a route added without a line here fails this test.
"""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADA, PAT, RITA, csrf_headers, sign_in
from tests.lists import observers, xlsx
from tests.web.test_api_decisions import decide, nominate
from tests.web.test_staff_imports import upload

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
    ("PUT", "/api/accreditations/{accreditation_id}/test-data"): ADMINS,
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
    ("GET", "/bulletins"): EVERYONE,
    ("GET", "/bulletins/{name}"): EVERYONE,
    ("GET", "/news"): EVERYONE,
    ("GET", "/news/{item_id}"): EVERYONE,
    ("GET", "/feeds/bulletins.atom"): EVERYONE,
    ("GET", "/feeds/news.atom"): EVERYONE,
    ("GET", "/elections/{slug}/embed"): EVERYONE,
    ("GET", "/staff/elections/{slug}/bulletins"): PRESS,
    ("POST", "/staff/elections/{slug}/bulletins"): PRESS,
    ("GET", "/staff/elections/{slug}/bulletins/{bulletin_id}"): PRESS,
    ("POST", "/staff/elections/{slug}/bulletins/{bulletin_id}/publish"): PRESS,
    ("POST", "/staff/elections/{slug}/bulletins/{bulletin_id}/delete"): PRESS,
    ("POST", "/staff/elections/{slug}/bulletins/{bulletin_id}/correct"): PRESS,
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
    ("PATCH", "/api/users/{user_id}"): ADMINS,
    ("POST", "/api/users/{user_id}/password-reset"): ADMINS,
    ("POST", "/api/session/password"): STAFF,
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
    ("GET", "/staff/elections/{slug}/missions/{mission}"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/missions/{mission}/edit"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/missions/{mission}/edit"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/accreditations"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/accreditations/new"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/accreditations/new"): REGISTRARS,
    ("GET", "/staff/accreditations/{accreditation_id}"): REGISTRARS,
    ("POST", "/staff/accreditations/{accreditation_id}/transition"): REGISTRARS,
    ("POST", "/staff/accreditations/{accreditation_id}/substitute"): REGISTRARS,
    ("POST", "/staff/accreditations/{accreditation_id}/test-data"): ADMINS,
    ("GET", "/staff/persons/{person_id}"): REGISTRARS,
    ("GET", "/staff/persons/{person_id}/edit"): REGISTRARS,
    ("POST", "/staff/persons/{person_id}/edit"): REGISTRARS,
    ("POST", "/staff/persons/{person_id}/latin-name"): REGISTRARS,
    ("GET", "/staff/audit"): ADMINS,
    ("GET", "/staff/users"): ADMINS,
    ("POST", "/staff/users"): ADMINS,
    ("POST", "/staff/users/{user_id}/active"): ADMINS,
    ("POST", "/staff/users/{user_id}/role"): ADMINS,
    ("POST", "/staff/users/{user_id}/password-reset"): ADMINS,
    ("GET", "/staff/password"): STAFF,
    ("POST", "/staff/password"): STAFF,
    ("GET", "/staff/password-reset"): EVERYONE,
    ("POST", "/staff/password-reset"): EVERYONE,
    ("GET", "/staff/organizations"): ADMINS,
    ("GET", "/staff/organizations/new"): ADMINS,
    ("POST", "/staff/organizations/new"): ADMINS,
    ("GET", "/staff/organizations/{slug}/edit"): ADMINS,
    ("POST", "/staff/organizations/{slug}/edit"): ADMINS,
    ("GET", "/staff/countries"): ADMINS,
    ("GET", "/staff/countries/{code}"): ADMINS,
    ("POST", "/staff/countries/{code}"): ADMINS,
    ("GET", "/staff/elections/{slug}/missions/{mission}/import"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/missions/{mission}/import"): REGISTRARS,
    ("GET", "/staff/imports/{batch_id}"): REGISTRARS,
    ("POST", "/staff/imports/{batch_id}/mapping"): REGISTRARS,
    ("POST", "/staff/imports/{batch_id}/latin"): REGISTRARS,
    ("GET", "/staff/imports/{batch_id}/errors.xlsx"): REGISTRARS,
    ("POST", "/staff/imports/{batch_id}/commit"): REGISTRARS,
    ("GET", "/staff/imports/template.xlsx"): REGISTRARS,
    ("POST", "/api/elections/{slug}/decisions"): REGISTRARS,
    ("GET", "/api/elections/{slug}/decisions"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/decisions"): REGISTRARS,
    ("GET", "/staff/elections/{slug}/decisions/new"): REGISTRARS,
    ("POST", "/staff/elections/{slug}/decisions/new"): REGISTRARS,
    ("GET", "/staff/decisions/{decision_id}"): REGISTRARS,
    ("GET", "/api/decisions/{decision_id}"): REGISTRARS,
    ("GET", "/api/decisions/{decision_id}/annex.pdf"): REGISTRARS,
    ("GET", "/api/decisions/{decision_id}/letters/{mission}"): REGISTRARS,
}
# Answers that carry personal data (people, their accreditations, documents and photos, the files made of
# them, the audit trail's before and after, staff accounts): never kept by a browser or a proxy.
PERSONAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/api/persons"),
        ("POST", "/api/persons"),
        ("GET", "/api/persons/{person_id}"),
        ("PUT", "/api/persons/{person_id}"),
        ("GET", "/api/elections/{slug}/accreditations"),
        ("POST", "/api/elections/{slug}/accreditations"),
        ("GET", "/api/accreditations/{accreditation_id}"),
        ("POST", "/api/accreditations/{accreditation_id}/transitions"),
        ("POST", "/api/accreditations/{accreditation_id}/substitution"),
        ("PUT", "/api/accreditations/{accreditation_id}/test-data"),
        ("GET", "/api/elections/{slug}/roster.xlsx"),
        ("GET", "/staff/elections/{slug}/roster"),
        ("GET", "/api/elections/{slug}/badges.pdf"),
        ("GET", "/staff/elections/{slug}/badges"),
        ("GET", "/api/persons/{person_id}/photo"),
        ("PUT", "/api/persons/{person_id}/photo"),
        ("DELETE", "/api/persons/{person_id}/photo"),
        ("POST", "/staff/persons/{person_id}/photo"),
        ("GET", "/api/audit"),
        ("GET", "/api/users"),
        ("PATCH", "/api/users/{user_id}"),
        ("POST", "/api/users/{user_id}/password-reset"),
        ("GET", "/api/session"),
        ("GET", "/staff/elections/{slug}/accreditations"),
        ("GET", "/staff/elections/{slug}/accreditations/new"),
        ("POST", "/staff/elections/{slug}/accreditations/new"),
        ("GET", "/staff/accreditations/{accreditation_id}"),
        ("POST", "/staff/accreditations/{accreditation_id}/transition"),
        ("POST", "/staff/accreditations/{accreditation_id}/substitute"),
        ("POST", "/staff/accreditations/{accreditation_id}/test-data"),
        ("GET", "/staff/persons/{person_id}"),
        ("GET", "/staff/persons/{person_id}/edit"),
        ("POST", "/staff/persons/{person_id}/edit"),
        ("POST", "/staff/persons/{person_id}/latin-name"),
        ("GET", "/staff/audit"),
        ("GET", "/staff/users"),
        ("POST", "/staff/users"),
        ("POST", "/staff/users/{user_id}/role"),
        ("POST", "/staff/users/{user_id}/password-reset"),
        ("GET", "/staff/elections/{slug}/missions/{mission}"),
        ("GET", "/staff/elections/{slug}/missions/{mission}/import"),
        ("POST", "/staff/elections/{slug}/missions/{mission}/import"),
        ("GET", "/staff/imports/{batch_id}"),
        ("POST", "/staff/imports/{batch_id}/mapping"),
        ("POST", "/staff/imports/{batch_id}/latin"),
        ("GET", "/staff/imports/{batch_id}/errors.xlsx"),
        ("POST", "/staff/imports/{batch_id}/commit"),
        ("POST", "/api/elections/{slug}/decisions"),
        ("GET", "/api/decisions/{decision_id}"),
        ("GET", "/api/decisions/{decision_id}/annex.pdf"),
        ("GET", "/api/decisions/{decision_id}/letters/{mission}"),
        ("GET", "/staff/elections/{slug}/decisions/new"),
        ("POST", "/staff/elections/{slug}/decisions/new"),
        ("GET", "/staff/decisions/{decision_id}"),
    }
)
# The OpenAPI document and its viewers are public.
SCHEMA = re.compile(r"^/schema")
VALUES = {
    "slug": "majilis-2023",
    "mission": "odihr",
    "person_id": "1",
    "accreditation_id": "1",
    "user_id": "999999",
    "batch_id": "999999",
    "decision_id": "999999",
    "path": "openapi.json",
    "bulletin_id": "999999",
    "item_id": "1",
    "name": "999999.pdf",
    "file_path": "site.css",
    "code": "KZ",
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


def test_no_personal_route_is_public() -> None:
    assert {route for route in PERSONAL if MATRIX[route] & {"anonymous"}} == set()


def test_no_answer_with_personal_data_is_kept_by_a_browser_or_a_proxy(
    client: TestClient[Litestar], demo_app: Litestar
) -> None:
    sign_in(client, RITA)
    rows = observers(2)
    rows[1] = (*rows[1][:4], "Атлантида", *rows[1][5:])
    uploaded = upload(client, xlsx(rows))
    batch = uploaded.headers["location"].rsplit("/", 1)[1]
    decided = decide(client, accreditation_ids=nominate(client, mission="odihr")).json()
    sign_in(client, ADA)
    values = VALUES | {"batch_id": batch, "decision_id": str(decided["id"])}
    answers = {}
    for method, template in sorted(PERSONAL):
        path = re.sub(r"\{(\w+)\}", lambda found: values[found.group(1)], template)
        if method == "GET":
            answers[method, template] = client.get(path)
        elif "/api/" in path:
            answers[method, template] = client.request(method, path, headers=csrf_headers(client), json={})
        else:
            answers[method, template] = client.request(method, path, headers=csrf_headers(client), data={})

    assert {route: answer.headers.get("cache-control") for route, answer in answers.items()} == dict.fromkeys(
        answers, "no-store"
    )
    assert {route for route, answer in answers.items() if route[0] == "GET" and answer.status_code != 200} == {
        ("GET", "/api/persons/{person_id}/photo")  # the demo's people have no photo: 404, no-store all the same
    }
    assert "Azamat Testov 1" in answers["GET", "/staff/imports/{batch_id}"].text


def test_the_public_site_keeps_its_caching_for_a_signed_in_visitor(as_ada: TestClient[Litestar]) -> None:
    for path in ("/", "/elections/majilis-2023", "/api/elections/majilis-2023/tally", "/api/news/1"):
        assert as_ada.get(path).headers["cache-control"] == "public, max-age=15", path
    assert as_ada.get("/static/site.css").headers["cache-control"] == "max-age=31536000, public"
