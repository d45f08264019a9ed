"""A catalogue of bad input, tried on every text field of the records staff type in: each is either
refused with a 4xx that names the field, with nothing stored, or stored exactly as given (after the
trimming and Unicode normalization every text gets) and shown escaped. Then the other ways a request
can be wrong: dates that do not exist, numbers out of range, wrong content types, oversized bodies,
a missing CSRF token and a session that has expired."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import update

from tests.conftest import PAT, RITA, count_rows, csrf_headers, sign_in
from tests.web.api_helpers import ELECTION, fields_named, new_person
from tracker import models as m

VALUES = {
    "overlong": "A" * 5000,
    "control character": "Anna\x00Primer",
    "escape sequence": "Anna\x1b[31mPrimer",
    "right-to-left override": "Anna\u202eremirP",
    "zero-width joiner": "An\u200dna",
    "emoji": "Anna 🇰🇿 Primer",
    "mixed scripts": "Анна Primer Қазақ",
    "SQL injection": "Robert'); DROP TABLE person;--",
    "HTML injection": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "only spaces": "     ",
}
PERSON_FIELDS = ("name_original", "name_latin", "document_number", "email", "phone")
MISSION_FIELDS = ("name", "head_name", "coordinator_name", "nomination_note_ref")
NEWS_FIELDS = ("title", "source", "text")


def stored(value: str) -> str:
    return unicodedata.normalize("NFC", value.strip())


def check(response: Any, field: str, value: str, before: int, after: int, shown: str | None) -> None:
    """Refused (4xx naming the field, nothing stored) or kept exactly; never anything else."""
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.status_code in {400, 409, 422}, response.text
        assert field in fields_named(response), response.text
        assert after == before
    else:
        assert after == before + 1
        if shown is not None:
            assert shown == stored(value)


def each_value(field: str, attempt: Any) -> None:
    """Every bad value tried on `field` (one app and database for all of them); all problems at once."""
    problems = []
    for number, (kind, value) in enumerate(sorted(VALUES.items())):
        try:
            attempt(number, value)
        except AssertionError as problem:
            problems.append(f"{field}, {kind}: {problem}")
    assert problems == []


@pytest.mark.parametrize("field", PERSON_FIELDS)
def test_person_fields(as_rita: TestClient[Litestar], demo_db: str, field: str) -> None:
    def attempt(number: int, value: str) -> None:
        before = count_rows(demo_db, m.Person)
        # new_person() names both scripts alike unless told otherwise: only `field` is the bad one.
        person = new_person(name_original=f"Jana Beispiel {number}", document_number=f"CAT{number:04d}")
        response = as_rita.post("/api/persons", json=person | {field: value}, headers=csrf_headers(as_rita))
        shown = None
        if response.status_code == 201:
            shown = as_rita.get(f"/api/persons/{response.json()['id']}").json()[field]
            if field == "document_number" and shown is not None:  # kept as printed: upper case, no spaces
                shown = stored(value).replace(" ", "").upper()
        check(response, field, value, before, count_rows(demo_db, m.Person), shown)

    each_value(field, attempt)


@pytest.mark.parametrize("field", MISSION_FIELDS)
def test_mission_fields(as_rita: TestClient[Litestar], demo_db: str, field: str) -> None:
    def attempt(number: int, value: str) -> None:
        body = {"slug": f"catalogue-{number}", "name": "Catalogue", "sender": "country:DE"}
        before = count_rows(demo_db, m.Mission)
        response = as_rita.post(f"{ELECTION}/missions", json=body | {field: value}, headers=csrf_headers(as_rita))
        shown = response.json().get(field) if response.status_code == 201 else None
        check(response, field, value, before, count_rows(demo_db, m.Mission), shown)

    each_value(field, attempt)


@pytest.mark.parametrize("field", NEWS_FIELDS)
def test_news_fields(client: TestClient[Litestar], demo_db: str, field: str) -> None:
    sign_in(client, PAT)
    body = {
        "election": "majilis-2023",
        "source": "Test",
        "language": "en",
        "published_at": "2023-03-01T10:00:00",
    }

    def attempt(number: int, value: str) -> None:
        before = count_rows(demo_db, m.NewsItem)
        item = body | {"title": f"Catalogue {number}"} | {field: value}
        response = client.post("/api/news", json=item, headers=csrf_headers(client))
        shown = response.json().get(field) if response.status_code == 201 else None
        check(response, field, value, before, count_rows(demo_db, m.NewsItem), shown)

    each_value(field, attempt)


def test_an_injected_script_in_a_name_is_shown_as_text(as_rita: TestClient[Litestar]) -> None:
    name = VALUES["HTML injection"]
    body = {"mission": "odihr", "role": "short_term_observer", "person": new_person(name_original=name)}
    body["effective_at"] = "2023-03-10T10:00:00+06:00"
    created = as_rita.post(f"{ELECTION}/accreditations", json=body, headers=csrf_headers(as_rita))
    assert created.status_code == 201, created.text
    html_pages = {"accept": "text/html"}

    page = as_rita.get(f"/staff/persons/{created.json()['person_id']}", headers=html_pages)
    found = as_rita.get("/staff/elections/majilis-2023/accreditations", params={"q": "script"}, headers=html_pages)

    for html in (page.text, found.text):
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": "2023-02-30"}, "birth_date"),
        ({"birth_date": "1999-13-01"}, "birth_date"),
        ({"birth_date": "2199-01-01"}, "birth_date"),
        ({"birth_date": "-0001-01-01"}, "birth_date"),
    ],
)
def test_dates_that_do_not_exist(as_rita: TestClient[Litestar], change: dict[str, str], field: str) -> None:
    response = as_rita.post("/api/persons", json=new_person(**change), headers=csrf_headers(as_rita))

    assert response.status_code == 400
    assert field in fields_named(response)


@pytest.mark.parametrize("moment", ["2023-02-30T10:00:00+06:00", "2023-03-10T25:00:00+06:00", "not a moment"])
def test_an_effective_time_that_does_not_exist(as_rita: TestClient[Litestar], demo_db: str, moment: str) -> None:
    before = count_rows(demo_db, m.Accreditation)
    body = {"mission": "odihr", "role": "short_term_observer", "person": new_person(), "effective_at": moment}

    response = as_rita.post(f"{ELECTION}/accreditations", json=body, headers=csrf_headers(as_rita))

    assert response.status_code == 400
    assert "effective_at" in fields_named(response)
    assert count_rows(demo_db, m.Accreditation) == before


@pytest.mark.parametrize("size", [-1, 10**6, 2**63, 10**30])
def test_numbers_out_of_range(as_rita: TestClient[Litestar], size: int) -> None:
    body = {"slug": "numbers", "name": "Numbers", "sender": "country:DE", "expected_size": size}

    response = as_rita.post(f"{ELECTION}/missions", json=body, headers=csrf_headers(as_rita))

    assert response.status_code == 400
    assert "expected_size" in fields_named(response)


@pytest.mark.parametrize("version", [-1, 0, 2**63 + 5, 10**30])
def test_a_version_that_cannot_be_is_refused(as_rita: TestClient[Litestar], version: int) -> None:
    response = as_rita.put(
        "/api/persons/1", params={"version": version}, json=new_person(), headers=csrf_headers(as_rita)
    )

    assert response.status_code in {400, 409}
    assert "version" in fields_named(response)


@pytest.mark.parametrize(
    "path",
    ["/api/persons/99999999999999999999999", "/api/bulletins/99999999999999999999999", "/news/-99999999999999999999"],
)
def test_an_id_too_large_to_exist_is_404(as_rita: TestClient[Litestar], path: str) -> None:
    response = as_rita.get(path, headers={"accept": "application/json"})

    assert response.status_code == 404


def test_a_body_that_is_not_json_is_refused(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Person)
    for content_type, body in (
        ("text/plain", b"name_original=Anna"),
        ("application/xml", b"<person/>"),
        ("application/json", b"\xff\xfe not utf-8"),
        ("application/json", b'{"name_original": "Anna", '),
    ):
        response = as_rita.post(
            "/api/persons", content=body, headers=csrf_headers(as_rita) | {"content-type": content_type}
        )
        assert 400 <= response.status_code < 500, (content_type, response.status_code)
        assert response.headers["content-type"].startswith("application/json")
    assert count_rows(demo_db, m.Person) == before


def test_an_oversized_body_is_413(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Person)
    huge = new_person(name_original="A" * (20 * 1024 * 1024))

    response = as_rita.post("/api/persons", json=huge, headers=csrf_headers(as_rita))

    assert response.status_code == 413
    assert count_rows(demo_db, m.Person) == before


def test_a_write_without_the_csrf_token_is_403(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Person)

    response = as_rita.post("/api/persons", json=new_person())

    assert response.status_code == 403
    assert count_rows(demo_db, m.Person) == before


def test_an_expired_session_is_signed_out(client: TestClient[Litestar], demo_db: str) -> None:
    import asyncio

    from sqlalchemy.ext.asyncio import create_async_engine

    from tests.conftest import in_thread

    sign_in(client, RITA)
    assert client.get("/api/session").status_code == 200

    async def expire() -> None:
        engine = create_async_engine(demo_db)
        try:
            async with engine.begin() as connection:
                past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
                await connection.execute(update(m.WebSession).values(expires_at=past))
        finally:
            await engine.dispose()

    in_thread(lambda: asyncio.run(expire()))

    assert client.get("/api/session").status_code == 401
    assert client.post("/api/persons", json=new_person(), headers=csrf_headers(client)).status_code in {401, 403}
