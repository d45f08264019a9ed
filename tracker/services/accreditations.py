"""Accrediting people: nominate, decide, withdraw, revoke, substitute; and finding them again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import Select, func, select

from tracker import models as m
from tracker.cleaning import clean_text, contains
from tracker.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied, PossibleDuplicate
from tracker.instants import utc_now
from tracker.services.audit import Actor, record, snapshot
from tracker.services.persons import PersonData, PersonService
from tracker.services.transitions import current_event, next_badge_number, record_status
from tracker.services.versions import check_version

S = m.Status
FUTURE_SLACK = dt.timedelta(minutes=5)


class NominationData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new accreditation: an existing person (`person_id`) or a new one (`person`), through a mission."""

    mission: Annotated[str, msgspec.Meta(description="The mission's slug in this election")]
    role: m.Role
    person_id: int | None = None
    person: PersonData | None = None
    effective_at: dt.datetime | None = None
    decision_ref: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    is_test: bool = False
    confirm_duplicate: bool = False


class TransitionData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: m.Status
    version: Annotated[int, msgspec.Meta(description="The accreditation's version you last read")]
    effective_at: dt.datetime | None = None
    decision_ref: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    override_reason: (
        Annotated[str, msgspec.Meta(max_length=2000, description="Admins only: why accrediting outside the window")]
        | None
    ) = None


class SubstitutionData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Replace an observer by another in one step: the old one leaves, the new one is nominated (and,
    by default, accredited) with a link to whom they replace."""

    version: int
    person_id: int | None = None
    person: PersonData | None = None
    role: m.Role | None = None
    effective_at: dt.datetime | None = None
    decision_ref: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    accredit: bool = True
    override_reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    confirm_duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Filters:
    mission: str | None = None
    sender: str | None = None
    status: m.Status | None = None
    role: m.Role | None = None
    q: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the accreditations list."""

    accreditation: m.Accreditation
    person: m.Person
    mission: m.Mission
    status: m.Status
    status_since: dt.datetime


def _instant(value: dt.datetime | None, election: m.Election) -> dt.datetime:
    now = utc_now()
    if value is None:
        return now
    instant = value if value.tzinfo else value.replace(tzinfo=election.zone)
    if instant > now + FUTURE_SLACK:
        raise InvalidInput("effective_at: cannot be in the future", field="effective_at")
    return instant.astimezone(dt.UTC)


class AccreditationService(SQLAlchemyAsyncRepositoryService[m.Accreditation]):
    class Repo(SQLAlchemyAsyncRepository[m.Accreditation]):
        model_type = m.Accreditation

    repository_type = Repo

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.repository.session

    async def by_id(self, accreditation_id: int) -> m.Accreditation:
        accreditation = await self.session.get(m.Accreditation, accreditation_id)
        if accreditation is None:
            raise NotFound("accreditation", accreditation_id)
        return accreditation

    async def _person(
        self, election: m.Election, person_id: int | None, data: PersonData | None, confirm: bool, actor: Actor
    ) -> m.Person:
        people = PersonService(session=self.session)
        if (person_id is None) == (data is None):
            raise InvalidInput("person: give either person_id or person, not both", field="person")
        if person_id is not None:
            person = await self.session.get(m.Person, person_id)
            if person is None:
                raise InvalidInput(f"person_id: no person {person_id}", field="person_id")
            return person
        assert data is not None
        matches = await people.duplicates(election.id, data)
        if matches and not confirm:
            raise PossibleDuplicate(
                "confirm_duplicate: this looks like someone already in this election "
                "(same travel document, or same name and birth date); check, then confirm to save anyway",
                [{"accreditation_id": a.id, "person_id": a.person_id, "mission_id": a.mission_id} for a in matches],
            )
        return await people.create_person(data, actor)

    async def nominate(self, election: m.Election, data: NominationData, actor: Actor) -> m.Accreditation:
        mission = await self.session.scalar(
            select(m.Mission).where(m.Mission.election_id == election.id, m.Mission.slug == data.mission)
        )
        if mission is None:
            raise InvalidInput(f"mission: this election has no mission {data.mission!r}", field="mission")
        person = await self._person(election, data.person_id, data.person, data.confirm_duplicate, actor)
        accreditation = m.Accreditation(
            election_id=election.id,
            mission_id=mission.id,
            person_id=person.id,
            role=data.role,
            decision_ref=clean_text(data.decision_ref, "decision_ref"),
            is_test=data.is_test,
        )
        self.session.add(accreditation)
        await self.session.flush()
        await record_status(
            self.session,
            accreditation,
            S.NOMINATED,
            effective_at=_instant(data.effective_at, election),
            actor=actor.name,
            reason=clean_text(data.reason, "reason", limit=2000),
        )
        await record(self.session, actor, "nominate", accreditation)
        return accreditation

    async def transition(
        self, election: m.Election, accreditation: m.Accreditation, data: TransitionData, actor: Actor
    ) -> m.StatusEvent:
        check_version(accreditation, data.version)
        before = snapshot(accreditation)
        current = await current_event(self.session, accreditation.id)
        effective_at = _instant(data.effective_at, election)
        override = clean_text(data.override_reason, "override_reason", limit=2000)
        reason = clean_text(data.reason, "reason", limit=2000)
        if data.status in (S.REJECTED, S.WITHDRAWN, S.REVOKED) and not reason:
            raise InvalidInput(f"reason: say why the accreditation is {data.status}", field="reason")
        if data.status is S.ACCREDITED:
            outside = not (election.window_opens_at <= effective_at <= election.window_closes_at)
            if outside and not (actor.is_admin and override):
                closes = election.local(election.window_closes_at).strftime("%Y-%m-%d %H:%M")
                if not actor.is_admin:
                    raise PermissionDenied(
                        f"effective_at: the accreditation window closed at {closes}; "
                        "only an admin can accredit now, with an override reason",
                        field="effective_at",
                    )
                raise InvalidInput(
                    f"override_reason: the window closed at {closes}; give the reason for the override",
                    field="override_reason",
                )
            if not outside:
                override = None
        elif override:
            raise InvalidInput(
                "override_reason: only accrediting outside the window takes an override", field="override_reason"
            )
        decision_ref = clean_text(data.decision_ref, "decision_ref")
        event = await record_status(
            self.session,
            accreditation,
            data.status,
            effective_at=effective_at,
            actor=actor.name,
            reason=reason,
            decision_ref=decision_ref,
            override_reason=override,
        )
        if data.status is S.ACCREDITED and accreditation.badge_number is None:
            accreditation.badge_number = await next_badge_number(self.session, election)
        if decision_ref:
            accreditation.decision_ref = decision_ref
        # Every transition bumps the version, so a second person acting on a stale page is refused.
        accreditation.updated_at = utc_now()
        await self.session.flush()
        await record(
            self.session,
            actor,
            f"transition:{data.status}",
            accreditation,
            before={**before, "status": current.status.value if current else None},
            after={**snapshot(accreditation), "status": data.status.value, "effective_at": effective_at.isoformat()},
            note=override and f"deadline override: {override}",
        )
        return event

    async def substitute(
        self, election: m.Election, old: m.Accreditation, data: SubstitutionData, actor: Actor
    ) -> m.Accreditation:
        current = await current_event(self.session, old.id)
        leaving = {S.ACCREDITED: S.WITHDRAWN, S.NOMINATED: S.REJECTED}.get(current.status if current else None)
        if leaving is None:
            raise InvalidTransition(
                f"status: only a nominated or accredited observer can be replaced; this one is "
                f"{current.status if current else 'new'}",
                field="status",
            )
        effective_at = _instant(data.effective_at, election)
        reason = clean_text(data.reason, "reason", limit=2000) or "replaced"
        await self.transition(
            election,
            old,
            TransitionData(
                status=leaving,
                version=data.version,
                effective_at=effective_at,
                reason=reason,
                decision_ref=data.decision_ref,
            ),
            actor,
        )
        person = await self._person(election, data.person_id, data.person, data.confirm_duplicate, actor)
        new = m.Accreditation(
            election_id=election.id,
            mission_id=old.mission_id,
            person_id=person.id,
            role=data.role or old.role,
            replaces_id=old.id,
            is_test=old.is_test,
        )
        self.session.add(new)
        await self.session.flush()
        await record_status(
            self.session, new, S.NOMINATED, effective_at=effective_at, actor=actor.name, reason=f"replaces #{old.id}"
        )
        await record(self.session, actor, "substitute", new, note=f"replaces accreditation {old.id}: {reason}")
        if data.accredit:
            await self.transition(
                election,
                new,
                TransitionData(
                    status=S.ACCREDITED,
                    version=new.version,
                    effective_at=effective_at,
                    decision_ref=data.decision_ref,
                    override_reason=data.override_reason,
                ),
                actor,
            )
        return new

    def _listing(self, election: m.Election, filters: Filters) -> Select:  # type: ignore[type-arg]
        event = m.StatusEvent
        statement = (
            select(m.Accreditation, m.Person, m.Mission, event.status, event.effective_at)
            .join(m.Person, m.Person.id == m.Accreditation.person_id)
            .join(m.Mission, m.Mission.id == m.Accreditation.mission_id)
            .join(event, (event.accreditation_id == m.Accreditation.id) & event.current())
            .where(m.Accreditation.election_id == election.id)
        )
        if filters.mission:
            statement = statement.where(m.Mission.slug == filters.mission)
        if filters.sender:
            kind, _, key = filters.sender.partition(":")
            if kind == "country":
                statement = statement.where(m.Mission.country_code == key.upper())
            elif kind == "organization":
                statement = statement.where(
                    m.Mission.organization_id.in_(select(m.Organization.id).where(m.Organization.slug == key))
                )
            else:
                raise InvalidInput("sender: use country:XX or organization:SLUG", field="sender")
        if filters.status:
            statement = statement.where(event.status == filters.status)
        if filters.role:
            statement = statement.where(m.Accreditation.role == filters.role)
        if filters.q and filters.q.strip():
            statement = statement.where(
                (m.Person.search_name.like(contains(filters.q), escape="\\"))
                | (m.Accreditation.badge_number == filters.q.strip().upper())
            )
        return statement

    async def search(
        self, election: m.Election, filters: Filters, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[Row], int]:
        statement = self._listing(election, filters)
        total = await self.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        rows = await self.session.execute(
            statement.order_by(m.Person.name_latin, m.Accreditation.id).limit(limit).offset(offset)
        )
        return [Row(*row) for row in rows], total

    async def history(self, accreditation_id: int) -> list[m.StatusEvent]:
        return list(
            await self.session.scalars(
                select(m.StatusEvent)
                .where(m.StatusEvent.accreditation_id == accreditation_id)
                .order_by(m.StatusEvent.effective_at, m.StatusEvent.id)
            )
        )
