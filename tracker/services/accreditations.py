"""Accrediting people: nominate, decide, withdraw, revoke, substitute; and finding them again.

Every write checks all it can refuse before it writes anything, so a refused request leaves the session as it
was read and a form can be shown again. (Not a savepoint: on SQLite one would open the transaction before the
write's first reads, and concurrent writers would then fail with "database is locked"; see db.py.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import labels
from tracker import models as m
from tracker.cleaning import clean_text
from tracker.errors import (
    Checks,
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PossibleDuplicate,
)
from tracker.i18n import gettext as _
from tracker.instants import DateTimeIn, utc_now
from tracker.services.accreditation_reads import AccreditationDetail, AccreditationList, Filters, Row, listing_statement
from tracker.services.audit import Actor, record, snapshot
from tracker.services.corrections import check_backdating
from tracker.services.history import record_test_flag
from tracker.services.missions import MissionService, sender_value
from tracker.services.persons import PersonData, PersonService, people_in_election
from tracker.services.transitions import current_event, next_badge_number, record_status
from tracker.services.versions import check_version
from tracker.services.window import effective_instant, window_override

S = m.Status


class NominationData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new accreditation: an existing person (`person_id`) or a new one (`person`), through a mission."""

    mission: Annotated[str, msgspec.Meta(description="The mission's slug in this election")]
    role: m.Role
    person_id: int | None = None
    person: PersonData | None = None
    effective_at: DateTimeIn | None = None
    decision_ref: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    is_test: bool = False
    confirm_duplicate: bool = False


class TransitionData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: m.Status
    version: Annotated[int, msgspec.Meta(description="The accreditation's version you last read")]
    effective_at: DateTimeIn | None = None
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
    effective_at: DateTimeIn | None = None
    decision_ref: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    accredit: bool = True
    override_reason: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    confirm_duplicate: bool = False


@dataclass(frozen=True, slots=True)
class _Change:
    """A status change that passed its checks, ready to be written."""

    accreditation: m.Accreditation
    status: S
    current: m.StatusEvent | None
    effective_at: dt.datetime
    reason: str | None
    decision_ref: str | None
    override: str | None


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

    async def _person(self, person_id: int | None, data: PersonData | None) -> m.Person:
        """The person named, or a new one checked but not saved yet (`_saved`)."""
        if (person_id is None) == (data is None):
            raise InvalidInput("person: " + _("give either person_id or person, not both"), field="person")
        if person_id is not None:
            person = await self.session.get(m.Person, person_id)
            if person is None:
                raise InvalidInput("person_id: " + _("no person %(id)d") % {"id": person_id}, field="person_id")
            return person
        assert data is not None
        return await PersonService(session=self.session).checked_person(data)

    async def _not_there_yet(
        self,
        election: m.Election,
        person: m.Person,
        data: PersonData | None,
        confirm: bool,
        leaving: m.Accreditation | None = None,
    ) -> None:
        """Refuse someone already nominated or accredited in the election: always when it is the same person,
        and a new person who looks like someone there unless the registrar confirms they are not. The
        accreditation `leaving` (one being replaced) no longer counts."""
        if person.id is not None:
            statement = people_in_election(election.id).where(m.Person.id == person.id)
            if leaving is not None:
                statement = statement.where(m.Accreditation.id != leaving.id)
            there = await self.session.scalar(statement.options(joinedload(m.Accreditation.mission)))
            if there is not None:
                raise Conflict(
                    "person_id: "
                    + _("%(name)s is already nominated or accredited in this election, through %(mission)s")
                    % {"name": person.name_latin, "mission": there.mission.name},
                    field="person_id",
                )
            return
        assert data is not None
        people = PersonService(session=self.session)
        matches = [a for a in await people.duplicates(election.id, data) if leaving is None or a.id != leaving.id]
        if matches and not confirm:
            raise PossibleDuplicate(
                "confirm_duplicate: "
                + _(
                    "this looks like someone already in this election (same travel document, or same name and "
                    "birth date); check, then confirm to save anyway"
                ),
                [{"accreditation_id": a.id, "person_id": a.person_id, "mission_id": a.mission_id} for a in matches],
            )

    async def _saved(self, person: m.Person, actor: Actor) -> m.Person:
        if person.id is None:
            await PersonService(session=self.session).save_new(person, actor)
        return person

    async def _mission(self, election: m.Election, slug: str) -> m.Mission:
        mission = await self.session.scalar(
            select(m.Mission).where(m.Mission.election_id == election.id, m.Mission.slug == slug)
        )
        if mission is None:
            message = _("this election has no mission %(slug)s") % {"slug": repr(slug)}
            raise InvalidInput(f"mission: {message}", field="mission")
        return mission

    async def nominate(self, election: m.Election, data: NominationData, actor: Actor) -> AccreditationDetail:
        # Every value is checked, and every one refused is named at once; then whether the person is there already.
        checks = Checks()
        mission = await checks.wait(self._mission(election, data.mission))
        person = await checks.wait(self._person(data.person_id, data.person))
        decision_ref = checks.run(lambda: clean_text(data.decision_ref, "decision_ref"))
        effective_at = checks.run(lambda: effective_instant(data.effective_at, election))
        reason = checks.run(lambda: clean_text(data.reason, "reason", limit=2000))
        checks.done()
        assert mission is not None
        assert person is not None
        assert effective_at is not None
        await self._not_there_yet(election, person, data.person, data.confirm_duplicate)
        accreditation = m.Accreditation(
            election_id=election.id,
            mission_id=mission.id,
            person_id=(await self._saved(person, actor)).id,
            role=data.role,
            decision_ref=decision_ref,
            is_test=data.is_test,
        )
        self.session.add(accreditation)
        await self.session.flush()
        await record_status(
            self.session,
            accreditation,
            S.NOMINATED,
            effective_at=effective_at,
            actor=actor.name,
            reason=reason,
            actor_role=actor.role.value,
        )
        if accreditation.is_test:
            await record_test_flag(self.session, accreditation, actor)
        await record(self.session, actor, "nominate", accreditation)
        return await self.detail(accreditation.id)

    async def _election_of(self, accreditation: m.Accreditation) -> m.Election:
        election = await self.session.get(m.Election, accreditation.election_id)
        assert election is not None
        return election

    async def transition(self, accreditation_id: int, data: TransitionData, actor: Actor) -> AccreditationDetail:
        accreditation = await self.by_id(accreditation_id)
        election = await self._election_of(accreditation)
        await self._transition(election, accreditation, data, actor)
        return await self.detail(accreditation.id)

    async def _transition(
        self, election: m.Election, accreditation: m.Accreditation, data: TransitionData, actor: Actor
    ) -> m.StatusEvent:
        return await self._write(election, await self._check(election, accreditation, data, actor), actor)

    async def _check(
        self, election: m.Election, accreditation: m.Accreditation, data: TransitionData, actor: Actor
    ) -> _Change:
        check_version(accreditation, data.version)
        current = await current_event(self.session, accreditation.id)
        effective_at = effective_instant(data.effective_at, election)
        override = clean_text(data.override_reason, "override_reason", limit=2000)
        reason = clean_text(data.reason, "reason", limit=2000)
        if data.status in (S.REJECTED, S.WITHDRAWN, S.REVOKED) and not reason:
            message = _("say why the accreditation is %(status)s") % {"status": labels.statuses()[data.status]}
            raise InvalidInput(f"reason: {message}", field="reason")
        override = window_override(election, data.status, effective_at, override, actor)
        await check_backdating(self.session, election, effective_at, reason)
        decision_ref = clean_text(data.decision_ref, "decision_ref")
        return _Change(accreditation, data.status, current, effective_at, reason, decision_ref, override)

    async def _write(self, election: m.Election, change: _Change, actor: Actor) -> m.StatusEvent:
        """Write a checked change. record_status refuses an impossible one before it writes."""
        accreditation = change.accreditation
        before = snapshot(accreditation)
        event = await record_status(
            self.session,
            accreditation,
            change.status,
            effective_at=change.effective_at,
            actor=actor.name,
            actor_role=actor.role.value,
            reason=change.reason,
            decision_ref=change.decision_ref,
            override_reason=change.override,
        )
        if change.status is S.ACCREDITED and accreditation.badge_number is None:
            accreditation.badge_number = await next_badge_number(self.session, election)
        if change.decision_ref:
            accreditation.decision_ref = change.decision_ref
        # Every transition bumps the version, so a second person acting on a stale page is refused.
        accreditation.updated_at = utc_now()
        await self.session.flush()
        await record(
            self.session,
            actor,
            f"transition:{change.status}",
            accreditation,
            before={**before, "status": change.current.status.value if change.current else None},
            after={
                **snapshot(accreditation),
                "status": change.status.value,
                "effective_at": change.effective_at.isoformat(),
            },
            note=change.override and f"deadline override: {change.override}",
        )
        return event

    async def substitute(self, accreditation_id: int, data: SubstitutionData, actor: Actor) -> AccreditationDetail:
        """The new accreditation, which replaces the one named."""
        old = await self.by_id(accreditation_id)
        election = await self._election_of(old)
        new = await self._substitute(election, old, data, actor)
        return await self.detail(new.id)

    async def _substitute(
        self, election: m.Election, old: m.Accreditation, data: SubstitutionData, actor: Actor
    ) -> m.Accreditation:
        current = await current_event(self.session, old.id)
        leaving = {S.ACCREDITED: S.WITHDRAWN, S.NOMINATED: S.REJECTED}.get(current.status if current else None)
        if leaving is None:
            raise InvalidTransition(
                "status: "
                + _("only a nominated or accredited observer can be replaced; this one is %(status)s")
                % {"status": labels.statuses()[current.status] if current else _("new")},
                field="status",
            )
        effective_at = effective_instant(data.effective_at, election)
        given = clean_text(data.reason, "reason", limit=2000)
        # Both changes are dated alike: a back-dated replacement gives its reason to both, or is refused first.
        await check_backdating(self.session, election, effective_at, given)
        reason = given or "replaced"
        leave = TransitionData(
            status=leaving,
            version=data.version,
            effective_at=effective_at,
            reason=reason,
            decision_ref=data.decision_ref,
        )
        # The old one leaves only when the new one can come: everything is checked before anything is written.
        leaving_change = await self._check(election, old, leave, actor)
        person = await self._person(data.person_id, data.person)
        await self._not_there_yet(election, person, data.person, data.confirm_duplicate, leaving=old)
        if data.accredit:
            override = clean_text(data.override_reason, "override_reason", limit=2000)
            window_override(election, S.ACCREDITED, effective_at, override, actor)
        await self._write(election, leaving_change, actor)
        new = m.Accreditation(
            election_id=election.id,
            mission_id=old.mission_id,
            person_id=(await self._saved(person, actor)).id,
            role=data.role or old.role,
            replaces_id=old.id,
            is_test=old.is_test,
        )
        self.session.add(new)
        await self.session.flush()
        await record_status(
            self.session,
            new,
            S.NOMINATED,
            effective_at=effective_at,
            actor=actor.name,
            reason=f"replaces #{old.id}",
            actor_role=actor.role.value,
        )
        if new.is_test:
            await record_test_flag(self.session, new, actor)
        await record(self.session, actor, "substitute", new, note=f"replaces accreditation {old.id}: {reason}")
        if data.accredit:
            await self._transition(
                election,
                new,
                TransitionData(
                    status=S.ACCREDITED,
                    version=new.version,
                    effective_at=effective_at,
                    decision_ref=data.decision_ref,
                    reason=given,
                    override_reason=data.override_reason,
                ),
                actor,
            )
        return new

    async def search(self, election: m.Election, filters: Filters, page: LimitOffset) -> tuple[list[Row], int]:
        statement = listing_statement(election, filters)
        total = await self.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        ordered = statement.order_by(m.Person.name_latin, m.Accreditation.id)
        rows = await self.session.execute(page.append_to_statement(ordered, m.Accreditation))
        return [Row(*row) for row in rows], total

    async def listing(self, election: m.Election, filters: Filters, page: LimitOffset, lang: str) -> AccreditationList:
        """The staff's list, with its missions and senders (named in `lang`) to filter by."""
        rows, total = await self.search(election, filters, page)
        missions = await MissionService(session=self.session).of_election(election)
        # The keys the `sender` filter takes, named as the interface names them.
        senders = {
            (
                sender_value(mission),
                mission.country.name(lang) if mission.country else mission.organization.acronym(lang),
            )
            for mission in missions
            if mission.country or mission.organization
        }
        return AccreditationList(rows, total, missions, sorted(senders, key=lambda item: item[1]))

    async def detail(self, accreditation_id: int) -> AccreditationDetail:
        accreditation = await self.session.scalar(
            select(m.Accreditation)
            .where(m.Accreditation.id == accreditation_id)
            # An accreditation's mission belongs to the accreditation's election.
            .options(
                joinedload(m.Accreditation.person),
                joinedload(m.Accreditation.mission).joinedload(m.Mission.election),
                selectinload(m.Accreditation.events),
            )
            # Read again what a write of this request changed, or a refused one put back.
            .execution_options(populate_existing=True)
        )
        if accreditation is None:
            raise NotFound("accreditation", accreditation_id)
        replaced_by = await self.session.scalar(
            select(m.Accreditation).where(m.Accreditation.replaces_id == accreditation.id)
        )
        mission = accreditation.mission
        return AccreditationDetail(
            accreditation, mission.election, accreditation.person, mission, list(accreditation.events), replaced_by
        )

    async def with_person_and_mission(self, accreditation_ids: list[int]) -> list[m.Accreditation]:
        """These accreditations, in this order, each with its person and mission."""
        found = {
            accreditation.id: accreditation
            for accreditation in await self.session.scalars(
                select(m.Accreditation)
                .where(m.Accreditation.id.in_(accreditation_ids))
                .options(joinedload(m.Accreditation.person), joinedload(m.Accreditation.mission))
            )
        }
        return [found[accreditation_id] for accreditation_id in accreditation_ids if accreditation_id in found]
