"""Property: for random histories of status events, the engine's tally equals a plain replay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import at, make_accreditation, make_election, make_mission
from tests.summaries import both_reads_agree
from tracker import models as m
from tracker.services.audit import SYSTEM
from tracker.services.corrections import mark_test_data
from tracker.services.history import record_sender
from tracker.services.missions import MissionData, MissionService
from tracker.services.persons import PersonData, PersonService
from tracker.services.transitions import NEXT, record_status
from tracker.summaries_rebuild import differences
from tracker.tally import tally_as_of
from tracker.timeline import timeline

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


async def one_mission_per_sender(session: AsyncSession, election: m.Election) -> list[m.Mission]:
    """Mission i sent by SENDERS[i]."""
    return [
        await make_mission(session, election, country=code)
        if kind == "country"
        else await make_mission(session, election, organization_slug=code)
        for kind, code in SENDERS
    ]


def count(outcomes: list[tuple[m.Status | None, int]]) -> tuple[int, int, int, int]:
    """Observers, countries, organizations and nominations from each counted record's (status, sender)."""
    observers = nominated = 0
    countries: set[str] = set()
    organizations: set[str] = set()
    for status, sender in outcomes:
        kind, code = SENDERS[sender]
        if status is m.Status.ACCREDITED:
            observers += 1
            (countries if kind == "country" else organizations).add(code)
        elif status is m.Status.NOMINATED:
            nominated += 1
    return observers, len(countries), len(organizations), nominated


def replay(stories: list[History], as_of: dt.datetime) -> tuple[int, int, int, int]:
    """The counting rules, written the obvious way."""
    outcomes = []
    for story in stories:
        if not story.is_test:
            statuses = [status for status, effective_at in story.events if effective_at <= as_of]
            outcomes.append((statuses[-1] if statuses else None, story.sender))
    return count(outcomes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stories=st.lists(histories(), max_size=12),
    instants=st.lists(st.integers(0, 400), min_size=1, max_size=4),
)
async def test_the_tally_equals_a_replay_of_the_events(
    session: AsyncSession, stories: list[History], instants: list[int]
) -> None:
    election = await make_election(session)
    missions = await one_mission_per_sender(session, election)
    for story in stories:
        await make_accreditation(
            session, missions[story.sender], story.events, nationality=story.nationality, is_test=story.is_test
        )

    # Whole hours, and two minutes after some events: inside the slot of five minutes that holds them, where the
    # summaries end and the events of the slot are read.
    after_events = sorted({effective_at for story in stories for _, effective_at in story.events})[:3]
    moments = [START + dt.timedelta(hours=hours) for hours in instants]
    for as_of in moments + [moment + dt.timedelta(minutes=2) for moment in after_events]:
        tally = await tally_as_of(session, election, as_of)
        assert (tally.observers, tally.countries, tally.organizations, tally.nominated) == replay(stories, as_of)
        await both_reads_agree(session, election.id, as_of)
        # The timeline to that instant: each day's end, and the instant itself last.
        points = await timeline(session, election, as_of)
        assert points[-1].at == as_of
        assert [(p.observers, p.countries, p.organizations) for p in points] == [
            replay(stories, p.at)[:3] for p in points
        ]


# --- as known at a moment ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A history whose facts were each recorded at a moment: events often well after they took effect."""

    mission: int
    flags: tuple[tuple[dt.datetime, bool], ...]  # (recorded at, is test)
    events: tuple[tuple[m.Status, dt.datetime, dt.datetime], ...]  # (status, effective at, recorded at)


def hours(n: int) -> dt.datetime:
    return START + dt.timedelta(hours=n)


@st.composite
def recorded_histories(draw: st.DrawFn) -> Recorded:
    """A legal path at non-decreasing effective instants, each event recorded no earlier than the one before it
    and no earlier than it took effect (a back-dated event is one recorded long after), and test flags set and
    cleared at random moments."""
    events: list[tuple[m.Status, dt.datetime, dt.datetime]] = []
    status: m.Status | None = None
    effective = recorded = hours(draw(st.integers(0, 200)))
    for _ in range(draw(st.integers(0, 3))):
        choices = sorted(NEXT[status])
        if not choices:
            break
        status = draw(st.sampled_from(choices))
        effective += dt.timedelta(hours=draw(st.integers(0, 48)))
        recorded = max(recorded, effective) + dt.timedelta(hours=draw(st.sampled_from([0, 0, 1, 30, 200])))
        events.append((status, effective, recorded))
    flags = tuple(
        sorted((hours(draw(st.integers(0, 500))), draw(st.booleans())) for _ in range(draw(st.integers(0, 2))))
    )
    return Recorded(mission=draw(st.integers(0, len(SENDERS) - 1)), flags=flags, events=tuple(events))


def replay_known(
    stories: list[Recorded], corrections: list[tuple[int, int, dt.datetime]], as_of: dt.datetime, known_at: dt.datetime
) -> tuple[int, int, int, int]:
    """The counting rules over only what was recorded by `known_at`, written the obvious way."""
    senders = list(range(len(SENDERS)))  # mission i starts with sender i
    for mission, sender, recorded_at in sorted(corrections, key=lambda c: c[2]):
        if recorded_at <= known_at:
            senders[mission] = sender
    outcomes = []
    for story in stories:
        if [is_test for recorded_at, is_test in story.flags if recorded_at <= known_at][-1:] == [True]:
            continue
        known = [
            status
            for status, effective_at, recorded_at in story.events
            if effective_at <= as_of and recorded_at <= known_at
        ]
        outcomes.append((known[-1] if known else None, senders[story.mission]))
    return count(outcomes)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stories=st.lists(recorded_histories(), min_size=1, max_size=10),
    corrections=st.lists(
        st.tuples(st.integers(0, len(SENDERS) - 1), st.integers(0, len(SENDERS) - 1), st.integers(0, 600)),
        min_size=1,
        max_size=3,
    ),
    moments=st.lists(st.tuples(st.integers(0, 500), st.integers(0, 700)), min_size=1, max_size=4),
)
async def test_the_tally_known_at_a_moment_equals_a_replay_of_what_was_recorded_by_then(
    session: AsyncSession,
    stories: list[Recorded],
    corrections: list[tuple[int, int, int]],
    moments: list[tuple[int, int]],
) -> None:
    election = await make_election(session)
    missions = await one_mission_per_sender(session, election)
    initial = [(mission.sender_kind, mission.country_code, mission.organization_id) for mission in missions]
    # Senders corrected at their moments; the mission's own columns end with the latest, as the service leaves them.
    timed = [(mission, sender, hours(n)) for mission, sender, n in corrections]
    for mission_index, sender, recorded_at in sorted(timed, key=lambda c: c[2]):
        mission = missions[mission_index]
        mission.sender_kind, mission.country_code, mission.organization_id = initial[sender]
        await session.flush()
        await record_sender(session, mission, SYSTEM, at=recorded_at)
    for story in stories:
        accreditation = await make_accreditation(session, missions[story.mission], [])
        for status, effective_at, recorded_at in story.events:
            await record_status(
                session, accreditation, status, effective_at=effective_at, actor="test", recorded_at=recorded_at
            )
        for recorded_at, is_test in story.flags:
            await mark_test_data(session, accreditation, is_test, SYSTEM, at=recorded_at)
        await session.flush()

    for as_of_hours, known_hours in moments:
        as_of, known_at = hours(as_of_hours), hours(known_hours)
        tally = await tally_as_of(session, election, as_of, known_at=known_at)
        figures = (tally.observers, tally.countries, tally.organizations, tally.nominated)
        assert figures == replay_known(stories, timed, as_of, known_at)
        # Known now, the figures are today's.
        today = await tally_as_of(session, election, as_of)
        latest = await tally_as_of(session, election, as_of, known_at=hours(10_000))
        assert (today.observers, today.countries, today.organizations, today.nominated) == (
            latest.observers,
            latest.countries,
            latest.organizations,
            latest.nominated,
        )


# --- corrections through the services, read from the summaries -------------------------------------------------------

# Where in its hour an instant falls: its first microsecond, the next, the middle, its last microsecond.
EDGES = [
    dt.timedelta(0),
    dt.timedelta(microseconds=1),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=1, microseconds=-1),
]
DOMESTIC = len(SENDERS)
"""The sender index of the domestic organization, after the international ones."""
NATIONALITIES = ["DE", "PL", "KZ"]


def instant(hour: int, edge: int) -> dt.datetime:
    return START + dt.timedelta(hours=hour) + EDGES[edge]


@dataclass(frozen=True)
class Story:
    mission: int
    nationality: str
    events: tuple[tuple[m.Status, dt.datetime], ...]
    first: int
    """How many of its events are written before any correction; the others as the writes say, or last."""


@st.composite
def stories(draw: st.DrawFn) -> Story:
    """A legal path through the workflow at non-decreasing instants, many of them on an hour's edges."""
    events: list[tuple[m.Status, dt.datetime]] = []
    status: m.Status | None = None
    hour = draw(st.integers(0, 30))
    # Accredited in most: shrinking keeps two events, nominated and accredited.
    for _ in range(draw(st.sampled_from([2, 3, 1]))):
        choices = sorted(NEXT[status])
        if not choices:
            break
        status = draw(st.sampled_from(choices))
        hour += draw(st.integers(0, 20))
        at_ = instant(hour, draw(st.integers(0, len(EDGES) - 1)))
        events.append((status, max(at_, events[-1][1]) if events else at_))
    mission, nationality = draw(st.integers(0, DOMESTIC)), draw(st.sampled_from(NATIONALITIES))
    # Most corrections correct what was written before them: shrinking writes every event first.
    return Story(mission, nationality, tuple(events), len(events) - draw(st.integers(0, len(events))))


@st.composite
def writes(draw: st.DrawFn) -> tuple[list[Story], list[tuple[str, int]]]:
    """Stories, and writes in any order after each story's first events: story i's next event, or a correction of
    its test flag, its person's nationality, or its mission's sender. Each correction changes something: the flag
    flips, the nationality is the next one, and the sender moves between international and domestic."""
    all_stories = draw(st.lists(stories(), min_size=1, max_size=8))
    step = st.tuples(st.sampled_from(["sender", "nationality", "flag", "event"]), st.integers(0, len(all_stories) - 1))
    return all_stories, draw(st.lists(step, min_size=1, max_size=10))


def figures(
    all_stories: list[Story], senders: list[int], flags: list[bool], nationalities: list[str], as_of: dt.datetime
) -> tuple[int, int, int, int, int, dict[str, int]]:
    """Observers, countries, organizations, nominations, domestic observers and international observers per
    nationality, by the counting rules over today's records, written the obvious way."""
    outcomes: list[tuple[m.Status | None, int]] = []
    domestic = 0
    by_nationality: dict[str, int] = {}
    for n, story in enumerate(all_stories):
        statuses = [status for status, effective_at in story.events if effective_at <= as_of]
        status, sender = (statuses[-1] if statuses else None), senders[story.mission]
        if flags[n]:
            continue
        if sender == DOMESTIC:
            domestic += status is m.Status.ACCREDITED
            continue
        outcomes.append((status, sender))
        if status is m.Status.ACCREDITED:
            by_nationality[nationalities[n]] = by_nationality.get(nationalities[n], 0) + 1
    return (*count(outcomes), domestic, by_nationality)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    written_in_order=writes(),
    instants=st.lists(st.tuples(st.integers(0, 100), st.integers(0, len(EDGES) - 1)), min_size=1, max_size=4),
)
async def test_summaries_after_corrections_through_the_services_give_the_replay(
    session: AsyncSession,
    written_in_order: tuple[list[Story], list[tuple[str, int]]],
    instants: list[tuple[int, int]],
) -> None:
    """Events written in any order (each one back-dated), test flags, nationalities and senders corrected through
    the services between them: the summaries are what the events make, and the tally read from them is the
    replay's, at instants on an hour's edges too."""
    all_stories, order = written_in_order
    election = await make_election(session)
    missions = [*await one_mission_per_sender(session, election), await make_mission(session, election, domestic=True)]
    sender_values = [f"country:{code}" if kind == "country" else f"organization:{code}" for kind, code in SENDERS]
    domestic = await session.get(m.Organization, missions[DOMESTIC].organization_id)
    assert domestic is not None
    sender_values.append(f"organization:{domestic.slug}")
    accreditations = [
        await make_accreditation(session, missions[story.mission], [], nationality=story.nationality)
        for story in all_stories
    ]
    senders, written = list(range(len(missions))), [0] * len(all_stories)
    flags, nationalities = [False] * len(all_stories), [story.nationality for story in all_stories]
    mission_service, people = MissionService(session=session), PersonService(session=session)

    async def next_event(n: int) -> None:
        if written[n] < len(all_stories[n].events):
            status, effective_at = all_stories[n].events[written[n]]
            await record_status(session, accreditations[n], status, effective_at=effective_at, actor="test")
            written[n] += 1

    for n, story in enumerate(all_stories):
        while written[n] < story.first:
            await next_event(n)
    for step, n in order:
        if step == "event":
            await next_event(n)
        elif step == "flag":
            flags[n] = not flags[n]
            await mark_test_data(session, accreditations[n], flags[n], SYSTEM, reason="corrected")
        elif step == "nationality":
            nationalities[n] = NATIONALITIES[(NATIONALITIES.index(nationalities[n]) + 1) % len(NATIONALITIES)]
            person = await people.by_id(accreditations[n].person_id)
            names = {"name_original": person.name_original, "name_latin": person.name_latin}
            await people.update_person(
                person.id, PersonData(**names, nationality=nationalities[n]), person.version, SYSTEM
            )
        else:
            k = all_stories[n].mission
            # International to domestic; domestic to the mission's own sender (the domestic mission's: the first).
            senders[k] = DOMESTIC if senders[k] != DOMESTIC else (k if k != DOMESTIC else 0)
            mission = await mission_service.by_slug(election, missions[k].slug)
            sender = sender_values[senders[k]]
            data = MissionData(slug=mission.slug, name=mission.name, sender=sender, correction_reason="misfiled")
            await mission_service.update_mission(mission, election, data, mission.version, SYSTEM)
    for n in range(len(all_stories)):
        while written[n] < len(all_stories[n].events):
            await next_event(n)
    await session.flush()

    assert await differences(session, election.id) == []
    for hour, edge in instants:
        as_of = instant(hour, edge)
        tally = await tally_as_of(session, election, as_of)
        shown = (
            tally.observers,
            tally.countries,
            tally.organizations,
            tally.nominated,
            tally.domestic_observers,
            {row.code: row.observers for row in tally.by_nationality},
        )
        assert shown == figures(all_stories, senders, flags, nationalities, as_of)
        await both_reads_agree(session, election.id, as_of)
