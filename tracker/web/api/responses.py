"""What every route of the staff JSON API shares in its OpenAPI document: the error answers it may give and
the paging and version parameters. Each route's own structs stand beside its controller."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar.openapi import ResponseSpec
from litestar.params import QueryParameter

from tracker.web.http.errors import ErrorOut

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="At most this many items")]
Offset = Annotated[int, QueryParameter(ge=0, le=2**63 - 1, description="Skip this many items")]
Version = Annotated[
    int, QueryParameter(ge=1, description="The record's version you last read: a newer one on the server is 409")
]


class BadInputOut(ErrorOut, kw_only=True):
    extra: list[dict[str, Any]] | None = None
    """When the request itself does not fit (a wrong type, an unknown field): each problem's `key`, `source`
    and `message`. Values that fit the types but not the rules are named in `field` instead."""


class DuplicateMatch(msgspec.Struct):
    accreditation_id: int
    person_id: int
    mission_id: int


class DuplicateOut(ErrorOut, kw_only=True):
    matches: list[DuplicateMatch] = msgspec.field(default_factory=list)
    """Accreditations in this election that look like the same person."""


SPECS: dict[int, ResponseSpec] = {
    400: ResponseSpec(
        generate_examples=False, data_container=BadInputOut, description="A value that cannot be used; `field` names it"
    ),
    401: ResponseSpec(generate_examples=False, data_container=ErrorOut, description="Not signed in"),
    403: ResponseSpec(generate_examples=False, data_container=ErrorOut, description="Your role cannot do this"),
    404: ResponseSpec(generate_examples=False, data_container=ErrorOut, description="No such record"),
    429: ResponseSpec(
        generate_examples=False, data_container=ErrorOut, description="Too many requests or attempts; see Retry-After"
    ),
    409: ResponseSpec(
        generate_examples=False,
        data_container=ErrorOut,
        description="Stale `version`, a clash with an existing record, or a status change the workflow forbids",
    ),
}
DUPLICATE = ResponseSpec(
    generate_examples=False,
    data_container=DuplicateOut,
    description="Looks like someone already in this election (`matches`; send again with `confirm_duplicate`), "
    "a stale `version`, or a status change the workflow forbids",
)


def responses(*codes: int) -> dict[int, ResponseSpec]:
    """The documented error answers of a route."""
    return {code: SPECS[code] for code in codes}
