"""A mission's page for the staff: who sent it and who leads it, its counts against its expected size, the lists
it sent, the decisions about its people, its news, and one page of its accreditations in the order asked for.

Every part is one bounded query (the accreditations a page at a time), whatever the size of the mission."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.services.countries import CountryService
from tracker.tally import mission_decision_counts, mission_status_counts

PAGE_SIZE: Final = 50
SORTS: Final = ("name", "status", "role", "nationality")
"""The orders the list can be read in (the `sort` query parameter); anything else reads it by name."""
RECENT_IMPORTS: Final = 20
RECENT_DECISIONS: Final = 50


@dataclass(frozen=True, slots=True)
class Member:
    """One line of the mission's list."""

    accreditation: m.Accreditation
    person: m.Person
    nationality: m.Country
    status: m.Status
    status_since: dt.datetime


@dataclass(frozen=True, slots=True)
class MissionDecision:
    decision: m.Decision
    of_mission: int
    """How many of this mission's accreditations it decided."""


@dataclass(frozen=True, slots=True)
class MissionPage:
    mission: m.Mission
    """With its sender and news items loaded."""
    counts: dict[m.Status, int]
    """Accreditations by current status, test records included (the staff's working view)."""
    imports: list[m.ImportBatch]
    """The latest lists uploaded for it, newest first."""
    decisions: list[MissionDecision]
    """Newest first."""
    news: list[m.NewsItem]
    """Oldest first."""
    members: list[Member]
    sort: str
    page_number: int
    pages: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def sort_of(asked: str | None) -> str:
    """The list's order: one of SORTS, by name when the query asks for anything else."""
    return asked if asked in SORTS else "name"


async def mission_page(
    session: AsyncSession, mission: m.Mission, lang: str, sort: str = "name", page_number: int = 1
) -> MissionPage:
    """The page of `mission` (its sender and news loaded) in the interface language `lang`."""
    counts = (await mission_status_counts(session, mission.election_id, mission.id)).get(mission.id, {})
    pages = max(1, math.ceil(sum(counts.values()) / PAGE_SIZE))
    number = min(max(page_number, 1), pages)
    sort = sort_of(sort)
    return MissionPage(
        mission=mission,
        counts=counts,
        imports=await recent_imports(session, mission),
        decisions=await _decisions(session, mission),
        news=sorted(mission.news_items, key=lambda item: item.published_at),
        members=await _members(session, mission, lang, sort, number),
        sort=sort,
        page_number=number,
        pages=pages,
    )


async def recent_imports(session: AsyncSession, mission: m.Mission) -> list[m.ImportBatch]:
    """The lists uploaded for `mission` lately, refused ones too, newest first: its upload history."""
    return list(
        await session.scalars(
            select(m.ImportBatch)
            .where(m.ImportBatch.mission_id == mission.id)
            .order_by(m.ImportBatch.created_at.desc(), m.ImportBatch.id.desc())
            .limit(RECENT_IMPORTS)
        )
    )


async def _decisions(session: AsyncSession, mission: m.Mission) -> list[MissionDecision]:
    counts = await mission_decision_counts(session, mission)
    if not counts:
        return []
    decisions = await session.scalars(
        select(m.Decision)
        .where(m.Decision.id.in_(counts))
        .order_by(m.Decision.decided_on.desc(), m.Decision.id.desc())
        .limit(RECENT_DECISIONS)
    )
    return [MissionDecision(decision, counts[decision.id]) for decision in decisions]


def _rank(column: ColumnElement[str], values: list[str]) -> ColumnElement[int]:
    """A column's values as their places in `values` (the last place for any other): an order SQL cannot name."""
    return case({value: place for place, value in enumerate(values)}, value=column, else_=len(values))


async def _order(session: AsyncSession, mission: m.Mission, lang: str, sort: str) -> list[ColumnElement[object]]:
    event, person = m.StatusEvent, m.Person
    by_name: list[ColumnElement[object]] = [person.name_latin, m.Accreditation.id]
    if sort == "status":  # the workflow's order: nominated first
        return [_rank(event.status, [status.value for status in m.Status]), *by_name]
    if sort == "role":  # heads of mission first, as the mission lists its people
        return [_rank(m.Accreditation.role, [role.value for role in m.Role]), *by_name]
    if sort == "nationality":
        # By the country's name in the page's language, as the forms order countries (never by its ISO code):
        # the names are ranked here, for the mission's nationalities only, so both databases sort alike.
        codes = set(
            await session.scalars(
                select(person.nationality_code)
                .join(m.Accreditation, m.Accreditation.person_id == person.id)
                .where(m.Accreditation.mission_id == mission.id)
                .distinct()
            )
        )
        ordered = await CountryService(session).in_name_order(codes, lang)
        return [_rank(person.nationality_code, ordered), *by_name]
    return by_name


async def _members(session: AsyncSession, mission: m.Mission, lang: str, sort: str, number: int) -> list[Member]:
    event = m.StatusEvent
    statement = (
        select(m.Accreditation, m.Person, m.Country, event.status, event.effective_at)
        .join(m.Person, m.Person.id == m.Accreditation.person_id)
        .join(m.Country, m.Country.code == m.Person.nationality_code)
        .join(event, (event.accreditation_id == m.Accreditation.id) & event.current())
        .where(m.Accreditation.mission_id == mission.id)
        .order_by(*await _order(session, mission, lang, sort))
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    return [Member(*row) for row in await session.execute(statement)]
