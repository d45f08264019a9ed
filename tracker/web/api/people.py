"""People and their accreditations, for admins and registrars: personal data never leaves these routes."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from tracker import models as m
from tracker.services.accreditations import (
    AccreditationService,
    Filters,
    NominationData,
    SubstitutionData,
    TransitionData,
)
from tracker.services.elections import ElectionService
from tracker.services.persons import PersonData, PersonService
from tracker.web.api.schemas import (
    DUPLICATE,
    AccreditationOut,
    AccreditationPage,
    AccreditationRowOut,
    Limit,
    Offset,
    PersonOut,
    PersonPage,
    Version,
    responses,
)
from tracker.web.auth import CurrentUser, registrars

Elections = NamedDependency[ElectionService]
Persons = NamedDependency[PersonService]
Accreditations = NamedDependency[AccreditationService]
Registrar = Request[CurrentUser, Any, Any]
Text = Annotated[str | None, QueryParameter(max_length=255, description="Part of a name, in any script and case")]
NOMINATE_ERRORS: dict[int, ResponseSpec] = {**responses(400, 401, 403, 404), 409: DUPLICATE}


async def _election_of(accreditations: AccreditationService, accreditation: m.Accreditation) -> m.Election:
    election = await accreditations.session.get(m.Election, accreditation.election_id)
    assert election is not None
    return election


async def _out(accreditations: AccreditationService, accreditation: m.Accreditation) -> AccreditationOut:
    # Rows the request has already loaded come from the session's identity map, not the database.
    person = await accreditations.session.get(m.Person, accreditation.person_id)
    mission = await accreditations.session.get(m.Mission, accreditation.mission_id)
    assert person is not None
    assert mission is not None
    election = await _election_of(accreditations, accreditation)
    return AccreditationOut.of(accreditation, election, person, mission, await accreditations.history(accreditation.id))


class PersonApi(Controller):
    path = "/api/persons"
    tags = ["persons"]
    guards = [registrars]

    @get("/", summary="Find people by name, in any script", responses=responses(400, 401, 403))
    async def search_persons(
        self, persons: Persons, q: Text = None, limit: Limit = 50, offset: Offset = 0
    ) -> PersonPage:
        items, total = await persons.search(q, limit=limit, offset=offset)
        return PersonPage([PersonOut.of(person) for person in items], total, limit, offset)

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
        person = await persons.by_id(person_id)
        return PersonOut.of(await persons.update_person(person, data, version, request.user.actor))


class ElectionAccreditationApi(Controller):
    path = "/api/elections/{slug:str}/accreditations"
    tags = ["accreditations"]
    guards = [registrars]

    @get("/", summary="Accreditations of an election, filtered", responses=responses(400, 401, 403, 404))
    async def list_accreditations(
        self,
        elections: Elections,
        accreditations: Accreditations,
        slug: FromPath[str],
        mission: Annotated[str | None, QueryParameter(description="A mission's slug")] = None,
        sender: Annotated[str | None, QueryParameter(description="`country:XX` or `organization:SLUG`")] = None,
        status: Annotated[m.Status | None, QueryParameter(description="The current status")] = None,
        role: Annotated[m.Role | None, QueryParameter()] = None,
        q: Text = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> AccreditationPage:
        election = await elections.get_by_slug(slug)
        filters = Filters(mission=mission, sender=sender, status=status, role=role, q=q)
        rows, total = await accreditations.search(election, filters, limit=limit, offset=offset)
        return AccreditationPage([AccreditationRowOut.of(row, election) for row in rows], total, limit, offset)

    @post(
        "/",
        summary="Nominate someone",
        description="A likely duplicate of someone already in this election is 409 with `matches`, "
        "unless `confirm_duplicate` is true.",
        responses=NOMINATE_ERRORS,
    )
    async def nominate(
        self,
        request: Registrar,
        elections: Elections,
        accreditations: Accreditations,
        slug: FromPath[str],
        data: JSONBody[NominationData],
    ) -> AccreditationOut:
        election = await elections.get_by_slug(slug)
        return await _out(accreditations, await accreditations.nominate(election, data, request.user.actor))


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
        return await _out(accreditations, await accreditations.by_id(accreditation_id))

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
        accreditation = await accreditations.by_id(accreditation_id)
        election = await _election_of(accreditations, accreditation)
        await accreditations.transition(election, accreditation, data, request.user.actor)
        return await _out(accreditations, accreditation)

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
        old = await accreditations.by_id(accreditation_id)
        election = await _election_of(accreditations, old)
        return await _out(accreditations, await accreditations.substitute(election, old, data, request.user.actor))
