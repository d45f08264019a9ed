"""What the staff JSON API returns: msgspec structs, documented in OpenAPI. Personal data appears only
in structs that admin- and registrar-only routes return."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar.openapi import ResponseSpec
from litestar.params import QueryParameter

from tracker import models as m
from tracker.open_data import ErrorOut
from tracker.services.accreditations import Row

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


class PersonOut(msgspec.Struct, kw_only=True):
    """The fields of PersonData, so that what is read can be edited and sent back."""

    id: int
    name_original: str
    name_latin: str
    nationality: str
    birth_date: dt.date | None
    gender: m.Gender
    document_number: str | None
    document_country: str | None
    email: str | None
    phone: str | None
    version: int

    @classmethod
    def of(cls, person: m.Person) -> PersonOut:
        return cls(
            id=person.id,
            name_original=person.name_original,
            name_latin=person.name_latin,
            nationality=person.nationality_code,
            birth_date=person.birth_date,
            gender=person.gender,
            document_number=person.document_number,
            document_country=person.document_country_code,
            email=person.email,
            phone=person.phone,
            version=person.version,
        )


class PersonPage(msgspec.Struct):
    items: list[PersonOut]
    total: int
    limit: int
    offset: int


class AccreditationRowOut(msgspec.Struct, kw_only=True):
    id: int
    person_id: int
    name_original: str
    name_latin: str
    nationality: str
    mission: str
    role: m.Role
    status: m.Status
    status_since: dt.datetime
    badge_number: str | None
    is_test: bool
    version: int

    @classmethod
    def of(cls, row: Row, election: m.Election) -> AccreditationRowOut:
        return cls(
            id=row.accreditation.id,
            person_id=row.person.id,
            name_original=row.person.name_original,
            name_latin=row.person.name_latin,
            nationality=row.person.nationality_code,
            mission=row.mission.slug,
            role=row.accreditation.role,
            status=row.status,
            status_since=election.local(row.status_since),
            badge_number=row.accreditation.badge_number,
            is_test=row.accreditation.is_test,
            version=row.accreditation.version,
        )


class AccreditationPage(msgspec.Struct):
    items: list[AccreditationRowOut]
    total: int
    limit: int
    offset: int


class StatusEventOut(msgspec.Struct, kw_only=True):
    status: m.Status
    effective_at: dt.datetime
    """In the election's time zone."""
    actor: str
    reason: str | None
    decision_ref: str | None
    override_reason: str | None
    """Why an admin accredited outside the window."""

    @classmethod
    def of(cls, event: m.StatusEvent, election: m.Election) -> StatusEventOut:
        return cls(
            status=event.status,
            effective_at=election.local(event.effective_at),
            actor=event.actor,
            reason=event.reason,
            decision_ref=event.decision_ref,
            override_reason=event.override_reason,
        )


class AccreditationOut(msgspec.Struct, kw_only=True):
    id: int
    election: str
    person_id: int
    name_original: str
    name_latin: str
    nationality: str
    mission: str
    mission_name: str
    role: m.Role
    status: m.Status
    badge_number: str | None
    decision_ref: str | None
    replaces_id: int | None
    is_test: bool
    version: int
    """Send it back with a transition or substitution."""
    history: list[StatusEventOut]
    """Oldest first."""

    @classmethod
    def of(
        cls,
        accreditation: m.Accreditation,
        election: m.Election,
        person: m.Person,
        mission: m.Mission,
        history: list[m.StatusEvent],
    ) -> AccreditationOut:
        current = next(event for event in history if event.valid_until is None)
        return cls(
            id=accreditation.id,
            election=election.slug,
            person_id=person.id,
            name_original=person.name_original,
            name_latin=person.name_latin,
            nationality=person.nationality_code,
            mission=mission.slug,
            mission_name=mission.name,
            role=accreditation.role,
            status=current.status,
            badge_number=accreditation.badge_number,
            decision_ref=accreditation.decision_ref,
            replaces_id=accreditation.replaces_id,
            is_test=accreditation.is_test,
            version=accreditation.version,
            history=[StatusEventOut.of(event, election) for event in history],
        )
