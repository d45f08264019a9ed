"""What a tally counts, kept as it was recorded: each mission's sender and each test flag from the moment it
was set, beside the status events (which keep their own `recorded_at`). The tally engine reads these to give
the figures as known at any moment; the tables they shadow (`mission`, `accreditation`) hold the latest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.instants import utc_now
from tracker.services.audit import Actor


def sender_of(mission: m.Mission) -> tuple[m.SenderKind, str | None, int | None]:
    return mission.sender_kind, mission.country_code, mission.organization_id


async def record_sender(
    session: AsyncSession, mission: m.Mission, actor: Actor, *, reason: str | None = None, at: dt.datetime | None = None
) -> m.SenderRecord:
    """The mission's sender as it now stands, recorded at `at` (now)."""
    row = m.SenderRecord(
        mission_id=mission.id,
        election_id=mission.election_id,
        sender_kind=mission.sender_kind,
        country_code=mission.country_code,
        organization_id=mission.organization_id,
        recorded_at=at or utc_now(),
        actor=actor.name,
        actor_role=actor.role.value,
        reason=reason,
    )
    session.add(row)
    await session.flush()
    return row


async def record_test_flag(
    session: AsyncSession,
    accreditation: m.Accreditation,
    actor: Actor,
    *,
    reason: str | None = None,
    at: dt.datetime | None = None,
) -> m.IsTestRecord:
    """Whether the accreditation is test data, as it now stands, recorded at `at` (now)."""
    row = m.IsTestRecord(
        accreditation_id=accreditation.id,
        election_id=accreditation.election_id,
        is_test=accreditation.is_test,
        recorded_at=at or utc_now(),
        actor=actor.name,
        actor_role=actor.role.value,
        reason=reason,
    )
    session.add(row)
    await session.flush()
    return row
