"""Printing accreditation cards on the staff pages (registrars and admins)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Response, Template

from tracker.errors import TrackerError
from tracker.services.badges import CARD_LANGUAGES, CardsRequest
from tracker.web.auth import registrars
from tracker.web.deps import Badges, Election, Missions
from tracker.web.http.files import PDF, file_response
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, ids_of, status_of


class BadgePages(Controller):
    path = "/staff/elections/{slug:str}/badges"
    include_in_schema = False
    guards = [registrars]

    @get("/")
    async def badges(
        self, request: Request[Any, Any, Any], badges: Badges, missions: Missions, election: Election
    ) -> Template | Response[bytes]:
        """The form; with `download` in the query, the cards, or the form again with what is wrong."""
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
                    mission=chosen["mission"],
                    accreditation_ids=tuple(ids_of(query, "accreditation")),
                    layout=chosen["layout"],
                    languages=chosen["lang"],
                )
                cards = await badges.cards(election, wanted, request.user.actor)
                return file_response(cards.content, PDF, cards.filename)
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
