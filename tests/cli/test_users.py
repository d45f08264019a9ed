"""`tracker users`: the first admin is made on the command line, the password read from standard input."""

from __future__ import annotations

from tests.cli.runner import tracker
from tests.conftest import count_rows
from tracker import models as m


def test_it_creates_a_user_from_a_piped_password_and_lists_it(demo_db: str) -> None:
    before = count_rows(demo_db, m.User)

    created = tracker(
        demo_db, "users", "create", "--role", "registrar", "Nur@CEC.example", stdin="a long enough password\n"
    )
    listed = tracker(demo_db, "users", "list")

    assert (created.returncode, created.stdout) == (0, "created registrar nur@cec.example\n")
    assert count_rows(demo_db, m.User) == before + 1
    assert "nur@cec.example\tregistrar\tactive\n" in listed.stdout


def test_a_short_password_is_one_line_and_exit_code_2(demo_db: str) -> None:
    result = tracker(demo_db, "users", "create", "--role", "admin", "x@cec.example", stdin="short\n")

    assert result.returncode == 2
    assert result.stderr == "tracker: password: must be at least 12 characters long\n"


def test_reset_password_prints_a_one_time_link_the_web_page_opens(demo_db: str) -> None:
    from litestar.testing import TestClient

    from tracker.app import create_app
    from tracker.settings import Settings

    printed = tracker(demo_db, "users", "reset-password", "RITA@cec.example")
    unknown = tracker(demo_db, "users", "reset-password", "nobody@cec.example")

    assert printed.returncode == 0
    link = printed.stdout.strip()
    assert link.startswith("http://127.0.0.1:8000/staff/password-reset?token=")
    assert printed.stderr.startswith("valid once, until ")
    with TestClient(app=create_app(Settings(database_url=demo_db))) as browser:
        page = browser.get(link.removeprefix("http://127.0.0.1:8000"))
    assert (page.status_code, "rita@cec.example" in page.text) == (200, True)
    assert (unknown.returncode, unknown.stderr) == (2, "tracker: unknown user 'nobody@cec.example'\n")
