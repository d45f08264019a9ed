"""Printing accreditation cards on the staff pages (registrars and admins)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.errors import TrackerError
from tracker.services.badges import CARD_LANGUAGES, CardsRequest
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionService
from tracker.web.api.badges import build_cards, cards_download
from tracker.web.auth import registrars
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, ids_of, status_of


class BadgePages(Controller):
    path = "/staff/elections/{slug:str}/badges"
    include_in_schema = False
    guards = [registrars]

    @get("/")
    async def badges(
        self,
        request: Request[Any, Any, Any],
        elections: NamedDependency[ElectionService],
        missions: NamedDependency[MissionService],
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Template | Response[bytes]:
        """The form; with `download` in the query, the cards, or the form again with what is wrong."""
        election = await elections.get_by_slug(slug)
        query = request.query_params
        chosen = {
            "mission": query.get("mission") or None,
            "layout": query.get("layout") or "sheet",
            "lang": query.getall("lang") if "lang" in query else list(CARD_LANGUAGES),
        }
        errors: dict[str, str] = {}
        status_code = 200
        if "download" in query:
            try:
                wanted = CardsRequest(
                    election.slug,
                    mission=chosen["mission"],
                    accreditation_ids=tuple(ids_of(query, "accreditation")),
                    layout=chosen["layout"],
                    languages=chosen["lang"],
                )
                return cards_download(await build_cards(request, db_session, wanted))
            except (FormErrors, TrackerError) as error:
                errors, status_code = errors_of(error), status_of(error)
        return page(
            request,
            "badges",
            election=election,
            missions=await missions.of_election(election),
            chosen=chosen,
            errors=errors,
            status_code=status_code,
        )
