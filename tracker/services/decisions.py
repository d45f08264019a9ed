"""Decisions: the commission accredits or rejects a list of nominated accreditations at once, under one
reference and date. One transaction; one status event and one audit entry per accreditation, each event
pointing back to the decision, so its annex and its letters to the missions list exactly what it decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import anyio.to_thread
import msgspec
from sqlalchemy import Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from reports.decision import build_annex, build_letter
from tracker import labels
from tracker import models as m
from tracker.cleaning import clean_text
from tracker.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.instants import DATE_FORMS, DATE_TIME_FORMS, DateIn, DateTimeIn, utc_now
from tracker.services.accreditation_reads import Filters, listing_statement
from tracker.services.audit import Actor, record, snapshot
from tracker.services.corrections import check_backdating
from tracker.services.decision_pdf import annex, letter
from tracker.services.decision_reads import Decided, DecisionDetail
from tracker.services.transitions import next_badge_numbers
from tracker.services.window import effective_instant, window_override
from tracker.settings import DEFAULT_COMMISSION, Settings
from tracker.summaries import Move, record_moves

S = m.Status
# A decision lists at most this many accreditations: the largest national list fits, and one request's work
# (a row locked, an event and an audit entry each) stays bounded.
MAX_DECIDED = 10_000
# How many of the accreditations that changed meanwhile a refusal names; the others are counted.
NAMED = 10


class Selection(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Which nominated accreditations: ticked ids, the rows of one import, the list's filters (mission, sender,
    role, search), or the whole election (`all`); exactly one way."""

    accreditation_ids: Annotated[list[int], msgspec.Meta(max_length=MAX_DECIDED)] | None = None
    import_batch_id: int | None = None
    mission: Annotated[str, msgspec.Meta(max_length=64, description="A mission's slug")] | None = None
    sender: Annotated[str, msgspec.Meta(max_length=80, description="`country:XX` or `organization:SLUG`")] | None = None
    role: m.Role | None = None
    q: Annotated[str, msgspec.Meta(max_length=200, description="Search by name or badge number")] | None = None
    all: Annotated[bool, msgspec.Meta(description="Every nominated accreditation of the election")] = False


class DecisionData(Selection, kw_only=True, forbid_unknown_fields=True):
    """A decision over the nominated accreditations its selection chooses."""

    reference: Annotated[str, msgspec.Meta(max_length=255, description="The decision's number, e.g. 12/345")]
    decided_on: Annotated[DateIn, msgspec.Meta(description="The date the decision was taken: " + DATE_FORMS)]
    outcome: Literal["accredited", "rejected"]
    effective_at: Annotated[
        DateTimeIn | None,
        msgspec.Meta(description="When the statuses take effect; now if left out. " + DATE_TIME_FORMS),
    ] = None
    reason: Annotated[str, msgspec.Meta(max_length=2000, description="Required for a rejection")] | None = None
    override_reason: (
        Annotated[str, msgspec.Meta(max_length=2000, description="Admins only: why accrediting outside the window")]
        | None
    ) = None
    leave_out_changed: Annotated[
        bool,
        msgspec.Meta(description="Leave out chosen accreditations that are no longer nominated instead of failing"),
    ] = False


@dataclass(frozen=True, slots=True)
class Chosen:
    """What the registrar chose, resolved: the accreditations that are nominated now, and those that are not."""

    nominated: list[Decided]
    changed: list[tuple[Decided, S]]
    explicit: bool
    """Chosen one by one (ticked rows, an import's rows): a change meanwhile is then the registrar's to see."""


class DecisionService:
    def __init__(self, session: AsyncSession, settings: Settings | None = None) -> None:
        self.session = session
        self.commission = settings.commission_name if settings else DEFAULT_COMMISSION

    async def choose(self, election: m.Election, data: Selection) -> Chosen:
        """The accreditations `data` selects, with their people and missions; nothing is locked or written."""
        explicit = data.accreditation_ids is not None or data.import_batch_id is not None
        statement = await self._selection(election, data)
        rows = (await self.session.execute(statement.limit(MAX_DECIDED + 1))).all()
        if len(rows) > MAX_DECIDED:
            raise InvalidInput(
                "selection: " + _("a decision covers at most %(num)d accreditations") % {"num": MAX_DECIDED},
                field="selection",
            )
        nominated, changed = [], []
        for accreditation, person, mission, status, _since in rows:
            decided = Decided(accreditation, person, mission)
            if status is S.NOMINATED:
                nominated.append(decided)
            else:
                changed.append((decided, status))
        return Chosen(nominated, changed, explicit)

    async def _selection(self, election: m.Election, data: Selection) -> Select:  # type: ignore[type-arg]
        filters = Filters(mission=data.mission, sender=data.sender, role=data.role, q=data.q)
        chosen_by = [
            data.accreditation_ids is not None,
            data.import_batch_id is not None,
            any((data.mission, data.sender, data.role, data.q)),
            data.all,
        ]
        if sum(chosen_by) != 1:
            raise InvalidInput(
                "selection: "
                + _("choose the accreditations one way: ticked rows, an import, the list's filters, or all"),
                field="selection",
            )
        if data.accreditation_ids is not None:
            if not data.accreditation_ids:
                raise InvalidInput("selection: " + _("tick at least one accreditation"), field="selection")
            statement = listing_statement(election, Filters())
            return self._ordered(statement.where(m.Accreditation.id.in_(set(data.accreditation_ids))))
        if data.import_batch_id is not None:
            batch = await self.session.get(m.ImportBatch, data.import_batch_id)
            if batch is None or batch.election_id != election.id:
                raise InvalidInput(
                    "import_batch_id: " + _("this election has no import %(id)s") % {"id": data.import_batch_id},
                    field="import_batch_id",
                )
            statement = listing_statement(election, Filters())
            return self._ordered(statement.where(m.Accreditation.import_batch_id == batch.id))
        if data.mission and await self._mission(election, data.mission) is None:
            raise InvalidInput(
                "mission: " + _("this election has no mission %(slug)s") % {"slug": repr(data.mission)},
                field="mission",
            )
        # A filtered list or the whole election: what is nominated now; nothing can have changed "meanwhile".
        return self._ordered(listing_statement(election, filters).where(m.StatusEvent.status == S.NOMINATED))

    async def _mission(self, election: m.Election, slug: str) -> m.Mission | None:
        return await self.session.scalar(
            select(m.Mission).where(m.Mission.election_id == election.id, m.Mission.slug == slug)
        )

    @staticmethod
    def _ordered(statement: Select) -> Select:  # type: ignore[type-arg]
        return statement.order_by(m.Mission.name, m.Person.name_latin, m.Accreditation.id)

    async def decide(self, election: m.Election, data: DecisionData, actor: Actor) -> DecisionDetail:
        """Check everything, then write the decision and every accreditation's change, or nothing."""
        reference = clean_text(data.reference, "reference")
        if not reference:
            raise InvalidInput("reference: " + _("the decision's number is required"), field="reference")
        if data.decided_on > election.local(utc_now()).date():
            raise InvalidInput("decided_on: " + _("cannot be in the future"), field="decided_on")
        outcome = S(data.outcome)
        effective_at = effective_instant(data.effective_at, election)
        reason = clean_text(data.reason, "reason", limit=2000)
        if outcome is S.REJECTED and not reason:
            raise InvalidInput("reason: " + _("say why the accreditations are rejected"), field="reason")
        await check_backdating(self.session, election, effective_at, reason)
        override = window_override(
            election, outcome, effective_at, clean_text(data.override_reason, "override_reason", limit=2000), actor
        )
        chosen = await self.choose(election, data)
        if chosen.changed and chosen.explicit and not data.leave_out_changed:
            raise Conflict("selection: " + _changed_message(chosen.changed), field="selection")
        if not chosen.nominated:
            raise Conflict("selection: " + _("no nominated accreditation is left to decide"), field="selection")
        decided = chosen.nominated
        current = await self._lock(decided)
        _check_effective_time(election, effective_at, decided, current)
        decision = m.Decision(
            election_id=election.id,
            reference=reference,
            decided_on=data.decided_on,
            effective_at=effective_at,
            outcome=outcome,
            reason=reason,
            override_reason=override,
            decided_by=actor.name,
            accreditations=len(decided),
            selection=_selection_record(data, chosen),
        )
        self.session.add(decision)
        await self.session.flush()
        await self._write(election, decision, decided, current, actor)
        await record(self.session, actor, "decide", decision)
        return DecisionDetail(decision, election, decided)

    async def _lock(self, chosen: list[Decided]) -> dict[int, m.StatusEvent]:
        """The chosen accreditations' current events, locked (FOR UPDATE on PostgreSQL; SQLite has one writer),
        and checked again: a concurrent decision or transition since `choose` makes this one fail whole."""
        ids = [item.accreditation.id for item in chosen]
        event = m.StatusEvent
        # The first write, before the checks that follow: on SQLite it begins the transaction (the driver sends
        # BEGIN only then), so the reads below see what a concurrent writer committed; on PostgreSQL it queues
        # the election's decisions behind each other on the counter's row, which they all update anyway.
        counter = m.BadgeCounter
        await self.session.execute(
            update(counter)
            .where(counter.election_id == chosen[0].accreditation.election_id)
            .values(issued=counter.issued)
        )
        # Locked in one order, so that two decisions over overlapping lists wait for each other, never deadlock.
        locked = select(event).where(event.accreditation_id.in_(ids), event.current()).order_by(event.accreditation_id)
        current = {row.accreditation_id: row for row in await self.session.scalars(locked.with_for_update())}
        changed = [(item, current[item.accreditation.id].status) for item in chosen if item.accreditation.id in current]
        changed = [(item, status) for item, status in changed if status is not S.NOMINATED]
        gone = [item for item in chosen if item.accreditation.id not in current]
        if gone:
            # Their current event was replaced while this decision waited for the lock: read what they are now.
            now = dict(
                (
                    await self.session.execute(
                        select(event.accreditation_id, event.status).where(
                            event.accreditation_id.in_([item.accreditation.id for item in gone]), event.current()
                        )
                    )
                ).all()
            )
            changed += [(item, now.get(item.accreditation.id, S.NOMINATED)) for item in gone]
        if changed:
            raise Conflict("selection: " + _changed_message(changed), field="selection")
        return current

    async def _write(
        self,
        election: m.Election,
        decision: m.Decision,
        decided: list[Decided],
        events: dict[int, m.StatusEvent],
        actor: Actor,
    ) -> None:
        effective_at = decision.effective_at
        recorded_at = utc_now()
        for item in decided:
            closed = events[item.accreditation.id]
            closed.valid_until, closed.superseded_at = effective_at, recorded_at
        # Close the old periods before the new ones open: one current event per accreditation.
        await self.session.flush()
        await self.session.execute(
            insert(m.StatusEvent),
            [
                {
                    "accreditation_id": item.accreditation.id,
                    "election_id": election.id,
                    "mission_id": item.accreditation.mission_id,
                    "status": decision.outcome,
                    "effective_at": effective_at,
                    "actor": actor.name,
                    "actor_role": actor.role.value,
                    "reason": decision.reason,
                    "decision_ref": decision.reference,
                    "override_reason": decision.override_reason,
                    "recorded_at": recorded_at,
                    "decision_id": decision.id,
                }
                for item in decided
            ],
        )
        await record_moves(
            self.session, [Move(item.accreditation.id, effective_at, S.NOMINATED, decision.outcome) for item in decided]
        )
        needing = [item for item in decided if decision.outcome is S.ACCREDITED and not item.accreditation.badge_number]
        badges = iter(await next_badge_numbers(self.session, election, len(needing)))
        for item in decided:
            accreditation = item.accreditation
            before = {**snapshot(accreditation), "status": S.NOMINATED.value}
            if item in needing:
                accreditation.badge_number = next(badges)
            accreditation.decision_ref = decision.reference
            # Every change bumps the version, so a page read before the decision cannot act on a stale record.
            accreditation.updated_at = recorded_at
            await record(
                self.session,
                actor,
                f"transition:{decision.outcome}",
                accreditation,
                before=before,
                after={
                    **snapshot(accreditation),
                    "status": decision.outcome.value,
                    "effective_at": effective_at.isoformat(),
                    "decision_id": decision.id,
                },
                note=f"decision {decision.reference} of {decision.decided_on.isoformat()}",
            )
        await self.session.flush()

    async def detail(self, decision_id: int) -> DecisionDetail:
        decision = await self.session.get(m.Decision, decision_id)
        if decision is None:
            raise NotFound("decision", decision_id)
        election = await self.session.get(m.Election, decision.election_id)
        assert election is not None
        event = m.StatusEvent
        rows = await self.session.execute(
            select(m.Accreditation, m.Person, m.Mission)
            .join(event, event.accreditation_id == m.Accreditation.id)
            .join(m.Person, m.Person.id == m.Accreditation.person_id)
            .join(m.Mission, m.Mission.id == m.Accreditation.mission_id)
            .where(event.decision_id == decision.id)
            .options(joinedload(m.Mission.country), joinedload(m.Mission.organization))
            .order_by(m.Mission.name, m.Person.name_latin, m.Accreditation.id)
        )
        return DecisionDetail(decision, election, [Decided(*row) for row in rows])

    async def annex(self, decision_id: int, languages: Sequence[str], actor: Actor) -> DecisionFile:
        """The annex as a PDF in `languages`, built off the event loop; its download is recorded."""
        detail = await self.detail(decision_id)
        content = await anyio.to_thread.run_sync(
            build_annex, annex(detail, commission=self.commission, languages=languages)
        )
        filename = f"{detail.election.slug}-decision-{_file_part(detail.decision.reference)}-annex.pdf"
        await self._exported(detail, actor, filename, "decision annex", languages=",".join(languages))
        return DecisionFile(content, filename)

    async def letter(self, decision_id: int, mission_slug: str, lang: str | None, actor: Actor) -> DecisionFile:
        """The letter to one mission of the decision, in `lang` or the mission's own language."""
        detail = await self.detail(decision_id)
        mission = next((item.mission for item in detail.decided if item.mission.slug == mission_slug), None)
        if mission is None:
            raise NotFound("mission", mission_slug)
        chosen = lang or mission.language
        content = await anyio.to_thread.run_sync(
            build_letter, letter(detail, mission, commission=self.commission, lang=chosen)
        )
        filename = f"{detail.election.slug}-decision-{_file_part(detail.decision.reference)}-{mission.slug}.pdf"
        await self._exported(detail, actor, filename, "decision letter", mission_id=mission.id, languages=chosen)
        return DecisionFile(content, filename)

    async def _exported(self, detail: DecisionDetail, actor: Actor, filename: str, what: str, **more: Any) -> None:
        # What was handed out and with which choices, not the people in it.
        exported = {"export": what, "file_name": filename, "decision_id": detail.decision.id, **more}
        await record(self.session, actor, "export", detail.election, after=exported)

    async def of_election(self, election: m.Election) -> list[m.Decision]:
        """The election's decisions, newest first."""
        decision = m.Decision
        found = await self.session.scalars(
            select(decision).where(decision.election_id == election.id).order_by(decision.id.desc())
        )
        return list(found)


@dataclass(frozen=True, slots=True)
class DecisionFile:
    content: bytes
    filename: str


def _file_part(reference: str) -> str:
    """A decision's reference as part of a file name: "12/345" → "12-345"."""
    return "".join(char if char.isalnum() else "-" for char in reference).strip("-") or "decision"


def _check_effective_time(
    election: m.Election, effective_at: dt.datetime, decided: list[Decided], events: dict[int, m.StatusEvent]
) -> None:
    """Checked before anything is written: a decision cannot take effect before a nomination it decides."""
    for item in decided:
        current = events[item.accreditation.id]
        if effective_at < current.effective_at:
            raise InvalidTransition(
                "effective_at: "
                + _("%(name)s was nominated at %(time)s, after this decision's effective time")
                % {
                    "name": item.person.name_latin,
                    "time": election.local(current.effective_at).strftime("%d.%m.%Y %H:%M"),
                },
                field="effective_at",
            )


def _changed_message(changed: list[tuple[Decided, S]]) -> str:
    named = "; ".join(
        f"{item.person.name_latin} ({item.mission.name}): {_status_word(status)}" for item, status in changed[:NAMED]
    )
    more = len(changed) - NAMED
    text = ngettext(
        "%(num)d of the chosen accreditations is no longer nominated (someone changed it meanwhile)",
        "%(num)d of the chosen accreditations are no longer nominated (someone changed them meanwhile)",
        len(changed),
    ) % {"num": len(changed)}
    if named:
        text += ": " + named
    if more > 0:
        text += " " + ngettext("and %(num)d more", "and %(num)d more", more) % {"num": more}
    return text + ". " + _("Leave them out, or choose again.")


def _status_word(status: S) -> str:
    return labels.statuses().get(status.value, status.value)


def _selection_record(data: DecisionData, chosen: Chosen) -> dict[str, Any]:
    """How the list was chosen, for the record: the filters as given, never the people."""
    record: dict[str, Any] = {
        key: value
        for key, value in {
            "mission": data.mission,
            "sender": data.sender,
            "role": data.role.value if data.role else None,
            "q": data.q,
            "import_batch_id": data.import_batch_id,
            "all": data.all or None,
            "ticked": len(data.accreditation_ids) if data.accreditation_ids is not None else None,
        }.items()
        if value is not None
    }
    if chosen.changed:
        record["left_out"] = [item.accreditation.id for item, _status in chosen.changed]
    return record
