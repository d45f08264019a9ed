"""Observers' identities: validation, duplicates, search."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import Select, func, or_, select

from tracker import models as m
from tracker.cleaning import check_birth_date, clean_document, clean_email, clean_text, contains, search_key
from tracker.errors import InvalidInput, NotFound
from tracker.services.audit import Actor, record, snapshot
from tracker.services.versions import check_version


class PersonData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An observer's identity as staff enter it. Everything but names and nationality is personal data."""

    name_original: Annotated[str, msgspec.Meta(max_length=255, description="Name in the original script")]
    name_latin: Annotated[str, msgspec.Meta(max_length=255, description="Name in Latin transliteration")]
    nationality: Annotated[str, msgspec.Meta(description="ISO 3166-1 alpha-2 code", examples=["DE"])]
    birth_date: dt.date | None = None
    gender: m.Gender = m.Gender.UNSPECIFIED
    document_number: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    document_country: str | None = None
    email: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    phone: Annotated[str, msgspec.Meta(max_length=64)] | None = None


ACTIVE = (m.Status.NOMINATED, m.Status.ACCREDITED)


def people_in_election(election_id: int) -> Select[tuple[m.Accreditation, m.Person]]:
    """Who is already in an election: each person with an accreditation there that is nominated or accredited
    now, with that accreditation. Someone withdrawn, rejected or revoked may be nominated again."""
    return (
        select(m.Accreditation, m.Person)
        .join(m.Person, m.Person.id == m.Accreditation.person_id)
        .join(m.StatusEvent, (m.StatusEvent.accreditation_id == m.Accreditation.id) & m.StatusEvent.current())
        .where(m.Accreditation.election_id == election_id, m.StatusEvent.status.in_(ACTIVE))
    )


class PersonService(SQLAlchemyAsyncRepositoryService[m.Person]):
    class Repo(SQLAlchemyAsyncRepository[m.Person]):
        model_type = m.Person

    repository_type = Repo

    async def _country(self, code: str | None, field: str, *, required: bool = False) -> str | None:
        if not code:
            if required:
                raise InvalidInput(f"{field}: is required", field=field)
            return None
        code = code.strip().upper()
        if await self.repository.session.get(m.Country, code) is None:
            raise InvalidInput(f"{field}: {code!r} is not an ISO 3166 country code", field=field)
        return code

    async def _apply(self, person: m.Person, data: PersonData) -> None:
        person.name_original = clean_text(data.name_original, "name_original", required=True) or ""
        person.name_latin = clean_text(data.name_latin, "name_latin", required=True) or ""
        person.search_name = search_key(person.name_original, person.name_latin)
        person.nationality_code = await self._country(data.nationality, "nationality", required=True) or ""
        person.birth_date = check_birth_date(data.birth_date)
        person.gender = data.gender
        person.document_number = clean_document(data.document_number)
        person.document_country_code = await self._country(data.document_country, "document_country")
        person.email = clean_email(data.email)
        person.phone = clean_text(data.phone, "phone", limit=64)

    async def by_id(self, person_id: int) -> m.Person:
        person = await self.repository.session.get(m.Person, person_id)
        if person is None:
            raise NotFound("person", person_id)
        return person

    async def search(self, q: str | None, *, limit: int = 50, offset: int = 0) -> tuple[list[m.Person], int]:
        """People whose name, in either script, contains `q` (any case); everyone without `q`."""
        statement = select(m.Person)
        if q and q.strip():
            statement = statement.where(m.Person.search_name.like(contains(q), escape="\\"))
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        rows = await session.scalars(statement.order_by(m.Person.name_latin, m.Person.id).limit(limit).offset(offset))
        return list(rows), total

    async def create_person(self, data: PersonData, actor: Actor) -> m.Person:
        person = m.Person()
        await self._apply(person, data)
        self.repository.session.add(person)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "create", person)
        return person

    async def update_person(self, person: m.Person, data: PersonData, version: int, actor: Actor) -> m.Person:
        check_version(person, version)
        before = snapshot(person)
        # One save, one UPDATE: the lookups inside must not flush half-applied changes (each flush bumps `version`).
        with self.repository.session.no_autoflush:
            await self._apply(person, data)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "update", person, before=before)
        return person

    async def duplicates(
        self, election_id: int, data: PersonData, exclude_person_id: int | None = None
    ) -> list[m.Accreditation]:
        """Accreditations of people already in this election (`people_in_election`) with the same document, or
        the same name and birth date."""
        document = clean_document(data.document_number)
        conditions = []
        if document:
            conditions.append(m.Person.document_number == document)
        if data.birth_date:
            conditions.append(m.Person.birth_date == data.birth_date)
        if not conditions:
            return []
        statement = people_in_election(election_id).where(or_(*conditions)).order_by(m.Accreditation.id)
        if exclude_person_id is not None:
            statement = statement.where(m.Person.id != exclude_person_id)
        names = {search_key(data.name_original), search_key(data.name_latin)}
        found = []
        for accreditation, person in await self.repository.session.execute(statement):
            same_document = document is not None and person.document_number == document
            same_name = names & {search_key(person.name_original), search_key(person.name_latin)}
            if same_document or (same_name and person.birth_date == data.birth_date):
                found.append(accreditation)
        return found
