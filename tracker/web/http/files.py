"""Files the app hands out, and how they are named (who may keep a copy: `tracker.web.http.caching`)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from litestar import Response

PDF = "application/pdf"
NAME_LIMIT = 150
# What a quoted `filename="..."` carries as it is in every browser: no quote, backslash or percent sign.
_UNSAFE_IN_FALLBACK = re.compile(r"[^A-Za-z0-9 ._()+,-]+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def file_response(
    content: bytes, media_type: str, filename: str, *, inline: bool = False, cache: str | None = None
) -> Response[bytes]:
    """`content` as a download named `filename` (or shown in the browser when `inline`). Who may keep a
    copy is the caching's one rule (`tracker.web.http.caching`): rosters, cards, previews and import files
    are no-store as every answer outside the public site is; a public file may name its own `cache`."""
    headers = {"Content-Disposition": content_disposition(filename, inline=inline)}
    if cache is not None:
        headers["Cache-Control"] = cache
    return Response(content, media_type=media_type, headers=headers)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header for a file name in any script (RFC 6266): `filename="..."` in plain ASCII for old
    clients, and the name itself as `filename*=UTF-8''...` (RFC 5987) when the two differ. Control and
    invisible characters (a line break would end the header; a direction override disguises `.exe`) and
    path separators never reach the user's disk."""
    name = shown_name(filename)
    fallback = ascii_name(name)
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def shown_name(filename: str) -> str:
    """The name as a user should see it: no control or formatting characters, no folders, not too long."""
    kept = "".join(
        "_" if ch in "/\\" else " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", filename)
        if unicodedata.category(ch)[0] != "C" or ch.isspace()
    )
    stem, suffix = _split(" ".join(kept.split()).strip(" ."))
    stem = stem[: NAME_LIMIT - len(suffix)].rstrip(" .")
    return (stem or "download") + suffix


def ascii_name(name: str) -> str:
    """The name in plain ASCII: accents dropped, other scripts left out, `download` when nothing is left."""
    letters = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem, suffix = _split(_UNSAFE_IN_FALLBACK.sub("_", letters))
    stem = re.sub(r"[ _]+", lambda run: run.group(0)[0], stem).strip(" _.-")
    return (stem if any(ch.isalnum() for ch in stem) else "download") + suffix


def _split(name: str) -> tuple[str, str]:
    """`report.xlsx` → (`report`, `.xlsx`): an extension is a few letters or digits after the last dot."""
    found = _EXTENSION.search(name)
    return (name[: found.start()], found.group(0)) if found and found.start() else (name, "")
