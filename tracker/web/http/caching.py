"""Caching the public site without ever serving a figure staff have since changed.

Every write that can change a public figure is recorded in the audit trail, so the newest audit
entry's id is a version of everything the public sees, read for each request from the database that
all workers share. Each public GET gets an ETag made of that version and what was asked (path, query,
language): a browser or proxy that sends it back gets 304 until something changes.

Answers are kept at two levels, both keyed by the same version and request, so neither can serve an
answer older than the data: each worker's own copies in memory, which cost no database round trip
but the version's, and Litestar's response cache in the shared database store, so that an answer one
worker has computed (seconds, for a million accreditations) is not computed again by the others.
Within a worker, requests for an answer being computed wait for it instead of computing it again.
`max-age` is short: within it, a browser may show a figure a few seconds old without asking.

Everything outside the public site (staff pages, the signed-in API, their files) may carry personal data:
one rule, `private_answers_unstored`, makes all of it `no-store`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore
from litestar import Request
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.exc import SQLAlchemyError

from tracker.i18n import current_language
from tracker.web.auth import NO_SESSION
from tracker.web.http.versions import DataVersion

log = logging.getLogger(__name__)

UNCACHED = "uncached"
"""Route option: a public answer that must be computed every time (a badge check is counted)."""
RATE_LIMITED = "rate_limited"
"""Route option: a public page under the API's rate limit (one that answers guesses)."""
CACHE_CONTROL = "cache_control"
"""Route option: the Cache-Control of a route outside the public site, instead of `no-store`."""
NO_STORE = "no-store"
MAX_AGE = 15
MAX_AGE_OPTION = "public_max_age"
"""Route option: a public answer's own `max-age` in seconds, instead of MAX_AGE (the embeddable headline)."""
# A cached answer is keyed by the data version, so no write makes it stale. Its life is bounded all the
# same: an answer for "now" gives the moment it was computed, and a status change dated ahead of the
# time it was entered takes effect with no write; either shows within this time.
CACHE_SECONDS = 300
# Set for the request being answered; read by the response cache's key builder, which Litestar calls
# both before the handler and, from the outside of this middleware, when it stores the answer.
data_version: ContextVar[int | None] = ContextVar("data_version", default=None)
# Published bulletins carry their own validator (the PDF's SHA-256) and are cached for good.
OWN_VALIDATOR = (".pdf",)


def is_public_read(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return (
        scope["method"] in {"GET", "HEAD"}
        and handler is not None
        and bool(handler.opt.get(NO_SESSION))
        and not handler.opt.get(UNCACHED)
        and not scope["path"].endswith(OWN_VALIDATOR)
    )


def private_answers_unstored() -> Callable[[Message, Scope], Awaitable[None]]:
    """Litestar's `before_send` hook: every answer of a route outside the public site (staff pages and
    forms, the signed-in API, their files and their errors) may carry personal data, so no browser or
    proxy keeps a copy, whatever the handler set, unless the route names its own `CACHE_CONTROL`.
    The public site's answers keep the Cache-Control given below; an unknown address has no route."""

    async def mark(message: Message, scope: Scope) -> None:
        handler = scope.get("route_handler")
        if message["type"] != "http.response.start" or handler is None or handler.opt.get(NO_SESSION):
            return
        kept = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
        message["headers"] = [*kept, (b"cache-control", str(handler.opt.get(CACHE_CONTROL, NO_STORE)).encode())]

    return mark


def is_public_api(scope: Scope) -> bool:
    """The rate limit's scope: the public JSON and CSV, which scripts call; pages are left to the cache."""
    handler = scope.get("route_handler")
    if handler is not None and handler.opt.get(RATE_LIMITED):
        return True
    return scope["path"].startswith("/api/") and is_public_read(scope)


def etag(version: int, scope: Scope) -> str:
    asked = f"{scope['path']}?{scope.get('query_string', b'').decode('latin-1')}|{current_language.get()}"
    return f'W/"{version}-{hashlib.sha256(asked.encode()).hexdigest()[:16]}"'


def cacheable(scope: Scope, status_code: int) -> bool:
    """Only a public read's success: Litestar puts its cache in front of every handler of a path, so a
    POST to the same path as a cached GET would otherwise be stored too."""
    return scope["method"] == "GET" and status_code == 200 and data_version.get() is not None


def cache_key(request: Request[Any, Any, Any]) -> str:
    """The response cache's key: the same version and request as the ETag."""
    version = data_version.get()
    if version is None:
        raise RuntimeError(f"{request.url.path} is cached but not a public read: give it the PUBLIC_SITE options")
    return etag(version, request.scope)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    made: float = field(default_factory=time.monotonic)


class Answers:
    """This worker's copies of the public answers of the newest data version, least recently used
    dropped first. Keyed by the version read for each request, a copy is never served after a change."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, lifetime: float = CACHE_SECONDS) -> None:
        self.max_bytes, self.lifetime, self.size, self.version = max_bytes, lifetime, 0, -1
        self.entries: OrderedDict[str, Answer] = OrderedDict()
        # The request computing an answer, which others asking the same wait for (one miss, not a stampede).
        self.computing: dict[str, asyncio.Future[Answer | None]] = {}

    def clear(self) -> None:
        self.entries.clear()
        self.computing.clear()
        self.size, self.version = 0, -1

    def get(self, tag: str) -> Answer | None:
        answer = self.entries.get(tag)
        if answer is not None:
            self.entries.move_to_end(tag)
        return answer

    def is_old(self, answer: Answer) -> bool:
        return time.monotonic() - answer.made > self.lifetime

    def put(self, version: int, tag: str, answer: Answer) -> None:
        if version < self.version or len(answer.body) > self.max_bytes // 8:
            return
        if version > self.version:
            self.entries.clear()
            self.size, self.version = 0, version
        if (previous := self.entries.pop(tag, None)) is not None:
            self.size -= len(previous.body)
        self.entries[tag] = answer
        self.size += len(answer.body)
        while self.size > self.max_bytes:
            self.size -= len(self.entries.popitem(last=False)[1].body)


class SharedAnswers(SQLAlchemyStore):
    """The response cache's store in the shared database, whose writes do not hold up the answer: Litestar stores a
    computed answer before it sends the last of it, and writing the 350 KB of a national register's tally took 6 to
    10 ms of the first answer after each change on PostgreSQL. The write runs beside the answer; until it is done,
    another worker asking the same computes it too. The app waits for writes still running when it stops."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writing: set[asyncio.Task[None]] = set()

    async def set(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None) -> None:
        task = asyncio.create_task(self._kept(key, value, expires_in))
        self.writing.add(task)
        task.add_done_callback(self.writing.discard)

    async def _kept(self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None) -> None:
        try:
            await super().set(key, value, expires_in)
        except SQLAlchemyError:
            # A copy not kept is computed again when next asked: the answer itself has been sent.
            log.warning("a public answer could not be kept in the shared store", exc_info=True)

    async def settled(self) -> None:
        """Wait for the writes still running."""
        while self.writing:
            await asyncio.gather(*self.writing, return_exceptions=True)


async def _replay(answer: Answer, send: Send) -> None:
    await send({"type": "http.response.start", "status": answer.status, "headers": list(answer.headers)})
    await send({"type": "http.response.body", "body": answer.body})


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _discard(_: Message) -> None:
    return None


def public_cache(versions: DataVersion, answers: Answers) -> type:
    # Refreshes running in the background, kept here so that they are not collected half-way.
    refreshing: set[asyncio.Task[None]] = set()

    class PublicCache:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not is_public_read(scope):
                await self.app(scope, receive, send)
                return
            version = await versions.current()
            tag = etag(version, scope)
            max_age = int(scope["route_handler"].opt.get(MAX_AGE_OPTION, MAX_AGE))
            sent = dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1")
            if tag in {candidate.strip() for candidate in sent.split(",")}:
                await send({"type": "http.response.start", "status": 304, "headers": _validators(tag, max_age)})
                await send({"type": "http.response.body", "body": b""})
                return
            answer = answers.get(tag)
            if answer is None and (computing := answers.computing.get(tag)) is not None:
                answer = await asyncio.shield(computing)
            if answer is None:
                await self._compute(scope, receive, send, version, tag, max_age)
                return
            if answers.is_old(answer) and tag not in answers.computing:
                # Nothing was written since (the version is the same): only "now" has moved on. This one
                # request gets the copy it has, and the answer is made again in the background, so that
                # nobody waits for a recount that can take seconds on a large election.
                background = {**scope, "state": {}}
                task = asyncio.create_task(self._compute(background, _no_body, _discard, version, tag, max_age))
                refreshing.add(task)
                task.add_done_callback(refreshing.discard)
            await _replay(answer, send)

        async def _compute(
            self, scope: Scope, receive: Receive, send: Send, version: int, tag: str, max_age: int
        ) -> None:
            computing = answers.computing[tag] = asyncio.get_running_loop().create_future()
            headers = _validators(tag, max_age)
            # Copied as sent from inside: the middleware outside add their own headers to the same message.
            start: tuple[int, list[tuple[bytes, bytes]]] | None = None
            body: list[bytes] = []
            complete = False

            async def send_with_validator(message: Message) -> None:
                nonlocal start, complete
                if message["type"] == "http.response.start":
                    if message["status"] == 200:
                        kept = [
                            (k, v)
                            for k, v in message.get("headers", [])
                            if k.lower() not in {b"etag", b"cache-control", b"vary"}
                        ]
                        message["headers"] = [*kept, *headers]
                    start = message["status"], list(message.get("headers", []))
                elif message["type"] == "http.response.body":
                    body.append(message.get("body", b""))
                    complete = not message.get("more_body", False)
                await send(message)

            token = data_version.set(version)
            try:
                await self.app(scope, receive, send_with_validator)
            finally:
                data_version.reset(token)
                if answers.computing.get(tag) is computing:
                    del answers.computing[tag]
                answer = None
                # A cookie is someone's own: such an answer is never replayed to others.
                if complete and start and start[0] == 200 and all(k.lower() != b"set-cookie" for k, _ in start[1]):
                    answer = Answer(200, start[1], b"".join(body))
                    answers.put(version, tag, answer)
                computing.set_result(answer)

    return PublicCache


def _validators(tag: str, max_age: int = MAX_AGE) -> list[tuple[bytes, bytes]]:
    return [
        (b"etag", tag.encode()),
        (b"cache-control", f"public, max-age={max_age}".encode()),
        # The language comes from ?lang=, the cookie or Accept-Language.
        (b"vary", b"Accept-Language, Cookie"),
    ]
