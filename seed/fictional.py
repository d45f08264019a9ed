"""The fictional demo election (`demo-fictional.json`): open for accreditation around the day the seed first runs.

Unlike the 2023 record, whose history is written as it was published, this one is made the way staff would make
it, through the services: nominations, decisions over lists, a withdrawal and a revocation, a draft bulletin. So
every rule applies to it (the window, the checks of a name, badge numbers from the election's counter), and what
a newcomer sees is what the tracker does. Made once: a later run, on a later day, leaves it as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from seed.loader import SEED_ACTOR, SeedReport
from seed.names import NameBook
from seed.roster import DemoPerson, DemoRoster, date_history_back
from tracker import models as m
from tracker.instants import utc_now
from tracker.services.accreditations import AccreditationService, NominationData, TransitionData
from tracker.services.bulletins import BulletinData, BulletinService
from tracker.services.decisions import DecisionData, DecisionService
from tracker.services.elections import ElectionData, ElectionService
from tracker.services.missions import MissionData, MissionService
from tracker.services.persons import PersonData
from tracker.settings import Settings

SPEC = Path(__file__).resolve().parent / "demo-fictional.json"
SLUG = "demo-fictional"
ENDS = (m.Status.WITHDRAWN, m.Status.REVOKED)


class Days:
    """'-9 10:00': nine days before `today` at 10:00 in the election's zone."""

    def __init__(self, today: dt.date, zone: ZoneInfo) -> None:
        self.today, self.zone = today, zone

    def __call__(self, text: str) -> dt.datetime:
        days, clock = text.split()
        day = self.today + dt.timedelta(days=int(days))
        return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=self.zone)


async def load_fictional(session: AsyncSession, report: SeedReport, names: NameBook, settings: Settings) -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    row = spec["election"]
    if await session.scalar(select(m.Election.id).where(m.Election.slug == row["slug"])) is not None:
        return
    if session.bind.dialect.name == "postgresql":
        # The tables were filled a moment ago in this transaction, which no autovacuum sees: without statistics
        # PostgreSQL planned each nomination's checks badly (70 ms each, two seconds in all, in every test run).
        await session.execute(text("ANALYZE person, accreditation, status_event, mission"))
    zone = ZoneInfo(row["time_zone"])
    at = Days(utc_now().astimezone(zone).date(), zone)
    election = await ElectionService(session=session).create_election(
        ElectionData(
            **{key: row[key] for key in ("slug", "name_en", "name_ru", "name_kk", "time_zone")},
            voting_day=at.today + dt.timedelta(days=row["voting_day"]),
            window_opens_at=at(row["window_opens_at"]),
            window_closes_at=at(row["window_closes_at"]),
            badge_prefix=spec["badge_prefix"],
        ),
        SEED_ACTOR,
    )
    report.count("elections")
    missions = MissionService(session=session)
    for mission in spec["missions"]:
        sender = f"country:{mission['country']}" if "country" in mission else f"organization:{mission['organization']}"
        data = MissionData(
            slug=mission["slug"],
            name=mission["name"],
            name_ru=mission.get("name_ru"),
            name_kk=mission.get("name_kk"),
            sender=sender,
            expected_size=mission.get("expected_size"),
            language=mission.get("language", "en"),
        )
        await missions.create_mission(election, data, SEED_ACTOR)
        report.count("missions")
    await _accredit(session, election, DemoRoster(spec, zone, names), at, settings, report)
    await date_history_back(session, election)
    as_of = at(spec["draft_bulletin_as_of"]).isoformat()
    await BulletinService(session, settings).create(BulletinData(election=SLUG, as_of=as_of), SEED_ACTOR)
    report.count("bulletins")


async def _accredit(
    session: AsyncSession,
    election: m.Election,
    roster: DemoRoster,
    at: Days,
    settings: Settings,
    report: SeedReport,
) -> None:
    """Every step of every person's history, in the order of time: nominations one by one, decisions over all
    the batches that share one, then the withdrawals and revocations."""
    steps: list[tuple[dt.datetime, int, Any]] = []
    decided: dict[tuple[str, str, dt.datetime], list[DemoPerson]] = defaultdict(list)
    for demo in roster.people():
        batch = demo.batch
        steps.append((at(batch["nominated"]), 0, demo))
        for outcome in ("accredited", "rejected"):
            if outcome in batch:
                decided[batch["decision"], outcome, at(batch[outcome])].append(demo)
        steps.extend((at(batch[end.value]), 2, (demo, end)) for end in ENDS if end.value in batch)
    steps.extend((key[2], 1, (key, people)) for key, people in decided.items())
    accreditations = AccreditationService(session=session)
    decisions = DecisionService(session, settings)
    ids: dict[int, int] = {}
    for when, kind, step in sorted(steps, key=lambda step: (step[0], step[1])):
        if kind == 0:
            detail = await accreditations.nominate(election, _nomination(roster, step, when), SEED_ACTOR)
            ids[step.seq] = detail.accreditation.id
            report.count("accreditations")
        elif kind == 1:
            (reference, outcome, _), people = step
            data = DecisionData(
                accreditation_ids=[ids[demo.seq] for demo in people],
                reference=reference,
                decided_on=when.date(),
                outcome=outcome,
                effective_at=when,
                reason=people[0].batch.get("reason") if outcome == "rejected" else None,
            )
            await decisions.decide(election, data, SEED_ACTOR)
        else:
            demo, status = step
            accreditation = await accreditations.by_id(ids[demo.seq])
            change = TransitionData(
                status=status, version=accreditation.version, effective_at=when, reason=demo.batch["reason"]
            )
            await accreditations.transition(accreditation.id, change, SEED_ACTOR)


def _nomination(roster: DemoRoster, demo: DemoPerson, when: dt.datetime) -> NominationData:
    person = roster.person(demo)
    return NominationData(
        mission=demo.batch["mission"],
        role=demo.role,
        effective_at=when,
        person=PersonData(
            name_original=person.name_original,
            name_latin=person.name_latin,
            nationality=demo.nationality,
            birth_date=person.birth_date,
            gender=person.gender,
            # Like the 2023 roster's, clearly not real; a letter apart, so no number is both elections'.
            document_number=f"DEMOF{demo.seq:05d}",
            document_country=demo.nationality,
            email=f"fictional{demo.seq:03d}@example.org",
        ),
    )
