"""Property: for random histories of status events, the engine's tally equals a plain replay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tracker import models as m
from tracker.services.transitions import NEXT
from tracker.tally import tally_as_of

pytestmark = pytest.mark.anyio
START = at("2023-02-01T00:00")
SENDERS = [("country", "PS"), ("country", "KG"), ("country", "DE"), ("org", "osce-odihr"), ("org", "cis-ipa")]


@dataclass(frozen=True)
class History:
    sender: int
    nationality: str
    is_test: bool
    events: tuple[tuple[m.Status, dt.datetime], ...]


@st.composite
def histories(draw: st.DrawFn) -> History:
    """A legal path through the workflow, at non-decreasing instants (ties included)."""
    events: list[tuple[m.Status, dt.datetime]] = []
    status: m.Status | None = None
    instant = START + dt.timedelta(hours=draw(st.integers(0, 200)))
    for _ in range(draw(st.integers(0, 3))):
        choices = sorted(NEXT[status])
        if not choices:
            break
        status = draw(st.sampled_from(choices))
        instant += dt.timedelta(hours=draw(st.integers(0, 48)))
        events.append((status, instant))
    return History(
        sender=draw(st.integers(0, len(SENDERS) - 1)),
        nationality=draw(st.sampled_from(["DE", "PL", "KZ", "RU"])),
        is_test=draw(st.booleans()),
        events=tuple(events),
    )


def replay(stories: list[History], as_of: dt.datetime) -> tuple[int, int, int, int]:
    """The counting rules, written the obvious way."""
    observers = nominated = 0
    countries: set[str] = set()
    organizations: set[str] = set()
    for story in stories:
        if story.is_test:
            continue
        status = None
        for event_status, effective_at in story.events:
            if effective_at <= as_of:
                status = event_status
        kind, code = SENDERS[story.sender]
        if status is m.Status.ACCREDITED:
            observers += 1
            (countries if kind == "country" else organizations).add(code)
        elif status is m.Status.NOMINATED:
            nominated += 1
    return observers, len(countries), len(organizations), nominated


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stories=st.lists(histories(), max_size=12),
    instants=st.lists(st.integers(0, 400), min_size=1, max_size=4),
)
async def test_the_tally_equals_a_replay_of_the_events(
    session: AsyncSession, stories: list[History], instants: list[int]
) -> None:
    election = await make_election(session)
    missions = []
    for kind, code in SENDERS:
        if kind == "country":
            missions.append(await make_mission(session, election, country=code))
        else:
            missions.append(await make_mission(session, election, organization_slug=code))
    for story in stories:
        await make_accreditation(
            session, missions[story.sender], story.events, nationality=story.nationality, is_test=story.is_test
        )

    for hours in instants:
        as_of = START + dt.timedelta(hours=hours)
        tally = await tally_as_of(session, election, as_of)
        assert (tally.observers, tally.countries, tally.organizations, tally.nominated) == replay(stories, as_of)
