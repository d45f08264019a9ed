"""Failed sign-ins are limited under attack: per account and address, per address, and (slowed, never locked) per
account; a browser that has signed in to the account before is counted on its own. Browsers are httpx clients
with an address each; the concurrent attack goes to the production server, several connections at once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.conftest import ADA, PASSWORD, RITA, in_thread, read
from tests.servers import serving
from tracker import models as m
from tracker.app import create_app
from tracker.errors import TooManyAttempts
from tracker.services.users import UserService
from tracker.settings import Settings

pytestmark = pytest.mark.anyio
WRONG = "not the password at all"
RITAS_DESK, STRANGER, SECOND_STRANGER, THIRD_STRANGER = "10.1.0.7", "203.0.113.5", "198.51.100.9", "192.0.2.44"


def browser(app: Litestar, address: str) -> httpx.AsyncClient:
    """A browser of its own (its own cookies) at `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://tracker.test")


async def attempt(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    if "csrftoken" not in client.cookies:
        await client.get("/staff/sign-in")
    headers = {"x-csrftoken": client.cookies["csrftoken"]}
    return await client.post("/api/session", json={"email": email, "password": password}, headers=headers)


@asynccontextmanager
async def running(database_url: str) -> AsyncIterator[Litestar]:
    app = create_app(Settings(database_url=database_url))
    async with app.lifespan():
        yield app


def change(database_url: str, statement: object) -> None:
    """Change rows straight in the database: moves the clock for one counter instead of waiting."""

    async def run() -> None:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(statement)  # type: ignore[call-overload]
        finally:
            await engine.dispose()

    in_thread(lambda: asyncio.run(run()))


def cookie(response: httpx.Response, name: str) -> str:
    return next(value for value in response.headers.get_list("set-cookie") if value.startswith(f"{name}="))


async def test_forty_wrong_passwords_at_once_are_checked_only_five_times(demo_db: str) -> None:
    with serving(demo_db, workers=2) as base:
        async with httpx.AsyncClient(base_url=base, limits=httpx.Limits(max_connections=40), timeout=60) as client:
            await client.get("/staff/sign-in")
            headers = {"x-csrftoken": client.cookies["csrftoken"]}
            wrong = {"email": RITA, "password": WRONG}
            answers = await asyncio.gather(
                *(client.post("/api/session", json=wrong, headers=headers) for _ in range(40))
            )
            after = await client.post("/api/session", json={"email": RITA, "password": PASSWORD}, headers=headers)

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [401] * 5 + [429] * 35, Counter(statuses)
    assert after.status_code == 429
    assert int(after.headers["retry-after"]) > 14 * 60


async def test_a_stranger_elsewhere_never_stops_the_right_password_from_the_accounts_own_address(demo_db: str) -> None:
    async with running(demo_db) as app, browser(app, STRANGER) as stranger, browser(app, RITAS_DESK) as rita:
        guesses = [(await attempt(stranger, RITA, WRONG)).status_code for _ in range(8)]
        signed_in = await attempt(rita, RITA, PASSWORD)

    assert guesses == [401] * 5 + [429] * 3
    assert signed_in.status_code == 200
    assert signed_in.json()["email"] == RITA


async def test_many_strangers_slow_the_account_for_unknown_browsers_but_never_a_known_one(demo_db: str) -> None:
    async with (
        running(demo_db) as app,
        browser(app, RITAS_DESK) as desk,
        browser(app, RITAS_DESK) as new_laptop,
        browser(app, STRANGER) as first,
        browser(app, SECOND_STRANGER) as second,
        browser(app, THIRD_STRANGER) as third,
    ):
        assert (await attempt(desk, RITA, PASSWORD)).status_code == 200
        guesses = [(await attempt(stranger, RITA, WRONG)).status_code for stranger in (first, second) for _ in range(5)]
        eleventh = await attempt(third, RITA, WRONG)
        from_a_new_laptop = await attempt(new_laptop, RITA, PASSWORD)
        from_her_desk = await attempt(desk, RITA, PASSWORD)

    assert guesses == [401] * 10
    assert eleventh.status_code == 429
    assert eleventh.headers["retry-after"] == "1"
    assert from_a_new_laptop.status_code == 429
    assert "wait" in from_a_new_laptop.json()["detail"]
    assert "a browser where you have signed in before" in from_a_new_laptop.json()["detail"]
    assert from_her_desk.status_code == 200


async def test_once_the_wait_is_over_the_next_attempt_is_checked_and_the_wait_doubles(demo_db: str) -> None:
    async with running(demo_db) as app, browser(app, STRANGER) as first, browser(app, SECOND_STRANGER) as second:
        for stranger in (first, second):
            for _ in range(5):
                await attempt(stranger, RITA, WRONG)
        async with browser(app, THIRD_STRANGER) as third:
            change(demo_db, update(m.SignInLimit).values(next_allowed=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
            eleventh = await attempt(third, RITA, WRONG)
            twelfth = await attempt(third, RITA, WRONG)

    assert eleventh.status_code == 401
    assert twelfth.status_code == 429
    assert twelfth.headers["retry-after"] == "2"


async def test_the_wait_grows_one_two_four_up_to_a_minute(session: AsyncSession) -> None:
    users = UserService(session=session)
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    # Ten failures from ten addresses, the last one now: the next attempt waits a second.
    second_later = start + dt.timedelta(seconds=1)
    session.add(m.SignInLimit(key=f"account:{RITA}", window_start=start, failures=10, next_allowed=second_later))
    await session.commit()
    waits, now = [], start
    for n in range(8):
        with pytest.raises(TooManyAttempts) as refused:
            await users.authenticate(RITA, WRONG, f"198.51.100.{n}", now=now)
        waits.append(refused.value.retry_after)
        now += dt.timedelta(seconds=refused.value.retry_after)
        assert await users.authenticate(RITA, WRONG, f"198.51.100.{n}", now=now) is None

    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]


async def test_one_address_trying_many_accounts_is_refused_after_twenty_failures(demo_db: str) -> None:
    # Nineteen failures on other accounts a moment ago.
    change(
        demo_db,
        insert(m.SignInLimit).values(key=f"address:{STRANGER}", window_start=dt.datetime.now(dt.UTC), failures=19),
    )
    async with running(demo_db) as app, browser(app, STRANGER) as stranger:
        guesses = [(await attempt(stranger, f"user{n}@cec.example", WRONG)).status_code for n in range(2)]
        right_password = await attempt(stranger, ADA, PASSWORD)

    assert guesses == [401, 429]
    assert right_password.status_code == 429
    assert "from this address" in right_password.json()["detail"]


async def test_a_known_browser_that_fails_five_times_is_trusted_no_more(demo_db: str) -> None:
    async with running(demo_db) as app, browser(app, RITAS_DESK) as desk:
        assert (await attempt(desk, RITA, PASSWORD)).status_code == 200
        own_failures = [(await attempt(desk, RITA, WRONG)).status_code for _ in range(5)]
        # Now it counts as any browser at its address, which has five failures of its own to spend.
        as_untrusted = [(await attempt(desk, RITA, WRONG)).status_code for _ in range(6)]

    assert own_failures == [401] * 5
    assert as_untrusted == [401] * 5 + [429]


async def test_a_device_cookie_of_another_account_or_forged_is_not_trusted(demo_db: str) -> None:
    async with running(demo_db) as app, browser(app, RITAS_DESK) as desk:
        assert (await attempt(desk, ADA, PASSWORD)).status_code == 200
        adas_cookie = desk.cookies["tracker_device"]
        for _ in range(5):
            await attempt(desk, RITA, WRONG)
        with_adas_cookie = await attempt(desk, RITA, PASSWORD)
        desk.cookies.set("tracker_device", adas_cookie.split(".")[0] + ".forged", domain="tracker.test")
        with_a_forged_one = await attempt(desk, RITA, PASSWORD)

    assert with_adas_cookie.status_code == 429
    assert with_a_forged_one.status_code == 429


async def test_the_device_cookie_is_httponly_samesite_long_lived_and_secure_over_https(demo_db: str) -> None:
    app = create_app(Settings(database_url=demo_db, secure_cookies=True))
    transport = httpx.ASGITransport(app=app, client=(RITAS_DESK, 50000))
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="https://tracker.test") as desk:
        response = await attempt(desk, RITA, PASSWORD)

    assert response.status_code == 200
    device = SimpleCookie(cookie(response, "tracker_device"))["tracker_device"]
    assert device["httponly"]
    assert device["secure"]
    assert device["samesite"].lower() == "lax"
    assert int(device["max-age"]) >= 180 * 24 * 3600


async def test_the_counters_are_forgotten_when_their_window_ends(demo_db: str) -> None:
    async with running(demo_db) as app, browser(app, STRANGER) as stranger:
        for _ in range(6):
            await attempt(stranger, RITA, WRONG)
        long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
        change(demo_db, update(m.SignInLimit).values(window_start=long_ago))
        again = await attempt(stranger, RITA, WRONG)

    assert again.status_code == 401
    windows = [row.window_start for row in read(demo_db, select(m.SignInLimit))]
    assert windows
    assert all(start > long_ago for start in windows)


async def test_right_passwords_at_once_all_sign_in(demo_db: str) -> None:
    # Each sign-in counts its attempt, then gives it back. Five at once on the same counters (as many as one
    # account at one address may have in flight) once deadlocked on PostgreSQL: the giving back locked its rows
    # in another order than the counting, and held them to the end of its request.
    async with running(demo_db) as app:
        answers: list[httpx.Response] = []
        for _ in range(6):
            browsers = [browser(app, RITAS_DESK) for _ in range(5)]
            try:
                for each in browsers:
                    await each.get("/staff/sign-in")
                answers += await asyncio.gather(*(attempt(each, RITA, PASSWORD) for each in browsers))
            finally:
                for each in browsers:
                    await each.aclose()

    assert Counter(answer.status_code for answer in answers) == {200: 30}
    left = read(demo_db, select(m.SignInLimit.key, m.SignInLimit.failures).where(m.SignInLimit.failures > 0))
    assert left == []
