"""Missions of an election, for staff: /api/elections/{slug}/missions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from tracker import models as m
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionData, MissionService
from tracker.tally import mission_status_counts
from tracker.web.api.schemas import MissionDetailOut, MissionOut, Version, responses
from tracker.web.auth import CurrentUser, registrars, staff

Elections = NamedDependency[ElectionService]
Missions = NamedDependency[MissionService]
Staff = Request[CurrentUser, Any, Any]


async def _sender(missions: MissionService, mission: m.Mission) -> tuple[str, str]:
    """The sender as MissionData takes it, and its English name (from the identity map when loaded)."""
    session = missions.repository.session
    if mission.country_code is not None:
        country = await session.get(m.Country, mission.country_code)
        assert country is not None
        return f"country:{country.code}", country.name_en
    organization = await session.get(m.Organization, mission.organization_id)
    assert organization is not None
    return f"organization:{organization.slug}", organization.name_en


async def _detail(missions: MissionService, election: m.Election, mission: m.Mission) -> MissionDetailOut:
    counts = await mission_status_counts(missions.repository.session, election.id)
    return MissionDetailOut.of(mission, await _sender(missions, mission), counts.get(mission.id, {}))


class MissionApi(Controller):
    path = "/api/elections/{slug:str}/missions"
    tags = ["missions"]
    guards = [staff]

    @get(
        "/",
        summary="Missions of an election, with accreditations by current status",
        responses=responses(401, 403, 404),
    )
    async def list_missions(self, elections: Elections, missions: Missions, slug: FromPath[str]) -> list[MissionOut]:
        election = await elections.get_by_slug(slug)
        counts = await mission_status_counts(missions.repository.session, election.id)
        return [
            MissionOut.of(mission, await _sender(missions, mission), counts.get(mission.id, {}))
            for mission in await missions.of_election(election)
        ]

    @post("/", guards=[registrars], summary="Add a mission", responses=responses(400, 401, 403, 404, 409))
    async def create_mission(
        self,
        request: Staff,
        elections: Elections,
        missions: Missions,
        slug: FromPath[str],
        data: JSONBody[MissionData],
    ) -> MissionDetailOut:
        election = await elections.get_by_slug(slug)
        mission = await missions.create_mission(election, data, request.user.actor)
        return await _detail(missions, election, mission)

    @get("/{mission:str}", summary="One mission", responses=responses(401, 403, 404))
    async def get_mission(
        self, elections: Elections, missions: Missions, slug: FromPath[str], mission: FromPath[str]
    ) -> MissionDetailOut:
        election = await elections.get_by_slug(slug)
        return await _detail(missions, election, await missions.by_slug(election, mission))

    @put(
        "/{mission:str}", guards=[registrars], summary="Change a mission", responses=responses(400, 401, 403, 404, 409)
    )
    async def update_mission(
        self,
        request: Staff,
        elections: Elections,
        missions: Missions,
        slug: FromPath[str],
        mission: FromPath[str],
        version: Version,
        data: JSONBody[MissionData],
    ) -> MissionDetailOut:
        election = await elections.get_by_slug(slug)
        row = await missions.by_slug(election, mission)
        await missions.update_mission(row, election, data, version, request.user.actor)
        return await _detail(missions, election, row)

    @delete(
        "/{mission:str}",
        guards=[registrars],
        summary="Delete a mission that has no accreditations",
        responses=responses(400, 401, 403, 404, 409),
    )
    async def delete_mission(
        self,
        request: Staff,
        elections: Elections,
        missions: Missions,
        slug: FromPath[str],
        mission: FromPath[str],
        version: Version,
    ) -> None:
        election = await elections.get_by_slug(slug)
        await missions.delete_mission(await missions.by_slug(election, mission), version, request.user.actor)
