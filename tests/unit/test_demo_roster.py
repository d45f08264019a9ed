"""The demo roster: made-up people whose history reproduces the published record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from seed import fictional
from seed.loader import load_all
from tests.factories import at
from tracker import models as m

pytestmark = pytest.mark.anyio


async def test_every_person_is_clearly_fictitious_and_named_like_nobody_else(demo_session: AsyncSession) -> None:
    people = list(await demo_session.scalars(select(m.Person)))
    in_2023 = await demo_session.scalar(
        select(func.count())
        .select_from(m.Accreditation)
        .join(m.Election, m.Election.id == m.Accreditation.election_id)
        .where(m.Election.slug == "majilis-2023")
    )

    assert in_2023 == 213
    assert all(p.document_number and p.document_number.startswith("DEMO") for p in people)
    assert all(p.email and p.email.endswith("@example.org") for p in people)
    assert len({p.document_number for p in people}) == len(people)
    # Two people of one name would read as one record entered twice.
    assert len({p.name_latin for p in people}) == len({p.name_original for p in people}) == len(people)


async def test_two_withdrawn_odihr_observers_are_linked_to_their_replacements(demo_session: AsyncSession) -> None:
    replaced = aliased(m.Accreditation)
    rows = (
        await demo_session.execute(
            select(m.Accreditation, replaced)
            .join(replaced, m.Accreditation.replaces_id == replaced.id)
            .join(m.Mission, m.Mission.id == m.Accreditation.mission_id)
            .where(m.Mission.slug == "odihr")
        )
    ).all()

    assert len(rows) == 2
    for replacement, original in rows:
        original_events = list(
            await demo_session.scalars(
                select(m.StatusEvent)
                .where(m.StatusEvent.accreditation_id == original.id)
                .order_by(m.StatusEvent.effective_at)
            )
        )
        assert [e.status for e in original_events] == [m.Status.NOMINATED, m.Status.ACCREDITED, m.Status.WITHDRAWN]
        assert original_events[-1].effective_at == at("2023-02-13T11:30")
        assert original_events[-1].reason
        assert replacement.badge_number
        assert replacement.badge_number != original.badge_number


async def test_badge_numbers_are_unique_and_only_for_the_accredited(demo_session: AsyncSession) -> None:
    accreditations = list(await demo_session.scalars(select(m.Accreditation)))
    badges = [a.badge_number for a in accreditations if a.badge_number]

    assert len(badges) == len(set(badges))
    rejected = await demo_session.scalar(
        select(m.Accreditation)
        .join(m.StatusEvent, m.StatusEvent.accreditation_id == m.Accreditation.id)
        .where(m.StatusEvent.status == m.Status.REJECTED)
    )
    assert rejected is not None
    assert rejected.badge_number is None


async def test_seeding_again_on_a_later_day_leaves_the_demo_as_it_is(
    demo_session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = (m.Election, m.Mission, m.Person, m.Accreditation, m.StatusEvent, m.Decision, m.Bulletin, m.NewsItem)

    async def counts() -> list[int | None]:
        return [await demo_session.scalar(select(func.count()).select_from(table)) for table in tables]

    def windows() -> Any:
        return select(m.Election.slug, m.Election.window_opens_at, m.Election.window_closes_at, m.Election.voting_day)

    before = (await counts(), (await demo_session.execute(windows())).all())
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=40)
    monkeypatch.setattr(fictional, "utc_now", lambda: later)

    report = await load_all(demo_session)

    assert not any(report.added.values())
    assert (await counts(), (await demo_session.execute(windows())).all()) == before
