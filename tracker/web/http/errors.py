"""Domain errors to HTTP, in one place: JSON under /api, an HTML page elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import quote

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException
from litestar.response import Redirect
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    PossibleDuplicate,
    TooManyAttempts,
    TrackerError,
)
from tracker.web.http.error_pages import RoleRequired, error_page, role_words

log = logging.getLogger("tracker.web")


class ErrorOut(msgspec.Struct):
    """Every error answer of the JSON API: the status, what is wrong, and the field it is about."""

    status_code: int
    detail: str
    field: str | None = None


MAX_INT = 2**63 - 1
"""The largest integer both databases store: no id, version or count is larger."""

STATUS_OF: dict[type[TrackerError], int] = {
    NotFound: HTTP_404_NOT_FOUND,
    InvalidInput: HTTP_400_BAD_REQUEST,
    InvalidTransition: HTTP_409_CONFLICT,
    Conflict: HTTP_409_CONFLICT,
    PermissionDenied: HTTP_403_FORBIDDEN,
    TooManyAttempts: HTTP_429_TOO_MANY_REQUESTS,
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/schema")) or "text/html" not in request.headers.get("accept", "")


def _respond(
    request: Request, status_code: int, detail: str, field: str | None = None, *, words: str | None = None
) -> Response:
    """JSON with `detail` for programs; for people, the error page, which says `words` when given (text written
    for them) and otherwise only what the status means: `detail` may name internals."""
    if _wants_json(request):
        body = {"status_code": status_code, "detail": detail}
        if field:
            body["field"] = field
        return Response(body, status_code=status_code, media_type=MediaType.JSON)
    return error_page(request, status_code, words)


def _words_of(exc: TrackerError, status_code: int) -> str | None:
    """A domain error's message as a person reads it: a refusal's reason, without the field's code name that
    the API's callers want in front; none for a missing record or a limit (the page's own words say those)."""
    if status_code not in (HTTP_400_BAD_REQUEST, HTTP_403_FORBIDDEN, HTTP_409_CONFLICT):
        return None
    message = exc.message
    if exc.field and message.startswith(f"{exc.field}: "):
        message = message.removeprefix(f"{exc.field}: ")
    return message


def status_for(exc: TrackerError) -> int:
    """The HTTP status of a domain error; one the table does not name is a plain bad request."""
    return next((code for kind, code in STATUS_OF.items() if isinstance(exc, kind)), HTTP_400_BAD_REQUEST)


def on_tracker_error(request: Request, exc: TrackerError) -> Response:
    status_code = status_for(exc)
    response = _respond(request, status_code, exc.message, exc.field, words=_words_of(exc, status_code))
    if isinstance(exc, PossibleDuplicate) and isinstance(response.content, dict):
        response.content["matches"] = exc.matches
    return response


def on_http_error(request: Request, exc: HTTPException) -> Response:
    headers = dict(exc.headers or {})
    if exc.status_code == HTTP_429_TOO_MANY_REQUESTS and "RateLimit-Reset" in headers:
        # The standard header clients and proxies act on, beside Litestar's draft RateLimit-* ones.
        headers["Retry-After"] = headers["RateLimit-Reset"]
    if _wants_json(request):
        body: dict[str, object] = {"status_code": exc.status_code, "detail": exc.detail}
        if exc.extra:
            body["extra"] = exc.extra
            # Litestar's validation names the parameter in `extra`; say it where our own errors do.
            first = exc.extra[0] if isinstance(exc.extra, list) and exc.extra else None
            if isinstance(first, dict) and first.get("key"):
                body["field"] = first["key"]
                body["detail"] = f"{first['key']}: {first.get('message', exc.detail)}"
        return Response(body, status_code=exc.status_code, headers=headers, media_type=MediaType.JSON)
    words = role_words(exc) if isinstance(exc, RoleRequired) else None
    response = _respond(request, exc.status_code, exc.detail, words=words)
    response.headers.update(headers)
    return response


def on_not_signed_in(request: Request, exc: NotAuthorizedException) -> Response:
    if request.url.path.startswith("/staff") and not _wants_json(request):
        return Redirect(f"/staff/sign-in?next={quote(request.url.path)}")
    return on_http_error(request, exc)


def on_write_conflict(request: Request, exc: Exception) -> Response:
    # Two people saved the same record at once: the later save loses, and is told so.
    log.info("write conflict on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return _respond(
        request,
        HTTP_409_CONFLICT,
        "This record was changed by someone else at the same moment; reload it and try again.",
        "version",
    )


async def ids_in_range(request: Request) -> None:
    """Litestar's `before_request` hook: an id in the path beyond what the database stores names no
    record (and would fail in the driver): 404, before any query."""
    for name, value in request.path_params.items():
        if isinstance(value, int) and not -MAX_INT <= value <= MAX_INT:
            raise NotFoundException(f"{name}: no such record")


def on_number_out_of_range(request: Request, exc: Exception) -> Response:
    # A number beyond what the database stores (a 64-bit integer) cannot name or count anything here.
    log.info("number out of range on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return _respond(request, HTTP_400_BAD_REQUEST, f"a number in the request is out of range (at most {MAX_INT})")


# PostgreSQL's deadlock and serialization failures: the transaction was rolled back whole, so nothing was written.
RETRY_STATES = {"40P01", "40001"}


def on_database_data_error(request: Request, exc: DBAPIError) -> Response:
    # PostgreSQL's driver says so in words; SQLite's raises OverflowError, handled on its own.
    text = str(exc.orig).lower()
    if "out of range" in text or "too large" in text:
        return on_number_out_of_range(request, exc)
    if getattr(exc.orig, "sqlstate", None) in RETRY_STATES or getattr(exc.orig, "pgcode", None) in RETRY_STATES:
        return on_write_conflict(request, exc)
    return on_unexpected_error(request, exc)


def on_unexpected_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server log, never to the user.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _respond(request, HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error")


handlers = {
    TrackerError: on_tracker_error,
    NotAuthorizedException: on_not_signed_in,
    HTTPException: on_http_error,
    StaleDataError: on_write_conflict,
    IntegrityError: on_write_conflict,
    OverflowError: on_number_out_of_range,
    DBAPIError: on_database_data_error,
    HTTP_500_INTERNAL_SERVER_ERROR: on_unexpected_error,
}
