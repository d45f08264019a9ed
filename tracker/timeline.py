"""The figures day by day: accredited international observers, and their distinct countries and organizations, at
the end of each day, counted by the tally's rules (tracker.tally) from the same summaries, or from the events as
known at a moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.instants import end_of_day
from tracker.records import Records
from tracker.summaries import blocks, counted_hours
from tracker.tally import block_rows, changes_by_mission, real_events


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

    Per international mission, the change in its count at each instant (summed, its count at each instant):
    from the summaries' blocks between the instants' hours, or, for records known at a past moment, from the
    events. Python then adds up the days from those few rows."""
    instants = timeline_instants(election, until)
    records = await Records.of(session, election.id, known_at)
    ats = [at for _, at in instants]
    senders = {
        row.id: (
            row.sender_kind,
            row.country_code if row.sender_kind is m.SenderKind.FOREIGN_STATE else row.organization_id,
        )
        for row in await session.execute(records.senders())
        if row.sender_kind in m.INTERNATIONAL_SENDERS
    }
    if records.known_at is None:
        changes = await _summed_days(session, election.id, ats, set(senders))
    else:
        changes = await _scanned_days(session, records, ats, set(senders))
    observers = [0] * len(ats)
    present: list[dict[m.SenderKind, set[Any]]] = [{kind: set() for kind in m.INTERNATIONAL_SENDERS} for _ in ats]
    for mission_id, steps in changes.items():
        kind, sender = senders[mission_id]
        running = 0
        for n in range(len(ats)):
            running += steps[n]
            if running:
                observers[n] += running
                present[n][kind].add(sender)
    return tuple(
        TimelinePoint(
            day,
            at,
            observers[n],
            len(present[n][m.SenderKind.FOREIGN_STATE]),
            len(present[n][m.SenderKind.INTERNATIONAL_ORGANIZATION]),
        )
        for n, (day, at) in enumerate(instants)
    )


async def _summed_days(
    session: AsyncSession, election_id: int, ats: list[dt.datetime], missions: set[int]
) -> dict[int, list[int]]:
    """Per mission, the change in its accredited observers up to each instant since the one before."""
    changes: dict[int, list[int]] = {}
    if not missions:
        return changes
    owner: dict[tuple[int, int], int] = {}
    previous = 0
    partial: list[tuple[int, dt.datetime, dt.datetime]] = []
    for n, at in enumerate(ats):
        hours, hour_starts = counted_hours(at)
        owner.update((block, n) for block in blocks(previous, hours))
        previous = max(previous, hours)
        if hour_starts <= at:
            partial.append((n, hour_starts, at))
    step = m.MissionStep
    if owner:
        rows = await session.execute(
            block_rows(
                step,
                election_id,
                list(owner),
                [step.level, step.slot, step.mission_id],
                step.status == m.Status.ACCREDITED,
                step.mission_id.in_(missions),
            )
        )
        for level, slot, mission_id, n in rows:
            changes.setdefault(mission_id, [0] * (len(ats) + 1))[owner[level, slot]] += n
    # An instant's own hour counts for it alone: the next instant's blocks hold that hour.
    for n, since, at in partial:
        for (mission_id, status), change in (await changes_by_mission(session, election_id, since, at)).items():
            if status is m.Status.ACCREDITED and mission_id in missions:
                steps = changes.setdefault(mission_id, [0] * (len(ats) + 1))
                steps[n] += change
                steps[n + 1] -= change
    return changes


async def _scanned_days(
    session: AsyncSession, records: Records, ats: list[dt.datetime], missions: set[int]
) -> dict[int, list[int]]:
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
    changes: dict[int, list[int]] = {}
    for mission_id, start, stop, n in rows:
        if start < stop and mission_id in missions:
            steps = changes.setdefault(mission_id, [0] * (len(ats) + 1))
            steps[start] += n
            steps[stop] -= n
    return changes
