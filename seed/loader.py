"""Loads the reference data, the 2023 Majilis demo and a fictional election open around today (seed/fictional.py).
Idempotent: what exists is left alone.

Every person in the demo roster is made up (names from `names.json`, document numbers starting
with DEMO, addresses at example.org); the roster's timing reproduces the published tallies.
"""

from __future__ import annotations

import datetime as dt
import gettext
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pycountry
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from seed.names import NameBook
from tracker import models as m
from tracker.cleaning import search_key
from tracker.instants import utc_now
from tracker.services.audit import Actor
from tracker.services.bulletins import BulletinData, BulletinService
from tracker.services.transitions import check_transition
from tracker.settings import Settings, get_settings

SEED_DIR = Path(__file__).resolve().parent
ACTOR = "seed"
SEED_ACTOR = Actor(ACTOR, m.UserRole.ADMIN)
DEMO_ELECTIONS = ("majilis-2023",)


@dataclass
class SeedReport:
    """How many rows each step added; all zeros on a second run."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.added[what] = self.added.get(what, 0) + n

    def __str__(self) -> str:
        if not any(self.added.values()):
            return "nothing to add: the reference and demo data are already loaded"
        return "added " + ", ".join(f"{what}: {n}" for what, n in self.added.items() if n)


def _read(name: str) -> Any:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def country_rows() -> Iterator[dict[str, str]]:
    """ISO 3166-1 from pycountry, with its Russian and Kazakh translations."""
    translations = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in ("ru", "kk")
    }

    def translated(lang: str, country: Any) -> str:
        common = getattr(country, "common_name", None)
        if common and (name := translations[lang].gettext(common)) != common:
            return name
        return translations[lang].gettext(country.name)

    for country in pycountry.countries:
        yield {
            "code": country.alpha_2,
            "alpha_3": country.alpha_3,
            "name_en": getattr(country, "common_name", None) or country.name,
            "name_ru": translated("ru", country),
            "name_kk": translated("kk", country),
        }


def display_names() -> dict[str, dict[str, str]]:
    """The commission's own names for countries where they differ from the source's (`country_names.json`):
    code -> {"name_ru": "Кыргызстан", ...}."""
    return {code: names for code, names in _read("country_names.json").items() if not code.startswith("_")}


async def load_countries(session: AsyncSession, report: SeedReport) -> None:
    """Countries from the source, shown by the commission's names: new ones with them, existing ones where a
    name still reads as the source wrote it (a database seeded before the names existed; a name an admin
    changed is left as it is)."""
    existing = {country.code: country for country in await session.scalars(select(m.Country))}
    shown = display_names()
    new = []
    for row in country_rows():
        names = shown.get(row["code"], {})
        country = existing.get(row["code"])
        if country is None:
            new.append(m.Country(**(row | names)))
            continue
        for column, name in names.items():
            if getattr(country, column) == row[column] != name:
                setattr(country, column, name)
                report.count("country names")
    session.add_all(new)
    report.count("countries", len(new))


async def load_organizations(session: AsyncSession, report: SeedReport) -> None:
    existing = set(await session.scalars(select(m.Organization.slug)))
    for row in _read("organizations.json"):
        if row["slug"] not in existing:
            session.add(m.Organization(**{**row, "kind": m.OrganizationKind(row["kind"])}))
            report.count("organizations")
    await session.flush()


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


async def load_election(session: AsyncSession, slug: str, report: SeedReport, names: NameBook) -> m.Election:
    spec = _read(f"{slug}.json")
    election = await session.scalar(select(m.Election).where(m.Election.slug == slug))
    if election is None:
        row = spec["election"]
        zone = ZoneInfo(row["time_zone"])
        election = m.Election(
            **{key: row[key] for key in ("slug", "name_en", "name_ru", "name_kk", "time_zone")},
            voting_day=dt.date.fromisoformat(row["voting_day"]),
            window_opens_at=dt.datetime.fromisoformat(row["window_opens_at"]).astimezone(zone),
            window_closes_at=dt.datetime.fromisoformat(row["window_closes_at"]).astimezone(zone),
        )
        session.add(election)
        await session.flush()
        report.count("elections")

    missions = await _load_missions(session, election, spec["missions"], report)
    roster = DemoRoster(spec, election.zone, names)
    await _load_roster(session, election, missions, roster, report)
    if await session.scalar(select(m.BadgeCounter).where(m.BadgeCounter.election_id == election.id)) is None:
        issued = len(roster.badges(roster.people()))
        session.add(m.BadgeCounter(election_id=election.id, prefix=spec["badge_prefix"], issued=issued))
    return election


async def _load_missions(
    session: AsyncSession, election: m.Election, rows: list[dict[str, Any]], report: SeedReport
) -> dict[str, m.Mission]:
    existing = {
        mission.slug: mission
        for mission in await session.scalars(select(m.Mission).where(m.Mission.election_id == election.id))
    }
    organizations = {o.slug: o for o in await session.scalars(select(m.Organization))}
    translated = _read("mission_names.json").get(election.slug, {})
    for row in rows:
        if row["slug"] in existing:
            continue
        organization = organizations.get(row.get("organization", ""))
        if organization is None:
            kind = m.SenderKind.FOREIGN_STATE
        elif organization.kind is m.OrganizationKind.INTERNATIONAL:
            kind = m.SenderKind.INTERNATIONAL_ORGANIZATION
        else:
            kind = m.SenderKind.DOMESTIC_ORGANIZATION
        mission = m.Mission(
            election_id=election.id,
            slug=row["slug"],
            sender_kind=kind,
            country_code=row.get("country"),
            organization_id=organization.id if organization else None,
            name=row["name"],
            name_ru=translated.get(row["slug"], {}).get("ru"),
            name_kk=translated.get(row["slug"], {}).get("kk"),
            expected_size=row.get("expected_size"),
            nomination_note_ref=row.get("nomination_note_ref"),
            language=row.get("language", "en"),
        )
        session.add(mission)
        existing[row["slug"]] = mission
        report.count("missions")
    await session.flush()
    return existing


async def _load_roster(
    session: AsyncSession,
    election: m.Election,
    missions: dict[str, m.Mission],
    roster: DemoRoster,
    report: SeedReport,
) -> None:
    """The people not loaded yet, their accreditations and their histories, each kind written in one go: the
    demo database is made for every test run, and a flush per row cost a second."""
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
    await session.flush()
    report.count("accreditations", len(new))


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
    recorded_at = utc_now()
    events: list[dict[str, Any]] = []
    for status in steps:
        check_transition(events[-1]["status"] if events else None, status)
        effective_at = roster.instant(batch[status.value])
        if events:
            if effective_at < events[-1]["effective_at"]:
                raise ValueError(f"seed: batch {batch['id']} is {status} before the step before it")
            events[-1]["valid_until"] = effective_at
        ends = status in (m.Status.REJECTED, m.Status.WITHDRAWN, m.Status.REVOKED)
        events.append(
            {
                "accreditation_id": accreditation.id,
                "election_id": accreditation.election_id,
                "mission_id": accreditation.mission_id,
                "status": status,
                "effective_at": effective_at,
                "valid_until": None,
                "actor": ACTOR,
                "reason": batch.get("reason") if ends else None,
                "decision_ref": batch.get("decision") if status is not m.Status.WITHDRAWN else None,
                "recorded_at": recorded_at,
            }
        )
    return events


async def load_news(session: AsyncSession, report: SeedReport) -> None:
    elections = {e.slug: e for e in await session.scalars(select(m.Election))}
    for row in _read("news.json")["items"]:
        election = elections[row["election"]]
        published_at = dt.datetime.fromisoformat(row["published_at"])
        exists = await session.scalar(
            select(m.NewsItem.id).where(
                m.NewsItem.source == row["source"],
                m.NewsItem.published_at == published_at,
                m.NewsItem.title == row["title"],
            )
        )
        if exists:
            continue
        missions = list(
            await session.scalars(
                select(m.Mission).where(m.Mission.election_id == election.id, m.Mission.slug.in_(row["missions"]))
            )
        )
        item = m.NewsItem(
            election_id=election.id,
            title=row["title"],
            source=row["source"],
            url=row.get("url"),
            language=row["language"],
            published_at=published_at,
            text=row["text"],
        )
        session.add(item)
        await session.flush()
        for mission in missions:
            await session.execute(m.mission_news.insert().values(mission_id=mission.id, news_item_id=item.id))
        report.count("news items")


async def load_bulletins(session: AsyncSession, report: SeedReport, settings: Settings) -> None:
    """A published bulletin of the figures each news item quoted, linked to it: what the press office
    would have issued had the tracker existed in 2023."""
    bulletins = BulletinService(session, settings)
    for row in _read("news.json")["items"]:
        item = await session.scalar(
            select(m.NewsItem).where(
                m.NewsItem.source == row["source"],
                m.NewsItem.published_at == dt.datetime.fromisoformat(row["published_at"]),
                m.NewsItem.title == row["title"],
            )
        )
        assert item is not None  # load_news made it
        quoted = await session.scalar(
            select(m.bulletin_news.c.bulletin_id).where(m.bulletin_news.c.news_item_id == item.id)
        )
        if quoted is not None:
            continue
        data = BulletinData(
            election=row["election"], as_of=row["bulletin_as_of"], news_item_ids=[item.id], publish=True
        )
        await bulletins.create(data, SEED_ACTOR)
        report.count("bulletins")


async def load_all(session: AsyncSession, settings: Settings | None = None) -> SeedReport:
    """Reference data (countries, organizations), then each demo election with its news and bulletins, then the
    fictional election open around today (made once)."""
    from seed.fictional import load_fictional  # it builds on this module's roster

    settings = settings or get_settings()
    report = SeedReport()
    names = NameBook()
    await load_countries(session, report)
    await load_organizations(session, report)
    for slug in DEMO_ELECTIONS:
        await load_election(session, slug, report, names)
    await load_news(session, report)
    await load_bulletins(session, report, settings)
    await load_fictional(session, report, names, settings)
    if any(report.added.values()):
        # Like every write, in the trail: it also tells the public site's caches that the data changed.
        session.add(
            m.AuditEntry(
                at=dt.datetime.now(dt.UTC), actor=ACTOR, action="seed", entity="seed", entity_id="-", note=str(report)
            )
        )
    return report
