"""Builders for test data, written through the same services the product uses."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.services.audit import SYSTEM
from tracker.services.history import record_sender
from tracker.services.transitions import record_status

ASTANA = ZoneInfo("Asia/Almaty")
_serial = itertools.count(1)


def at(text: str) -> dt.datetime:
    """An instant in Astana time (UTC+6 in 2023): at("2023-02-22T21:13")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ASTANA)


async def make_election(session: AsyncSession, slug: str | None = None) -> m.Election:
    slug = slug or f"election-{next(_serial)}"
    election = m.Election(
        slug=slug,
        name_en=f"Election {slug}",
        name_ru=f"Выборы {slug}",
        name_kk=f"Сайлау {slug}",
        voting_day=dt.date(2023, 3, 19),
        time_zone="Asia/Almaty",
        window_opens_at=at("2023-01-19T00:00"),
        window_closes_at=at("2023-03-13T18:00"),
    )
    session.add(election)
    await session.flush()
    return election


async def organization(session: AsyncSession, slug: str) -> m.Organization:
    found = await session.scalar(select(m.Organization).where(m.Organization.slug == slug))
    assert found is not None, f"organization {slug} is not in the reference data"
    return found


async def make_mission(
    session: AsyncSession,
    election: m.Election,
    *,
    country: str | None = None,
    organization_slug: str | None = None,
    domestic: bool = False,
) -> m.Mission:
    serial = next(_serial)
    if country:
        kind, organization_id = m.SenderKind.FOREIGN_STATE, None
    else:
        if domestic:
            org = m.Organization(
                slug=f"domestic-{serial}",
                kind=m.OrganizationKind.DOMESTIC,
                acronym_en="DOM",
                acronym_ru="ДОМ",
                acronym_kk="ДОМ",
                name_en=f"Domestic organization {serial}",
                name_ru=f"Отечественная организация {serial}",
                name_kk=f"Отандық ұйым {serial}",
            )
            session.add(org)
            await session.flush()
            kind = m.SenderKind.DOMESTIC_ORGANIZATION
        else:
            org = await organization(session, organization_slug or "osce-odihr")
            kind = m.SenderKind.INTERNATIONAL_ORGANIZATION
        organization_id = org.id
    mission = m.Mission(
        election_id=election.id,
        slug=f"mission-{serial}",
        sender_kind=kind,
        country_code=country,
        organization_id=organization_id,
        name=f"Mission {serial}",
    )
    session.add(mission)
    await session.flush()
    # Its sender as recorded before any election window opens, as the service records it on creation.
    await record_sender(session, mission, SYSTEM, at=at("2023-01-01T00:00"))
    return mission


async def make_accreditation(
    session: AsyncSession,
    mission: m.Mission,
    history: Sequence[tuple[m.Status, dt.datetime]],
    *,
    nationality: str = "DE",
    role: m.Role = m.Role.SHORT_TERM_OBSERVER,
    is_test: bool = False,
    person: m.Person | None = None,
) -> m.Accreditation:
    serial = next(_serial)
    if person is None:
        person = m.Person(
            name_original=f"Test Person {serial}",
            name_latin=f"Test Person {serial}",
            nationality_code=nationality,
            document_number=f"T{serial:08d}",
        )
        session.add(person)
        await session.flush()
    accreditation = m.Accreditation(
        election_id=mission.election_id,
        mission_id=mission.id,
        person_id=person.id,
        role=role,
        is_test=is_test,
    )
    session.add(accreditation)
    await session.flush()
    for status, effective_at in history:
        await record_status(session, accreditation, status, effective_at=effective_at, actor="test")
    return accreditation
