"""The public API's limit per address and minute, counted in the database every worker shares, without
a database write per request.

Each worker counts an address's requests itself and adds them to the shared count (`rate_count`) in
one upsert a second, which answers with the total of every worker. An address far from its limit costs
a dictionary update; one within a quarter of its limit is added to the shared count on each request, so
the limit holds exactly where it matters. Between two flushes, requests other workers have not yet
added can let an address past its limit by about a second of its traffic at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from tracker import models as m

log = logging.getLogger(__name__)
FLUSH_SECONDS = 1.0
WINDOW = 60


@dataclass
class Count:
    shared: int = 0
    """The total of every worker at this worker's last upsert."""
    pending: int = 0
    """This worker's requests since then."""

    @property
    def total(self) -> int:
        return self.shared + self.pending


class RateLimiter:
    def __init__(self, engine: AsyncEngine, per_minute: int) -> None:
        self.engine, self.limit = engine, per_minute
        # Within this many requests of the limit, each request is counted in the database at once.
        self.exact_within = max(per_minute // 4, 8)
        self.counts: dict[tuple[str, int], Count] = {}
        self.cleaned = 0
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._insert: Callable[..., Any] = dialect.insert

    def forget(self) -> None:
        """This worker's counts start again (each start of the app); the shared counts stay in the database."""
        self.counts.clear()
        self.cleaned = 0

    async def hit(self, address: str, minute: int) -> int:
        """Count one request; the address's total this minute, over every worker, as far as known."""
        count = self.counts.setdefault((address, minute), Count())
        count.pending += 1
        # Once the shared count is over the limit it stays over until the minute ends: an address
        # hammering on gets its 429 without a database write per request.
        if count.shared < self.limit and count.total >= self.limit - self.exact_within:
            await self._add({(address, minute): count})
        return count.total

    async def flush(self) -> None:
        """Add this worker's pending counts to the shared ones; forget the minutes that are over."""
        minute = int(time.time()) // WINDOW
        # Nothing reads a past minute's count again.
        for key in [key for key in self.counts if key[1] < minute]:
            del self.counts[key]
        await self._add({key: count for key, count in self.counts.items() if count.pending})
        if minute != self.cleaned:
            async with self.engine.begin() as connection:
                await connection.execute(delete(m.RateCount).where(m.RateCount.minute < minute))
            self.cleaned = minute

    async def _add(self, counts: dict[tuple[str, int], Count]) -> None:
        taken = {key: count.pending for key, count in counts.items() if count.pending}
        if not taken:
            return
        for count in counts.values():
            count.pending = 0
        table = m.RateCount.__table__
        statement = self._insert(table).values(
            [{"address": address, "minute": minute, "hits": n} for (address, minute), n in taken.items()]
        )
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.address, table.c.minute], set_={"hits": table.c.hits + statement.excluded.hits}
        ).returning(table.c.address, table.c.minute, table.c.hits)
        try:
            async with self.engine.begin() as connection:
                rows = (await connection.execute(statement)).all()
        except SQLAlchemyError:
            # A limit is not worth refusing the public: count on, and add these later.
            log.warning("the shared rate counts could not be updated", exc_info=True)
            for key, n in taken.items():
                counts[key].pending += n
            return
        for address, minute, hits in rows:
            counts[address, minute].shared = hits


class Addresses:
    """The visitor's address: the peer's, or, when the peer is a trusted proxy, the nearest address in
    X-Forwarded-For that is not one (earlier ones are the visitor's to write, and not believed)."""

    def __init__(self, trusted: tuple[str, ...]) -> None:
        self.trusted = [ipaddress.ip_network(entry, strict=False) for entry in trusted]

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self.trusted)

    def of(self, scope: Scope) -> str:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if not self.trusted or not self._is_trusted(address):
            return address
        forwarded = b",".join(value for key, value in scope["headers"] if key.lower() == b"x-forwarded-for")
        for hop in reversed(forwarded.decode("latin-1").split(",")):
            if hop.strip() and not self._is_trusted(hop):
                return hop.strip()[:64]
        return address


def rate_limit(limiter: RateLimiter, applies: Callable[[Scope], bool], addresses: Addresses) -> type:
    class RateLimit:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not applies(scope):
                await self.app(scope, receive, send)
                return
            now = time.time()
            minute = int(now) // WINDOW
            used = await limiter.hit(addresses.of(scope), minute)
            headers = {
                "RateLimit-Policy": f"{limiter.limit}; w={WINDOW}",
                "RateLimit-Limit": str(limiter.limit),
                "RateLimit-Remaining": str(max(limiter.limit - used, 0)),
                "RateLimit-Reset": str(max((minute + 1) * WINDOW - int(now), 1)),
            }
            if used > limiter.limit:
                raise TooManyRequestsException(
                    detail="too many requests from your address; try again later", headers=headers
                )
            encoded = [(key.lower().encode(), value.encode()) for key, value in headers.items()]

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message.get("headers", []), *encoded]
                await send(message)

            await self.app(scope, receive, send_with_headers)

    return RateLimit


def flushing(limiter: RateLimiter) -> Callable[[Litestar], contextlib.AbstractAsyncContextManager[None]]:
    """The app's lifespan: the counts are added to the shared ones every second, and once more at the end."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        async def every_second() -> None:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                try:
                    await limiter.flush()
                except SQLAlchemyError:
                    log.warning("the shared rate counts could not be flushed", exc_info=True)

        task = asyncio.create_task(every_second())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            with contextlib.suppress(SQLAlchemyError):
                await limiter.flush()
            # The database plugin's lifespan ends first and closes the pool; the last flush opened a
            # connection again, which must not outlive the app (nor see a database that is replaced).
            await limiter.engine.dispose()

    return lifespan
