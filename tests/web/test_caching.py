"""The public site's caching and rate limit, with two app instances standing in for two workers.

Each instance has its own engine and event loop, as separate worker processes do; all they share is
the database. A figure cached by one must never outlive a change made through the other.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import RITA, count_rows, read, sign_in
from tests.web.api_helpers import nominate, transition
from tracker import models as m
from tracker.app import create_app
from tracker.settings import Settings
from tracker.web.auth import NO_SESSION
from tracker.web.http.caching import Answer, Answers, public_cache
from tracker.web.http.rate_limit import Addresses
from tracker.web.http.versions import DataVersion

TALLY = "/api/elections/majilis-2023/tally"
pytestmark = pytest.mark.anyio


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


def test_an_address_far_from_its_limit_is_counted_in_the_shared_table_when_the_worker_flushes(demo_db: str) -> None:
    for client in worker(demo_db, public_api_per_minute=1000):
        answers = [client.get(TALLY) for _ in range(12)]
        # Far from the limit, a request is counted in memory only: no database write per request.
        assert count_rows(demo_db, m.RateCount) == 0

    # The worker stopped (its lifespan ended): its counts were added to the shared ones.
    assert [answer.headers["ratelimit-remaining"] for answer in answers][-1] == "988"
    assert [row.hits for row in read(demo_db, select(m.RateCount))] == [12]


async def test_concurrent_misses_compute_an_answer_once(demo_db: str) -> None:
    app = create_app(Settings(database_url=demo_db))
    counted: list[str] = []

    def count(_: Any, __: Any, statement: str, *___: Any) -> None:
        if "status_event" in statement:
            counted.append(statement)

    engine = app.state.alchemy.get_engine().sync_engine
    event.listen(engine, "before_cursor_execute", count)
    # httpx's own ASGI transport runs the requests side by side (Litestar's test clients take turns).
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        answers = await asyncio.gather(*(client.get(TALLY) for _ in range(8)))
        queries = len(counted)
        again = await client.get(TALLY)

    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    assert {answer.headers["etag"] for answer in answers} == {again.headers["etag"]}
    assert queries > 0
    # The seven waited for the first; the ninth was served from the worker's copy.
    assert len(counted) == queries


async def test_an_answer_one_worker_computed_is_served_by_the_other_from_the_shared_store(demo_db: str) -> None:
    """The shared store is written beside the answer, not before its last bytes: once written, the other worker
    answers from it without counting."""
    first, second = (create_app(Settings(database_url=demo_db)) for _ in range(2))
    counted: list[str] = []

    def count(_: Any, __: Any, statement: str, *___: Any) -> None:
        if "status_event" in statement or "tally_mission_slot" in statement:
            counted.append(statement)

    event.listen(second.state.alchemy.get_engine().sync_engine, "before_cursor_execute", count)
    async with (
        first.lifespan(),
        second.lifespan(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://127.0.0.1") as one,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://127.0.0.1") as other,
    ):
        made = await one.get(TALLY)
        await first.stores.get("response_cache").settled()
        served = await other.get(TALLY)

    assert (made.status_code, served.status_code) == (200, 200)
    assert served.content == made.content
    assert served.headers["etag"] == made.headers["etag"]
    assert counted == []


async def test_the_data_version_is_read_after_each_request_arrives(demo_db: str) -> None:
    engine = create_async_engine(demo_db)
    try:
        versions = DataVersion(engine)
        before = await versions.current()
        async with engine.begin() as connection:
            await connection.execute(
                insert(m.AuditEntry).values(
                    at=dt.datetime.now(dt.UTC), actor="test", action="test", entity="election", entity_id="1"
                )
            )
        seen = await asyncio.gather(*(versions.current() for _ in range(20)))
        await versions.close()
    finally:
        await engine.dispose()

    assert set(seen) == {before + 1}


def test_a_worker_keeps_only_the_newest_version_within_its_budget() -> None:
    answers = Answers(max_bytes=800)
    old = Answer(200, [], b"x" * 50)
    answers.put(1, "a", old)
    answers.put(2, "b", Answer(200, [], b"y" * 50))
    answers.put(1, "c", old)  # computed from an older version, after a newer one was seen

    assert answers.get("a") is None
    assert answers.get("c") is None
    assert answers.get("b") is not None

    answers.put(2, "too big", Answer(200, [], b"z" * 101))
    for name in "defghijklmnopq":
        answers.put(2, name, Answer(200, [], b"w" * 100))
    assert answers.get("too big") is None
    assert answers.size <= 800
    assert answers.get("q") is not None
    assert answers.get("b") is None  # least recently used, dropped first


async def test_an_old_copy_is_served_once_more_while_it_is_made_again_in_the_background(demo_db: str) -> None:
    made: list[int] = []

    async def handler(scope: Any, receive: Any, send: Any) -> None:
        made.append(len(made) + 1)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": f"made {len(made)}".encode()})

    engine = create_async_engine(demo_db)
    versions = DataVersion(engine)
    middleware = public_cache(versions, Answers(lifetime=0.05))(handler)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/elections/majilis-2023",
        "query_string": b"",
        "headers": [],
        "route_handler": SimpleNamespace(opt={NO_SESSION: True}),
    }

    async def get() -> str:
        body: list[bytes] = []

        async def send(message: Any) -> None:
            body.append(message.get("body", b""))

        await middleware(dict(scope), None, send)
        return b"".join(body).decode()

    try:
        assert [await get(), await get()] == ["made 1", "made 1"]
        await asyncio.sleep(0.1)
        assert await get() == "made 1"  # old, served at once; made again meanwhile
        await asyncio.sleep(0.01)
        assert await get() == "made 2"
        assert made == [1, 2]
    finally:
        await versions.close()
        await engine.dispose()


def test_a_copy_becomes_old_after_its_lifetime() -> None:
    answers = Answers(lifetime=0.05)
    answers.put(1, "now", Answer(200, [], b"as of a moment ago"))
    answer = answers.get("now")
    assert answer is not None
    assert not answers.is_old(answer)

    time.sleep(0.1)
    assert answers.is_old(answer)


def test_behind_a_trusted_proxy_the_visitor_is_counted_not_the_proxy() -> None:
    addresses = Addresses(("10.0.0.0/8",))

    def scope(peer: str, forwarded: bytes | None = None) -> Any:
        return {"client": (peer, 40000), "headers": [(b"x-forwarded-for", forwarded)] if forwarded else []}

    assert addresses.of(scope("10.0.0.5", b"203.0.113.9, 10.0.0.7")) == "203.0.113.9"
    # What the visitor wrote in front is not believed: the proxy's own entry is.
    assert addresses.of(scope("10.0.0.5", b"1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # Only a trusted peer may say who the visitor is.
    assert addresses.of(scope("198.51.100.1", b"203.0.113.9")) == "198.51.100.1"
    assert addresses.of(scope("10.0.0.5")) == "10.0.0.5"
    assert Addresses(()).of(scope("10.0.0.5", b"203.0.113.9")) == "10.0.0.5"


def test_an_address_over_its_limit_is_refused_without_a_write_per_request(demo_db: str) -> None:
    for client in worker(demo_db, public_api_per_minute=3):
        answers = [client.get(TALLY).status_code for _ in range(3)]
        hits = [row.hits for row in read(demo_db, select(m.RateCount))]
        refused = [client.get(TALLY).status_code for _ in range(5)]
        # The shared count already says the address is at its limit: refusing writes nothing.
        after = [row.hits for row in read(demo_db, select(m.RateCount))]

    assert answers == [200, 200, 200]
    assert refused == [429] * 5
    assert hits == after == [3]
    # The refused requests are counted too, once the worker adds its counts.
    assert [row.hits for row in read(demo_db, select(m.RateCount))] == [8]
