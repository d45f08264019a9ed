"""The tally's summaries at the edges: instants on a slot's, an hour's and a day's edges count what the rules say,
and sums the services never wrote are found by tracker.summaries_rebuild.differences (what `tracker check`
reports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import ASTANA, at, make_accreditation, make_election, make_mission
from tests.summaries import ACCREDITED, NOMINATED, agree, scene
from tracker import models as m
from tracker.instants import end_of_day
from tracker.summaries import EPOCH, KEYS, LATEST, SLOT, slot_of
from tracker.summaries_rebuild import differences, rebuild
from tracker.tally import tally_as_of

pytestmark = pytest.mark.anyio
S = m.Status


# --- instants on the edges of slots, hours and days --------------------------------------------------------------


NOON, TICK = at("2023-02-10T12:00"), dt.timedelta(microseconds=1)
DAY_END = end_of_day(dt.date(2023, 2, 10), ASTANA)


async def on_the_edges(session: AsyncSession) -> m.Election:
    """Each observer's nationality names them: accredited at noon exactly, a microsecond later, a microsecond
    before, and inside noon's slot of five minutes; withdrawn at noon exactly; accredited at the day's last
    microsecond, and at the next midnight."""
    election = await make_election(session)
    mission = await make_mission(session, election, organization_slug="osce-odihr")
    for code, accredited_at in (
        ("DE", NOON),
        ("PL", NOON + TICK),
        ("FR", NOON - TICK),
        ("NL", at("2023-02-10T12:03")),
        ("ES", DAY_END),
        ("AT", DAY_END + TICK),
    ):
        await make_accreditation(session, mission, [NOMINATED, (S.ACCREDITED, accredited_at)], nationality=code)
    await make_accreditation(session, mission, [*ACCREDITED, (S.WITHDRAWN, NOON)], nationality="IT")
    return election


async def counted(session: AsyncSession, election: m.Election, as_of: dt.datetime) -> set[str]:
    return {row.code for row in (await tally_as_of(session, election, as_of)).by_nationality}


EDGES = [
    (NOON - TICK, {"FR", "IT"}),
    (NOON, {"DE", "FR"}),
    (NOON + TICK, {"DE", "FR", "PL"}),
    (at("2023-02-10T12:02:59.999999"), {"DE", "FR", "PL"}),
    (at("2023-02-10T12:03"), {"DE", "FR", "PL", "NL"}),
    (at("2023-02-10T12:04:59.999999"), {"DE", "FR", "PL", "NL"}),
    (at("2023-02-10T12:05"), {"DE", "FR", "PL", "NL"}),
    (at("2023-02-10T12:59:59.999999"), {"DE", "FR", "PL", "NL"}),
    (DAY_END, {"DE", "FR", "PL", "NL", "ES"}),
    (DAY_END + TICK, {"DE", "FR", "PL", "NL", "ES", "AT"}),
]


async def test_instants_on_the_edges_of_slots_hours_and_a_day_count_what_the_rules_say(session: AsyncSession) -> None:
    election = await on_the_edges(session)

    assert [await counted(session, election, as_of) for as_of, _ in EDGES] == [codes for _, codes in EDGES]


async def test_changes_in_a_slot_s_last_microsecond_are_rebuilt_in_that_slot(session: AsyncSession) -> None:
    election = await on_the_edges(session)
    await agree(session, election, *(as_of for as_of, _ in EDGES))

    await rebuild(session, election.id)

    assert [await counted(session, election, as_of) for as_of, _ in EDGES] == [codes for _, codes in EDGES]


# --- a summary changed behind the services' back ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "column"),
    [
        (m.MissionSlot, "accredited_change"),
        (m.BreakdownSlot, "accredited_change"),
        (m.MissionSlot, "nominated"),
        (m.BreakdownSlot, "accredited"),
    ],
)
async def test_a_summary_row_changed_by_hand_is_found(session: AsyncSession, model: Any, column: str) -> None:
    found = await scene(session)
    await session.flush()
    table = model.__table__
    row = (
        await session.execute(
            select(table).where(table.c.election_id == found.election.id, table.c.slot >= 0, table.c[column] > 0)
        )
    ).first()
    assert row is not None
    keyed = [table.c[column.name] == row._mapping[column.name] for column in table.primary_key]

    await session.execute(update(table).where(*keyed).values({column: table.c[column] + 1}))

    mismatches = await differences(session, found.election.id, limit=1000)
    assert (table.name, row.slot, column) in [(x.table, x.slot, x.key[-1]) for x in mismatches], mismatches


async def test_a_count_changed_by_hand_is_named_with_both_its_numbers(session: AsyncSession) -> None:
    found = await scene(session)
    await session.flush()
    summed = m.MissionSlot
    row = await session.scalar(
        select(summed).where(summed.election_id == found.election.id, summed.accredited > 0).limit(1)
    )
    assert row is not None
    stored = row.accredited
    row.accredited = stored + 1
    await session.flush()

    mine = [x for x in await differences(session, found.election.id, limit=1000) if x.slot == row.slot]
    assert [(x.key, x.stored, x.expected) for x in mine] == [((row.mission_id, "accredited"), stored + 1, stored)]


@pytest.mark.parametrize("slot", [KEYS, LATEST])
async def test_a_key_without_its_row_at_slot_minus_one_or_at_latest_is_found(session: AsyncSession, slot: int) -> None:
    """The tally lists the keys by the rows at -1: without one, a mission's observers would go uncounted; a tally
    of today reads the counts at LATEST: without one, they would count as none."""
    found = await scene(session)
    await session.flush()
    summed = m.MissionSlot
    await session.execute(
        delete(summed).where(
            summed.election_id == found.election.id, summed.mission_id == found.state.id, summed.slot == slot
        )
    )

    mismatches = await differences(session, found.election.id, limit=1000)
    assert [(x.slot, x.key) for x in mismatches] == [(slot, (found.state.id, "row"))]


async def test_a_count_at_latest_changed_by_hand_is_found(session: AsyncSession) -> None:
    found = await scene(session)
    await session.flush()
    summed = m.MissionSlot
    latest = (summed.election_id == found.election.id, summed.mission_id == found.odihr.id, summed.slot == LATEST)
    stored = await session.scalar(select(summed.accredited).where(*latest))
    assert stored == 3

    await session.execute(update(summed).where(*latest).values(accredited=stored - 1))

    mismatches = await differences(session, found.election.id, limit=1000)
    assert [(x.slot, x.key, x.stored, x.expected) for x in mismatches] == [
        (LATEST, (found.odihr.id, "accredited"), 2, 3)
    ]


async def test_a_summary_outside_the_days_of_the_events_is_found(session: AsyncSession) -> None:
    found = await scene(session)
    await session.flush()
    # A month before any event, as a wrong write through record_moves would leave it.
    slot = slot_of(at("2023-01-05T10:00"))
    session.add(
        m.MissionSlot(
            election_id=found.election.id,
            mission_id=found.state.id,
            slot=slot,
            nominated=0,
            accredited=1,
            nominated_change=0,
            accredited_change=1,
        )
    )
    await session.flush()
    wrong = await tally_as_of(session, found.election, EPOCH + (slot + 1) * SLOT)

    assert wrong.observers == 1  # what the tally shows: the planted row is read
    mismatches = await differences(session, found.election.id, limit=1000)
    assert ("tally_mission_slot", slot, (found.state.id, "accredited_change"), 1, 0) in [
        (x.table, x.slot, x.key, x.stored, x.expected) for x in mismatches
    ], mismatches
