"""The tally engine: the one place that counts.

For election E at instant T an accreditation counts when its status at T is `accredited` and it is
not test data. Status at T is the event whose period [effective_at, valid_until) contains T, so a
later event never changes an earlier tally. Every count is a GROUP BY in SQL; Python only names
the groups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m

INTERNATIONAL = (m.SenderKind.FOREIGN_STATE, m.SenderKind.INTERNATIONAL_ORGANIZATION)


@dataclass(frozen=True, slots=True)
class SenderCount:
    kind: m.SenderKind
    code: str
    """ISO 3166 alpha-2 code for a foreign state, the slug for an organization."""
    names: dict[str, str]
    short_names: dict[str, str]
    observers: int
    nominated: int

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True, slots=True)
class NationalityCount:
    code: str
    names: dict[str, str]
    observers: int

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True, slots=True)
class Tally:
    election_slug: str
    as_of: dt.datetime
    observers: int
    """International observers: accredited through a foreign state or an international organization."""
    countries: int
    organizations: int
    nominated: int
    domestic_observers: int
    by_sender_kind: dict[m.SenderKind, int]
    by_sender: tuple[SenderCount, ...]
    by_role: dict[m.Role, int]
    by_nationality: tuple[NationalityCount, ...] = field(default=())


def status_at(as_of: dt.datetime) -> ColumnElement[bool]:
    """Events whose period contains `as_of`: one per accreditation that existed then."""
    event = m.StatusEvent
    return and_(event.effective_at <= as_of, or_(event.valid_until.is_(None), event.valid_until > as_of))


def _counted(election_id: int, as_of: dt.datetime, statuses: tuple[m.Status, ...]) -> list[ColumnElement[bool]]:
    event = m.StatusEvent
    return [
        event.election_id == election_id,
        event.status.in_(statuses),
        status_at(as_of),
        m.Accreditation.is_test.is_(False),
    ]


async def tally_as_of(session: AsyncSession, election: m.Election, as_of: dt.datetime) -> Tally:
    """The figures for `election` as they stood at `as_of` (an aware datetime)."""
    event, accreditation, mission = m.StatusEvent, m.Accreditation, m.Mission
    by_sender_rows = (
        await session.execute(
            select(
                mission.sender_kind,
                mission.country_code,
                mission.organization_id,
                event.status,
                func.count().label("n"),
            )
            .select_from(event)
            .join(accreditation, accreditation.id == event.accreditation_id)
            .join(mission, mission.id == accreditation.mission_id)
            .where(*_counted(election.id, as_of, (m.Status.ACCREDITED, m.Status.NOMINATED)))
            .group_by(mission.sender_kind, mission.country_code, mission.organization_id, event.status)
        )
    ).all()

    international_accredited = [
        *_counted(election.id, as_of, (m.Status.ACCREDITED,)),
        mission.sender_kind.in_(INTERNATIONAL),
    ]
    role_rows = (
        await session.execute(
            select(accreditation.role, func.count())
            .select_from(event)
            .join(accreditation, accreditation.id == event.accreditation_id)
            .join(mission, mission.id == accreditation.mission_id)
            .where(*international_accredited)
            .group_by(accreditation.role)
        )
    ).all()
    nationality_rows = (
        await session.execute(
            select(m.Person.nationality_code, func.count())
            .select_from(event)
            .join(accreditation, accreditation.id == event.accreditation_id)
            .join(mission, mission.id == accreditation.mission_id)
            .join(m.Person, m.Person.id == accreditation.person_id)
            .where(*international_accredited)
            .group_by(m.Person.nationality_code)
        )
    ).all()

    senders: dict[tuple[m.SenderKind, str | int], dict[m.Status, int]] = {}
    for kind, country_code, organization_id, status, n in by_sender_rows:
        key = (kind, country_code if kind is m.SenderKind.FOREIGN_STATE else organization_id)
        senders.setdefault(key, {})[status] = n

    countries = await _countries(session, {code for kind, code in senders if kind is m.SenderKind.FOREIGN_STATE})
    countries |= await _countries(session, {row[0] for row in nationality_rows})
    organizations = await _organizations(
        session, {key for kind, key in senders if kind is not m.SenderKind.FOREIGN_STATE}
    )

    by_sender = tuple(
        sorted(
            (_sender_count(kind, key, counts, countries, organizations) for (kind, key), counts in senders.items()),
            key=lambda s: (-s.observers, -s.nominated, s.kind, s.names["en"]),
        )
    )
    by_sender_kind = {kind: 0 for kind in m.SenderKind}
    for sender in by_sender:
        by_sender_kind[sender.kind] += sender.observers

    return Tally(
        election_slug=election.slug,
        as_of=as_of.astimezone(dt.UTC),
        observers=sum(s.observers for s in by_sender if s.kind in INTERNATIONAL),
        countries=sum(1 for s in by_sender if s.kind is m.SenderKind.FOREIGN_STATE and s.observers),
        organizations=sum(1 for s in by_sender if s.kind is m.SenderKind.INTERNATIONAL_ORGANIZATION and s.observers),
        nominated=sum(s.nominated for s in by_sender if s.kind in INTERNATIONAL),
        domestic_observers=by_sender_kind[m.SenderKind.DOMESTIC_ORGANIZATION],
        by_sender_kind=by_sender_kind,
        by_sender=by_sender,
        by_role={role: n for role, n in sorted(role_rows, key=lambda row: (-row[1], row[0]))},
        by_nationality=tuple(
            NationalityCount(code=code, names=_names(countries[code]), observers=n)
            for code, n in sorted(nationality_rows, key=lambda row: (-row[1], row[0]))
        ),
    )


def _names(row: m.Country | m.Organization) -> dict[str, str]:
    return {lang: row.name(lang) for lang in m.LANGUAGES}


def _sender_count(
    kind: m.SenderKind,
    key: str | int,
    counts: dict[m.Status, int],
    countries: dict[str, m.Country],
    organizations: dict[int, m.Organization],
) -> SenderCount:
    if kind is m.SenderKind.FOREIGN_STATE:
        country = countries[str(key)]
        code, names, short_names = country.code, _names(country), _names(country)
    else:
        organization = organizations[int(key)]
        code, names = organization.slug, _names(organization)
        short_names = {lang: organization.acronym(lang) for lang in m.LANGUAGES}
    return SenderCount(
        kind=kind,
        code=code,
        names=names,
        short_names=short_names,
        observers=counts.get(m.Status.ACCREDITED, 0),
        nominated=counts.get(m.Status.NOMINATED, 0),
    )


async def _countries(session: AsyncSession, codes: set[str]) -> dict[str, m.Country]:
    if not codes:
        return {}
    rows = await session.scalars(select(m.Country).where(m.Country.code.in_(codes)))
    return {country.code: country for country in rows}


async def _organizations(session: AsyncSession, ids: set[int]) -> dict[int, m.Organization]:
    if not ids:
        return {}
    rows = await session.scalars(select(m.Organization).where(m.Organization.id.in_(ids)))
    return {organization.id: organization for organization in rows}
