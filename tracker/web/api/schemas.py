"""What the staff JSON API returns: msgspec structs, documented in OpenAPI. Personal data appears only
in structs that admin- and registrar-only routes return."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar.openapi import ResponseSpec
from litestar.params import QueryParameter

from tracker import models as m
from tracker.open_data import ErrorOut

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


class MissionOut(msgspec.Struct, kw_only=True):
    slug: str
    name: str
    sender: str
    """`country:XX` or `organization:SLUG`, as MissionData takes it."""
    sender_kind: m.SenderKind
    sender_name: str
    head_name: str | None
    coordinator_name: str | None
    expected_size: int | None
    nomination_note_ref: str | None
    counts: dict[m.Status, int]
    """Accreditations by current status, test records included."""
    version: int

    @classmethod
    def of(cls, mission: m.Mission, sender: tuple[str, str], counts: dict[m.Status, int]) -> MissionOut:
        return cls(**_mission_fields(mission, sender, counts))


class MissionDetailOut(MissionOut, kw_only=True):
    news_item_ids: list[int]

    @classmethod
    def of(cls, mission: m.Mission, sender: tuple[str, str], counts: dict[m.Status, int]) -> MissionDetailOut:
        return cls(
            **_mission_fields(mission, sender, counts), news_item_ids=sorted(item.id for item in mission.news_items)
        )


def _mission_fields(mission: m.Mission, sender: tuple[str, str], counts: dict[m.Status, int]) -> dict[str, Any]:
    return {
        "slug": mission.slug,
        "name": mission.name,
        "sender": sender[0],
        "sender_kind": mission.sender_kind,
        "sender_name": sender[1],
        "head_name": mission.head_name,
        "coordinator_name": mission.coordinator_name,
        "expected_size": mission.expected_size,
        "nomination_note_ref": mission.nomination_note_ref,
        # Every status, zeros included, so clients need not guess which keys exist.
        "counts": {status: counts.get(status, 0) for status in m.Status},
        "version": mission.version,
    }
