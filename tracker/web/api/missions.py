"""Missions of an election, for staff: /api/elections/{slug}/missions."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody

from tracker import models as m
from tracker.services.missions import MissionData, MissionRow, sender_value
from tracker.web.api.responses import Version, responses
from tracker.web.auth import CurrentUser, registrars, staff
from tracker.web.deps import Election, Missions

Staff = Request[CurrentUser, Any, Any]


class MissionOut(msgspec.Struct, kw_only=True):
    slug: str
    name: str
    name_ru: str | None
    """In Russian, where it differs from `name`."""
    name_kk: str | None
    """In Kazakh, where it differs from `name`."""
    sender: str
    """`country:XX` or `organization:SLUG`, as MissionData takes it."""
    sender_kind: m.SenderKind
    sender_name: str
    head_name: str | None
    coordinator_name: str | None
    expected_size: int | None
    nomination_note_ref: str | None
    language: str
    """The language of the commission's letters to the mission: en, ru or kk."""
    contacts: str | msgspec.UnsetType | None = msgspec.UNSET
    """How the commission reaches the mission: only in answers to registrars and admins."""
    counts: dict[m.Status, int]
    """Accreditations by current status, test records included."""
    version: int

    @classmethod
    def of(cls, row: MissionRow, user: CurrentUser) -> MissionOut:
        return cls(**_mission_fields(row, user))


class MissionDetailOut(MissionOut, kw_only=True):
    news_item_ids: list[int]

    @classmethod
    def of(cls, row: MissionRow, user: CurrentUser) -> MissionDetailOut:
        return cls(**_mission_fields(row, user), news_item_ids=sorted(item.id for item in row.mission.news_items))


def _mission_fields(row: MissionRow, user: CurrentUser) -> dict[str, Any]:
    mission = row.mission
    # A press officer reads missions too, but not how to reach their people.
    personal = {"contacts": mission.contacts} if user.sees_personal_data else {}
    sender = mission.country or mission.organization
    assert sender is not None
    return {
        "slug": mission.slug,
        "name": mission.name,
        "name_ru": mission.name_ru,
        "name_kk": mission.name_kk,
        "sender": sender_value(mission),
        "sender_kind": mission.sender_kind,
        "sender_name": sender.name_en,
        "head_name": mission.head_name,
        "coordinator_name": mission.coordinator_name,
        "expected_size": mission.expected_size,
        "nomination_note_ref": mission.nomination_note_ref,
        "language": mission.language,
        **personal,
        # Every status, zeros included, so clients need not guess which keys exist.
        "counts": {status: row.counts.get(status, 0) for status in m.Status},
        "version": mission.version,
    }


class MissionApi(Controller):
    path = "/api/elections/{slug:str}/missions"
    tags = ["missions"]
    guards = [staff]

    @get(
        "/",
        summary="Missions of an election, with accreditations by current status",
        responses=responses(401, 403, 404),
    )
    async def list_missions(self, request: Staff, election: Election, missions: Missions) -> list[MissionOut]:
        return [MissionOut.of(row, request.user) for row in await missions.overview(election)]

    @post("/", guards=[registrars], summary="Add a mission", responses=responses(400, 401, 403, 404, 409))
    async def create_mission(
        self, request: Staff, election: Election, missions: Missions, data: JSONBody[MissionData]
    ) -> MissionDetailOut:
        return MissionDetailOut.of(await missions.create_mission(election, data, request.user.actor), request.user)

    @get("/{mission:str}", summary="One mission", responses=responses(401, 403, 404))
    async def get_mission(
        self, request: Staff, election: Election, missions: Missions, mission: FromPath[str]
    ) -> MissionDetailOut:
        return MissionDetailOut.of(await missions.detail(election, mission), request.user)

    @put(
        "/{mission:str}", guards=[registrars], summary="Change a mission", responses=responses(400, 401, 403, 404, 409)
    )
    async def update_mission(
        self,
        request: Staff,
        election: Election,
        missions: Missions,
        mission: FromPath[str],
        version: Version,
        data: JSONBody[MissionData],
    ) -> MissionDetailOut:
        row = await missions.by_slug(election, mission)
        updated = await missions.update_mission(row, election, data, version, request.user.actor)
        return MissionDetailOut.of(updated, request.user)

    @delete(
        "/{mission:str}",
        guards=[registrars],
        summary="Delete a mission that has no accreditations",
        responses=responses(400, 401, 403, 404, 409),
    )
    async def delete_mission(
        self, request: Staff, election: Election, missions: Missions, mission: FromPath[str], version: Version
    ) -> None:
        await missions.delete_mission(await missions.by_slug(election, mission), version, request.user.actor)
