"""POST /api/session signs in; wrong passwords are refused and, repeated, slowed down."""

from __future__ import annotations

from http.cookies import SimpleCookie

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import PASSWORD, RITA, count_rows, csrf_headers, sign_in
from tracker import models as m


def session_cookie(response: httpx.Response) -> str:
    return next(value for value in response.headers.get_list("set-cookie") if value.startswith("tracker_session="))


def test_it_signs_in_and_says_who_you_are(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)

    response = client.get("/api/session")

    assert response.json() == {"email": RITA, "name": "Rita", "role": "registrar"}


def test_the_session_cookie_is_httponly_and_samesite(client: TestClient[Litestar]) -> None:
    response = client.post("/api/session", json={"email": RITA, "password": PASSWORD}, headers=csrf_headers(client))

    cookie = next(
        value for key, value in response.headers.multi_items() if key == "set-cookie" and "tracker_session=" in value
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie


def test_a_wrong_password_is_401(client: TestClient[Litestar]) -> None:
    response = client.post(
        "/api/session", json={"email": RITA, "password": "not the password at all"}, headers=csrf_headers(client)
    )

    assert response.status_code == 401
    assert client.get("/api/session").status_code == 401


def test_sign_in_without_the_csrf_token_is_refused(client: TestClient[Litestar]) -> None:
    response = client.post("/api/session", json={"email": RITA, "password": PASSWORD})

    assert response.status_code == 403


def test_repeated_failures_lock_the_account_at_this_address_for_a_while(client: TestClient[Litestar]) -> None:
    headers = csrf_headers(client)
    for _ in range(5):
        client.post("/api/session", json={"email": RITA, "password": "wrong password 123"}, headers=headers)

    response = client.post("/api/session", json={"email": RITA, "password": PASSWORD}, headers=headers)

    assert response.status_code == 429
    assert (
        "Try again in 15 minutes, or sign in from a browser where you have signed in before"
        in response.json()["detail"]
    )
    assert 14 * 60 < int(response.headers["retry-after"]) <= 15 * 60


def test_signing_out_ends_the_session(client: TestClient[Litestar]) -> None:
    sign_in(client, RITA)

    assert client.delete("/api/session", headers=csrf_headers(client)).status_code == 204
    assert client.get("/api/session").status_code == 401


def test_signing_out_deletes_the_cookie(client: TestClient[Litestar], demo_db: str) -> None:
    sign_in(client, RITA)

    response = client.delete("/api/session", headers=csrf_headers(client))

    gone = SimpleCookie(session_cookie(response))["tracker_session"]
    assert gone.value in ("", "null")
    assert gone["max-age"] == "0"
    assert count_rows(demo_db, m.WebSession) == 0


def test_signing_in_again_ends_the_previous_session(client: TestClient[Litestar], demo_db: str) -> None:
    sign_in(client, RITA)
    before = client.cookies["tracker_session"]

    sign_in(client, RITA)

    assert client.cookies["tracker_session"] != before
    assert client.get("/api/session").status_code == 200
    assert count_rows(demo_db, m.WebSession) == 1
    with_the_old_id = client.get("/api/session", headers={"cookie": f"tracker_session={before}"})
    assert with_the_old_id.status_code == 401
    assert SimpleCookie(session_cookie(with_the_old_id))["tracker_session"]["max-age"] == "0"
    assert count_rows(demo_db, m.WebSession) == 1


def test_the_session_id_changes_at_sign_in(client: TestClient[Litestar]) -> None:
    headers = {
        **csrf_headers(client),
        "cookie": f"csrftoken={client.cookies['csrftoken']}; tracker_session=planted1234",
    }

    response = client.post("/api/session", json={"email": RITA, "password": PASSWORD}, headers=headers)

    assert response.status_code == 200
    cookie = next(
        value for key, value in response.headers.multi_items() if key == "set-cookie" and "tracker_session=" in value
    )
    assert "tracker_session=planted1234" not in cookie


def test_anonymous_visits_leave_no_session_behind(client: TestClient[Litestar], demo_db: str) -> None:
    responses = [client.get(path) for path in ("/", "/api/elections", "/staff/sign-in", "/staff")]

    assert all("tracker_session" not in r.headers.get("set-cookie", "") for r in responses)
    assert count_rows(demo_db, m.WebSession) == 0


def test_a_signed_in_session_is_kept_in_the_database(client: TestClient[Litestar], demo_db: str) -> None:
    sign_in(client, RITA)

    assert count_rows(demo_db, m.WebSession) == 1


def test_over_https_the_session_cookie_is_secure(demo_db: str) -> None:
    from tracker.app import create_app
    from tracker.settings import Settings

    with TestClient(
        app=create_app(Settings(database_url=demo_db, secure_cookies=True)), base_url="https://testserver.local"
    ) as client:
        response = client.post("/api/session", json={"email": RITA, "password": PASSWORD}, headers=csrf_headers(client))

    cookie = next(
        value for key, value in response.headers.multi_items() if key == "set-cookie" and "tracker_session=" in value
    )
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
