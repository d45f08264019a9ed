"""Creating and changing elections, for admins: POST /api/elections, PUT /api/elections/{slug}."""

from __future__ import annotations

from typing import Any

from litestar import Request, post, put
from litestar.params import JSONBody

from tracker.open_data import ElectionOut
from tracker.services.elections import ElectionData
from tracker.web.api.responses import Version, responses
from tracker.web.auth import CurrentUser, admins
from tracker.web.deps import Election, Elections

Admin = Request[CurrentUser, Any, Any]

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
    request: Admin, elections: Elections, election: Election, version: Version, data: JSONBody[ElectionData]
) -> ElectionOut:
    await elections.update_election(election, data, version, request.user.actor)
    return ElectionOut.of(election, "en")


election_writes = [create_election, update_election]
