"""Requests to the project's app called directly as an ASGI app, inside its lifespan: the time the app takes to
answer, with no server, network or client in it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from litestar import Litestar

from tracker.app import create_app
from tracker.settings import Settings


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[bytes, bytes]
    size: int
    seconds: float


class AppClient:
    def __init__(self, app: Litestar) -> None:
        self.app = app

    async def get(self, path: str) -> Answer:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        started: dict[str, Any] = {}
        size = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))

        start = time.perf_counter()
        await self.app(scope, receive, send)  # type: ignore[arg-type]
        seconds = time.perf_counter() - start
        return Answer(int(started.get("status", 0)), dict(started.get("headers", [])), size, seconds)

    async def ok(self, path: str) -> Answer:
        answer = await self.get(path)
        if answer.status != 200:
            raise SystemExit(f"the app answered {answer.status} to GET {path}")
        return answer


@contextlib.asynccontextmanager
async def app_client(database_url: str) -> AsyncIterator[AppClient]:
    """The app on `database_url`, its rate limit out of the way (every request comes from one address)."""
    app = create_app(Settings(database_url=database_url, public_api_per_minute=10**9))
    async with app.lifespan():
        yield AppClient(app)
