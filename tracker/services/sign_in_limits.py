"""How many sign-ins may fail, and for whom. Within a window of 15 minutes:

- an account at one address: 5 failures, then refused until the window ends;
- an address: 20 failures, whatever the accounts (password spraying);
- an account from browsers it does not know: beyond 10 failures, each further attempt waits 1, 2, 4 …
  up to 60 seconds after the one before. Slowed, never locked: a stranger cannot keep the owner out;
- a browser the account knows (its device cookie, given at each successful sign-in, OWASP's "device
  cookies") is counted on its own and the rules above do not apply to it; 5 failures and the cookie is
  not trusted until the window ends.

An attempt is counted before its password is checked, in one upsert per counter and a transaction of
its own, so the limits hold exactly however many attempts arrive at once, on any number of workers; a
right password gives its attempt back.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, null, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.errors import TooManyAttempts

WINDOW = dt.timedelta(minutes=15)
PER_ACCOUNT_AND_ADDRESS = 5
PER_ADDRESS = 20
PER_DEVICE = 5
ACCOUNT_UNSLOWED = 10
LONGEST_WAIT = 60
_NONCE_LENGTH = 22
_table = m.SignInLimit.__table__


def wait_after(failures: int) -> int:
    """Seconds the next attempt on an account must wait once it has had `failures` (1, 2, 4 … 60 beyond 10)."""
    if failures < ACCOUNT_UNSLOWED:
        return 0
    return min(2 ** min(failures - ACCOUNT_UNSLOWED, 6), LONGEST_WAIT)


def _account(email: str) -> str:
    return email.strip().lower()[:255]


def _signature(secret: str, email: str, nonce: str) -> str:
    digest = hmac.new(secret.encode(), f"device\0{_account(email)}\0{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def device_token(secret: str, email: str) -> str:
    """A new device cookie's value for the account: a random nonce and its signature."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_signature(secret, email, nonce)}"


def trusted_device(secret: str, email: str, token: str | None) -> str | None:
    """The nonce of a device cookie signed for this account; None for none, a forged one or another account's."""
    nonce, _, signature = (token or "").partition(".")
    if len(nonce) != _NONCE_LENGTH or not hmac.compare_digest(signature, _signature(secret, email, nonce)):
        return None
    return nonce


@dataclass(frozen=True, slots=True)
class Reservation:
    """An attempt counted before its password is checked: on the known browser's counter, or on the others."""

    keys: tuple[str, ...]
    known_browser: bool
    windows: tuple[dt.datetime, ...]
    """When each counter's window began, as counted: a counter whose window began afresh since belongs to
    other attempts, and is not given back to."""
    clears_own: bool = True
    """Whether a right answer clears the first counter (the browser's own) instead of taking one from it."""


class SignInLimits:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
        self._insert: Callable[..., Any] = dialect.insert

    async def reserve(self, email: str, address: str, device: str | None, now: dt.datetime) -> Reservation:
        """Count this attempt, committed before its password is checked; TooManyAttempts if it may not be made."""
        account = _account(email)
        if device is not None:
            key = f"device:{device}"
            counts = await self._count([key], now)
            if counts[key].failures <= PER_DEVICE:
                await self.session.commit()
                return Reservation((key,), known_browser=True, windows=(counts[key].window_start,))
            # Too many failures with this cookie: it is not trusted, and the browser is counted as any other.
            await self.session.rollback()
        pair, by_address, by_account = f"pair:{account}|{address}", f"address:{address}", f"account:{account}"
        counts = await self._count([pair, by_address, by_account], now)
        for key, limit in ((pair, PER_ACCOUNT_AND_ADDRESS), (by_address, PER_ADDRESS)):
            if counts[key].failures > limit:
                await self.session.rollback()
                window_ends = counts[key].window_start + WINDOW
                raise TooManyAttempts(
                    "too many failed sign-ins from this address; try again when the window ends, or sign in "
                    "from a browser where you have signed in before",
                    retry_after=_seconds(window_ends - now),
                )
        slowed_until = counts[by_account].next_allowed
        if slowed_until is not None and now < slowed_until:
            await self.session.rollback()
            raise TooManyAttempts(
                "many failed sign-ins on this account: each attempt waits; a browser where you have signed in "
                "before does not",
                retry_after=_seconds(slowed_until - now),
                slowed=True,
            )
        wait = wait_after(counts[by_account].failures)
        if wait:
            await self.session.execute(
                update(m.SignInLimit)
                .where(m.SignInLimit.key == by_account)
                .values(next_allowed=now + dt.timedelta(seconds=wait))
            )
        await self._forget_expired(now)
        await self.session.commit()
        keys = (pair, by_address, by_account)
        return Reservation(keys, known_browser=False, windows=tuple(counts[key].window_start for key in keys))

    async def reserve_address(self, address: str, now: dt.datetime) -> Reservation:
        """Count an attempt that names no account (a password-reset link) on its address alone, with the
        sign-ins from there: guessing links is bounded as guessing passwords is, and they share one budget.
        Committed before the answer is checked; TooManyAttempts if it may not be made."""
        key = f"address:{address}"
        counts = await self._count([key], now)
        if counts[key].failures > PER_ADDRESS:
            await self.session.rollback()
            raise TooManyAttempts(
                "too many failed attempts from this address; try again when the window ends",
                retry_after=_seconds(counts[key].window_start + WINDOW - now),
            )
        await self.session.commit()
        return Reservation((key,), known_browser=False, windows=(counts[key].window_start,), clears_own=False)

    async def give_back(self, reservation: Reservation) -> None:
        """The password was right: the attempt was no failure. The browser (at its address) starts afresh.

        Committed at once, and the rows taken in the order `_count` takes them: a sign-in that held its
        counters to the end of its request, or locked them in another order, could deadlock with the next
        attempt's reservation."""
        own = reservation.keys[0]
        for key, window in sorted(zip(reservation.keys, reservation.windows, strict=True)):
            if key == own and reservation.clears_own:
                await self.session.execute(delete(m.SignInLimit).where(m.SignInLimit.key == own))
            else:
                await self.session.execute(
                    update(m.SignInLimit)
                    .where(m.SignInLimit.key == key, m.SignInLimit.failures > 0, m.SignInLimit.window_start == window)
                    .values(failures=m.SignInLimit.failures - 1)
                )
        await self.session.commit()

    async def _count(self, keys: list[str], now: dt.datetime) -> dict[str, Any]:
        """Add one to each counter (a new window if its own has ended) in one statement: the rows stay
        locked until the transaction ends, so concurrent attempts are counted one after another. Keys in
        one order, so two attempts never wait for each other's rows."""
        rows = [{"key": key, "window_start": now, "failures": 1, "next_allowed": None} for key in sorted(keys)]
        statement = self._insert(_table).values(rows)
        ended = _table.c.window_start <= now - WINDOW
        statement = statement.on_conflict_do_update(
            index_elements=[_table.c.key],
            set_={
                "failures": case((ended, 1), else_=_table.c.failures + 1),
                "window_start": case((ended, statement.excluded.window_start), else_=_table.c.window_start),
                "next_allowed": case((ended, null()), else_=_table.c.next_allowed),
            },
        ).returning(_table.c.key, _table.c.window_start, _table.c.failures, _table.c.next_allowed)
        return {row.key: row for row in await self.session.execute(statement)}

    async def _forget_expired(self, now: dt.datetime) -> None:
        # Rows another attempt holds are left for later: cleaning never waits, nor makes anyone wait.
        expired = select(_table.c.key).where(_table.c.window_start <= now - WINDOW).limit(100)
        expired = expired.with_for_update(skip_locked=True)
        await self.session.execute(delete(m.SignInLimit).where(m.SignInLimit.key.in_(expired)))


def _seconds(span: dt.timedelta) -> int:
    return max(math.ceil(span.total_seconds()), 1)
