"""The tally engine: the one place that counts.

For election E at instant T an accreditation counts when its status at T is `accredited` and it is
not test data. Status at T is the event whose period [effective_at, valid_until) contains T, so a
later event never changes an earlier tally. Every count is a GROUP BY in SQL, which also adds up
missions into senders and names them (tracker.tally_reads); Python makes the figures of the rows.

A tally can also be asked "as known at" a moment K: only what had been recorded by K is counted, each event's
period, each mission's sender and each test flag as the records then gave them. It is what any tally said at
K, reproduced from the history alone; without K, today's records count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker import tally_reads as reads
from tracker.records import Records


class SenderCount(NamedTuple):
    """A named tuple, not a frozen dataclass: a tally makes one per sender, thousands at a national register's size,
    and a frozen dataclass takes twice as long to make."""

    kind: m.SenderKind
    code: str
    """ISO 3166 alpha-2 code for a foreign state, the slug for an organization."""
    names: dict[str, str]
    short_names: dict[str, str]
    observers: int
    nominated: int

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True, slots=True)
class NationalityCount:
    code: str
    names: dict[str, str]
    observers: int

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True, slots=True)
class Tally:
    election_slug: str
    as_of: dt.datetime
    observers: int
    """International observers: accredited through a foreign state or an international organization."""
    countries: int
    organizations: int
    nominated: int
    domestic_observers: int
    by_sender_kind: dict[m.SenderKind, int]
    by_sender: tuple[SenderCount, ...]
    by_role: dict[m.Role, int]
    by_nationality: tuple[NationalityCount, ...] = field(default=())


async def tally_as_of(
    session: AsyncSession,
    election: m.Election,
    as_of: dt.datetime,
    *,
    breakdowns: bool = True,
    known_at: dt.datetime | None = None,
) -> Tally:
    """The figures for `election` as they stood at `as_of` (an aware datetime), from today's records or, with
    `known_at`, from those recorded by then. Without `breakdowns`, the counts by role and nationality (as the
    accreditation and person are today) are left empty: the headline needs none.

    The database adds up and names (tracker.tally_reads): from the summaries for today's records, from the events
    for records known at a past moment. Here the rows become the figures."""
    records = await Records.of(session, election.id, known_at)
    read = reads.summed if records.known_at is None else reads.scanned
    rows, groups = await read(session, records, as_of, breakdowns)
    by_sender = tuple(_senders(rows))
    by_sender_kind = {kind: 0 for kind in m.SenderKind}
    for sender in by_sender:
        by_sender_kind[sender.kind] += sender.observers

    by_role: dict[m.Role, int] = {}
    by_nationality: list[NationalityCount] = []
    for breakdown, value, n, *names in groups:
        if n and breakdown == m.Breakdown.ROLE:
            by_role[m.Role(value)] = n
        elif n:
            by_nationality.append(
                NationalityCount(code=value, names=dict(zip(m.LANGUAGES, names, strict=True)), observers=n)
            )

    return Tally(
        election_slug=election.slug,
        as_of=as_of.astimezone(dt.UTC),
        observers=sum(s.observers for s in by_sender if s.kind in m.INTERNATIONAL_SENDERS),
        countries=sum(1 for s in by_sender if s.kind is m.SenderKind.FOREIGN_STATE and s.observers),
        organizations=sum(1 for s in by_sender if s.kind is m.SenderKind.INTERNATIONAL_ORGANIZATION and s.observers),
        nominated=sum(s.nominated for s in by_sender if s.kind in m.INTERNATIONAL_SENDERS),
        domestic_observers=by_sender_kind[m.SenderKind.DOMESTIC_ORGANIZATION],
        by_sender_kind=by_sender_kind,
        by_sender=by_sender,
        by_role=dict(sorted(by_role.items(), key=lambda item: (-item[1], item[0]))),
        by_nationality=tuple(sorted(by_nationality, key=lambda n: (-n.observers, n.code))),
    )


def _senders(rows: Iterable[Any]) -> Iterator[SenderCount]:
    """The senders of the rows, which come counted, named in each language (m.in_each_language) and in order."""
    languages = m.LANGUAGES
    names = slice(6, 6 + len(languages))
    short_names = slice(names.stop, None)
    for row in rows:
        kind, nominated, accredited, code = row[0], row[3], row[4], row[5]
        yield SenderCount(
            kind,
            code,
            dict(zip(languages, row[names], strict=True)),
            dict(zip(languages, row[short_names], strict=True)),
            accredited,
            nominated,
        )


async def mission_status_counts(
    session: AsyncSession, election_id: int, mission_id: int | None = None
) -> dict[int, dict[m.Status, int]]:
    """Accreditations by current status, per mission of the election (or of the one mission given): the staff's
    working view, so test records count here (the published tally leaves them out)."""
    event = m.StatusEvent
    statement = select(event.mission_id, event.status, func.count()).where(
        event.election_id == election_id, event.current()
    )
    if mission_id is not None:
        statement = statement.where(event.mission_id == mission_id)
    rows = await session.execute(statement.group_by(event.mission_id, event.status))
    counts: dict[int, dict[m.Status, int]] = {}
    for of_mission, status, n in rows:
        counts.setdefault(of_mission, {})[status] = n
    return counts


async def mission_decision_counts(session: AsyncSession, mission: m.Mission) -> dict[int, int]:
    """How many of the mission's accreditations each decision of its election decided, by decision id; test
    records count, as in the staff's other working views."""
    event = m.StatusEvent
    decisions = select(m.Decision.id).where(m.Decision.election_id == mission.election_id)
    rows = await session.execute(
        # Through the election's decisions (few, indexed) to their events (indexed by decision), not a scan of
        # every event for the mission's.
        select(event.decision_id, func.count(event.accreditation_id.distinct()))
        .where(event.decision_id.in_(decisions), event.mission_id == mission.id)
        .group_by(event.decision_id)
    )
    return {decision_id: n for decision_id, n in rows}
