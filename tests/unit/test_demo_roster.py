"""The demo roster: made-up people whose history reproduces the published record."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tests.factories import at
from tracker import models as m

pytestmark = pytest.mark.anyio


async def test_every_person_is_clearly_fictitious(demo_session: AsyncSession) -> None:
    people = list(await demo_session.scalars(select(m.Person)))

    assert len(people) == 213
    assert all(p.document_number and p.document_number.startswith("DEMO") for p in people)
    assert all(p.email and p.email.endswith("@example.org") for p in people)
    assert len({p.document_number for p in people}) == len(people)


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
