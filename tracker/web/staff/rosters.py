"""The roster download on the staff pages: choose the filters, get the .xlsx (registrars and admins)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.errors import TrackerError
from tracker.i18n import current_language
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionService
from tracker.services.rosters import RosterRequest, RosterService
from tracker.web.api.rosters import download
from tracker.web.auth import registrars
from tracker.web.staff import page
from tracker.web.staff.forms import errors_of, status_of

Elections = NamedDependency[ElectionService]
Missions = NamedDependency[MissionService]
FIELDS = ("mission", "status", "as_of", "lang", "per_mission")


class RosterPages(Controller):
    path = "/staff/elections/{slug:str}/roster"
    include_in_schema = False
    guards = [registrars]

    @get("/")
    async def roster(
        self,
        request: Request[Any, Any, Any],
        elections: Elections,
        missions: Missions,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Template | Response[bytes]:
        """The form; with `download` in the query, the file, or the form again with what is wrong."""
        election = await elections.get_by_slug(slug)
        chosen = {key: request.query_params.get(key) or None for key in FIELDS}
        chosen["lang"] = chosen["lang"] or current_language.get()
        errors: dict[str, str] = {}
        status_code = 200
        if "download" in request.query_params:
            wanted = RosterRequest(
                election.slug,
                mission=chosen["mission"],
                status=chosen["status"],
                as_of=chosen["as_of"],
                lang=chosen["lang"],
                per_mission=bool(chosen["per_mission"]),
            )
            try:
                return download(await RosterService(db_session).build(wanted, request.user.actor))
            except TrackerError as error:
                errors, status_code = errors_of(error), status_of(error)
        return page(
            request,
            "roster",
            election=election,
            missions=await missions.of_election(election),
            statuses=list(m.Status),
            chosen=chosen,
            errors=errors,
            status_code=status_code,
        )
