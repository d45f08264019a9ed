"""The counting rules written the obvious way, to hold the tally read from its summaries against, and a scene of
missions and histories through every status (tests/unit/test_summaries*.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import ASTANA, at, make_accreditation, make_election, make_mission
from tracker import models as m
from tracker.instants import end_of_day, utc_now
from tracker.summaries import MISSIONS, SUMMARIES, Summary, counted_slots, dialect_of
from tracker.summaries_held import at_slots, held, held_latest, held_since, held_since_each
from tracker.summaries_rebuild import differences
from tracker.tally import Tally, tally_as_of

S = m.Status
NOMINATED = (S.NOMINATED, at("2023-02-06T10:00"))
ACCREDITED = [NOMINATED, (S.ACCREDITED, at("2023-02-09T19:13"))]
# Instants the tallies are checked at: the published record's, an hour's start and last microsecond, a day's end.
INSTANTS = [
    at("2023-02-06T10:00"),
    at("2023-02-09T19:13"),
    at("2023-02-09T20:00"),
    at("2023-02-09T19:59:59.999999"),
    end_of_day(dt.date(2023, 2, 15), ASTANA),
    at("2023-02-22T21:13"),
    at("2023-03-07T14:25"),
]


async def plain(session: AsyncSession, election: m.Election, as_of: dt.datetime) -> dict[str, Any]:
    """The counting rules, written the obvious way over today's records: each accreditation's last event taking
    effect at or before `as_of` (never the stored periods, never the summaries)."""
    event, accreditation, person, mission = m.StatusEvent, m.Accreditation, m.Person, m.Mission
    rows = await session.execute(
        select(
            event.accreditation_id,
            event.status,
            accreditation.role,
            person.nationality_code,
            mission.sender_kind,
            mission.country_code,
            m.Organization.slug,
        )
        .join(accreditation, accreditation.id == event.accreditation_id)
        .join(person, person.id == accreditation.person_id)
        .join(mission, mission.id == event.mission_id)
        .outerjoin(m.Organization, m.Organization.id == mission.organization_id)
        .where(event.election_id == election.id, event.effective_at <= as_of, accreditation.is_test.is_(False))
        .order_by(event.accreditation_id, event.effective_at, event.id)
    )
    last = {row.accreditation_id: row for row in rows}
    figures: dict[str, Any] = {"nominated": 0, "domestic": 0, "by_role": {}, "by_nationality": {}, "by_sender": {}}
    observers: list[Any] = []
    for row in last.values():
        code = row.country_code or row.slug
        counts = figures["by_sender"].setdefault(code, [0, 0])
        international = row.sender_kind in m.INTERNATIONAL_SENDERS
        if row.status is S.NOMINATED:
            counts[1] += 1
            figures["nominated"] += international
        elif row.status is S.ACCREDITED:
            counts[0] += 1
            if international:
                observers.append(row)
                figures["by_role"][row.role] = figures["by_role"].get(row.role, 0) + 1
                nationality = row.nationality_code
                figures["by_nationality"][nationality] = figures["by_nationality"].get(nationality, 0) + 1
            else:
                figures["domestic"] += 1
    figures["observers"] = len(observers)
    figures["countries"] = len({row.country_code for row in observers if row.country_code})
    figures["organizations"] = len({row.slug for row in observers if row.slug})
    figures["by_sender"] = {code: tuple(counts) for code, counts in figures["by_sender"].items() if any(counts)}
    return figures


def shown(tally: Tally) -> dict[str, Any]:
    """The tally's figures in the plain count's shape."""
    return {
        "observers": tally.observers,
        "countries": tally.countries,
        "organizations": tally.organizations,
        "nominated": tally.nominated,
        "domestic": tally.domestic_observers,
        "by_role": tally.by_role,
        "by_nationality": {row.code: row.observers for row in tally.by_nationality},
        "by_sender": {s.code: (s.observers, s.nominated) for s in tally.by_sender},
    }


async def agree(session: AsyncSession, election: m.Election, *more: dt.datetime) -> None:
    """The stored summaries are what a rebuild makes, and the tally read from them is the plain count."""
    await session.flush()
    # Said in full: pytest rewrites the assertions of test modules only.
    mismatches = await differences(session, election.id)
    assert mismatches == [], mismatches
    for as_of in [*INSTANTS, *more, utc_now()]:
        tally, count = shown(await tally_as_of(session, election, as_of)), await plain(session, election, as_of)
        assert tally == count, f"at {as_of}: the tally {tally}, a plain count {count}"
        await both_reads_agree(session, election.id, as_of)


async def both_reads_agree(session: AsyncSession, election_id: int, as_of: dt.datetime) -> None:
    """The ways a tally reads the counts held before its instant's slot give each key the same counts: a lookup per
    key (`held`), the rows at LATEST less the changes after (`held_latest`), and the rows at each checkpoint before
    the instant with the changes since (`held_since`), not only the last. The tally itself takes only one of them at
    a time, whichever is cheaper."""
    slot, _ = counted_slots(as_of)
    bound = at_slots(election_id, [slot])
    checkpoints = m.TallyCheckpoint
    before = list(
        await session.scalars(
            select(checkpoints.slot).where(checkpoints.election_id == election_id, checkpoints.slot < slot)
        )
    )
    for summary in SUMMARIES:
        width = len(summary.key)
        looked_up = (await session.execute(held(summary, dialect_of(session)), bound)).all()
        # held starts with the instant's number, then the key (and a mission's sender); counts come last in all.
        expected = _per_key(looked_up, 1, width, summary)
        latest = (await session.execute(held_latest(summary), bound)).all()
        assert _per_key(latest, 0, width, summary) == expected, (
            f"{summary.table.name} at {as_of}: looked up {looked_up}, from the latest rows {latest}"
        )
        for checkpoint in before:
            since = (await session.execute(held_since(summary), bound | {"checkpoint": checkpoint})).all()
            assert _per_key(since, 0, width, summary) == expected, (
                f"{summary.table.name} at {as_of}: looked up {looked_up}, from checkpoint {checkpoint} {since}"
            )
        if summary is MISSIONS and before:
            await _timeline_reads_agree(session, election_id, slot, before, looked_up)


async def _timeline_reads_agree(
    session: AsyncSession, election_id: int, slot: int, before: list[int], looked_up: list[Any]
) -> None:
    """The timeline's read of the international missions' accredited counts from checkpoints
    (`held_since_each`), with every checkpoint before the slot as an instant of its own, gives each the
    counts a lookup gives, and a lookup chosen for an instant (`held` with `chosen`) the same."""
    international = {
        row.mission_id: row.accredited
        for row in looked_up
        if row.sender_kind in m.INTERNATIONAL_SENDERS and row.accredited
    }
    instants = len(before) + 1
    bound = at_slots(election_id, [slot] * instants)
    # The last instant is looked up; the others read from a checkpoint each.
    bound |= {f"checkpoint_{n}": checkpoint for n, checkpoint in enumerate(before)}
    bound |= {f"checkpoint_{len(before)}": slot} | {f"lookups_{n}": n == len(before) for n in range(instants)}
    dialect = dialect_of(session)
    chosen = held(MISSIONS, dialect, instants, international=True, counts=("accredited",), chosen=True)
    for statement in (held_since_each(dialect, instants), chosen):
        counts: dict[int, dict[int, int]] = {}
        for row in (await session.execute(statement, bound)).all():
            per_mission = counts.setdefault(row.n, {})
            per_mission[row.mission_id] = per_mission.get(row.mission_id, 0) + row.accredited
        found = {n: {key: count for key, count in per_mission.items() if count} for n, per_mission in counts.items()}
        found = {n: per_mission for n, per_mission in found.items() if per_mission}
        read = range(len(before)) if statement is not chosen else [len(before)]
        assert found == {n: international for n in read if international}, (
            f"at slot {slot}: looked up {international}, from checkpoints {before}: {found}"
        )


def _per_key(rows: list[Any], start: int, width: int, summary: Summary) -> dict[tuple[Any, ...], tuple[int, ...]]:
    counts = len(summary.counts)
    summed: dict[tuple[Any, ...], list[int]] = {}
    for row in rows:
        numbers = summed.setdefault(tuple(row[start : start + width]), [0] * counts)
        for n, value in enumerate(row[-counts:]):
            numbers[n] += value
    return {key: tuple(numbers) for key, numbers in summed.items() if any(numbers)}


@dataclass
class Scene:
    election: m.Election
    state: m.Mission
    odihr: m.Mission
    domestic: m.Mission
    odihr_people: list[m.Accreditation]


async def scene(session: AsyncSession) -> Scene:
    """A state's, an organization's and a domestic mission, with histories through every status."""
    election = await make_election(session)
    state = await make_mission(session, election, country="KG")
    odihr = await make_mission(session, election, organization_slug="osce-odihr")
    domestic = await make_mission(session, election, domestic=True)
    await make_accreditation(session, state, ACCREDITED, nationality="KG", role=m.Role.HEAD_OF_MISSION)
    await make_accreditation(session, state, [NOMINATED], nationality="KG")
    await make_accreditation(session, state, [*ACCREDITED, (S.WITHDRAWN, at("2023-02-20T12:00"))], nationality="KG")
    odihr_people = [
        await make_accreditation(session, odihr, ACCREDITED, nationality=code, role=m.Role.LONG_TERM_OBSERVER)
        for code in ("DE", "PL", "FR")
    ]
    await make_accreditation(session, odihr, [NOMINATED, (S.REJECTED, at("2023-02-09T19:13"))], nationality="IT")
    await make_accreditation(session, odihr, ACCREDITED, nationality="AT", is_test=True)
    for _ in range(2):
        await make_accreditation(session, domestic, ACCREDITED, nationality="KZ")
    return Scene(election, state, odihr, domestic, odihr_people)
