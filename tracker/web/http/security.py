"""Headers every answer carries, so that a browser holds the pages to what they are: no script at all,
styles and images from this site only, never framed, no address sent to other sites. One route is made to be
framed by news sites (the embeddable headline, marked EMBEDDABLE): its policy names the sites that may frame
it (TRACKER_EMBED_ANCESTORS, any by default) and it has no X-Frame-Options, which can only deny.

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
EMBEDDABLE = "embeddable"
"""Route option: a page other sites may show in a frame."""
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


def security_headers(*, https: bool, embed_ancestors: str = "*") -> Callable[[Message, Scope], Awaitable[None]]:
    """Litestar's `before_send` hook, which sees every answer: errors and unknown addresses included."""
    added = [*COMMON, *([HSTS] if https else [])]
    policy = [(b"content-security-policy", POLICY.encode())]
    framed = [
        *((k, v) for k, v in added if k != b"x-frame-options"),
        (
            b"content-security-policy",
            POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {embed_ancestors}").encode(),
        ),
    ]

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        handler = scope.get("route_handler")
        if handler is not None and handler.opt.get(EMBEDDABLE):
            wanted = framed
        elif scope.get("path", "").startswith("/schema"):
            wanted = added
        else:
            wanted = [*added, *policy]
        present = {key.lower() for key, _ in message.get("headers", [])}
        message["headers"] = [*message.get("headers", []), *((k, v) for k, v in wanted if k not in present)]

    return add_headers
