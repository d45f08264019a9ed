"""Whether a published bulletin's figures still hold: the tally engine recounts its instant from today's
records, and any difference comes with the corrections recorded since its publication that bear on that instant
(a status change dated back before it, a mission's sender corrected, a record marked or cleared as test data):
what changed, when it was recorded, by which role and why. Public: roles, never the people who acted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import labels
from tracker import models as m
from tracker.i18n import format_instant, ngettext
from tracker.i18n import gettext as _
from tracker.tally import Tally, tally_as_of

LIMIT = 200
"""Corrections listed at most: a decision dated back over thousands of records must not make a page unbounded."""
FIGURES = ("observers", "countries", "organizations")


@dataclass(frozen=True, slots=True)
class Difference:
    figure: str
    """"observers", "countries", "organizations" or "sender:<code>"."""
    label: str
    """The figure as the reader names it: the sender's name, in their language."""
    published: int
    now: int


@dataclass(frozen=True, slots=True)
class Correction:
    what: str
    recorded_at: dt.datetime
    role: str | None
    """The role of whoever recorded it (admin, registrar, press_officer); None where older records lack it."""
    reason: str | None

    @property
    def role_name(self) -> str:
        return labels.user_roles().get(self.role or "", _("role not recorded"))


@dataclass(frozen=True, slots=True)
class Reconciliation:
    same: bool
    differences: tuple[Difference, ...]
    corrections: tuple[Correction, ...]
    """The first LIMIT, oldest first; `total` says how many there are."""
    total: int


async def recount(session: AsyncSession, bulletin: m.Bulletin, election: m.Election) -> Tally:
    """The bulletin's instant, counted from today's records."""
    return await tally_as_of(session, election, bulletin.as_of, breakdowns=False)


async def known_at_publication(session: AsyncSession, bulletin: m.Bulletin, election: m.Election) -> Tally:
    """The bulletin's instant, counted from the records as they stood when it was published: its own figures."""
    assert bulletin.published_at is not None
    return await tally_as_of(session, election, bulletin.as_of, breakdowns=False, known_at=bulletin.published_at)


def differences(snapshot: dict[str, Any], tally: Tally, lang: str) -> tuple[Difference, ...]:
    """Each figure the bulletin published that today's tally gives otherwise; a sender on one side only counts
    0 on the other."""
    names = {
        "observers": _("International observers"),
        "countries": _("Countries"),
        "organizations": _("International organizations"),
    }
    found = [
        Difference(figure, names[figure], snapshot[figure], getattr(tally, figure))
        for figure in FIGURES
        if snapshot[figure] != getattr(tally, figure)
    ]
    published = {sender["code"]: sender for sender in snapshot["by_sender"]}
    now = {sender.code: sender for sender in tally.by_sender if sender.observers}
    for code in sorted(published.keys() | now.keys()):
        before = published[code]["observers"] if code in published else 0
        after = now[code].observers if code in now else 0
        if before != after:
            sender = published[code]["names"] if code in published else now[code].names
            found.append(Difference(f"sender:{code}", sender.get(lang) or sender["en"], before, after))
    return tuple(found)


async def reconcile(session: AsyncSession, bulletin: m.Bulletin, election: m.Election, lang: str) -> Reconciliation:
    """A published bulletin against today's records, written in `lang`."""
    assert bulletin.published_at is not None
    found = await _differences_now(session, bulletin, election, lang)
    if not found:
        return Reconciliation(True, (), (), 0)
    listed, total = await _Corrections(session, bulletin, election, lang).collect()
    return Reconciliation(False, found, listed, total)


async def still_holds(session: AsyncSession, bulletin: m.Bulletin, election: m.Election) -> bool:
    """Whether today's records still give the bulletin's figures, for a list of bulletins."""
    return not await _differences_now(session, bulletin, election, "en")


async def _differences_now(
    session: AsyncSession, bulletin: m.Bulletin, election: m.Election, lang: str
) -> tuple[Difference, ...]:
    """The bulletin's figures that today's records give otherwise. Recounted only when something bearing on its
    instant was recorded since its snapshot was taken (an index look-up each): the public page and API of an
    untouched bulletin, like a list of them, cost no tally."""
    if not await _touched(session, bulletin, election):
        return ()
    return differences(bulletin.snapshot, await recount(session, bulletin, election), lang)


async def _touched(session: AsyncSession, bulletin: m.Bulletin, election: m.Election) -> bool:
    # The snapshot is taken when the draft is made: anything recorded since may differ from it.
    since = min(filter(None, (bulletin.created_at, bulletin.published_at)))
    event, sender, flag = m.StatusEvent, m.SenderRecord, m.IsTestRecord
    for query in (
        select(event.id).where(
            event.election_id == election.id, event.recorded_at > since, event.effective_at <= bulletin.as_of
        ),
        select(sender.id).where(sender.election_id == election.id, sender.recorded_at > since),
        select(flag.id).where(flag.election_id == election.id, flag.recorded_at > since),
    ):
        if await session.scalar(query.limit(1)) is not None:
            return True
    return False


@dataclass
class _Corrections:
    session: AsyncSession
    bulletin: m.Bulletin
    election: m.Election
    lang: str

    async def collect(self) -> tuple[tuple[Correction, ...], int]:
        rows = [*await self._decisions(), *await self._events(), *await self._senders(), *await self._flags()]
        rows.sort(key=lambda row: row.recorded_at)
        return tuple(rows[:LIMIT]), await self._total()

    def _when(self, instant: dt.datetime) -> str:
        return format_instant(instant, self.election.zone, self.lang)

    def _after(self) -> Any:
        return self.bulletin.published_at

    def _backdated(self) -> list[Any]:
        event = m.StatusEvent
        return [
            event.election_id == self.election.id,
            event.recorded_at > self._after(),
            event.effective_at <= self.bulletin.as_of,
        ]

    def _existed(self, column: Any, key: Any) -> Any:
        """Only records of missions (or accreditations) that had a status at the bulletin's instant bear on it."""
        event = m.StatusEvent
        return select(event.id).where(key == column, event.effective_at <= self.bulletin.as_of).exists()

    async def _total(self) -> int:
        event = m.StatusEvent
        decisions = select(func.count(func.distinct(event.decision_id))).where(
            *self._backdated(), event.decision_id.is_not(None)
        )
        single = select(func.count()).where(*self._backdated(), event.decision_id.is_(None))
        senders = select(func.count()).select_from(m.SenderRecord).where(*self._sender_filter())
        flags = select(func.count()).select_from(m.IsTestRecord).where(*self._flag_filter())
        return sum([await self.session.scalar(query) or 0 for query in (decisions, single, senders, flags)])

    async def _missions(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(m.Mission).where(m.Mission.id.in_(ids)))
        return {mission.id: mission.name_in(self.lang) for mission in rows}

    async def _decisions(self) -> list[Correction]:
        """Status events of one decision: one line, however many accreditations it changed."""
        event = m.StatusEvent
        query = (
            select(
                m.Decision.reference,
                event.status,
                func.min(event.effective_at),
                func.max(event.recorded_at),
                func.count(),
                func.max(event.actor_role),
                func.max(event.reason),
            )
            .join(m.Decision, m.Decision.id == event.decision_id)
            .where(*self._backdated())
            .group_by(event.decision_id, m.Decision.reference, event.status)
            .order_by(func.max(event.recorded_at))
            .limit(LIMIT)
        )
        statuses = labels.statuses()
        return [
            Correction(
                ngettext(
                    "Decision %(reference)s made %(count)d accreditation “%(status)s” with effect from %(when)s",
                    "Decision %(reference)s made %(count)d accreditations “%(status)s” with effect from %(when)s",
                    count,
                )
                % {"reference": reference, "count": count, "status": statuses[status], "when": self._when(effective)},
                recorded,
                role,
                reason,
            )
            for reference, status, effective, recorded, count, role, reason in await self.session.execute(query)
        ]

    async def _events(self) -> list[Correction]:
        event = m.StatusEvent
        query = (
            select(
                event.mission_id, event.status, event.effective_at, event.recorded_at, event.actor_role, event.reason
            )
            .where(*self._backdated(), event.decision_id.is_(None))
            .order_by(event.recorded_at, event.id)
            .limit(LIMIT)
        )
        rows = (await self.session.execute(query)).all()
        missions = await self._missions({row.mission_id for row in rows})
        statuses = labels.statuses()
        return [
            Correction(
                _("An accreditation (%(mission)s) became “%(status)s” with effect from %(when)s")
                % {
                    "mission": missions[row.mission_id],
                    "status": statuses[row.status],
                    "when": self._when(row.effective_at),
                },
                row.recorded_at,
                row.actor_role,
                row.reason,
            )
            for row in rows
        ]

    def _sender_filter(self) -> list[Any]:
        record = m.SenderRecord
        return [
            record.election_id == self.election.id,
            record.recorded_at > self._after(),
            self._existed(m.StatusEvent.mission_id, record.mission_id),
        ]

    async def _senders(self) -> list[Correction]:
        record = m.SenderRecord
        rows = list(
            await self.session.scalars(
                select(record).where(*self._sender_filter()).order_by(record.recorded_at, record.id).limit(LIMIT)
            )
        )
        if not rows:
            return []
        mission_ids = {row.mission_id for row in rows}
        history = list(
            await self.session.scalars(
                select(record).where(record.mission_id.in_(mission_ids)).order_by(record.recorded_at, record.id)
            )
        )
        names = await self._sender_names(history)
        missions = await self._missions(mission_ids)
        found = []
        for row in rows:
            earlier = [
                h
                for h in history
                if h.mission_id == row.mission_id and (h.recorded_at, h.id) < (row.recorded_at, row.id)
            ]
            values = {"mission": missions[row.mission_id], "after": names[_sender(row)]}
            if earlier:
                values["before"] = names[_sender(earlier[-1])]
                what = _("The sender of %(mission)s was corrected: %(before)s → %(after)s") % values
            else:
                what = _("%(mission)s was recorded with the sender %(after)s") % values
            found.append(Correction(what, row.recorded_at, row.actor_role, row.reason))
        return found

    async def _sender_names(self, rows: list[m.SenderRecord]) -> dict[tuple[str, Any], str]:
        codes = {row.country_code for row in rows if row.country_code}
        ids = {row.organization_id for row in rows if row.organization_id is not None}
        countries = await self.session.scalars(select(m.Country).where(m.Country.code.in_(codes)))
        organizations = await self.session.scalars(select(m.Organization).where(m.Organization.id.in_(ids)))
        return {("country", row.code): row.name(self.lang) for row in countries} | {
            ("organization", row.id): row.name(self.lang) for row in organizations
        }

    def _flag_filter(self) -> list[Any]:
        flag = m.IsTestRecord
        return [
            flag.election_id == self.election.id,
            flag.recorded_at > self._after(),
            self._existed(m.StatusEvent.accreditation_id, flag.accreditation_id),
        ]

    async def _flags(self) -> list[Correction]:
        flag = m.IsTestRecord
        query = (
            select(m.Accreditation.mission_id, flag.is_test, flag.recorded_at, flag.actor_role, flag.reason)
            .join(m.Accreditation, m.Accreditation.id == flag.accreditation_id)
            .where(*self._flag_filter())
            .order_by(flag.recorded_at, flag.id)
            .limit(LIMIT)
        )
        rows = (await self.session.execute(query)).all()
        missions = await self._missions({row.mission_id for row in rows})
        marked = _("An accreditation (%(mission)s) was marked as test data")
        cleared = _("An accreditation (%(mission)s) is no longer marked as test data")
        return [
            Correction(
                (marked if row.is_test else cleared) % {"mission": missions[row.mission_id]},
                row.recorded_at,
                row.actor_role,
                row.reason,
            )
            for row in rows
        ]


def _sender(row: m.SenderRecord) -> tuple[str, Any]:
    if row.sender_kind is m.SenderKind.FOREIGN_STATE:
        return ("country", row.country_code)
    return ("organization", row.organization_id)
