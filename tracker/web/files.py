"""Files the app hands out: one place that names them and says who may keep a copy."""

from __future__ import annotations

from litestar import Response

PDF = "application/pdf"

# Rosters, cards and previews carry personal data or unpublished figures: no cache keeps them.
PRIVATE = "no-store"


def file_response(
    content: bytes, media_type: str, filename: str, *, inline: bool = False, cache: str | None = PRIVATE
) -> Response[bytes]:
    """`content` as a download named `filename` (or shown in the browser when `inline`). With `cache` None
    the header is left to the public site's caching, which sets it for everything public."""
    headers = {"Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{filename}"'}
    if cache is not None:
        headers["Cache-Control"] = cache
    return Response(content, media_type=media_type, headers=headers)
