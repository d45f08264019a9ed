"""Headers every answer carries, so that a browser holds the pages to what they are: no script at all,
styles and images from this site only, never framed, no address sent to other sites.

The pages need no JavaScript and no inline style (the style sheet is /static/site.css), so the policy
allows none. Litestar's OpenAPI viewers under /schema load scripts of their own, and are left out of
the policy; the document itself (/schema/openapi.json) is plain JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from pathlib import Path

from litestar.types import Message, Scope

from tracker.settings import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")


def static_version(directory: Path = STATIC_DIR) -> str:
    """A digest of the static files, put in their addresses: a browser keeps them until they change."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def security_headers(*, https: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """Litestar's `before_send` hook, which sees every answer: errors and unknown addresses included."""
    added = [*COMMON, *([HSTS] if https else [])]
    policy = [(b"content-security-policy", POLICY.encode())]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        wanted = added if scope.get("path", "").startswith("/schema") else [*added, *policy]
        present = {key.lower() for key, _ in message.get("headers", [])}
        message["headers"] = [*message.get("headers", []), *((k, v) for k, v in wanted if k not in present)]

    return add_headers
