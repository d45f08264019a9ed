"""The append-only audit trail: every write, with who, when, before and after."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.instants import utc_now

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


@dataclass(frozen=True, slots=True)
class AuditFilters:
    entity: str | None = None
    """A table (`mission`) or one row of it (`mission:12`)."""
    actor: str | None = None
    election_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


async def entries(
    session: AsyncSession, filters: AuditFilters, *, limit: int = 50, offset: int = 0
) -> tuple[list[m.AuditEntry], int]:
    """A page of the trail, newest first, and how many entries match in all."""
    entry = m.AuditEntry
    statement = select(entry)
    if filters.entity:
        table, _, key = filters.entity.partition(":")
        statement = statement.where(entry.entity == table)
        if key:
            statement = statement.where(entry.entity_id == key)
    if filters.actor:
        statement = statement.where(entry.actor == filters.actor)
    if filters.election_id is not None:
        statement = statement.where(entry.election_id == filters.election_id)
    if filters.since is not None:
        statement = statement.where(entry.at >= filters.since)
    if filters.until is not None:
        statement = statement.where(entry.at <= filters.until)
    total = await session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = await session.scalars(statement.order_by(entry.at.desc(), entry.id.desc()).limit(limit).offset(offset))
    return list(rows), total
