"""The append-only audit trail: every write, with who, when, before and after."""

from __future__ import annotations

import datetime as dt
import enum
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.audit_wording import WordedEntry, word_entries
from tracker.cleaning import SLUG, clean_text
from tracker.errors import InvalidInput
from tracker.i18n import current_language
from tracker.instants import as_iso, parse_instant, utc_now
from tracker.services.audit_names import read_names

UTC = ZoneInfo("UTC")
# Never copied into the trail, even for admins; files are named by their SHA-256 instead.
SECRET_FIELDS = frozenset({"password_hash"})
FILE_FIELDS = frozenset({"content", "pdf", "snapshot", "photo"})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is doing something: a signed-in user, or a command run by the operator."""

    name: str
    role: m.UserRole

    @property
    def is_admin(self) -> bool:
        return self.role is m.UserRole.ADMIN


SYSTEM = Actor("system", m.UserRole.ADMIN)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(row: Any) -> dict[str, Any]:
    """The row's column values as JSON-ready data."""
    mapper = inspect(row).mapper
    return {
        column.key: _plain(getattr(row, column.key))
        for column in mapper.column_attrs
        if column.key not in SECRET_FIELDS | FILE_FIELDS and column.key not in {"created_at", "updated_at"}
    }


async def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    row: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> m.AuditEntry:
    entry = m.AuditEntry(
        at=utc_now(),
        actor=actor.name,
        action=action,
        entity=row.__tablename__,
        entity_id=str(inspect(row).identity[0] if inspect(row).identity else getattr(row, "id", "")),
        election_id=getattr(row, "election_id", None) if not isinstance(row, m.Election) else row.id,
        before=before,
        after=after if after is not None else (snapshot(row) if action != "delete" else None),
        note=note,
    )
    session.add(entry)
    return entry


def read_bound(text: str | None, zone: ZoneInfo, field: Literal["since", "until"]) -> dt.datetime | None:
    """One end of a period a user typed, as an instant: a date alone is a whole day (`since` from its start,
    `until` to its end, as `parse_instant` reads a date), a date-time is read as `parse_instant` reads it, in
    `zone` when it has no offset. Nothing, or only spaces: no bound. The API and the staff page read the audit
    trail's filters here, in the chosen election's zone, or UTC when none is chosen."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    day = as_iso(value)
    if field == "since" and len(day) == len("2023-02-22"):
        with suppress(ValueError):  # not a day of the calendar: parse_instant names the text as typed
            value = dt.date.fromisoformat(day).isoformat() + "T00:00"
    return parse_instant(value, zone, field=field)


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """The trail's filters as a user gives them; empty text is no filter."""

    entity: str | None = None
    """A table (`mission`) or one row of it (`mission:12`)."""
    entity_id: str | None = None
    """One record's number (of the table in `entity`): its history."""
    actor: str | None = None
    """A user's email or `system`, in any case."""
    election: str | None = None
    """An election's slug: its entries only, and `since`/`until` read in its time zone."""
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    entry: m.AuditEntry
    election: m.Election | None
    """The election the entry belongs to, if any."""


@dataclass(frozen=True, slots=True)
class AuditTrailPage:
    """A page of the trail as people read it, with what it can be filtered by: elections and staff accounts."""

    entries: list[WordedEntry]
    total: int
    elections: list[m.Election]
    users: list[str]


def _conditions(query: AuditQuery, election: m.Election | None, zone: ZoneInfo) -> list[ColumnElement[bool]]:
    entry = m.AuditEntry
    where: list[ColumnElement[bool]] = []
    # Cleaned as stored text is: a character no record can hold (NUL) is named, not sent to the database.
    entity = clean_text(query.entity, "entity")
    if entity:
        table, _, key = entity.partition(":")
        where.append(entry.entity == table)
        if key:
            where.append(entry.entity_id == key)
    entity_id = clean_text(query.entity_id, "entity_id")
    if entity_id:
        where.append(entry.entity_id == entity_id)
    # Emails are kept in lower case (users.normalize_email).
    actor = clean_text(query.actor, "actor")
    if actor:
        where.append(entry.actor == actor.lower())
    if election is not None:
        where.append(entry.election_id == election.id)
    zone = election.zone if election else zone
    since, until = read_bound(query.since, zone, "since"), read_bound(query.until, zone, "until")
    if since is not None:
        where.append(entry.at >= since)
    if until is not None:
        where.append(entry.at <= until)
    return where


class AuditService(SQLAlchemyAsyncRepositoryService[m.AuditEntry]):
    class Repo(SQLAlchemyAsyncRepository[m.AuditEntry]):
        model_type = m.AuditEntry
        # Two queries: a page past the end still says how many entries match (the window count gives 0).
        count_with_window_function = False

    repository_type = Repo

    async def trail(self, query: AuditQuery, page: LimitOffset, *, zone: ZoneInfo = UTC) -> tuple[list[AuditRow], int]:
        """A page of the trail, newest first, and how many entries match in all. Dates given without an election
        are read in `zone`."""
        session = self.repository.session
        chosen = None
        if query.election is not None:
            if SLUG.match(query.election):
                chosen = await session.scalar(select(m.Election).where(m.Election.slug == query.election))
            if chosen is None:
                raise InvalidInput(f"election: no election {query.election!r}", field="election")
        entry = m.AuditEntry
        where = _conditions(query, chosen, zone)
        entries, total = await self.get_many_and_count(page, *where, order_by=[(entry.at, True), (entry.id, True)])
        wanted = {row.election_id for row in entries if row.election_id is not None}
        elections = {e.id: e for e in await session.scalars(select(m.Election).where(m.Election.id.in_(wanted)))}
        return [AuditRow(row, elections[row.election_id] if row.election_id else None) for row in entries], total

    async def trail_page(self, query: AuditQuery, page: LimitOffset, commission_zone: ZoneInfo) -> AuditTrailPage:
        """A page of the trail worded for people in the interface language, and what it can be filtered by. Times
        of no election, and dates given without one, are in the commission's zone. The names of every record the
        page mentions are read a kind of record at a time (`audit_names`): the queries do not grow with the page."""
        session = self.repository.session
        rows, total = await self.trail(query, page, zone=commission_zone)
        elections = list(await session.scalars(select(m.Election).order_by(m.Election.voting_day.desc())))
        entries = [row.entry for row in rows]
        names = await read_names(session, entries, {e.id: e for e in elections}, current_language.get())
        users = list(await session.scalars(select(m.User.email).order_by(m.User.email)))
        return AuditTrailPage(word_entries(entries, names, commission_zone), total, elections, users)
