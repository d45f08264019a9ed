"""Signing in to the staff pages."""

from __future__ import annotations

from http.cookies import SimpleCookie

from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import PASSWORD, RITA, count_rows, form_token, submit
from tracker import models as m

HTML = {"accept": "text/html"}


def test_a_staff_page_sends_anonymous_visitors_to_sign_in(client: TestClient[Litestar]) -> None:
    response = client.get("/staff/elections/majilis-2023/missions", headers=HTML, follow_redirects=False)

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/staff/sign-in?next=/staff/elections/majilis-2023/missions"


def test_it_signs_in_and_goes_where_you_were_going(client: TestClient[Litestar]) -> None:
    response = submit(
        client, "/staff/sign-in", email=RITA, password=PASSWORD, next="/staff/elections/majilis-2023/missions"
    )

    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/staff/elections/majilis-2023/missions"
    assert "Delegation of the State of Palestine" in client.get(response.headers["location"], headers=HTML).text


def test_it_never_redirects_off_the_site(client: TestClient[Litestar]) -> None:
    response = submit(client, "/staff/sign-in", email=RITA, password=PASSWORD, next="//evil.example/")

    assert response.headers["location"] == "/staff"


def test_a_wrong_password_shows_a_message(client: TestClient[Litestar]) -> None:
    response = submit(client, "/staff/sign-in", email=RITA, password="wrong wrong wrong")

    assert response.status_code == 401
    assert "The email or password is wrong" in response.text


def test_a_form_without_the_csrf_token_is_refused(client: TestClient[Litestar]) -> None:
    form_token(client, "/staff/sign-in")

    response = client.post("/staff/sign-in", data={"email": RITA, "password": PASSWORD}, follow_redirects=False)

    assert response.status_code == 403
    assert "tracker_session" not in response.headers.get("set-cookie", "")


def test_a_form_with_a_forged_token_is_refused(client: TestClient[Litestar]) -> None:
    form_token(client, "/staff/sign-in")

    response = client.post(
        "/staff/sign-in", data={"_csrf_token": "forged", "email": RITA, "password": PASSWORD}, follow_redirects=False
    )

    assert response.status_code == 403


def test_signing_out_ends_the_session(client: TestClient[Litestar]) -> None:
    submit(client, "/staff/sign-in", email=RITA, password=PASSWORD)

    response = submit(client, "/staff", action="/staff/sign-out")

    assert response.headers["location"] == "/staff/sign-in"
    assert client.get("/staff", headers=HTML, follow_redirects=False).status_code in (302, 303)


def test_signing_out_deletes_the_cookie(client: TestClient[Litestar], demo_db: str) -> None:
    submit(client, "/staff/sign-in", email=RITA, password=PASSWORD)

    response = submit(client, "/staff", action="/staff/sign-out")

    gone = next(v for v in response.headers.get_list("set-cookie") if v.startswith("tracker_session="))
    assert SimpleCookie(gone)["tracker_session"]["max-age"] == "0"
    assert count_rows(demo_db, m.WebSession) == 0


def test_signing_in_marks_the_browser_as_known(client: TestClient[Litestar]) -> None:
    response = submit(client, "/staff/sign-in", email=RITA, password=PASSWORD)

    device = next(v for v in response.headers.get_list("set-cookie") if v.startswith("tracker_device="))
    assert "HttpOnly" in device
    assert "SameSite=lax" in device or "SameSite=Lax" in device


def test_after_five_failures_the_form_says_when_to_try_again_and_what_else_to_do(client: TestClient[Litestar]) -> None:
    for _ in range(5):
        submit(client, "/staff/sign-in", email=RITA, password="wrong wrong wrong")

    response = submit(client, "/staff/sign-in", email=RITA, password=PASSWORD)
    in_russian = submit(client, "/staff/sign-in?lang=ru", email=RITA, password=PASSWORD)

    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 14 * 60
    assert "Too many failed sign-ins from this address. Try again in 15 minutes" in response.text
    assert "sign in from a browser where you have signed in before" in response.text
    assert "Слишком много неудачных попыток входа с этого сетевого адреса" in in_russian.text
