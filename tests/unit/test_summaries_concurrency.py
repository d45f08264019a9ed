"""Two workers writing at once leave the tally's summaries as the events make them: each worker has its own engine
and transaction, both begun before either writes, and neither commits before the other has written (unless it waits
on the first's locks). PostgreSQL only: SQLite lets one transaction write at a time."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from tests.conftest import Backend
from tests.factories import at, make_accreditation, make_election, make_mission
from tests.summaries import NOMINATED, agree
from tracker import models as m
from tracker.db import alchemy_config
from tracker.services.audit import Actor
from tracker.services.corrections import mark_test_data
from tracker.services.decisions import DecisionData, DecisionService
from tracker.services.missions import MissionData, MissionService
from tracker.services.persons import PersonData, PersonService
from tracker.services.transitions import record_nominations
from tracker.settings import Settings
from tracker.tally import tally_as_of

pytestmark = pytest.mark.anyio
S = m.Status
RITA = Actor("rita@cec.example", m.UserRole.REGISTRAR)
ADA = Actor("ada@cec.example", m.UserRole.ADMIN)
EACH = 24
DECIDED_AT = at("2023-02-22T18:00")
IMPORTED_AT = at("2023-02-12T09:30")
# How long a worker that has written waits for the other to write before it commits: the other may be waiting on
# its locks, and then writes only after this commit.
WAIT = 0.5
# SQLite serialises writers: two transactions cannot write at once there, so neither can lose the other's count.
ON_POSTGRESQL = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

Write = Callable[[AsyncSession], Awaitable[None]]


async def at_once(database_url: str, writes: Sequence[Write]) -> list[str]:
    """Each write in a worker of its own: "written", or "refused" when it changed a row the other had changed
    first (the version check refuses it, as the app does)."""
    begun = asyncio.Barrier(len(writes))
    written = [asyncio.Event() for _ in writes]

    async def worker(n: int, write: Write) -> str:
        config = alchemy_config(Settings(database_url=database_url))
        try:
            async with config.get_session() as session, session.begin():
                await session.execute(select(1))
                await begun.wait()
                try:
                    await write(session)
                finally:
                    written[n].set()
                with suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in written)), WAIT)
        except StaleDataError:
            return "refused"
        finally:
            await config.get_engine().dispose()
        return "written"

    return list(await asyncio.gather(*(worker(n, write) for n, write in enumerate(writes))))


async def agreed(database_url: str, election: m.Election, *instants: dt.datetime) -> tuple[int, int]:
    """After both: the summaries are a rebuild's and the tally a plain count's; its observers and nominations."""
    config = alchemy_config(Settings(database_url=database_url))
    try:
        async with config.get_session() as session:
            await agree(session, election, *instants)
            tally = await tally_as_of(session, election, DECIDED_AT)
            return tally.observers, tally.nominated
    finally:
        await config.get_engine().dispose()


async def decide(session: AsyncSession, election_id: int, ids: list[int], reference: str) -> None:
    election = await session.get(m.Election, election_id)
    assert election is not None
    data = DecisionData(
        reference=reference,
        decided_on=dt.date(2023, 2, 22),
        outcome="accredited",
        effective_at=DECIDED_AT,
        accreditation_ids=ids,
    )
    await DecisionService(session).decide(election, data, RITA)


async def import_list(session: AsyncSession, mission_id: int, name: str) -> None:
    """A list's new accreditations nominated in one statement, as an import writes them."""
    mission = await session.get(m.Mission, mission_id)
    assert mission is not None
    new = [await make_accreditation(session, mission, [], nationality="PL") for _ in range(EACH)]
    await record_nominations(
        session,
        [a.id for a in new],
        election_id=mission.election_id,
        mission_id=mission.id,
        effective_at=IMPORTED_AT,
        actor="test",
        reason=f"imported from {name}",
    )


@ON_POSTGRESQL
@pytest.mark.parametrize(("decisions", "imports"), [(2, 0), (0, 2), (1, 1)], ids=["decisions", "imports", "both"])
async def test_two_workers_writing_to_one_mission_at_once_lose_no_count(
    backend: Backend, reference_db: str, decisions: int, imports: int
) -> None:
    """Decisions over different nominations, and lists imported, into one mission: the same summary rows."""
    config = alchemy_config(Settings(database_url=reference_db))
    async with config.get_session() as session, session.begin():
        election = await make_election(session)
        mission = await make_mission(session, election, organization_slug="osce-odihr")
        lists = [[(await make_accreditation(session, mission, [NOMINATED])).id for _ in range(EACH)] for _ in range(2)]
    await config.get_engine().dispose()
    writes: list[Write] = [
        *(lambda s, n=n: decide(s, election.id, lists[n], f"{n}/1") for n in range(decisions)),
        *(lambda s, n=n: import_list(s, mission.id, f"list-{n}.xlsx") for n in range(imports)),
    ]

    assert await at_once(reference_db, writes) == ["written", "written"]

    # The decided lists accredited, the others still nominated, and every imported list nominated.
    counts = (decisions * EACH, (2 - decisions) * EACH + imports * EACH)
    assert await agreed(reference_db, election, DECIDED_AT, IMPORTED_AT) == counts


# --- a correction of what the changes are summed under, while a decision writes ----------------------------------


async def mark_as_test(session: AsyncSession, accreditation: m.Accreditation) -> None:
    await mark_test_data(session, accreditation, True, ADA, reason="entered while training")


async def new_nationality(session: AsyncSession, accreditation: m.Accreditation) -> None:
    people = PersonService(session=session)
    person = await people.by_id(accreditation.person_id)
    data = PersonData(name_original=person.name_original, name_latin=person.name_latin, nationality="BE")
    await people.update_person(person.id, data, person.version, ADA)


async def domestic_sender(session: AsyncSession, accreditation: m.Accreditation) -> None:
    session.add(
        m.Organization(
            slug="civil-alliance",
            kind=m.OrganizationKind.DOMESTIC,
            **{f"acronym_{lang}": "CA" for lang in m.LANGUAGES},
            **{f"name_{lang}": "Civil Alliance" for lang in m.LANGUAGES},
        )
    )
    await session.flush()
    missions = MissionService(session=session)
    election = await session.get(m.Election, accreditation.election_id)
    slug = await session.scalar(select(m.Mission.slug).where(m.Mission.id == accreditation.mission_id))
    assert election is not None
    assert slug is not None
    mission = await missions.by_slug(election, slug)
    data = MissionData(slug=slug, name=mission.name, sender="organization:civil-alliance", correction_reason="misfiled")
    await missions.update_mission(mission, election, data, mission.version, ADA)


CORRECTIONS = [
    pytest.param(mark_as_test, id="test flag"),
    pytest.param(new_nationality, id="nationality"),
    pytest.param(domestic_sender, id="sender"),
]


@ON_POSTGRESQL
@pytest.mark.parametrize("correct", CORRECTIONS)
async def test_a_correction_while_a_decision_is_written_leaves_summaries_the_events_make(
    backend: Backend, reference_db: str, correct: Callable[[AsyncSession, m.Accreditation], Awaitable[None]]
) -> None:
    """One worker corrects what an accreditation's changes are summed under (its test flag, its person's nationality,
    its mission's sender) while another's decision accredits it."""
    config = alchemy_config(Settings(database_url=reference_db))
    async with config.get_session() as session, session.begin():
        election = await make_election(session)
        mission = await make_mission(session, election, organization_slug="osce-odihr")
        ids = [(await make_accreditation(session, mission, [NOMINATED])).id for _ in range(3)]
    await config.get_engine().dispose()

    async def correcting(session: AsyncSession) -> None:
        accreditation = await session.get(m.Accreditation, ids[0])
        assert accreditation is not None
        await correct(session, accreditation)

    outcomes = await at_once(reference_db, [lambda s: decide(s, election.id, ids, "1/1"), correcting])

    # Both written, or the later of two changes to one accreditation's row refused: never a count lost.
    assert "written" in outcomes
    await agreed(reference_db, election, DECIDED_AT)
