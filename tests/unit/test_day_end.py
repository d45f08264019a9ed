"""A date alone counts everything effective before the next day begins, to the stored microsecond, on SQLite
and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tracker import models as m
from tracker.instants import parse_instant
from tracker.tally import tally_as_of

pytestmark = pytest.mark.anyio
S = m.Status


async def test_the_last_millisecond_of_a_day_counts_and_midnight_does_not(session: AsyncSession) -> None:
    election = await make_election(session)
    mission = await make_mission(session, election, country="DE")
    nominated = (S.NOMINATED, at("2023-02-20T10:00"))
    await make_accreditation(session, mission, [nominated, (S.ACCREDITED, at("2023-02-22T23:59:59.999"))])
    await make_accreditation(session, mission, [nominated, (S.ACCREDITED, at("2023-02-23T00:00"))])

    day = await tally_as_of(session, election, parse_instant("22.02.2023", election.zone))
    next_day = await tally_as_of(session, election, parse_instant("2023-02-23", election.zone))

    assert (day.observers, day.nominated) == (1, 1)
    assert (next_day.observers, next_day.nominated) == (2, 0)
