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
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from seed.names import NameBook
from seed.roster import ACTOR, DemoRoster, load_roster, record_missing_history
from tracker import models as m
from tracker.instants import read_as_of
from tracker.services.audit import Actor
from tracker.services.bulletins import BulletinData, BulletinService
from tracker.settings import Settings, get_settings

SEED_DIR = Path(__file__).resolve().parent
SEED_ACTOR = Actor(ACTOR, m.UserRole.ADMIN)
DEMO_ELECTIONS = ("majilis-2023",)
PUBLISHED_AFTER = dt.timedelta(minutes=7)


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
    report.count("accreditations", await load_roster(session, election, missions, roster))
    await record_missing_history(session, election)
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
    zones = {e.slug: e.zone for e in await session.scalars(select(m.Election))}
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
        # Published a few minutes after its instant, as the press office would have: every event it counts was
        # recorded by then (seed/roster.py), so the tally known at its publication gives its figures.
        published = read_as_of(row["bulletin_as_of"], zones[row["election"]]) + PUBLISHED_AFTER
        published_at = published.replace(second=0, microsecond=0)
        await bulletins.create(data, SEED_ACTOR, published_at=published_at)
        report.count("bulletins")


async def load_all(session: AsyncSession, settings: Settings | None = None) -> SeedReport:
    """Reference data (countries, organizations), then each demo election with its news and bulletins, then the
    fictional election open around today (made once)."""
    from seed.fictional import load_fictional  # it imports this module

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
