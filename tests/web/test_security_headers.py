"""Headers that hold the browser to what the pages are (no script, nothing framed, no address sent
elsewhere), on every kind of answer; and pages that need nothing the policy refuses."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import ADA, sign_in
from tracker.app import create_app
from tracker.settings import Settings

PAGES = ["/", "/elections/majilis-2023", "/verify", "/staff/sign-in"]
ANSWERS = [
    *PAGES,
    "/api/elections/majilis-2023/tally",
    "/api/elections/majilis-2023/tally.csv",
    "/api/bulletins",
    "/static/site.css",
    "/no-such-page",
    "/api/elections/no-such-election/tally",
    "/staff",
]


def policy(response: object) -> dict[str, str]:
    header = response.headers["content-security-policy"]  # type: ignore[attr-defined]
    return {part.split()[0]: part.partition(" ")[2] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path", ANSWERS)
def test_every_answer_carries_the_headers(client: TestClient[Litestar], path: str) -> None:
    response = client.get(path, follow_redirects=False)

    rules = policy(response)
    assert rules["default-src"] == "'none'"
    assert "script-src" not in rules  # so default-src applies: no script at all
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert rules["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # plain http: a browser would ignore it


def test_a_not_modified_answer_carries_them_too(client: TestClient[Litestar]) -> None:
    first = client.get("/api/elections/majilis-2023/tally")
    again = client.get("/api/elections/majilis-2023/tally", headers={"If-None-Match": first.headers["etag"]})

    assert again.status_code == 304
    assert again.headers["x-frame-options"] == "DENY"


def test_over_https_browsers_are_told_to_keep_to_it(demo_db: str) -> None:
    with TestClient(app=create_app(Settings(database_url=demo_db, secure_cookies=True))) as client:
        response = client.get("/")

    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_no_page_has_a_script_or_an_inline_style(client: TestClient[Litestar]) -> None:
    sign_in(client, ADA)
    election = "/staff/elections/majilis-2023"
    staff = ["/staff", *(f"{election}/{page}" for page in ("missions", "bulletins", "news", "roster", "badges"))]
    for path in [*PAGES, *staff]:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text

        assert "<script" not in html, path
        assert not re.search(r"<style|\sstyle=", html), path
        assert re.search(r'<link rel="stylesheet" href="/static/site\.css\?v=[0-9a-f]{12}">', html), path


def test_the_style_sheet_is_kept_by_browsers_for_as_long_as_its_address(client: TestClient[Litestar]) -> None:
    response = client.get("/static/site.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in response.headers["cache-control"]
    assert "table.stack" in response.text
