"""Observers and their accreditations: finding, nominating, deciding, replacing."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select

from tracker import labels
from tracker import models as m
from tracker.errors import PossibleDuplicate, TrackerError
from tracker.i18n import current_language
from tracker.services.accreditations import (
    AccreditationService,
    Filters,
    NominationData,
    SubstitutionData,
    TransitionData,
)
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionService
from tracker.services.persons import PersonData
from tracker.services.transitions import NEXT
from tracker.web.auth import registrars
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, values, version_of

Elections = NamedDependency[ElectionService]
Missions = NamedDependency[MissionService]
Accreditations = NamedDependency[AccreditationService]
PAGE_SIZE = 50
PERSON_FIELDS = (
    "name_original",
    "name_latin",
    "nationality",
    "birth_date",
    "gender",
    "document_number",
    "document_country",
    "email",
    "phone",
)


def with_person(form: Any) -> dict[str, Any]:
    """The form's own fields, plus the new person it describes unless it names an existing one."""
    fields = values(form)
    own = {key: value for key, value in fields.items() if key not in PERSON_FIELDS}
    if fields.get("person_id"):
        return own
    return own | {"person": parse({k: v for k, v in fields.items() if k in PERSON_FIELDS}, PersonData)}


async def _countries(accreditations: AccreditationService) -> list[tuple[str, str]]:
    lang = current_language.get()
    rows = await accreditations.session.scalars(select(m.Country))
    return sorted(((c.code, c.name(lang)) for c in rows), key=lambda item: item[1])


class AccreditationPages(Controller):
    path = "/staff"
    include_in_schema = False
    guards = [registrars]

    @get("/elections/{slug:str}/accreditations")
    async def index(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        accreditations: Accreditations,
        slug: FromPath[str],
        q: FromQuery[str] = "",
        mission: FromQuery[str] = "",
        sender: FromQuery[str] = "",
        status: FromQuery[str] = "",
        role: FromQuery[str] = "",
        page_number: FromQuery[int] = 1,
    ) -> Template:
        election = await elections.get_by_slug(slug)
        filters = Filters(
            mission=mission or None,
            sender=sender or None,
            status=m.Status(status) if status in m.Status.__members__.values() else None,
            role=m.Role(role) if role in m.Role.__members__.values() else None,
            q=q or None,
        )
        number = max(page_number, 1)
        rows, total = await accreditations.search(election, filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        mission_list = await missions.of_election(election)
        senders = sorted(
            {
                (f"country:{x.country_code}", x.country.name(current_language.get()))
                if x.country
                else (f"organization:{x.organization.slug}", x.organization.acronym(current_language.get()))
                for x in mission_list
                if x.country or x.organization
            },
            key=lambda item: item[1],
        )
        return page(
            request,
            "accreditations",
            election=election,
            rows=rows,
            total=total,
            page_number=number,
            pages=max(1, math.ceil(total / PAGE_SIZE)),
            query={"q": q, "mission": mission, "sender": sender, "status": status, "role": role},
            missions=mission_list,
            senders=senders,
        )

    @get("/elections/{slug:str}/accreditations/new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        accreditations: Accreditations,
        slug: FromPath[str],
        mission: FromQuery[str] = "",
    ) -> Template:
        election = await elections.get_by_slug(slug)
        return page(
            request,
            "nominate",
            election=election,
            missions=await missions.of_election(election),
            countries=await _countries(accreditations),
            values={"mission": mission},
            errors={},
            duplicates=[],
        )

    @post("/elections/{slug:str}/accreditations/new")
    async def create(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        accreditations: Accreditations,
        slug: FromPath[str],
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        form = await request.form()
        duplicates: list[dict[str, Any]] = []
        try:
            data = parse(with_person(form), NominationData)
            accreditation = await accreditations.nominate(election, data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            if isinstance(error, PossibleDuplicate):
                duplicates = await self._describe(accreditations, error.matches)
            return page(
                request,
                "nominate",
                status_code=status_of(error),
                election=election,
                missions=await missions.of_election(election),
                countries=await _countries(accreditations),
                values=dict(form),
                errors=errors_of(error),
                duplicates=duplicates,
            )
        return Redirect(f"/staff/accreditations/{accreditation.id}")

    async def _describe(
        self, accreditations: AccreditationService, matches: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        described = []
        for match in matches:
            accreditation = await accreditations.by_id(int(match["accreditation_id"]))
            person = await accreditations.session.get(m.Person, accreditation.person_id)
            mission = await accreditations.session.get(m.Mission, accreditation.mission_id)
            described.append({"accreditation": accreditation, "person": person, "mission": mission})
        return described

    @get("/accreditations/{accreditation_id:int}")
    async def detail(
        self, request: Request[Any, Any, Any], accreditations: Accreditations, accreditation_id: FromPath[int]
    ) -> Template:
        return await self._detail(request, accreditations, accreditation_id, errors={}, values={})

    async def _detail(
        self,
        request: Request[Any, Any, Any],
        accreditations: AccreditationService,
        accreditation_id: int,
        *,
        errors: dict[str, str],
        values: dict[str, Any],
        status_code: int = 200,
        form: str = "",
    ) -> Template:
        accreditation = await accreditations.by_id(accreditation_id)
        session = accreditations.session
        election = await session.get(m.Election, accreditation.election_id)
        person = await session.get(m.Person, accreditation.person_id)
        mission = await session.get(m.Mission, accreditation.mission_id)
        history = await accreditations.history(accreditation.id)
        current = history[-1].status if history else None
        replaced_by = await session.scalar(
            select(m.Accreditation).where(m.Accreditation.replaces_id == accreditation.id)
        )
        return page(
            request,
            "accreditation",
            status_code=status_code,
            accreditation=accreditation,
            election=election,
            person=person,
            mission=mission,
            history=history,
            current=current,
            next_options=[(status.value, labels.statuses()[status]) for status in sorted(NEXT[current])],
            replaced_by=replaced_by,
            countries=await _countries(accreditations),
            errors=errors,
            values=values,
            failed_form=form,
        )

    async def _decide(
        self,
        request: Request[Any, Any, Any],
        accreditations: AccreditationService,
        accreditation_id: int,
        form_name: str,
        act: Callable[[m.Election, m.Accreditation, Any], Awaitable[int]],
    ) -> Template | Redirect:
        """Run one of the page's forms; on success go to the accreditation `act` names, else show why."""
        accreditation = await accreditations.by_id(accreditation_id)
        election = await accreditations.session.get(m.Election, accreditation.election_id)
        assert election is not None
        form = await request.form()
        try:
            # Both of the page's forms are filled from the accreditation as it was read.
            version_of(form)
            target = await act(election, accreditation, form)
        except (FormErrors, TrackerError) as error:
            await accreditations.session.rollback()
            return await self._detail(
                request,
                accreditations,
                accreditation_id,
                errors=errors_of(error),
                values=dict(form),
                status_code=status_of(error),
                form=form_name,
            )
        return Redirect(f"/staff/accreditations/{target}")

    @post("/accreditations/{accreditation_id:int}/transition")
    async def transition(
        self, request: Request[Any, Any, Any], accreditations: Accreditations, accreditation_id: FromPath[int]
    ) -> Template | Redirect:
        async def act(election: m.Election, accreditation: m.Accreditation, form: Any) -> int:
            await accreditations.transition(election, accreditation, parse(form, TransitionData), request.user.actor)
            return accreditation.id

        return await self._decide(request, accreditations, accreditation_id, "transition", act)

    @post("/accreditations/{accreditation_id:int}/substitute")
    async def substitute(
        self, request: Request[Any, Any, Any], accreditations: Accreditations, accreditation_id: FromPath[int]
    ) -> Template | Redirect:
        async def act(election: m.Election, accreditation: m.Accreditation, form: Any) -> int:
            data = parse(with_person(form), SubstitutionData)
            return (await accreditations.substitute(election, accreditation, data, request.user.actor)).id

        return await self._decide(request, accreditations, accreditation_id, "substitute", act)
