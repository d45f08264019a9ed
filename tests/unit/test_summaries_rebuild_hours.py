"""Summaries rebuilt from the events (the migration's and the benchmarks' way) count as the ones each write adds."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tracker import models as m
from tracker.summaries_rebuild import rebuild
from tracker.tally import tally_as_of

pytestmark = pytest.mark.anyio
S = m.Status


async def test_rebuilt_summaries_count_changes_made_within_an_hour(session: AsyncSession) -> None:
    election = await make_election(session)
    germany = await make_mission(session, election, country="DE")
    for accredited in ("2023-02-09T11:30", "2023-02-09T12:30"):
        await make_accreditation(
            session, germany, [(S.NOMINATED, at("2023-02-06T10:17")), (S.ACCREDITED, at(accredited))]
        )
    instants = [at("2023-02-09T12:00"), at("2023-02-09T13:00")]
    as_written = [(await tally_as_of(session, election, instant)).observers for instant in instants]

    await rebuild(session, election.id)
    rebuilt = [(await tally_as_of(session, election, instant)).observers for instant in instants]

    assert as_written == [1, 2]
    assert rebuilt == as_written
