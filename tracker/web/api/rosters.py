"""The Excel roster download for registrars and admins: /api/elections/{slug}/roster.xlsx."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.openapi import ResponseSpec
from litestar.params import QueryParameter

from tracker import models as m
from tracker.instants import AS_OF_FORMS
from tracker.services.rosters import XLSX, RosterRequest
from tracker.web.api.responses import responses
from tracker.web.auth import CurrentUser, registrars
from tracker.web.deps import Election, Rosters
from tracker.web.http.files import file_response

Staff = Request[CurrentUser, Any, Any]


class RosterApi(Controller):
    path = "/api/elections/{slug:str}/roster.xlsx"
    tags = ["rosters"]
    guards = [registrars]

    @get(
        "/",
        summary="The Excel roster of an election",
        description="A Summary sheet (the tally as of the instant) and one row per accreditation that existed then, "
        "with its status at that instant; optionally one sheet per mission. Registrars and admins only.",
        media_type=XLSX,
        responses={
            200: ResponseSpec(
                generate_examples=False, data_container=bytes, media_type=XLSX, description="The .xlsx file"
            )
        }
        | responses(400, 401, 403, 404),
    )
    async def get_roster(
        self,
        request: Staff,
        rosters: Rosters,
        election: Election,
        mission: Annotated[str | None, QueryParameter(description="Only this mission (its short name).")] = None,
        status: Annotated[
            m.Status | None, QueryParameter(description="Only accreditations with this status at the instant.")
        ] = None,
        as_of: Annotated[str | None, QueryParameter(description=f"{AS_OF_FORMS} Default: now.")] = None,
        lang: Annotated[str, QueryParameter(description="Language of the headers and names: en, ru or kk.")] = "en",
        per_mission: Annotated[bool, QueryParameter(description="Add one sheet per mission.")] = False,
    ) -> Response[bytes]:
        wanted = RosterRequest(mission=mission, status=status, as_of=as_of, lang=lang, per_mission=per_mission)
        roster = await rosters.build(election, wanted, request.user.actor)
        return file_response(roster.content, XLSX, roster.filename)
