"""Observers and their accreditations: finding, nominating, deciding, replacing."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from advanced_alchemy.filters import LimitOffset
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from tracker import labels
from tracker import models as m
from tracker.errors import PossibleDuplicate, TrackerError
from tracker.i18n import current_language
from tracker.services.accreditation_reads import AccreditationDetail, Filters
from tracker.services.accreditations import NominationData, SubstitutionData, TransitionData
from tracker.services.corrections import TestFlagData, set_test_flag
from tracker.services.persons import PersonData
from tracker.web.auth import CurrentUser, admins, registrars
from tracker.web.deps import Accreditations, Countries, Election, Missions, Persons
from tracker.web.http.errors import MAX_INT
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, values, version_of

T = TypeVar("T")
Registrar = Request[CurrentUser, Any, Any]
PAGE_SIZE = 50
# People found to nominate, at most: a name typed in full finds a handful; more says to type more of it.
FOUND_AT_MOST = 20
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


def with_person(form: Any, into: type[T]) -> T:
    """The form as `into` (a nomination, a substitution): the existing person it names (`person_id`) or the new
    one it describes; every field of either that is wrong or missing, at once."""
    fields = values(form)
    own = {key: value for key, value in fields.items() if key not in PERSON_FIELDS}
    errors: dict[str, str] = {}
    if not fields.get("person_id"):
        try:
            own["person"] = parse({k: v for k, v in fields.items() if k in PERSON_FIELDS}, PersonData)
        except FormErrors as error:
            errors = error.errors
    try:
        data = parse(own, into)
    except FormErrors as error:
        raise FormErrors(error.errors | errors) from None
    if errors:
        raise FormErrors(errors)
    return data


class AccreditationPages(Controller):
    path = "/staff"
    include_in_schema = False
    guards = [registrars]

    @get("/elections/{slug:str}/accreditations")
    async def index(
        self,
        request: Registrar,
        election: Election,
        accreditations: Accreditations,
        q: FromQuery[str] = "",
        mission: FromQuery[str] = "",
        sender: FromQuery[str] = "",
        status: FromQuery[str] = "",
        role: FromQuery[str] = "",
        page_number: FromQuery[int] = 1,
    ) -> Template:
        filters = Filters(
            mission=mission or None,
            sender=sender or None,
            status=m.Status(status) if status in m.Status.__members__.values() else None,
            role=m.Role(role) if role in m.Role.__members__.values() else None,
            q=q or None,
        )
        number = max(page_number, 1)
        listing = await accreditations.listing(
            election, filters, LimitOffset(PAGE_SIZE, (number - 1) * PAGE_SIZE), current_language.get()
        )
        return page(
            request,
            "accreditations",
            election=election,
            rows=listing.rows,
            total=listing.total,
            page_number=number,
            pages=max(1, math.ceil(listing.total / PAGE_SIZE)),
            query={"q": q, "mission": mission, "sender": sender, "status": status, "role": role},
            missions=listing.missions,
            senders=listing.senders,
        )

    @get("/elections/{slug:str}/accreditations/new")
    async def new(
        self,
        request: Registrar,
        election: Election,
        missions: Missions,
        countries: Countries,
        persons: Persons,
        mission: FromQuery[str] = "",
        role: FromQuery[str] = "",
        find: FromQuery[str] = "",
        person: FromQuery[str] = "",
    ) -> Template:
        """The nomination form; with `find`, the people it finds to nominate; with `person`, that one chosen."""
        shown = {"mission": mission, "role": role, "person_id": person if person.isdigit() else ""}
        return await self._form(request, election, missions, countries, persons, shown, find=find.strip())

    async def _form(
        self,
        request: Registrar,
        election: m.Election,
        missions: Missions,
        countries: Countries,
        persons: Persons,
        shown: dict[str, Any],
        *,
        find: str = "",
        error: FormErrors | TrackerError | None = None,
        duplicates: list[m.Accreditation] | None = None,
    ) -> Template:
        found, total = await persons.candidates(election.id, find, FOUND_AT_MOST) if find else ([], 0)
        chosen = str(shown.get("person_id") or "")
        errors = errors_of(error) if error else {}
        if duplicates:
            errors.pop("confirm_duplicate", None)  # the warning above the form says it, with whom it may be
        return page(
            request,
            "nominate",
            status_code=status_of(error) if error else 200,
            election=election,
            missions=await missions.of_election(election),
            countries=await countries.choices(current_language.get()),
            values=shown,
            errors=errors,
            duplicates=duplicates or [],
            find=find,
            found=found,
            found_total=total,
            # One that is not there is said under the field (the service's message), not as a page of its own.
            chosen=await persons.get_one_or_none(id=int(chosen))
            if chosen.isdigit() and int(chosen) <= MAX_INT
            else None,
        )

    @post("/elections/{slug:str}/accreditations/new")
    async def create(
        self,
        request: Registrar,
        election: Election,
        missions: Missions,
        accreditations: Accreditations,
        countries: Countries,
        persons: Persons,
    ) -> Template | Redirect:
        form = await request.form()
        try:
            data = with_person(form, NominationData)
            detail = await accreditations.nominate(election, data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            duplicates = []
            if isinstance(error, PossibleDuplicate):
                duplicates = await accreditations.with_person_and_mission(
                    [int(match["accreditation_id"]) for match in error.matches]
                )
            return await self._form(
                request, election, missions, countries, persons, dict(form), error=error, duplicates=duplicates
            )
        return Redirect(f"/staff/accreditations/{detail.accreditation.id}")

    @get("/accreditations/{accreditation_id:int}")
    async def detail(
        self,
        request: Registrar,
        accreditations: Accreditations,
        countries: Countries,
        accreditation_id: FromPath[int],
    ) -> Template:
        return await self._detail(request, accreditations, countries, accreditation_id, errors={}, values={})

    async def _detail(
        self,
        request: Registrar,
        accreditations: Accreditations,
        countries: Countries,
        accreditation_id: int,
        *,
        errors: dict[str, str],
        values: dict[str, Any],
        status_code: int = 200,
        form: str = "",
    ) -> Template:
        detail = await accreditations.detail(accreditation_id)
        return page(
            request,
            "accreditation",
            status_code=status_code,
            accreditation=detail.accreditation,
            election=detail.election,
            person=detail.person,
            mission=detail.mission,
            history=detail.history,
            current=detail.status,
            next_options=[(status.value, labels.statuses()[status]) for status in detail.next_statuses],
            replaced_by=detail.replaced_by,
            countries=await countries.choices(current_language.get()),
            errors=errors,
            values=values,
            failed_form=form,
        )

    async def _decide(
        self,
        request: Registrar,
        accreditations: Accreditations,
        countries: Countries,
        accreditation_id: int,
        form_name: str,
        act: Callable[[Any], Awaitable[AccreditationDetail]],
    ) -> Template | Redirect:
        """Run one of the page's forms; on success go to the accreditation `act` returns, else show why."""
        form = await request.form()
        try:
            # Both of the page's forms are filled from the accreditation as it was read.
            version_of(form)
            detail = await act(form)
        except (FormErrors, TrackerError) as error:
            return await self._detail(
                request,
                accreditations,
                countries,
                accreditation_id,
                errors=errors_of(error),
                values=dict(form),
                status_code=status_of(error),
                form=form_name,
            )
        return Redirect(f"/staff/accreditations/{detail.accreditation.id}")

    @post("/accreditations/{accreditation_id:int}/transition")
    async def transition(
        self,
        request: Registrar,
        accreditations: Accreditations,
        countries: Countries,
        accreditation_id: FromPath[int],
    ) -> Template | Redirect:
        async def act(form: Any) -> AccreditationDetail:
            data = parse(form, TransitionData)
            return await accreditations.transition(accreditation_id, data, request.user.actor)

        return await self._decide(request, accreditations, countries, accreditation_id, "transition", act)

    @post("/accreditations/{accreditation_id:int}/substitute")
    async def substitute(
        self,
        request: Registrar,
        accreditations: Accreditations,
        countries: Countries,
        accreditation_id: FromPath[int],
    ) -> Template | Redirect:
        async def act(form: Any) -> AccreditationDetail:
            data = with_person(form, SubstitutionData)
            return await accreditations.substitute(accreditation_id, data, request.user.actor)

        return await self._decide(request, accreditations, countries, accreditation_id, "substitute", act)

    @post("/accreditations/{accreditation_id:int}/test-data", guards=[admins])
    async def test_data(
        self,
        request: Registrar,
        accreditations: Accreditations,
        countries: Countries,
        accreditation_id: FromPath[int],
    ) -> Template | Redirect:
        async def act(form: Any) -> AccreditationDetail:
            await set_test_flag(accreditations.session, accreditation_id, parse(form, TestFlagData), request.user.actor)
            return await accreditations.detail(accreditation_id)

        return await self._decide(request, accreditations, countries, accreditation_id, "test-data", act)
