"""Admin-only routes: the audit trail, the staff accounts, and creating or changing elections."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from tracker.errors import InvalidInput
from tracker.instants import ACCEPTED, parse_instant
from tracker.open_data import ElectionOut
from tracker.services import audit
from tracker.services.elections import ElectionData, ElectionService
from tracker.services.users import UserService
from tracker.web.api.schemas import (
    AuditEntryOut,
    AuditPage,
    Limit,
    Offset,
    UserOut,
    Version,
    responses,
)
from tracker.web.auth import CurrentUser, admins

Elections = NamedDependency[ElectionService]
Admin = Request[CurrentUser, Any, Any]
Instant = Annotated[
    str | None,
    QueryParameter(description=f"{ACCEPTED}; read in the election's time zone, or UTC without `election`"),
]


def _bound(text: str | None, zone: ZoneInfo, field: str) -> dt.datetime | None:
    """A date alone is a whole day: `since` from its start, `until` to its end."""
    if not text:
        return None
    value = text.strip()
    if field == "since" and len(value) == 10:
        value += "T00:00"
    return parse_instant(value, zone, field=field)


class AuditApi(Controller):
    path = "/api/audit"
    tags = ["audit"]
    guards = [admins]

    @get("/", summary="The audit trail, newest first", responses=responses(400, 401, 403))
    async def list_entries(
        self,
        elections: Elections,
        entity: Annotated[
            str | None, QueryParameter(description="A table (`mission`) or one row of it (`mission:12`)")
        ] = None,
        actor: Annotated[str | None, QueryParameter(description="Who: a user's email, or `system`")] = None,
        election_slug: Annotated[str | None, QueryParameter(name="election", description="An election's slug")] = None,
        since: Instant = None,
        until: Instant = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> AuditPage:
        by_id = {row.id: row for row in await elections.list_by_voting_day()}
        chosen = next((row for row in by_id.values() if row.slug == election_slug), None)
        if election_slug is not None and chosen is None:
            raise InvalidInput(f"election: no election {election_slug!r}", field="election")
        zone = chosen.zone if chosen else ZoneInfo("UTC")
        filters = audit.AuditFilters(
            entity=entity,
            actor=actor,
            election_id=chosen.id if chosen else None,
            since=_bound(since, zone, "since"),
            until=_bound(until, zone, "until"),
        )
        entries, total = await audit.entries(elections.repository.session, filters, limit=limit, offset=offset)
        items = [AuditEntryOut.of(entry, by_id[entry.election_id] if entry.election_id else None) for entry in entries]
        return AuditPage(items, total, limit, offset)


class UserApi(Controller):
    path = "/api/users"
    tags = ["users"]
    guards = [admins]

    @get("/", summary="Staff accounts", responses=responses(401, 403))
    async def list_users(self, users: NamedDependency[UserService]) -> list[UserOut]:
        return [UserOut.of(user) for user in await users.all_users()]


# Election writes share their paths with the public ElectionApi, but not its `public` flag, so sign-in
# applies. Litestar 2.25 cannot put two controllers on one path (each brings its own OPTIONS handler),
# so these are plain handlers; they must be registered after ElectionApi, which answers OPTIONS.
ELECTION_WRITES: dict[str, Any] = {
    "guards": [admins],
    "tags": ["elections"],
}


@post("/api/elections", summary="Add an election", responses=responses(400, 401, 403, 409), **ELECTION_WRITES)
async def create_election(request: Admin, elections: Elections, data: JSONBody[ElectionData]) -> ElectionOut:
    election = await elections.create_election(data, request.user.actor)
    return ElectionOut.of(election, "en")


@put(
    "/api/elections/{slug:str}",
    summary="Change an election",
    responses=responses(400, 401, 403, 404, 409),
    **ELECTION_WRITES,
)
async def update_election(
    request: Admin, elections: Elections, slug: FromPath[str], version: Version, data: JSONBody[ElectionData]
) -> ElectionOut:
    election = await elections.get_by_slug(slug)
    await elections.update_election(election, data, version, request.user.actor)
    return ElectionOut.of(election, "en")


election_writes = [create_election, update_election]
