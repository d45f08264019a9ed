"""Choosing the page language: ?lang= (remembered in a cookie), then the cookie, then the browser's."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from tracker.i18n import LANGUAGES, best_language, current_language

COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


def chosen_language(asked: str, remembered: str, accept_language: str) -> str:
    """The page language: the one asked for (?lang=), else the one remembered (cookie), else the browser's."""
    if asked in LANGUAGES:
        return asked
    if remembered in LANGUAGES:
        return remembered
    return best_language(accept_language)


def language_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:
            cookie = SimpleCookie()
        remembered = cookie[COOKIE].value if COOKIE in cookie else ""
        lang = chosen_language(asked, remembered, headers.get("accept-language", ""))
        # Scripts, feed readers and other sites' frames ask for a language without choosing the visitor's.
        path = scope["path"]
        remember = (
            asked in LANGUAGES
            and asked != remembered
            and not path.startswith(("/api/", "/feeds/"))
            and not path.endswith("/embed")
        )

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                value = f"{COOKIE}={asked}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", value.encode())]
            await send(message)

        token = current_language.set(lang)
        try:
            await app(scope, receive, send_with_cookie)
        finally:
            current_language.reset(token)

    return middleware
