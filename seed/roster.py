"""The demo's people: an election's plan (batches of nominations and their fates) expanded into made-up people,
and the 2023 roster written with its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from seed.names import NameBook
from tracker import models as m
from tracker.cleaning import search_key
from tracker.services.transitions import check_transition
from tracker.summaries_rebuild import rebuild

ACTOR = "seed"


@dataclass(frozen=True)
class DemoPerson:
    seq: int
    batch: dict[str, Any]
    role: m.Role
    nationality: str


class DemoRoster:
    """The election's plan expanded into people, in a fixed order."""

    def __init__(self, spec: dict[str, Any], zone: ZoneInfo, names: NameBook) -> None:
        self.spec = spec
        self.zone = zone
        self.names = names
        self.missions = {mission["slug"]: mission for mission in spec["missions"]}

    def instant(self, text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text).replace(tzinfo=self.zone)

    def people(self) -> list[DemoPerson]:
        people: list[DemoPerson] = []
        per_mission: dict[str, int] = {}
        for batch in self.spec["batches"]:
            mission = self.missions[batch["mission"]]
            roles = batch["roles"]
            for i in range(batch["count"]):
                k = per_mission.get(batch["mission"], 0)
                per_mission[batch["mission"]] = k + 1
                role = roles[0] if i == 0 or len(roles) == 1 else roles[1 + (i - 1) % (len(roles) - 1)]
                pool = self.spec["nationalities"].get(batch["mission"])
                nationality = mission.get("country") or pool[k % len(pool)]
                people.append(DemoPerson(len(people) + 1, batch, m.Role(role), nationality))
        return people

    def badges(self, people: list[DemoPerson]) -> dict[int, str]:
        """Badge numbers in the order the accreditations were granted."""
        accredited = sorted((self.instant(p.batch["accredited"]), p.seq) for p in people if "accredited" in p.batch)
        prefix = self.spec["badge_prefix"]
        return {seq: f"{prefix}-{n:05d}" for n, (_, seq) in enumerate(accredited, start=1)}

    def person(self, demo: DemoPerson) -> m.Person:
        female = demo.seq % 2 == 0
        original, latin = self.names.name(demo.nationality, female)
        return m.Person(
            name_original=original,
            name_latin=latin,
            search_name=search_key(original, latin),
            nationality_code=demo.nationality,
            birth_date=dt.date(1958 + demo.seq * 7 % 37, 1 + demo.seq % 12, 1 + demo.seq * 3 % 28),
            gender=m.Gender.FEMALE if female else m.Gender.MALE,
            document_number=f"DEMO{demo.seq:06d}",
            document_country_code=demo.nationality,
            email=f"observer{demo.seq:04d}@example.org",
        )


async def load_roster(
    session: AsyncSession,
    election: m.Election,
    missions: dict[str, m.Mission],
    roster: DemoRoster,
) -> int:
    """The people not loaded yet, their accreditations and their histories, each kind written in one go (the
    demo database is made for every test run, and a flush per row cost a second); how many were added."""
    people = roster.people()
    badges = roster.badges(people)
    seeded = dict(
        (
            await session.execute(
                select(m.Person.document_number, m.Accreditation)
                .join(m.Accreditation, m.Accreditation.person_id == m.Person.id)
                .where(m.Accreditation.election_id == election.id, m.Person.document_number.like("DEMO%"))
            )
        ).all()
    )
    # Every person is named, loaded or not: the name book hands out names in this order.
    named = [(demo, roster.person(demo)) for demo in people]
    new = [(demo, person) for demo, person in named if person.document_number not in seeded]
    session.add_all(person for _, person in new)
    await session.flush()
    made = {
        demo.seq: _accreditation(election, missions[demo.batch["mission"]], person, demo, badges)
        for demo, person in new
    }
    session.add_all(made.values())
    await session.flush()
    by_batch: dict[str, list[m.Accreditation]] = {}
    for demo, person in named:
        accreditation = made.get(demo.seq) or seeded[person.document_number]
        replaced = by_batch.get(demo.batch.get("replaces", ""), [])
        position = len(by_batch.get(demo.batch["id"], []))
        if demo.seq in made and position < len(replaced):
            accreditation.replaces_id = replaced[position].id
        by_batch.setdefault(demo.batch["id"], []).append(accreditation)
    events = [event for demo, _ in new for event in _history(made[demo.seq], demo.batch, roster)]
    if events:
        await session.execute(insert(m.StatusEvent), events)
        # Written in bulk, not through record_status: the tally's summaries are made from them as a whole.
        await rebuild(session, election.id)
    await session.flush()
    return len(new)


def _accreditation(
    election: m.Election, mission: m.Mission, person: m.Person, demo: DemoPerson, badges: dict[int, str]
) -> m.Accreditation:
    return m.Accreditation(
        election_id=election.id,
        mission_id=mission.id,
        person_id=person.id,
        role=demo.role,
        badge_number=badges.get(demo.seq),
        decision_ref=demo.batch.get("decision"),
        is_test=bool(demo.batch.get("test")),
    )


def _history(accreditation: m.Accreditation, batch: dict[str, Any], roster: DemoRoster) -> list[dict[str, Any]]:
    """The accreditation's status events as record_status would write them one by one: each step one the
    workflow allows, at or after the one before, whose period it closes."""
    steps = [m.Status.NOMINATED] + [
        status
        for status in (m.Status.ACCREDITED, m.Status.REJECTED, m.Status.WITHDRAWN, m.Status.REVOKED)
        if status.value in batch
    ]
    events: list[dict[str, Any]] = []
    for status in steps:
        check_transition(events[-1]["status"] if events else None, status)
        effective_at = roster.instant(batch[status.value])
        if events:
            if effective_at < events[-1]["effective_at"]:
                raise ValueError(f"seed: batch {batch['id']} is {status} before the step before it")
            events[-1]["valid_until"] = events[-1]["superseded_at"] = effective_at
        ends = status in (m.Status.REJECTED, m.Status.WITHDRAWN, m.Status.REVOKED)
        events.append(
            {
                "accreditation_id": accreditation.id,
                "election_id": accreditation.election_id,
                "mission_id": accreditation.mission_id,
                "status": status,
                "effective_at": effective_at,
                "valid_until": None,
                "superseded_at": None,
                "actor": ACTOR,
                "reason": batch.get("reason") if ends else None,
                "decision_ref": batch.get("decision") if status is not m.Status.WITHDRAWN else None,
                # Recorded as it happened: a tally known at any moment of 2023 gives what was published then.
                "recorded_at": effective_at,
            }
        )
    return events


async def _first_moment(session: AsyncSession, election: m.Election) -> dt.datetime:
    """The election's first recorded moment: its window's opening, or an earlier nomination."""
    first = await session.scalar(
        select(func.min(m.StatusEvent.effective_at)).where(m.StatusEvent.election_id == election.id)
    )
    return min(election.window_opens_at, first) if first else election.window_opens_at


async def record_missing_history(session: AsyncSession, election: m.Election) -> None:
    """The 2023 missions' senders and test flags, written with the roster rather than through the services:
    each sender recorded before the election's first event, each test flag when its accreditation was nominated,
    so a tally known at any moment of 2023 counts what was counted then. Only what is missing: a second run adds
    nothing."""
    since = await _first_moment(session, election)
    record, flag, event = m.SenderRecord, m.IsTestRecord, m.StatusEvent
    missions = await session.scalars(
        select(m.Mission).where(
            m.Mission.election_id == election.id, ~exists().where(record.mission_id == m.Mission.id)
        )
    )
    senders = [
        {
            "mission_id": mission.id,
            "election_id": election.id,
            "sender_kind": mission.sender_kind,
            "country_code": mission.country_code,
            "organization_id": mission.organization_id,
            "recorded_at": since,
            "actor": ACTOR,
            "actor_role": m.UserRole.ADMIN.value,
        }
        for mission in missions
    ]
    if senders:
        await session.execute(insert(record), senders)
    tests = await session.execute(
        select(m.Accreditation.id, func.min(event.effective_at))
        .join(event, event.accreditation_id == m.Accreditation.id)
        .where(
            m.Accreditation.election_id == election.id,
            m.Accreditation.is_test,
            ~exists().where(flag.accreditation_id == m.Accreditation.id),
        )
        .group_by(m.Accreditation.id)
    )
    flags = [
        {
            "accreditation_id": accreditation_id,
            "election_id": election.id,
            "is_test": True,
            "recorded_at": nominated,
            "actor": ACTOR,
            "actor_role": m.UserRole.ADMIN.value,
        }
        for accreditation_id, nominated in tests
    ]
    if flags:
        await session.execute(insert(flag), flags)


async def date_history_back(session: AsyncSession, election: m.Election) -> None:
    """The fictional election, made through the services a moment ago, recorded at the moments its story tells
    instead: each status event when it took effect, each mission's sender before the first event, each test flag
    when its accreditation was nominated. Only ever earlier, so nothing is recorded in the future."""
    since = await _first_moment(session, election)
    event, record, flag = m.StatusEvent, m.SenderRecord, m.IsTestRecord
    unsynchronized = {"synchronize_session": False}
    await session.execute(
        update(event)
        .where(event.election_id == election.id, event.effective_at < event.recorded_at)
        .values(recorded_at=event.effective_at)
        .execution_options(**unsynchronized)
    )
    await session.execute(
        update(record)
        .where(record.election_id == election.id, record.recorded_at > since)
        .values(recorded_at=since)
        .execution_options(**unsynchronized)
    )
    nominated = (
        select(func.min(event.effective_at)).where(event.accreditation_id == flag.accreditation_id).scalar_subquery()
    )
    await session.execute(
        update(flag)
        .where(flag.election_id == election.id)
        .values(recorded_at=nominated)
        .execution_options(**unsynchronized)
    )
