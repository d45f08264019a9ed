"""Caching the public site without ever serving a figure staff have since changed.

Every write that can change a public figure is recorded in the audit trail, so the newest audit
entry's id is a version of everything the public sees, read in one indexed lookup from the database
that all workers share. Each public GET gets an ETag made of that version and what was asked (path,
query, language): a browser or proxy that sends it back gets 304 until something changes, and the
server's response cache (Litestar's, in the shared database store) is keyed by the same version, so
a cached page can never outlive the data it shows. `max-age` is short: within it, a browser may show
a figure a few seconds old without asking.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Request
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy import func, select

from tracker import models as m
from tracker.i18n import current_language
from tracker.web.auth import NO_SESSION

UNCACHED = "uncached"
"""Route option: a public answer that must be computed every time (a badge check is counted)."""
RATE_LIMITED = "rate_limited"
"""Route option: a public page under the API's rate limit (one that answers guesses)."""
MAX_AGE = 15
# A cached answer is keyed by the data version, so it is never stale; this only bounds the store's size.
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


def is_public_api(request: Request[Any, Any, Any]) -> bool:
    """The rate limit's scope: the public JSON and CSV, which scripts call; pages are left to the cache."""
    handler = request.scope.get("route_handler")
    if handler is not None and handler.opt.get(RATE_LIMITED):
        return True
    return request.url.path.startswith("/api/") and is_public_read(request.scope)


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


def public_cache(alchemy: SQLAlchemyAsyncConfig) -> type:
    engine = alchemy.get_engine()

    class PublicCache:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not is_public_read(scope):
                await self.app(scope, receive, send)
                return
            async with engine.connect() as connection:
                version = int(await connection.scalar(select(func.coalesce(func.max(m.AuditEntry.id), 0))) or 0)
            token = data_version.set(version)
            tag = etag(version, scope)
            headers = [
                (b"etag", tag.encode()),
                (b"cache-control", f"public, max-age={MAX_AGE}".encode()),
                # The language comes from ?lang=, the cookie or Accept-Language.
                (b"vary", b"Accept-Language, Cookie"),
            ]
            sent = dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1")
            if tag in {candidate.strip() for candidate in sent.split(",")}:
                data_version.reset(token)
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return

            async def send_with_validator(message: Message) -> None:
                if message["type"] == "http.response.start" and message["status"] == 200:
                    kept = [
                        (k, v)
                        for k, v in message.get("headers", [])
                        if k.lower() not in {b"etag", b"cache-control", b"vary"}
                    ]
                    message["headers"] = [*kept, *headers]
                await send(message)

            try:
                await self.app(scope, receive, send_with_validator)
            finally:
                data_version.reset(token)

    return PublicCache
