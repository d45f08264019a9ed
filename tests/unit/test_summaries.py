"""The tally's summaries (tracker/summaries.py) are derived, never a second source of truth: after every kind of write
they equal a rebuild from the events, and the tally read from them equals a plain count of the events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tests.lists import csv_bytes, observers
from tests.summaries import INSTANTS, NOMINATED, agree, scene
from tracker import models as m
from tracker.instants import utc_now
from tracker.services.audit import Actor
from tracker.services.corrections import mark_test_data
from tracker.services.decisions import DecisionData, DecisionService
from tracker.services.imports import ImportService
from tracker.services.missions import MissionData, MissionService
from tracker.services.persons import PersonData, PersonService
from tracker.services.transitions import record_nominations, record_status
from tracker.summaries import SUMMARIES
from tracker.summaries_rebuild import rebuild
from tracker.tally import tally_as_of

pytestmark = pytest.mark.anyio
S = m.Status
ADA = Actor("ada@cec.example", m.UserRole.ADMIN)
RITA = Actor("rita@cec.example", m.UserRole.REGISTRAR)


# --- each kind of write -------------------------------------------------------------------------------------------


async def test_status_changes_keep_the_summaries_as_the_events_make_them(session: AsyncSession) -> None:
    found = await scene(session)
    await agree(session, found.election)
    tally = await tally_as_of(session, found.election, at("2023-02-15T12:00"))
    assert (tally.observers, tally.countries, tally.organizations, tally.nominated) == (5, 1, 1, 1)


async def test_nominations_in_one_statement_and_a_decision_over_them_add_to_the_summaries(
    session: AsyncSession,
) -> None:
    found = await scene(session)
    listed = [await make_accreditation(session, found.odihr, [], nationality="LT") for _ in range(4)]
    await record_nominations(
        session,
        [a.id for a in listed],
        election_id=found.election.id,
        mission_id=found.odihr.id,
        effective_at=at("2023-02-12T09:30"),
        actor="test",
        reason="a list",
    )
    await agree(session, found.election, at("2023-02-12T09:30"))
    decision = DecisionData(
        reference="12/345",
        decided_on=dt.date(2023, 2, 22),
        outcome="accredited",
        effective_at=at("2023-02-22T18:00"),
        accreditation_ids=[a.id for a in listed],
    )

    await DecisionService(session).decide(found.election, decision, RITA)

    await agree(session, found.election, at("2023-02-22T18:00"), at("2023-02-22T17:59:59.999999"))
    before = await tally_as_of(session, found.election, at("2023-02-22T17:59:59.999999"))
    after = await tally_as_of(session, found.election, at("2023-02-22T18:00"))
    assert [(t.observers, t.nominated) for t in (before, after)] == [(4, 5), (8, 1)]


async def test_an_imported_list_adds_its_nominations_to_the_summaries(session: AsyncSession) -> None:
    # An election of its own: the import takes effect now, and the check's days run from the first event to it.
    election = await make_election(session)
    mission = await make_mission(session, election, country="KG")
    await make_accreditation(session, mission, [(S.NOMINATED, utc_now() - dt.timedelta(hours=2))])
    imports = ImportService(session)
    batch = await imports.upload(election, mission, "kg.csv", csv_bytes(observers(3)), RITA)
    await imports.check(batch)

    await imports.commit(batch, RITA)

    await agree(session, election, utc_now() - dt.timedelta(hours=1))
    assert (await tally_as_of(session, election, utc_now())).nominated == 1 + 3


async def test_a_back_dated_change_moves_the_tallies_after_it(session: AsyncSession) -> None:
    found = await scene(session)
    before = await tally_as_of(session, found.election, at("2023-03-07T14:25"))
    earlier = await tally_as_of(session, found.election, at("2023-02-15T12:34:56"))

    # Recorded today, effective weeks ago: every count from its slot on changes.
    await record_status(
        session, found.odihr_people[0], S.WITHDRAWN, effective_at=at("2023-02-15T12:34:56.789"), actor="test"
    )

    await agree(session, found.election, at("2023-02-15T12:34:56.789"), at("2023-02-15T12:00"))
    after = await tally_as_of(session, found.election, at("2023-03-07T14:25"))
    assert after.observers == before.observers - 1
    assert (await tally_as_of(session, found.election, at("2023-02-15T12:34:56"))).observers == earlier.observers


async def test_a_test_data_mark_takes_the_record_out_and_clearing_it_puts_it_back(session: AsyncSession) -> None:
    found = await scene(session)
    person = found.odihr_people[1]

    await mark_test_data(session, person, True, ADA, reason="entered while training")
    await agree(session, found.election)
    marked = await tally_as_of(session, found.election, at("2023-03-07T14:25"))

    await mark_test_data(session, person, False, ADA, reason="a real observer after all")
    await agree(session, found.election)
    cleared = await tally_as_of(session, found.election, at("2023-03-07T14:25"))

    assert (marked.observers, cleared.observers) == (3, 4)
    assert "PL" not in {row.code for row in marked.by_nationality}
    assert "PL" in {row.code for row in cleared.by_nationality}


async def test_a_sender_corrected_to_a_domestic_organization_and_back_moves_its_observers(
    session: AsyncSession,
) -> None:
    found = await scene(session)
    missions = MissionService(session=session)
    domestic = await session.get(m.Organization, found.domestic.organization_id)
    assert domestic is not None

    async def send(sender: str) -> None:
        mission = await missions.by_slug(found.election, found.odihr.slug)
        data = MissionData(slug=mission.slug, name=mission.name, sender=sender, correction_reason="misfiled")
        await missions.update_mission(mission, found.election, data, mission.version, ADA)

    await send(f"organization:{domestic.slug}")
    await agree(session, found.election)
    domestic_now = await tally_as_of(session, found.election, at("2023-03-07T14:25"))

    await send("organization:osce-odihr")
    await agree(session, found.election)
    back = await tally_as_of(session, found.election, at("2023-03-07T14:25"))

    assert (domestic_now.observers, domestic_now.organizations, domestic_now.domestic_observers) == (1, 0, 5)
    assert [row.code for row in domestic_now.by_nationality] == ["KG"]
    assert (back.observers, back.organizations, back.domestic_observers) == (4, 1, 2)
    assert {row.code: row.observers for row in back.by_nationality} == {"DE": 1, "FR": 1, "KG": 1, "PL": 1}


async def test_a_nationality_corrected_moves_the_observer_between_nationalities(session: AsyncSession) -> None:
    found = await scene(session)
    people = PersonService(session=session)
    person = await people.by_id(found.odihr_people[2].person_id)
    data = PersonData(name_original=person.name_original, name_latin=person.name_latin, nationality="BE")

    await people.update_person(person.id, data, person.version, RITA)

    await agree(session, found.election)
    tally = await tally_as_of(session, found.election, at("2023-03-07T14:25"))
    assert {row.code: row.observers for row in tally.by_nationality} == {"BE": 1, "DE": 1, "KG": 1, "PL": 1}


async def stored(session: AsyncSession, election: m.Election) -> dict[str, set[tuple[Any, ...]]]:
    """Every summary row of the election with a change: its key, slot, changes and counts at the slot's end."""
    rows: dict[str, set[tuple[Any, ...]]] = {}
    for summary in SUMMARIES:
        table = summary.table
        changed = or_(*(table.c[change] != 0 for change in summary.changes))
        found = await session.execute(select(table).where(table.c.election_id == election.id, changed))
        rows[table.name] = {tuple(row) for row in found}
    return rows


async def test_a_rebuild_makes_the_summaries_the_writes_made(session: AsyncSession) -> None:
    """What the migration builds for an existing database, and the seed for its bulk-loaded roster: the rows the
    writes left, so the same tallies. The scene's changes fall at minutes past the hour, on odd and even hours."""
    found = await scene(session)
    day = at("2023-02-11T00:00")
    for minutes in range(0, 24 * 60, 37):
        await make_accreditation(session, found.odihr, [NOMINATED, (S.ACCREDITED, day + dt.timedelta(minutes=minutes))])
    await session.flush()
    written = await stored(session, found.election)
    tallies = [await tally_as_of(session, found.election, as_of) for as_of in INSTANTS]

    await rebuild(session, found.election.id)

    assert await stored(session, found.election) == written
    assert [await tally_as_of(session, found.election, as_of) for as_of in INSTANTS] == tallies
    await agree(session, found.election, *(day + dt.timedelta(minutes=n) for n in range(0, 1440, 97)))
