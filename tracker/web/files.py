"""Files the app hands out, and how they are named (who may keep a copy: `tracker.web.caching`)."""

from __future__ import annotations

from litestar import Response

PDF = "application/pdf"


def file_response(
    content: bytes, media_type: str, filename: str, *, inline: bool = False, cache: str | None = None
) -> Response[bytes]:
    """`content` as a download named `filename` (or shown in the browser when `inline`). Who may keep a
    copy is the caching's one rule (`tracker.web.caching`): rosters, cards, previews and import files
    are no-store as every answer outside the public site is; a public file may name its own `cache`."""
    headers = {"Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{filename}"'}
    if cache is not None:
        headers["Cache-Control"] = cache
    return Response(content, media_type=media_type, headers=headers)
