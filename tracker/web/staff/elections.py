"""The staff home (elections with their figures) and, for admins, elections and their windows."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from tracker.errors import TrackerError
from tracker.i18n import current_language
from tracker.phrases import headline
from tracker.services.elections import ElectionData
from tracker.web.auth import admins, staff
from tracker.web.deps import Election, Elections
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, status_of, version_of


def _form_values(election: Any) -> dict[str, Any]:
    return {
        "slug": election.slug,
        "name_en": election.name_en,
        "name_ru": election.name_ru,
        "name_kk": election.name_kk,
        "voting_day": election.voting_day.isoformat(),
        "time_zone": election.time_zone,
        "window_opens_at": election.local(election.window_opens_at).strftime("%Y-%m-%dT%H:%M"),
        "window_closes_at": election.local(election.window_closes_at).strftime("%Y-%m-%dT%H:%M"),
        "version": election.version,
    }


class ElectionPages(Controller):
    path = "/staff"
    include_in_schema = False

    @get("/", guards=[staff])
    async def home(self, request: Request[Any, Any, Any], elections: Elections) -> Template:
        lang = current_language.get()
        rows = [
            {
                "election": row.election,
                "tally": row.tally,
                "headline": headline(row.tally.observers, row.tally.countries, row.tally.organizations, lang),
            }
            for row in await elections.figures()
        ]
        return page(request, "home", rows=rows)

    @get("/elections/new", guards=[admins])
    async def new(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "election_form", values={"time_zone": "Asia/Almaty"}, errors={}, election=None)

    @post("/elections/new", guards=[admins])
    async def create(self, request: Request[Any, Any, Any], elections: Elections) -> Template | Redirect:
        form = await request.form()
        try:
            data = parse(form, ElectionData)
            election = await elections.create_election(data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "election_form",
                status_code=status_of(error),
                values=dict(form),
                errors=errors_of(error),
                election=None,
            )
        return Redirect(f"/staff/elections/{election.slug}/missions")

    @get("/elections/{slug:str}/edit", guards=[admins])
    async def edit(self, request: Request[Any, Any, Any], election: Election) -> Template:
        return page(request, "election_form", values=_form_values(election), errors={}, election=election)

    @post("/elections/{slug:str}/edit", guards=[admins])
    async def update(
        self, request: Request[Any, Any, Any], elections: Elections, election: Election
    ) -> Template | Redirect:
        form = await request.form()
        try:
            data = parse(form, ElectionData)
            version = version_of(form)
            await elections.update_election(election, data, version, request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "election_form",
                status_code=status_of(error),
                values=dict(form),
                errors=errors_of(error),
                election=election,
            )
        return Redirect("/staff")
