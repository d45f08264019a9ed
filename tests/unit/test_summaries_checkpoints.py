"""Checkpoints of the tally's summaries: writers make one when they write past the last, every key with a change
before one has a row there (a new key's back-dated first change too), a tally after one reads from it and counts
what the rules say, and a key without its row there is found by `differences` (what `tracker check` reports)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tests.summaries import NOMINATED, agree
from tracker import models as m
from tracker import summaries
from tracker.db import alchemy_config
from tracker.instants import end_of_day
from tracker.settings import Settings
from tracker.summaries import checkpoint_of, counted_slots, slot_of
from tracker.summaries_held import SINCE, reading, timeline_checkpoints
from tracker.summaries_rebuild import differences
from tracker.tally import tally_as_of
from tracker.timeline import timeline

pytestmark = pytest.mark.anyio
S = m.Status
# Nominated on 6 February (10:00), accredited on five days in a row: rows at six slots of one mission, none in the
# last slot of an hour, so that a checkpoint's rows are only that.
DAYS = [at(f"2023-02-{day:02d}T12:30") for day in range(7, 12)]


async def checkpoints(session: AsyncSession, election: m.Election) -> list[int]:
    await session.flush()
    rows = await session.scalars(
        select(m.TallyCheckpoint.slot).where(m.TallyCheckpoint.election_id == election.id).order_by("slot")
    )
    return list(rows)


async def rows_at(session: AsyncSession, mission: m.Mission, slots: list[int]) -> dict[int, tuple[int, int]]:
    summed = m.MissionSlot
    rows = await session.execute(
        select(summed.slot, summed.nominated, summed.accredited).where(
            summed.mission_id == mission.id, summed.slot.in_(slots)
        )
    )
    return {row.slot: (row.nominated, row.accredited) for row in rows}


async def daily(session: AsyncSession) -> tuple[m.Election, m.Mission]:
    election = await make_election(session)
    mission = await make_mission(session, election, organization_slug="osce-odihr")
    for accredited_at in DAYS:
        await make_accreditation(session, mission, [NOMINATED, (S.ACCREDITED, accredited_at)], nationality="PL")
    return election, mission


async def test_writers_make_a_checkpoint_when_they_write_past_the_last(session: AsyncSession) -> None:
    election, _ = await daily(session)

    # Each write's change is later than the one before: a checkpoint at the end of the hour before it.
    nominated = NOMINATED[1]
    assert await checkpoints(session, election) == [checkpoint_of(slot_of(day)) for day in (nominated, *DAYS)]
    await agree(session, election, *DAYS)


async def test_a_change_before_the_last_checkpoint_makes_none(session: AsyncSession) -> None:
    election, mission = await daily(session)
    made = await checkpoints(session, election)

    await make_accreditation(session, mission, [(S.NOMINATED, at("2023-02-08T15:00"))], nationality="CZ")

    assert await checkpoints(session, election) == made
    await agree(session, election, at("2023-02-08T15:00"))


async def test_a_new_key_s_back_dated_first_change_gets_its_rows_at_the_checkpoints_after_it(
    session: AsyncSession,
) -> None:
    """A mission first written after the checkpoints, with a change before them: without its rows there, a tally
    after them would read none of its counts."""
    election, _ = await daily(session)
    made = await checkpoints(session, election)
    late = await make_mission(session, election, country="KG")

    await make_accreditation(session, late, [(S.NOMINATED, at("2023-02-08T09:00"))], nationality="KG")

    after = [slot for slot in made if slot > slot_of(at("2023-02-08T09:00"))]
    assert await rows_at(session, late, made) == {slot: (1, 0) for slot in after}
    await agree(session, election, *DAYS)


async def test_a_tally_after_a_checkpoint_that_many_changes_follow_reads_from_it(session: AsyncSession) -> None:
    election, _ = await daily(session)
    as_of = at("2023-02-08T13:00")
    slot, _ = counted_slots(as_of)

    read = await reading(session, election.id, slot)

    # Rows of three later days follow, more than the one mission has keys; the last checkpoint is the 8th's.
    assert (read.way, read.checkpoint) == ("since", checkpoint_of(slot_of(DAYS[1])))
    tally = await tally_as_of(session, election, as_of)
    assert (tally.observers, tally.nominated) == (2, 3)
    await agree(session, election, as_of)


async def test_the_timeline_counts_each_days_end_from_the_last_checkpoint_before_it(session: AsyncSession) -> None:
    """Writers make the checkpoint of the hour before they write, so a night without writes leaves the last before
    a day's end far back, the afternoon's: the rows after it are the afternoon's few, and the timeline reads them
    instead of looking each mission up."""
    election, _ = await daily(session)
    ends = [end_of_day(dt.date(2023, 2, day), election.zone) for day in range(7, 11)]

    found = await timeline_checkpoints(session, election.id, [counted_slots(end)[0] for end in ends])

    assert found == [checkpoint_of(slot_of(day)) for day in DAYS[:4]]
    points = {point.day: point for point in await timeline(session, election, ends[-1])}
    shown = [
        (points[day].observers, points[day].organizations)
        for day in (end.astimezone(election.zone).date() for end in ends)
    ]
    assert shown == [(1, 1), (2, 1), (3, 1), (4, 1)]
    await agree(session, election, *ends)


async def test_a_tally_before_every_checkpoint_looks_each_key_up(session: AsyncSession) -> None:
    election, mission = await daily(session)
    # Back-dated before the first checkpoint; rows of six later slots follow.
    await make_accreditation(session, mission, [(S.NOMINATED, at("2023-02-05T09:00"))], nationality="CZ")
    as_of = at("2023-02-05T12:00")

    read = await reading(session, election.id, counted_slots(as_of)[0])

    assert (read.way, read.checkpoint) == ("lookups", None)
    tally = await tally_as_of(session, election, as_of)
    assert (tally.observers, tally.nominated) == (0, 1)
    await agree(session, election, as_of)


async def test_a_checkpoint_followed_by_many_back_dated_changes_before_the_instant_is_passed_over(
    session: AsyncSession,
) -> None:
    """Changes back-dated into a stretch that writes never crossed: more rows lie between its checkpoint and the
    instant than SINCE per key, and the tally looks each key up instead."""
    election = await make_election(session)
    mission = await make_mission(session, election, organization_slug="osce-odihr")
    for nominated_at in (NOMINATED[1], at("2023-02-10T12:30")):
        await make_accreditation(session, mission, [(S.NOMINATED, nominated_at)], nationality="PL")
    for hour in range(10, 10 + SINCE + 2):
        await make_accreditation(session, mission, [(S.NOMINATED, at(f"2023-02-07T{hour}:00"))], nationality="CZ")
    as_of = at("2023-02-08T00:00")

    read = await reading(session, election.id, counted_slots(as_of)[0])

    assert (read.way, read.checkpoint) == ("lookups", None)
    # The timeline, at the end of the 7th, the same.
    assert await timeline_checkpoints(session, election.id, [counted_slots(as_of)[0]]) == [None]
    tally = await tally_as_of(session, election, as_of)
    assert tally.nominated == 1 + SINCE + 2
    await agree(session, election, as_of)


async def test_a_key_without_its_row_at_a_checkpoint_is_found(session: AsyncSession) -> None:
    election, mission = await daily(session)
    made = await checkpoints(session, election)
    summed = m.MissionSlot
    await session.execute(delete(summed).where(summed.mission_id == mission.id, summed.slot == made[2]))

    mismatches = await differences(session, election.id, limit=1000)

    assert [(x.slot, x.key, x.stored, x.expected) for x in mismatches] == [(made[2], (mission.id, "row"), 0, 1)]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_writer_that_cannot_lock_for_a_checkpoint_writes_without_one(
    session: AsyncSession, reference_db: str
) -> None:
    """Another transaction writing the summaries holds the lock a checkpoint waits for: the writer gives the
    checkpoint up after a moment, writes, and the next writer past it makes it."""
    election, mission = await daily(session)
    await session.commit()
    made = await checkpoints(session, election)
    later = at("2023-02-14T12:00")
    config = alchemy_config(Settings(database_url=reference_db))
    try:
        async with config.get_session() as other, other.begin():
            await other.execute(text("LOCK TABLE tally_breakdown_slot IN ROW EXCLUSIVE MODE"))
            await make_accreditation(session, mission, [(S.NOMINATED, later)], nationality="CZ")
            await session.commit()
    finally:
        await config.get_engine().dispose()

    assert await checkpoints(session, election) == made
    await agree(session, election, later)

    await make_accreditation(session, mission, [(S.NOMINATED, later + dt.timedelta(minutes=5))], nationality="SK")
    assert await checkpoints(session, election) == [*made, checkpoint_of(slot_of(later))]
    await agree(session, election, later)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_writer_leaves_a_checkpoint_another_of_its_process_is_making(session: AsyncSession) -> None:
    """Writers crossing a checkpoint at once: one of a process makes it, on a second connection of the pool; the
    others write without waiting for one, so that together they never hold the whole pool."""
    election, mission = await daily(session)
    await session.commit()
    made = await checkpoints(session, election)
    later = at("2023-02-14T12:00")
    summaries._MAKING.add(election.id)
    try:
        await make_accreditation(session, mission, [(S.NOMINATED, later)], nationality="CZ")
    finally:
        summaries._MAKING.discard(election.id)

    assert await checkpoints(session, election) == made
    await agree(session, election, later)
