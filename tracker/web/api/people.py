"""People and their accreditations, for admins and registrars: personal data never leaves these routes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post, put
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from tracker import models as m
from tracker.services.accreditation_reads import AccreditationDetail, Filters, Row
from tracker.services.accreditations import NominationData, SubstitutionData, TransitionData
from tracker.services.corrections import TestFlagData, set_test_flag
from tracker.services.persons import PersonData
from tracker.web.api.responses import DUPLICATE, Limit, Offset, Version, responses
from tracker.web.auth import CurrentUser, admins, registrars
from tracker.web.deps import Accreditations, Election, Persons

Registrar = Request[CurrentUser, Any, Any]
Text = Annotated[str | None, QueryParameter(max_length=255, description="Part of a name, in any script and case")]
NOMINATE_ERRORS: dict[int, ResponseSpec] = {**responses(400, 401, 403, 404), 409: DUPLICATE}


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
    latin_proposed: bool
    """The Latin name was proposed from the original script and not yet compared with the passport."""
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
            latin_proposed=person.latin_proposed,
            version=person.version,
        )


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
    def of(cls, detail: AccreditationDetail) -> AccreditationOut:
        accreditation, election, person, mission = detail.accreditation, detail.election, detail.person, detail.mission
        current = next(event for event in detail.history if event.valid_until is None)
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
            history=[StatusEventOut.of(event, election) for event in detail.history],
        )


class PersonApi(Controller):
    path = "/api/persons"
    tags = ["persons"]
    guards = [registrars]

    @get("/", summary="Find people by name, in any script", responses=responses(400, 401, 403))
    async def search_persons(
        self, persons: Persons, q: Text = None, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[PersonOut]:
        items, total = await persons.search(q, LimitOffset(limit, offset))
        return OffsetPagination([PersonOut.of(person) for person in items], limit, offset, total)

    @post("/", summary="Add a person", responses=responses(400, 401, 403))
    async def create_person(self, request: Registrar, persons: Persons, data: JSONBody[PersonData]) -> PersonOut:
        return PersonOut.of(await persons.create_person(data, request.user.actor))

    @get("/{person_id:int}", summary="One person, with personal data", responses=responses(401, 403, 404))
    async def get_person(self, persons: Persons, person_id: FromPath[int]) -> PersonOut:
        return PersonOut.of(await persons.by_id(person_id))

    @put("/{person_id:int}", summary="Change a person", responses=responses(400, 401, 403, 404, 409))
    async def update_person(
        self,
        request: Registrar,
        persons: Persons,
        person_id: FromPath[int],
        version: Version,
        data: JSONBody[PersonData],
    ) -> PersonOut:
        return PersonOut.of(await persons.update_person(person_id, data, version, request.user.actor))


class ElectionAccreditationApi(Controller):
    path = "/api/elections/{slug:str}/accreditations"
    tags = ["accreditations"]
    guards = [registrars]

    @get("/", summary="Accreditations of an election, filtered", responses=responses(400, 401, 403, 404))
    async def list_accreditations(
        self,
        election: Election,
        accreditations: Accreditations,
        mission: Annotated[str | None, QueryParameter(description="A mission's slug")] = None,
        sender: Annotated[str | None, QueryParameter(description="`country:XX` or `organization:SLUG`")] = None,
        status: Annotated[m.Status | None, QueryParameter(description="The current status")] = None,
        role: Annotated[m.Role | None, QueryParameter()] = None,
        q: Text = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[AccreditationRowOut]:
        filters = Filters(mission=mission, sender=sender, status=status, role=role, q=q)
        rows, total = await accreditations.search(election, filters, LimitOffset(limit, offset))
        return OffsetPagination([AccreditationRowOut.of(row, election) for row in rows], limit, offset, total)

    @post(
        "/",
        summary="Nominate someone",
        description="A likely duplicate of someone already in this election is 409 with `matches`, "
        "unless `confirm_duplicate` is true.",
        responses=NOMINATE_ERRORS,
    )
    async def nominate(
        self, request: Registrar, election: Election, accreditations: Accreditations, data: JSONBody[NominationData]
    ) -> AccreditationOut:
        return AccreditationOut.of(await accreditations.nominate(election, data, request.user.actor))


class AccreditationApi(Controller):
    path = "/api/accreditations"
    tags = ["accreditations"]
    guards = [registrars]

    @get(
        "/{accreditation_id:int}",
        summary="One accreditation with its status history",
        responses=responses(401, 403, 404),
    )
    async def get_accreditation(
        self, accreditations: Accreditations, accreditation_id: FromPath[int]
    ) -> AccreditationOut:
        return AccreditationOut.of(await accreditations.detail(accreditation_id))

    @post(
        "/{accreditation_id:int}/transitions",
        summary="Change the status",
        description="nominated → accredited or rejected; accredited → withdrawn or revoked. Accrediting "
        "outside the window is for admins, with `override_reason`.",
        responses=responses(400, 401, 403, 404, 409),
    )
    async def transition(
        self,
        request: Registrar,
        accreditations: Accreditations,
        accreditation_id: FromPath[int],
        data: JSONBody[TransitionData],
    ) -> AccreditationOut:
        return AccreditationOut.of(await accreditations.transition(accreditation_id, data, request.user.actor))

    @put(
        "/{accreditation_id:int}/test-data",
        guards=[admins],
        summary="Mark as test data, or clear the mark",
        description="Admins only. Test data is left out of every tally from now on; a tally known at an earlier "
        "moment still gives what was recorded then. Once the accreditation has been counted (ever accredited), "
        "`reason` is required.",
        responses=responses(400, 401, 403, 404, 409),
    )
    async def test_data(
        self,
        request: Registrar,
        accreditations: Accreditations,
        accreditation_id: FromPath[int],
        data: JSONBody[TestFlagData],
    ) -> AccreditationOut:
        await set_test_flag(accreditations.session, accreditation_id, data, request.user.actor)
        return AccreditationOut.of(await accreditations.detail(accreditation_id))

    @post(
        "/{accreditation_id:int}/substitution",
        summary="Replace the observer by another, in one step",
        description="The old accreditation is withdrawn (or rejected, if only nominated); the new one is "
        "nominated and, unless `accredit` is false, accredited, with `replaces_id` pointing at the old one.",
        responses=NOMINATE_ERRORS,
    )
    async def substitute(
        self,
        request: Registrar,
        accreditations: Accreditations,
        accreditation_id: FromPath[int],
        data: JSONBody[SubstitutionData],
    ) -> AccreditationOut:
        return AccreditationOut.of(await accreditations.substitute(accreditation_id, data, request.user.actor))
