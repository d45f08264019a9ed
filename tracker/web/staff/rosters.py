"""The roster download on the staff pages: choose the filters, get the .xlsx (registrars and admins)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Response, Template

from tracker import models as m
from tracker.errors import TrackerError
from tracker.i18n import current_language
from tracker.services.rosters import XLSX, RosterRequest
from tracker.web.auth import registrars
from tracker.web.deps import Election, Missions, Rosters
from tracker.web.http.files import file_response
from tracker.web.staff import page
from tracker.web.staff.forms import errors_of, status_of

FIELDS = ("mission", "status", "as_of", "lang", "per_mission")


class RosterPages(Controller):
    path = "/staff/elections/{slug:str}/roster"
    include_in_schema = False
    guards = [registrars]

    @get("/")
    async def roster(
        self, request: Request[Any, Any, Any], rosters: Rosters, missions: Missions, election: Election
    ) -> Template | Response[bytes]:
        """The form; with `download` in the query, the file, or the form again with what is wrong."""
        chosen = {key: request.query_params.get(key) or None for key in FIELDS}
        chosen["lang"] = chosen["lang"] or current_language.get()
        errors: dict[str, str] = {}
        status_code = 200
        if "download" in request.query_params:
            wanted = RosterRequest(
                mission=chosen["mission"],
                status=chosen["status"],
                as_of=chosen["as_of"],
                lang=chosen["lang"],
                per_mission=bool(chosen["per_mission"]),
            )
            try:
                roster = await rosters.build(election, wanted, request.user.actor)
                return file_response(roster.content, XLSX, roster.filename)
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
