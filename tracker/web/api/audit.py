"""The audit trail, for admins: /api/audit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, get
from litestar.params import QueryParameter

from tracker import models as m
from tracker.instants import ACCEPTED
from tracker.services.audit import AuditQuery
from tracker.web.api.responses import Limit, Offset, responses
from tracker.web.auth import admins
from tracker.web.deps import Audit

Instant = Annotated[
    str | None,
    QueryParameter(description=f"{ACCEPTED}; read in the election's time zone, or UTC without `election`"),
]


class AuditEntryOut(msgspec.Struct, kw_only=True):
    id: int
    at: dt.datetime
    """In the election's time zone when the entry belongs to one, UTC otherwise."""
    actor: str
    action: str
    entity: str
    entity_id: str
    election: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str | None

    @classmethod
    def of(cls, entry: m.AuditEntry, election: m.Election | None) -> AuditEntryOut:
        return cls(
            id=entry.id,
            at=election.local(entry.at) if election else entry.at.astimezone(dt.UTC),
            actor=entry.actor,
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            election=election.slug if election else None,
            before=entry.before,
            after=entry.after,
            note=entry.note,
        )


AuditPage = OffsetPagination[AuditEntryOut]


class AuditApi(Controller):
    path = "/api/audit"
    tags = ["audit"]
    guards = [admins]

    @get("/", summary="The audit trail, newest first", responses=responses(400, 401, 403))
    async def list_entries(
        self,
        audit: Audit,
        entity: Annotated[
            str | None, QueryParameter(description="A table (`mission`) or one row of it (`mission:12`)")
        ] = None,
        entity_id: Annotated[
            str | None, QueryParameter(description="One record's number, e.g. `12` with `entity=mission`")
        ] = None,
        actor: Annotated[str | None, QueryParameter(description="Who: a user's email, or `system`")] = None,
        election_slug: Annotated[str | None, QueryParameter(name="election", description="An election's slug")] = None,
        since: Instant = None,
        until: Instant = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> AuditPage:
        query = AuditQuery(
            entity=entity, entity_id=entity_id, actor=actor, election=election_slug, since=since, until=until
        )
        rows, total = await audit.trail(query, LimitOffset(limit, offset))
        items = [AuditEntryOut.of(row.entry, row.election) for row in rows]
        return AuditPage(items=items, limit=limit, offset=offset, total=total)
