"""The public site's caching and rate limit, with two app instances standing in for two workers.

Each instance has its own engine and event loop, as separate worker processes do; all they share is
the database. A figure cached by one must never outlive a change made through the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import RITA, sign_in
from tests.web.api_helpers import nominate, transition
from tracker.app import create_app
from tracker.settings import Settings

TALLY = "/api/elections/majilis-2023/tally"


def worker(database_url: str, **settings: Any) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=create_app(Settings(database_url=database_url, **settings))) as client:
        yield client


@pytest.fixture
def reader(demo_db: str) -> Iterator[TestClient[Litestar]]:
    yield from worker(demo_db)


@pytest.fixture
def writer(demo_db: str) -> Iterator[TestClient[Litestar]]:
    for client in worker(demo_db):
        sign_in(client, RITA)
        yield client


def test_public_answers_carry_a_validator_and_a_short_max_age_and_no_cookie(reader: TestClient[Litestar]) -> None:
    for path in (TALLY, "/", "/elections/majilis-2023", "/api/bulletins"):
        response = reader.get(path)

        assert response.status_code == 200
        assert response.headers["etag"].startswith('W/"')
        assert response.headers["cache-control"] == "public, max-age=15"
        assert "Accept-Language" in response.headers["vary"]
        assert "set-cookie" not in response.headers


def test_the_validator_answers_304_until_something_changes(
    reader: TestClient[Litestar], writer: TestClient[Litestar]
) -> None:
    first = reader.get(TALLY)
    tag = first.headers["etag"]

    unchanged = reader.get(TALLY, headers={"If-None-Match": tag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    created = nominate(writer, effective_at="2023-03-10T10:00:00+06:00")
    assert created.status_code == 201, created.text
    accredited = transition(writer, created.json(), "accredited", decision_ref="CEC-TEST-1")
    assert accredited.status_code == 201, accredited.text

    changed = reader.get(TALLY, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag
    assert changed.json()["observers"] == first.json()["observers"] + 1


def test_a_change_through_one_worker_is_seen_at_once_through_the_other(
    reader: TestClient[Litestar], writer: TestClient[Litestar]
) -> None:
    page = "/elections/majilis-2023"
    observers = reader.get(TALLY).json()["observers"]
    before = reader.get(page).text
    assert reader.get(page).text == before  # served again, from the shared cache

    created = nominate(writer, effective_at="2023-03-10T10:00:00+06:00")
    transition(writer, created.json(), "accredited", decision_ref="CEC-TEST-2")

    after = reader.get(page)
    assert after.text != before
    assert f'data-count="observers">{observers + 1}<' in after.text


def test_each_language_has_its_own_validator(reader: TestClient[Litestar]) -> None:
    english = reader.get(TALLY, params={"as_of": "2023-02-22"})
    russian = reader.get(TALLY, params={"as_of": "2023-02-22"}, headers={"Accept-Language": "ru"})

    assert english.headers["etag"] != russian.headers["etag"]
    assert reader.get(TALLY, params={"as_of": "2023-02-22", "lang": "ru"}).json()["lang"] == "ru"


def test_staff_answers_are_not_publicly_cacheable(writer: TestClient[Litestar]) -> None:
    response = writer.get("/api/elections/majilis-2023/missions")

    assert response.status_code == 200
    assert "public" not in response.headers.get("cache-control", "")
    assert "etag" not in response.headers


def test_the_rate_limit_counts_an_address_across_workers(demo_db: str) -> None:
    for first in worker(demo_db, public_api_per_minute=3):
        for second in worker(demo_db, public_api_per_minute=3):
            answers = [client.get(TALLY).status_code for client in (first, second, first)]
            refused = second.get(TALLY)
            page = second.get("/elections/majilis-2023")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/json")
    assert "retry-after" in {key.lower() for key in refused.headers}
    # Pages are not rate-limited: people reading the site are not scripts.
    assert page.status_code == 200
