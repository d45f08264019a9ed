"""Observers' identities: validation, duplicates, search, and a person's page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import models as m
from tracker.cleaning import check_birth_date, clean_document, clean_email, clean_text, contains, search_key
from tracker.errors import Checks, InvalidInput, NotFound
from tracker.i18n import gettext as _
from tracker.instants import DateIn
from tracker.services.audit import Actor, record, snapshot
from tracker.services.versions import check_version
from tracker.summaries_rekeyed import rekeyed
from tracker.transliteration import propose_latin


class PersonData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An observer's identity as staff enter it. Everything but names and nationality is personal data."""

    name_original: Annotated[str, msgspec.Meta(max_length=255, description="Name in the original script")]
    name_latin: Annotated[str, msgspec.Meta(max_length=255, description="Name in Latin transliteration")]
    nationality: Annotated[str, msgspec.Meta(description="ISO 3166-1 alpha-2 code", examples=["DE"])]
    birth_date: DateIn | None = None
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


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person found to nominate, and their accreditation that is active in the election, if any (then they
    are in it already, and are not nominated again)."""

    person: m.Person
    active: m.Accreditation | None


def _name_has(word: str) -> ColumnElement[bool]:
    """A person's names contain `word` as typed, or as passports write it in Latin letters (Иванов finds a
    person whose names are written IVANOV only)."""
    typed = m.Person.search_name.like(contains(word), escape="\\")
    if word.isascii():
        return typed
    latin = propose_latin(word)
    if latin.reason is not None or not latin.latin:
        return typed
    return or_(typed, m.Person.search_name.like(contains(latin.latin), escape="\\"))


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """One of a person's accreditations, with where it belongs and its status history (oldest first)."""

    accreditation: m.Accreditation
    election: m.Election
    mission: m.Mission
    history: list[m.StatusEvent]


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """A person's page: identity, whether a photo is on file, and every accreditation in every election."""

    person: m.Person
    nationality: m.Country | None
    has_photo: bool
    entries: list[PersonEntry]


class PersonService(SQLAlchemyAsyncRepositoryService[m.Person]):
    class Repo(SQLAlchemyAsyncRepository[m.Person]):
        model_type = m.Person

    repository_type = Repo

    async def _country(self, code: str | None, field: str, *, required: bool = False) -> str | None:
        if not code:
            if required:
                raise InvalidInput(f"{field}: " + _("is required"), field=field)
            return None
        code = code.strip().upper()
        if await self.repository.session.get(m.Country, code) is None:
            message = _("%(value)s is not an ISO 3166 country code") % {"value": repr(code)}
            raise InvalidInput(f"{field}: {message}", field=field)
        return code

    async def _fields(self, data: PersonData) -> dict[str, Any]:
        """A person's columns from `data`, every one checked before any is set: a refused value changes nothing,
        and every value refused is named at once."""
        checks = Checks()
        name_original = (
            checks.run(lambda: clean_text(data.name_original, "name_original", required=True, printed=True)) or ""
        )
        name_latin = checks.run(lambda: clean_text(data.name_latin, "name_latin", required=True, printed=True)) or ""
        fields = {
            "name_original": name_original,
            "name_latin": name_latin,
            "search_name": search_key(name_original, name_latin),
            "nationality_code": await checks.wait(self._country(data.nationality, "nationality", required=True)),
            "birth_date": checks.run(lambda: check_birth_date(data.birth_date)),
            "gender": data.gender,
            "document_number": checks.run(lambda: clean_document(data.document_number)),
            "document_country_code": await checks.wait(self._country(data.document_country, "document_country")),
            "email": checks.run(lambda: clean_email(data.email)),
            "phone": checks.run(lambda: clean_text(data.phone, "phone", limit=64)),
        }
        checks.done()
        return fields

    async def by_id(self, person_id: int) -> m.Person:
        person = await self.repository.session.get(m.Person, person_id)
        if person is None:
            raise NotFound("person", person_id)
        return person

    async def profile(self, person_id: int) -> PersonProfile:
        session = self.repository.session
        found = (
            await session.execute(
                select(m.Person, m.Person.photo.is_not(None))
                .where(m.Person.id == person_id)
                .options(joinedload(m.Person.nationality))
            )
        ).first()
        if found is None:
            raise NotFound("person", person_id)
        person, has_photo = found
        # An accreditation's mission belongs to the accreditation's election.
        accreditations = await session.scalars(
            select(m.Accreditation)
            .where(m.Accreditation.person_id == person_id)
            .options(
                joinedload(m.Accreditation.mission).joinedload(m.Mission.election),
                selectinload(m.Accreditation.events),
            )
            .order_by(m.Accreditation.id)
        )
        entries = [
            PersonEntry(
                accreditation, accreditation.mission.election, accreditation.mission, list(accreditation.events)
            )
            for accreditation in accreditations
        ]
        return PersonProfile(person, person.nationality, bool(has_photo), entries)

    async def search(self, q: str | None, page: LimitOffset) -> tuple[list[m.Person], int]:
        """People whose name, in either script, contains `q` (any case); everyone without `q`."""
        statement = select(m.Person)
        if q and q.strip():
            statement = statement.where(m.Person.search_name.like(contains(q), escape="\\"))
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        ordered = statement.order_by(m.Person.name_latin, m.Person.id)
        rows = await session.scalars(page.append_to_statement(ordered, m.Person))
        return list(rows), total

    async def candidates(self, election_id: int, text: str, limit: int) -> tuple[list[Candidate], int]:
        """People to nominate in an election, found by what the registrar typed: every word of it in their names
        in either script, or their travel document's number; at most `limit` of them, and how many there are."""
        words = text.split()[:8]
        if not words:
            return [], 0
        document = re.sub(r"\s+", "", text).upper()
        statement = select(m.Person).where(or_(and_(*map(_name_has, words)), m.Person.document_number == document))
        session = self.repository.session
        total = await session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        people = list(
            await session.scalars(
                statement.options(joinedload(m.Person.nationality))
                .order_by(m.Person.name_latin, m.Person.id)
                .limit(limit)
            )
        )
        active = {
            person.id: accreditation
            for accreditation, person in await session.execute(
                people_in_election(election_id)
                .where(m.Person.id.in_([person.id for person in people]))
                .options(joinedload(m.Accreditation.mission))
            )
        }
        return [Candidate(person, active.get(person.id)) for person in people], total

    async def checked_person(self, data: PersonData) -> m.Person:
        """A new person from `data`, checked, not saved yet (`save_new`)."""
        return m.Person(**await self._fields(data))

    async def save_new(self, person: m.Person, actor: Actor) -> m.Person:
        self.repository.session.add(person)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "create", person)
        return person

    async def create_person(self, data: PersonData, actor: Actor) -> m.Person:
        return await self.save_new(await self.checked_person(data), actor)

    async def update_person(self, person_id: int, data: PersonData, version: int, actor: Actor) -> m.Person:
        person = await self.by_id(person_id)
        check_version(person, version)
        before = snapshot(person)
        # Checked first, then set: a refused value leaves the person as it was read, so the form can be shown again.
        fields = await self._fields(data)
        if fields.get("name_latin") != person.name_latin:
            fields["latin_proposed"] = False  # typed by someone, from the passport
        session = self.repository.session
        # The tally's summaries count accredited observers by nationality: a person's change moves with them.
        moved = fields.get("nationality_code", person.nationality_code) != person.nationality_code
        accreditations = list(
            await session.scalars(select(m.Accreditation.id).where(m.Accreditation.person_id == person.id))
            if moved
            else []
        )
        async with rekeyed(session, accreditations):
            for name, value in fields.items():
                setattr(person, name, value)
            # One save, one UPDATE (each flush bumps `version`).
            await session.flush()
        await record(self.repository.session, actor, "update", person, before=before)
        return person

    async def confirm_latin_name(self, person_id: int, version: int, actor: Actor) -> m.Person:
        """Someone compared the proposed Latin name with the passport: it stands as the person's Latin name."""
        person = await self.by_id(person_id)
        check_version(person, version)
        before = snapshot(person)
        person.latin_proposed = False
        await self.repository.session.flush()
        await record(self.repository.session, actor, "confirm_latin_name", person, before=before)
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
