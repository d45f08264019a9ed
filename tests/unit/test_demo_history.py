"""The demo's history is recorded at the moments it happened: a tally known at any past moment gives what was
published then, and nothing is recorded before it took effect or in the future."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.published import PUBLISHED_2023
from tracker import models as m
from tracker.instants import utc_now
from tracker.tally import Tally, tally_as_of

pytestmark = pytest.mark.anyio


def figures(tally: Tally) -> tuple[int, int, int]:
    return tally.observers, tally.countries, tally.organizations


async def test_each_2023_bulletin_is_reproduced_as_known_at_its_publication(demo_session: AsyncSession) -> None:
    election = await demo_session.scalar(select(m.Election).where(m.Election.slug == "majilis-2023"))
    assert election is not None
    bulletins = list(
        await demo_session.scalars(
            select(m.Bulletin).where(m.Bulletin.election_id == election.id).order_by(m.Bulletin.number)
        )
    )

    assert len(bulletins) == len(PUBLISHED_2023)
    for bulletin, (_, *published) in zip(bulletins, PUBLISHED_2023, strict=True):
        assert bulletin.published_at is not None
        assert bulletin.as_of <= bulletin.published_at <= bulletin.as_of + dt.timedelta(minutes=10)
        known = await tally_as_of(demo_session, election, bulletin.as_of, known_at=bulletin.published_at)
        today = await tally_as_of(demo_session, election, bulletin.as_of)
        assert figures(known) == figures(today) == tuple(published)
    # What was known when No. 1 was published, asked of No. 4's instant: No. 1's figures, nothing recorded later.
    first, fourth = bulletins[0], bulletins[3]
    early = await tally_as_of(demo_session, election, fourth.as_of, known_at=first.published_at)
    assert figures(early) == tuple(PUBLISHED_2023[0][1:])


async def test_nothing_is_recorded_before_it_took_effect_nor_in_the_future(demo_session: AsyncSession) -> None:
    event, sender = m.StatusEvent, m.SenderRecord
    now = utc_now()
    misdated = await demo_session.scalar(
        select(func.count()).where(or_(event.recorded_at < event.effective_at, event.recorded_at > now))
    )
    first_events = (
        select(event.mission_id, func.min(event.effective_at).label("first")).group_by(event.mission_id).subquery()
    )
    late_senders = await demo_session.scalar(
        select(func.count())
        .select_from(sender)
        .join(first_events, first_events.c.mission_id == sender.mission_id)
        .where(sender.recorded_at > first_events.c.first)
    )
    missions_without = await demo_session.scalar(
        select(func.count())
        .select_from(m.Mission)
        .where(~select(sender.id).where(sender.mission_id == m.Mission.id).exists())
    )

    assert (misdated, late_senders, missions_without) == (0, 0, 0)
