"""A person's page: identity, every accreditation with its history; and the person form."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select

from tracker import models as m
from tracker.errors import NotFound, TrackerError
from tracker.services.accreditations import AccreditationService
from tracker.services.persons import PersonData, PersonService
from tracker.web.auth import registrars
from tracker.web.staff import page
from tracker.web.staff.accreditations import PERSON_FIELDS, _countries
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, version_of

Persons = NamedDependency[PersonService]
Accreditations = NamedDependency[AccreditationService]


def _values(person: m.Person) -> dict[str, Any]:
    return {
        "name_original": person.name_original,
        "name_latin": person.name_latin,
        "nationality": person.nationality_code,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "gender": person.gender.value,
        "document_number": person.document_number,
        "document_country": person.document_country_code,
        "email": person.email,
        "phone": person.phone,
        "version": person.version,
    }


class PersonPages(Controller):
    path = "/staff/persons/{person_id:int}"
    include_in_schema = False
    guards = [registrars]

    async def _person(self, persons: PersonService, person_id: int) -> m.Person:
        person = await persons.repository.session.get(m.Person, person_id)
        if person is None:
            raise NotFound("person", person_id)
        return person

    @get("/")
    async def detail(
        self,
        request: Request[Any, Any, Any],
        persons: Persons,
        accreditations: Accreditations,
        person_id: FromPath[int],
    ) -> Template:
        person = await self._person(persons, person_id)
        session = persons.repository.session
        entries = []
        for accreditation in await session.scalars(
            select(m.Accreditation).where(m.Accreditation.person_id == person.id).order_by(m.Accreditation.id)
        ):
            entries.append(
                {
                    "accreditation": accreditation,
                    "election": await session.get(m.Election, accreditation.election_id),
                    "mission": await session.get(m.Mission, accreditation.mission_id),
                    "history": await accreditations.history(accreditation.id),
                }
            )
        nationality = await session.get(m.Country, person.nationality_code)
        has_photo = await session.scalar(select(m.Person.photo.is_not(None)).where(m.Person.id == person.id))
        return page(
            request, "person", person=person, nationality=nationality, entries=entries, has_photo=bool(has_photo)
        )

    @get("/edit")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        persons: Persons,
        accreditations: Accreditations,
        person_id: FromPath[int],
    ) -> Template:
        person = await self._person(persons, person_id)
        return page(
            request,
            "person_form",
            person=person,
            values=_values(person),
            errors={},
            countries=await _countries(accreditations),
        )

    @post("/edit")
    async def update(
        self,
        request: Request[Any, Any, Any],
        persons: Persons,
        accreditations: Accreditations,
        person_id: FromPath[int],
    ) -> Template | Redirect:
        person = await self._person(persons, person_id)
        form = await request.form()
        try:
            data = parse({key: form[key] for key in form if key in PERSON_FIELDS}, PersonData)
            await persons.update_person(person, data, version_of(form), request.user.actor)
        except (FormErrors, TrackerError) as error:
            await persons.repository.session.rollback()
            return page(
                request,
                "person_form",
                status_code=status_of(error),
                person=await self._person(persons, person_id),
                values=dict(form),
                errors=errors_of(error),
                countries=await _countries(accreditations),
            )
        return Redirect(f"/staff/persons/{person_id}")
