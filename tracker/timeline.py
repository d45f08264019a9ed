"""The figures day by day: accredited international observers, and their distinct countries and organizations, at
the end of each day, counted by the tally's rules (tracker.tally) from the same summaries, or from the events as
known at a moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, case, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.instants import end_of_day
from tracker.records import Records
from tracker.summaries import MISSIONS, counted_slots, dialect_of
from tracker.summaries_held import at_slots, held, held_since_each, timeline_checkpoints
from tracker.tally_reads import SENDER, instant, real_events, sender_changes, total


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    day: dt.date
    """The day in the election's time zone."""
    at: dt.datetime
    """The instant counted: the end of that day, or the tally's instant on its own day."""
    observers: int
    countries: int
    organizations: int


# Enough for a daily chart of any accreditation window; longer spans are sampled evenly.
TIMELINE_POINTS = 120


def timeline_instants(election: m.Election, until: dt.datetime) -> list[tuple[dt.date, dt.datetime]]:
    """The end of each day from the day the accreditation window opens to `until`'s day (at most
    TIMELINE_POINTS of them, the last always `until`), as published tallies are read: a day's
    figure holds at its end. Observation ends with voting day, so a later `until` stops the days there:
    the chart of a past election stays a chart of its accreditation, not of the years since."""
    zone = election.zone
    first = election.window_opens_at.astimezone(zone).date()
    last = until.astimezone(zone).date()
    if last > election.voting_day:
        last = election.voting_day
        until = end_of_day(last, zone)
    if last < first:
        return [(last, until)]
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    if len(days) > TIMELINE_POINTS:
        step = (len(days) - 1) / (TIMELINE_POINTS - 1)
        days = [days[round(n * step)] for n in range(TIMELINE_POINTS)]
    ends = [end_of_day(day, zone) for day in days]
    return [(day, min(end, until)) for day, end in zip(days, ends, strict=True)]


async def timeline(
    session: AsyncSession, election: m.Election, until: dt.datetime, *, known_at: dt.datetime | None = None
) -> tuple[TimelinePoint, ...]:
    """Accredited international observers, and their distinct countries and organizations, at the end of
    each day up to `until`, counted by the same rule as the tally.

    Per international mission, its count at each instant, added up per instant: in the database from the
    summaries, or, for records known at a past moment, in Python from the events' periods."""
    instants = timeline_instants(election, until)
    records = await Records.of(session, election.id, known_at)
    ats = [at for _, at in instants]
    if records.known_at is None:
        figures = await _summed_days(session, election.id, ats)
    else:
        figures = await _added_up(session, records, await _scanned_days(session, records, ats), len(ats))
    return tuple(TimelinePoint(day, at, *figures.get(n, (0, 0, 0))) for n, (day, at) in enumerate(instants))


Figures = dict[int, tuple[int, int, int]]
"""Per instant (its index): accredited international observers, countries and international organizations."""


async def _added_up(session: AsyncSession, records: Records, counts: dict[int, list[int]], instants: int) -> Figures:
    """The figures of each instant from each international mission's count at it."""
    senders = {
        row.mission_id: (
            row.sender_kind,
            row.country_code if row.sender_kind is m.SenderKind.FOREIGN_STATE else row.organization_id,
        )
        for row in await session.execute(records.senders())
        if row.sender_kind in m.INTERNATIONAL_SENDERS
    }
    observers = [0] * instants
    present: list[dict[m.SenderKind, set[Any]]] = [
        {kind: set() for kind in m.INTERNATIONAL_SENDERS} for _ in range(instants)
    ]
    for mission_id, held_then in counts.items():
        if mission_id not in senders:
            continue
        kind, sender = senders[mission_id]
        for n, count in enumerate(held_then):
            if count:
                observers[n] += count
                present[n][kind].add(sender)
    return {
        n: (
            observers[n],
            len(present[n][m.SenderKind.FOREIGN_STATE]),
            len(present[n][m.SenderKind.INTERNATIONAL_ORGANIZATION]),
        )
        for n in range(instants)
    }


async def _summed_days(session: AsyncSession, election_id: int, ats: list[dt.datetime]) -> Figures:
    """The figures of each instant, added up in the database from each international mission's count at it: the
    summaries' count at the end of the slot before the instant's own (one statement for every instant), and the
    changes of that slot from the events (none at the end of a day: only a tally's own instant has them). The
    summaries' counts are read from the last checkpoint before each instant when few rows follow it (at the end of
    a day the checkpoint is often the slot just before: only its rows), else looked up per mission."""
    slots, recent = [], []
    for n, at in enumerate(ats):
        before, slot_starts = counted_slots(at)
        slots.append(before)
        if slot_starts <= at:
            recent.append((n, slot_starts, at))
    bound = at_slots(election_id, slots)
    checkpoints = await timeline_checkpoints(session, election_id, slots)
    for n, (slot, checkpoint) in enumerate(zip(slots, checkpoints, strict=True)):
        # An instant looked up reads no rows since a checkpoint: from its own slot to it.
        bound |= {f"checkpoint_{n}": slot if checkpoint is None else checkpoint, f"lookups_{n}": checkpoint is None}
    for k, (n, since, until) in enumerate(recent):
        bound |= {f"recent_{k}": n, f"since_{k}": since, f"until_{k}": until}
    looked_up = None in checkpoints
    since = any(checkpoint is not None for checkpoint in checkpoints)
    rows = await session.execute(_figures(dialect_of(session), len(ats), len(recent), looked_up, since), bound)
    return {n: (observers, countries, organizations) for n, observers, countries, organizations in rows}


@cache
def _figures(dialect: str, instants: int, recent: int, looked_up: bool, since: bool) -> Select[Any]:
    """Per instant (n): accredited international observers, countries and international organizations with one, from
    the summaries (`held_since_each` from checkpoints and, with `looked_up`, `held` for the instants bound to lookups;
    without `since`, all are) and, for `recent` of the instants (`recent_k`), the changes of their own slot
    (`since_k` to `until_k`). Made once for each shape and database."""
    reads = []
    if looked_up:
        reads.append(held(MISSIONS, dialect, instants, international=True, counts=("accredited",), chosen=True))
    if since:
        reads.append(held_since_each(dialect, instants))
    parts = [
        select(found.c.n, *(found.c[name] for name in SENDER), found.c.accredited)
        for found in (read.subquery(f"held_{k}") for k, read in enumerate(reads))
    ]
    for k in range(recent):
        change = sender_changes(instant(f"since_{k}"), instant(f"until_{k}")).subquery(f"change_{k}")
        parts.append(
            select(
                bindparam(f"recent_{k}", type_=Integer), *(change.c[name] for name in SENDER), change.c.accredited
            ).where(change.c.sender_kind.in_(m.INTERNATIONAL_SENDERS))
        )
    rows = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("counted")
    per_sender = (
        select(rows.c.n, rows.c.sender_kind, total(rows.c.accredited).label("observers"))
        .group_by(rows.c.n, *(rows.c[name] for name in SENDER))
        .subquery("per_sender")
    )

    def senders(kind: m.SenderKind) -> Any:
        return total(case((and_(per_sender.c.sender_kind == kind, per_sender.c.observers != 0), 1), else_=0))

    return select(
        per_sender.c.n,
        total(per_sender.c.observers),
        senders(m.SenderKind.FOREIGN_STATE),
        senders(m.SenderKind.INTERNATIONAL_ORGANIZATION),
    ).group_by(per_sender.c.n)


async def _scanned_days(session: AsyncSession, records: Records, ats: list[dt.datetime]) -> dict[int, list[int]]:
    """The same from the events as known at a moment, in one pass: each accredited period is placed by the first
    instant that counts it and the first that no longer does, and the database returns how many each mission
    has per pair of places."""
    event = records.events()
    # The first instant at or after a moment; past the last one, len(ats).
    first_counted = case(*((event.c.effective_at <= at, n) for n, at in enumerate(ats)), else_=len(ats))
    first_not = case(
        (event.c.valid_until.is_(None), len(ats)),
        *((event.c.valid_until <= at, n) for n, at in enumerate(ats)),
        else_=len(ats),
    )
    rows = await session.execute(
        select(event.c.mission_id, first_counted, first_not, func.count())
        .where(*real_events(records, event, (m.Status.ACCREDITED,)), event.c.effective_at <= ats[-1])
        .group_by(event.c.mission_id, first_counted, first_not)
    )
    steps: dict[int, list[int]] = {}
    for mission_id, start, stop, n in rows:
        if start < stop:
            changes = steps.setdefault(mission_id, [0] * (len(ats) + 1))
            changes[start] += n
            changes[stop] -= n
    return {mission_id: list(accumulate(changes[:-1])) for mission_id, changes in steps.items()}
