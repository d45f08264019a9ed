"""Accounts people manage: one's own password, an admin's one-time link to set a new one, roles and disabled
accounts, each signing the person out at once on every worker, and every change in the audit trail without
a password or a link in it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import select

from tests.conftest import ADA, PASSWORD, RITA, csrf_headers, read, sign_in, submit
from tracker import models as m
from tracker.app import create_app
from tracker.services import password_resets
from tracker.settings import Settings

NEW = "plum violin harbour seventeen"
ACCREDITATIONS = "/staff/elections/majilis-2023/accreditations"
NEWS = "/staff/elections/majilis-2023/news"


@pytest.fixture
def ritas_browser(demo_db: str) -> Iterator[TestClient[Litestar]]:
    """Rita's own browser, served by another app on the same database, as another worker would serve it."""
    with TestClient(app=create_app(Settings(database_url=demo_db))) as other:
        yield other


def error_under(page: str, field: str) -> str:
    found = re.search(rf'id="f-e-{field}">([^<]*)<', page)
    assert found, f"no message under {field}"
    return found.group(1)


def user_id(demo_db: str, email: str) -> int:
    return int(read(demo_db, select(m.User.id).where(m.User.email == email))[0][0])


def audit_of(demo_db: str, email: str) -> list[tuple[str, str, object, object]]:
    """The account's entries in the trail: action, actor, before, after."""
    entity_id = str(user_id(demo_db, email))
    columns = (m.AuditEntry.action, m.AuditEntry.actor, m.AuditEntry.before, m.AuditEntry.after)
    query = select(*columns).where(m.AuditEntry.entity == "user_account", m.AuditEntry.entity_id == entity_id)
    return [tuple(row) for row in read(demo_db, query.order_by(m.AuditEntry.id))]


def trail_text(demo_db: str) -> str:
    rows = read(demo_db, select(m.AuditEntry.before, m.AuditEntry.after, m.AuditEntry.note))
    return json.dumps([list(row) for row in rows], ensure_ascii=False)


def test_changing_ones_password_needs_the_current_one_and_a_new_one_nobody_would_guess(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    page = "/staff/password"
    wrong = submit(as_rita, page, current_password="not my password", new_password=NEW, new_password_again=NEW)
    short = submit(as_rita, page, current_password=PASSWORD, new_password="short one", new_password_again="short one")
    common_ru = submit(
        as_rita,
        f"{page}?lang=ru",
        current_password=PASSWORD,
        new_password="Password1234!",
        new_password_again="Password1234!",
    )
    short_ru = submit(as_rita, f"{page}?lang=ru", current_password=PASSWORD, new_password="x", new_password_again="x")
    changed = submit(as_rita, f"{page}?lang=en", current_password=PASSWORD, new_password=NEW, new_password_again=NEW)

    assert (wrong.status_code, error_under(wrong.text, "current_password")) == (
        400,
        "this is not your current password",
    )
    assert error_under(short.text, "new_password") == "must be at least 12 characters long"
    assert error_under(common_ru.text, "new_password").startswith("слишком распространённый")
    assert error_under(short_ru.text, "new_password") == "не короче 12 символов"
    assert changed.headers["location"] == "/staff/password?changed=true"
    # This browser carries on; the password it was signed in with no longer opens the account.
    assert "Your password is changed" in as_rita.get(changed.headers["location"]).text
    assert as_rita.get("/api/session").json()["email"] == RITA
    with TestClient(app=create_app(Settings(database_url=demo_db))) as other:
        attempt = other.post("/api/session", json={"email": RITA, "password": PASSWORD}, headers=csrf_headers(other))
        assert attempt.status_code == 401
        sign_in(other, RITA, NEW)
    assert [entry[0] for entry in audit_of(demo_db, RITA)][-1] == "change_password"
    assert NEW not in trail_text(demo_db)


def test_a_reset_link_sets_a_password_once_and_not_after_24_hours(
    as_ada: TestClient[Litestar], ritas_browser: TestClient[Litestar], demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rita = user_id(demo_db, RITA)

    def new_link() -> str:
        shown = submit(as_ada, "/staff/users", action=f"/staff/users/{rita}/password-reset")
        assert shown.status_code == 200
        found = re.search(r"<code[^>]*>http://[^/]+(/staff/password-reset\?token=[\w.-]+)</code>", shown.text)
        assert found, "the link is shown to the admin"
        return found.group(1)

    link = new_link()
    token = link.split("token=")[1]
    opened = ritas_browser.get(link)
    done = submit(ritas_browser, link, "/staff/password-reset", token=token, new_password=NEW, new_password_again=NEW)
    again = ritas_browser.get(link)
    posted_again = submit(
        ritas_browser, "/staff/sign-in", "/staff/password-reset", token=token, new_password=NEW, new_password_again=NEW
    )
    later = new_link()
    tomorrow = password_resets.utc_now() + dt.timedelta(hours=24, seconds=1)
    monkeypatch.setattr(password_resets, "utc_now", lambda: tomorrow)
    expired = ritas_browser.get(later)

    assert RITA in opened.text
    assert "The new password for rita@cec.example is set" in done.text
    assert (again.status_code, posted_again.status_code) == (410, 410)
    assert "already been used" in again.text
    assert (expired.status_code, "has expired" in expired.text) == (410, True)
    sign_in(ritas_browser, RITA, NEW)
    actions = [entry[0] for entry in audit_of(demo_db, RITA)]
    assert actions[-3:] == ["password_reset_link", "reset_password", "password_reset_link"]
    assert ADA in {entry[1] for entry in audit_of(demo_db, RITA) if entry[0] == "password_reset_link"}
    trail = trail_text(demo_db)
    assert [secret for secret in (*token.split("."), NEW) if secret in trail] == []


def test_a_disabled_account_is_signed_out_at_once_on_every_worker(
    as_ada: TestClient[Litestar], ritas_browser: TestClient[Litestar], demo_db: str
) -> None:
    sign_in(ritas_browser, RITA)
    assert ritas_browser.get(ACCREDITATIONS).status_code == 200

    submit(as_ada, "/staff/users", action=f"/staff/users/{user_id(demo_db, RITA)}/active", active="false")
    page = ritas_browser.get(ACCREDITATIONS, headers={"accept": "text/html"}, follow_redirects=False)

    assert page.headers["location"] == f"/staff/sign-in?next={ACCREDITATIONS}"
    assert ritas_browser.get("/api/session").status_code == 401
    attempt = ritas_browser.post(
        "/api/session", json={"email": RITA, "password": PASSWORD}, headers=csrf_headers(ritas_browser)
    )
    assert attempt.status_code == 401
    assert audit_of(demo_db, RITA)[-1] == (
        "deactivate",
        ADA,
        {"is_active": True},
        {"is_active": False},
    )


def test_a_new_role_takes_effect_at_the_next_sign_in_and_ends_the_session_before_it(
    as_ada: TestClient[Litestar], ritas_browser: TestClient[Litestar], demo_db: str
) -> None:
    sign_in(ritas_browser, RITA)
    rita = user_id(demo_db, RITA)

    submit(as_ada, "/staff/users", action=f"/staff/users/{rita}/role", role="press_officer")
    signed_out = ritas_browser.get("/api/session").status_code
    sign_in(ritas_browser, RITA)

    assert signed_out == 401
    assert ritas_browser.get("/api/session").json()["role"] == "press_officer"
    assert (ritas_browser.get(NEWS).status_code, ritas_browser.get(ACCREDITATIONS).status_code) == (200, 403)
    assert 'value="press_officer" selected' in as_ada.get("/staff/users").text
    assert audit_of(demo_db, RITA)[-1] == ("update", ADA, {"role": "registrar"}, {"role": "press_officer"})


def test_an_admin_cannot_disable_or_demote_themselves_nor_change_a_password_without_the_current_one_by_api(
    as_ada: TestClient[Litestar], demo_db: str
) -> None:
    headers = csrf_headers(as_ada)
    own = as_ada.patch(f"/api/users/{user_id(demo_db, ADA)}", json={"is_active": False}, headers=headers)
    other = as_ada.patch(f"/api/users/{user_id(demo_db, RITA)}", json={"role": "press_officer"}, headers=headers)
    link = as_ada.post(f"/api/users/{user_id(demo_db, RITA)}/password-reset", headers=headers)
    wrong = as_ada.post(
        "/api/session/password", json={"current_password": "not it at all", "new_password": NEW}, headers=headers
    )
    changed = as_ada.post(
        "/api/session/password", json={"current_password": PASSWORD, "new_password": NEW}, headers=headers
    )

    assert (own.status_code, own.json()["field"]) == (400, "active")
    assert (other.status_code, other.json()["role"]) == (200, "press_officer")
    assert (link.status_code, "/staff/password-reset?token=" in link.json()["url"]) == (201, True)
    assert (wrong.status_code, wrong.json()["field"]) == (400, "current_password")
    assert changed.status_code == 204
    assert as_ada.get("/api/session").status_code == 200
