"""The counting rules applied the obvious way, in Python, to check the tally engine (tracker/tally.py) against.

Nothing here is published: `tracker check` and the tests compare it with the engine, which stays the only place
that counts. It reads the raw history with plain SELECTs in the order of time and keeps one accreditation's
events at a time (and a sender per mission), so its memory does not grow with the election:

- an accreditation's status at T is its last event (by effective moment, then the moment it was recorded)
  taking effect at or before T, among those recorded by K;
- it counts at T when that status is `accredited` and its latest test flag recorded by K is not set;
- it counts for its mission's sender as the latest sender record by K gives it.

Unlike the engine, it never reads the stored periods (`valid_until`) nor the mission's and accreditation's own
columns, only the history beneath them: a period or a column out of step with the history shows as a difference.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m

# Rows fetched from the database at a time: the replay's memory is this, one accreditation's events and a
# counter per mission and instant.
BATCH = 2000


@dataclass(frozen=True, slots=True)
class Figures:
    """The published figures at one instant; `by_sender` gives each sender with observers (its country code or
    organization slug) its count."""

    observers: int
    countries: int
    organizations: int
    by_sender: dict[str, int] = field(default_factory=dict)


async def replay(
    session: AsyncSession, election: m.Election, instants: Sequence[dt.datetime], *, known_at: dt.datetime | None = None
) -> list[Figures]:
    """The figures at each of `instants` (in any order), from the events, sender records and test flags recorded
    by `known_at` (all of them without it)."""
    order = sorted(range(len(instants)), key=lambda n: instants[n])
    ats = [instants[n] for n in order]
    tests = await _test_data(session, election.id, known_at)
    # Per mission, the change in its count at each sorted instant; summed, its count at each.
    changes: dict[int, list[int]] = {}

    def close(events: list[tuple[int, m.Status, dt.datetime]], accreditation_id: int | None) -> None:
        """One accreditation's events, in order: each holds from its moment to the next one's."""
        if accreditation_id is None or accreditation_id in tests:
            return
        for n, (mission_id, status, effective_at) in enumerate(events):
            if status is not m.Status.ACCREDITED:
                continue
            start = bisect.bisect_left(ats, effective_at)
            stop = bisect.bisect_left(ats, events[n + 1][2]) if n + 1 < len(events) else len(ats)
            if start < stop:
                steps = changes.setdefault(mission_id, [0] * (len(ats) + 1))
                steps[start] += 1
                steps[stop] -= 1

    event = m.StatusEvent
    statement = (
        select(event.accreditation_id, event.mission_id, event.status, event.effective_at)
        .where(event.election_id == election.id)
        .order_by(event.accreditation_id, event.effective_at, event.recorded_at, event.id)
    )
    if known_at is not None:
        statement = statement.where(event.recorded_at <= known_at)
    current: int | None = None
    events: list[tuple[int, m.Status, dt.datetime]] = []
    async for accreditation_id, mission_id, status, effective_at in await session.stream(
        statement.execution_options(yield_per=BATCH)
    ):
        if accreditation_id != current:
            close(events, current)
            current, events = accreditation_id, []
        events.append((mission_id, status, effective_at))
    close(events, current)

    senders = await _senders(session, election.id, known_at)
    counts: list[dict[tuple[m.SenderKind, str], int]] = [{} for _ in ats]
    for mission_id, steps in changes.items():
        sender = senders.get(mission_id)
        if sender is None or sender[0] not in m.INTERNATIONAL_SENDERS:
            continue
        running = 0
        for n in range(len(ats)):
            running += steps[n]
            if running:
                counts[n][sender] = counts[n].get(sender, 0) + running
    figures = [_figures(at_counts) for at_counts in counts]
    result: list[Figures] = [figures[0]] * len(instants) if figures else []
    for sorted_n, n in enumerate(order):
        result[n] = figures[sorted_n]
    return result


def _figures(counts: dict[tuple[m.SenderKind, str], int]) -> Figures:
    return Figures(
        observers=sum(counts.values()),
        countries=sum(1 for kind, _ in counts if kind is m.SenderKind.FOREIGN_STATE),
        organizations=sum(1 for kind, _ in counts if kind is m.SenderKind.INTERNATIONAL_ORGANIZATION),
        by_sender={code: n for (_, code), n in counts.items()},
    )


async def _test_data(session: AsyncSession, election_id: int, known_at: dt.datetime | None) -> set[int]:
    """The accreditations whose latest test flag recorded by `known_at` is set."""
    flag = m.IsTestRecord
    statement = (
        select(flag.accreditation_id, flag.is_test)
        .where(flag.election_id == election_id)
        .order_by(flag.accreditation_id, flag.recorded_at, flag.id)
    )
    if known_at is not None:
        statement = statement.where(flag.recorded_at <= known_at)
    latest: dict[int, bool] = {}
    async for accreditation_id, is_test in await session.stream(statement.execution_options(yield_per=BATCH)):
        latest[accreditation_id] = is_test
    return {accreditation_id for accreditation_id, is_test in latest.items() if is_test}


async def _senders(
    session: AsyncSession, election_id: int, known_at: dt.datetime | None
) -> dict[int, tuple[m.SenderKind, str]]:
    """Each mission's sender as its latest record by `known_at` gives it: the kind, and the country's code or the
    organization's slug."""
    record = m.SenderRecord
    slugs = dict((await session.execute(select(m.Organization.id, m.Organization.slug))).all())
    statement = (
        select(record.mission_id, record.sender_kind, record.country_code, record.organization_id)
        .where(record.election_id == election_id)
        .order_by(record.mission_id, record.recorded_at, record.id)
    )
    if known_at is not None:
        statement = statement.where(record.recorded_at <= known_at)
    senders: dict[int, tuple[m.SenderKind, str]] = {}
    async for mission_id, kind, country_code, organization_id in await session.stream(statement):
        code = country_code if kind is m.SenderKind.FOREIGN_STATE else slugs.get(organization_id)
        senders[mission_id] = (kind, str(code))
    return senders
