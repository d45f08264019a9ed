"""Decisions over a list: one step accredits or rejects every nominated accreditation chosen, or nothing."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tracker import models as m
from tracker.db import alchemy_config
from tracker.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from tracker.services.audit import Actor
from tracker.services.decisions import DecisionData, DecisionService
from tracker.services.transitions import record_status
from tracker.settings import Settings

pytestmark = pytest.mark.anyio
S = m.Status
RITA = Actor("rita@cec.example", m.UserRole.REGISTRAR)
ADA = Actor("ada@cec.example", m.UserRole.ADMIN)
NOMINATED = [(S.NOMINATED, at("2023-02-06T10:00"))]


async def listed(session: AsyncSession, count: int = 3) -> tuple[m.Election, m.Mission, list[m.Accreditation]]:
    election = await make_election(session)
    mission = await make_mission(session, election, country="DE")
    return election, mission, [await make_accreditation(session, mission, NOMINATED) for _ in range(count)]


def decision(**given: object) -> DecisionData:
    fields: dict[str, object] = {
        "reference": "12/345",
        "decided_on": dt.date(2023, 2, 22),
        "outcome": "accredited",
        "effective_at": at("2023-02-22T18:00"),
    }
    return DecisionData(**(fields | given))  # type: ignore[arg-type]


async def statuses(session: AsyncSession, accreditations: list[m.Accreditation]) -> list[S]:
    event = m.StatusEvent
    ids = [a.id for a in accreditations]
    found = dict(
        (
            await session.execute(
                select(event.accreditation_id, event.status).where(event.current(), event.accreditation_id.in_(ids))
            )
        ).all()
    )
    return [found[i] for i in ids]


async def test_a_mission_s_list_is_accredited_in_one_step_with_badges_events_and_audit(session: AsyncSession) -> None:
    election, mission, accreditations = await listed(session, 3)
    entries_before = await session.scalar(select(func.count()).select_from(m.AuditEntry))

    done = await DecisionService(session).decide(election, decision(mission=mission.slug), RITA)

    assert done.decision.accreditations == 3
    assert await statuses(session, accreditations) == [S.ACCREDITED] * 3
    badges = sorted(a.badge_number or "" for a in accreditations)
    assert len(set(badges)) == 3
    assert all(badges)
    assert {a.decision_ref for a in accreditations} == {"12/345"}
    events = (await session.scalars(select(m.StatusEvent).where(m.StatusEvent.decision_id == done.decision.id))).all()
    assert len(events) == 3
    assert {e.effective_at for e in events} == {at("2023-02-22T18:00")}
    entries = await session.scalar(select(func.count()).select_from(m.AuditEntry))
    assert entries == (entries_before or 0) + 3 + 1  # one per accreditation, and the decision's own
    assert [d.accreditation.id for d in (await DecisionService(session).detail(done.decision.id)).decided] == sorted(
        a.id for a in accreditations
    )


async def test_a_rejection_needs_a_reason_and_gives_no_badge(session: AsyncSession) -> None:
    election, mission, accreditations = await listed(session, 2)
    service = DecisionService(session)

    with pytest.raises(InvalidInput, match=r"^reason: "):
        await service.decide(election, decision(outcome="rejected", mission=mission.slug), RITA)
    await service.decide(election, decision(outcome="rejected", reason="late", mission=mission.slug), RITA)

    assert await statuses(session, accreditations) == [S.REJECTED] * 2
    assert [a.badge_number for a in accreditations] == [None, None]


async def test_one_ticked_row_changed_meanwhile_fails_the_whole_decision_unless_left_out(
    session: AsyncSession,
) -> None:
    election, _mission, accreditations = await listed(session, 3)
    changed = accreditations[1]
    await record_status(session, changed, S.REJECTED, effective_at=at("2023-02-07T10:00"), actor="other", reason="x")
    ids = [a.id for a in accreditations]
    service = DecisionService(session)

    with pytest.raises(Conflict) as refused:
        await service.decide(election, decision(accreditation_ids=ids), RITA)

    assert "1 of the chosen accreditations is no longer nominated" in refused.value.message
    assert "Test Person" in refused.value.message
    assert await statuses(session, accreditations) == [S.NOMINATED, S.REJECTED, S.NOMINATED]
    assert await session.scalar(select(func.count()).select_from(m.Decision)) == 0

    done = await service.decide(election, decision(accreditation_ids=ids, leave_out_changed=True), RITA)

    assert done.decision.accreditations == 2
    assert done.decision.selection["left_out"] == [changed.id]
    assert await statuses(session, accreditations) == [S.ACCREDITED, S.REJECTED, S.ACCREDITED]


async def test_the_window_rule_applies_and_an_admin_may_override_it(session: AsyncSession) -> None:
    election, mission, accreditations = await listed(session, 2)
    late = decision(mission=mission.slug, effective_at=at("2023-03-14T10:00"))
    service = DecisionService(session)

    with pytest.raises(PermissionDenied, match="window closed"):
        await service.decide(election, late, RITA)
    with pytest.raises(InvalidInput, match=r"^override_reason: "):
        await service.decide(election, late, ADA)
    done = await service.decide(
        election,
        decision(mission=mission.slug, effective_at=at("2023-03-14T10:00"), override_reason="court ruling"),
        ADA,
    )

    assert done.decision.override_reason == "court ruling"
    assert await statuses(session, accreditations) == [S.ACCREDITED] * 2


async def test_the_selection_is_one_way_and_not_empty(session: AsyncSession) -> None:
    election, mission, _accreditations = await listed(session, 1)
    service = DecisionService(session)

    with pytest.raises(InvalidInput, match=r"^selection: choose the accreditations one way"):
        await service.decide(election, decision(), RITA)
    with pytest.raises(InvalidInput, match=r"^selection: choose the accreditations one way"):
        await service.decide(election, decision(mission=mission.slug, all=True), RITA)
    with pytest.raises(InvalidInput, match=r"^selection: tick at least one"):
        await service.decide(election, decision(accreditation_ids=[]), RITA)
    await service.decide(election, decision(mission=mission.slug), RITA)
    with pytest.raises(Conflict, match="no nominated accreditation is left"):
        await service.decide(election, decision(mission=mission.slug), RITA)


async def test_an_effective_time_before_a_nomination_is_refused_naming_the_person(session: AsyncSession) -> None:
    election, mission, accreditations = await listed(session, 1)

    with pytest.raises(InvalidTransition, match=r"effective_at: Test Person .* was nominated at 06.02.2023 10:00"):
        await DecisionService(session).decide(
            election, decision(mission=mission.slug, effective_at=at("2023-02-01T10:00")), RITA
        )
    # Refused before anything was written: nothing waits in the session to be flushed either.
    assert not session.dirty
    assert not session.new
    assert await statuses(session, accreditations) == [S.NOMINATED]


async def test_two_decisions_over_the_same_list_at_once_decide_it_once(demo_db: str) -> None:
    """Two registrars press the button together: one decision is made, the other is refused naming whom it
    wanted; nobody gets two events or two badges (PostgreSQL locks, SQLite serialises its writers)."""
    config = alchemy_config(Settings(database_url=demo_db))
    async with config.get_session() as session, session.begin():
        election, _mission, accreditations = await listed(session, 5)
        ids = [a.id for a in accreditations]

    async def decide(reference: str) -> str:
        async with config.get_session() as session:
            try:
                async with session.begin():
                    found = await session.get(m.Election, election.id)
                    assert found is not None
                    await DecisionService(session).decide(
                        found, decision(reference=reference, accreditation_ids=ids), RITA
                    )
            except Conflict as refused:
                return refused.message
        return "decided"

    try:
        outcomes = await asyncio.gather(decide("1/1"), decide("1/2"))
        async with config.get_session() as session:
            events = await session.scalar(
                select(func.count()).where(
                    m.StatusEvent.accreditation_id.in_(ids), m.StatusEvent.status == S.ACCREDITED
                )
            )
            badges = await session.scalar(
                select(func.count(func.distinct(m.Accreditation.badge_number))).where(m.Accreditation.id.in_(ids))
            )
            decisions = await session.scalar(
                select(func.count()).select_from(m.Decision).where(m.Decision.reference.in_(["1/1", "1/2"]))
            )
    finally:
        await config.get_engine().dispose()

    assert outcomes.count("decided") == 1
    [refused] = [outcome for outcome in outcomes if outcome != "decided"]
    assert "5 of the chosen accreditations are no longer nominated" in refused
    assert (events, badges, decisions) == (5, 5, 1)
