"""The data version: the newest audit entry's id, which every write that can change a public figure
moves (see `caching`). It is read after each public request has arrived, so that it includes every
write acknowledged before, and it is read the cheapest way each database allows.

An SQLite file is read directly, on a connection of its own: in WAL mode a read never waits for a
writer, and it takes microseconds. A database server is asked on a connection kept for this alone,
with the driver's own call (one round trip, no transaction), and requests arriving while a read runs
share the next one: under load one query answers many requests, and none is answered from a read
that began before it came.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

QUERY = "SELECT coalesce(max(id), 0) FROM audit_entry"


class DataVersion:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        url = engine.url
        self.sqlite_file = url.database if url.get_backend_name() == "sqlite" and _is_file(url.database) else None
        self._sqlite: sqlite3.Connection | None = None
        self._connection: AsyncConnection | None = None
        self._driver: Any = None
        self._next: asyncio.Future[int] | None = None
        self._reading: asyncio.Task[None] | None = None

    async def current(self) -> int:
        if self.sqlite_file is not None:
            return self._read_sqlite()
        future = self._next
        if future is None:
            future = self._next = asyncio.get_running_loop().create_future()
            # A waiter that gives up must not leave an error nobody retrieves.
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
            if self._reading is None:
                self._start()
        return await asyncio.shield(future)

    @contextlib.asynccontextmanager
    async def kept_until_shutdown(self, _: Litestar) -> AsyncIterator[None]:
        """The app's lifespan: the connection kept for the version is closed with the app."""
        try:
            yield
        finally:
            await self.close()

    async def close(self) -> None:
        if self._reading is not None:
            await asyncio.gather(self._reading, return_exceptions=True)
        if self._connection is not None:
            connection, self._connection, self._driver = self._connection, None, None
            await connection.close()
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None

    def _read_sqlite(self) -> int:
        if self._sqlite is None:
            # Autocommit: each read sees every transaction committed before it.
            self._sqlite = sqlite3.connect(self.sqlite_file or "", isolation_level=None, check_same_thread=False)
            self._sqlite.execute("PRAGMA busy_timeout=15000")
        return int(self._sqlite.execute(QUERY).fetchone()[0])

    def _start(self) -> None:
        future, self._next = self._next, None
        assert future is not None
        self._reading = asyncio.create_task(self._read(future))

    async def _read(self, future: asyncio.Future[int]) -> None:
        try:
            version = await self._fetch()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as error:  # handed to every waiter
            future.set_exception(error)
        else:
            future.set_result(version)
        finally:
            self._reading = None
            if self._next is not None:
                self._start()

    async def _fetch(self) -> int:
        if self._driver is None:
            self._connection = await self.engine.connect()
            self._driver = (await self._connection.get_raw_connection()).driver_connection
        try:
            return int(await self._driver.fetchval(QUERY) or 0)
        except Exception:
            # The server went away or the connection broke: the next read opens a new one.
            connection, self._connection, self._driver = self._connection, None, None
            if connection is not None:
                await connection.invalidate()
                await connection.close()
            raise


def _is_file(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and not str(database).startswith("file:")
