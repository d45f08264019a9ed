"""Domain errors to HTTP, in one place: JSON under /api, an HTML page elsewhere."""

from __future__ import annotations

import logging

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from tracker.errors import Conflict, InvalidInput, InvalidTransition, NotFound, TrackerError

log = logging.getLogger("tracker.web")

STATUS_OF: dict[type[TrackerError], int] = {
    NotFound: HTTP_404_NOT_FOUND,
    InvalidInput: HTTP_400_BAD_REQUEST,
    InvalidTransition: HTTP_409_CONFLICT,
    Conflict: HTTP_409_CONFLICT,
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/schema")) or "text/html" not in request.headers.get("accept", "")


def _respond(request: Request, status_code: int, detail: str, field: str | None = None) -> Response:
    if _wants_json(request):
        body = {"status_code": status_code, "detail": detail}
        if field:
            body["field"] = field
        return Response(body, status_code=status_code, media_type=MediaType.JSON)
    return Template(
        "errors/error.html",
        context={"status_code": status_code, "detail": detail},
        status_code=status_code,
        media_type=MediaType.HTML,
    )


def on_tracker_error(request: Request, exc: TrackerError) -> Response:
    status_code = next(code for kind, code in STATUS_OF.items() if isinstance(exc, kind))
    return _respond(request, status_code, exc.message, exc.field)


def on_http_error(request: Request, exc: HTTPException) -> Response:
    if _wants_json(request):
        body: dict[str, object] = {"status_code": exc.status_code, "detail": exc.detail}
        if exc.extra:
            body["extra"] = exc.extra
        return Response(body, status_code=exc.status_code, headers=exc.headers, media_type=MediaType.JSON)
    return _respond(request, exc.status_code, exc.detail)


def on_unexpected_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server log, never to the user.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _respond(request, HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")


handlers = {
    TrackerError: on_tracker_error,
    HTTPException: on_http_error,
    HTTP_500_INTERNAL_SERVER_ERROR: on_unexpected_error,
}
