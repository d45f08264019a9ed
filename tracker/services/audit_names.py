"""The names of the records a page of the audit trail mentions, and where each one is seen on the staff pages.

An entry names its own record by number, and its before/after name others the same way (`mission_id: 12`);
a person reads them as names with links. They are read for a whole page at once: one query per kind of
record mentioned (ids batched), so a page of 100 entries costs the same dozen queries as a page of ten.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.audit_wording import Named, RecordNames, wanted
from tracker.i18n import format_instant
from tracker.i18n import gettext as _


async def read_names(
    session: AsyncSession, entries: list[m.AuditEntry], elections: dict[int, m.Election], lang: str
) -> RecordNames:
    """Names for everything `entries` mention, in `lang`; `elections` are those already read (all of them, on the
    staff page), so that they are not read again."""
    records, codes = wanted(entries)
    names = RecordNames(elections=dict(elections))
    missing = records.get("election", set()) - names.elections.keys()
    if missing:
        for election in await session.scalars(select(m.Election).where(m.Election.id.in_(missing))):
            names.elections[election.id] = election
    for election in names.elections.values():
        names.records["election", str(election.id)] = Named(
            election.name(lang), f"/staff/elections/{election.slug}/edit"
        )
    for kind, numbers in records.items():
        reader = READERS.get(kind)
        if reader is not None and numbers:
            for key, named in await reader(session, numbers, lang):
                names.records[kind, str(key)] = named
    if codes:
        for country in await session.scalars(select(m.Country).where(m.Country.code.in_(codes))):
            names.countries[country.code] = country.name(lang)
    return names


Reader = Callable[[AsyncSession, set[int], str], Awaitable[list[tuple[int, Named]]]]


async def _persons(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    rows = await session.execute(select(m.Person.id, m.Person.name_latin).where(m.Person.id.in_(ids)))
    return [(row.id, Named(row.name_latin, f"/staff/persons/{row.id}")) for row in rows]


async def _accreditations(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    """An accreditation is named by its observer."""
    rows = await session.execute(
        select(m.Accreditation.id, m.Person.name_latin)
        .join(m.Person, m.Person.id == m.Accreditation.person_id)
        .where(m.Accreditation.id.in_(ids))
    )
    return [(row.id, Named(row.name_latin, f"/staff/accreditations/{row.id}")) for row in rows]


async def _missions(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    rows = await session.execute(
        select(m.Mission.id, m.Mission.name, m.Mission.slug, m.Election.slug.label("election"))
        .join(m.Election, m.Election.id == m.Mission.election_id)
        .where(m.Mission.id.in_(ids))
    )
    return [(row.id, Named(row.name, f"/staff/elections/{row.election}/missions/{row.slug}")) for row in rows]


async def _organizations(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    rows = await session.scalars(select(m.Organization).where(m.Organization.id.in_(ids)))
    return [(row.id, Named(row.name(lang), f"/staff/organizations/{row.slug}/edit")) for row in rows]


async def _imports(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    rows = await session.execute(select(m.ImportBatch.id, m.ImportBatch.file_name).where(m.ImportBatch.id.in_(ids)))
    return [(row.id, Named(row.file_name, f"/staff/imports/{row.id}")) for row in rows]


async def _bulletins(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    """A bulletin is named by the moment its figures are as of, in its election's zone."""
    rows = await session.execute(
        select(m.Bulletin.id, m.Bulletin.as_of, m.Election.slug, m.Election.time_zone)
        .join(m.Election, m.Election.id == m.Bulletin.election_id)
        .where(m.Bulletin.id.in_(ids))
    )
    return [
        (
            row.id,
            Named(
                _("as of %(when)s") % {"when": format_instant(row.as_of, ZoneInfo(row.time_zone))},
                f"/staff/elections/{row.slug}/bulletins/{row.id}",
            ),
        )
        for row in rows
    ]


async def _news(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    rows = await session.execute(
        select(m.NewsItem.id, m.NewsItem.title, m.Election.slug)
        .outerjoin(m.Election, m.Election.id == m.NewsItem.election_id)
        .where(m.NewsItem.id.in_(ids))
    )
    return [
        (row.id, Named(row.title, f"/staff/elections/{row.slug}/news/{row.id}/edit" if row.slug else None))
        for row in rows
    ]


async def _users(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    rows = await session.execute(select(m.User.id, m.User.email).where(m.User.id.in_(ids)))
    return [(row.id, Named(row.email, "/staff/users")) for row in rows]


async def _decisions(session: AsyncSession, ids: set[int], lang: str) -> list[tuple[int, Named]]:
    rows = await session.execute(select(m.Decision.id, m.Decision.reference).where(m.Decision.id.in_(ids)))
    return [(row.id, Named(row.reference, f"/staff/decisions/{row.id}")) for row in rows]


READERS: dict[str, Reader] = {
    "person": _persons,
    "accreditation": _accreditations,
    "mission": _missions,
    "organization": _organizations,
    "import_batch": _imports,
    "bulletin": _bulletins,
    "news_item": _news,
    "user_account": _users,
    "decision": _decisions,
}
