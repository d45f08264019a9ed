"""Accreditation cards for registrars and admins: /api/elections/{slug}/badges.pdf."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.openapi import ResponseSpec
from litestar.params import QueryParameter

from reports.badges import Layout
from tracker.services.badges import CardsRequest
from tracker.web.api.responses import responses
from tracker.web.auth import CurrentUser, registrars
from tracker.web.deps import Badges, Election
from tracker.web.http.files import PDF, file_response

Staff = Request[CurrentUser, Any, Any]


class BadgeApi(Controller):
    path = "/api/elections/{slug:str}/badges.pdf"
    tags = ["cards"]
    guards = [registrars]

    @get(
        "/",
        summary="Accreditation cards with QR codes to check them",
        description="One 135 x 90 mm card per accredited observer (of a mission, or the accreditations named), four "
        "to an A4 sheet with cut marks, or one per page for card printers. Registrars and admins only.",
        media_type=PDF,
        responses={
            200: ResponseSpec(generate_examples=False, data_container=bytes, media_type=PDF, description="The PDF")
        }
        | responses(400, 401, 403, 404),
    )
    async def get_cards(
        self,
        request: Staff,
        badges: Badges,
        election: Election,
        mission: Annotated[str | None, QueryParameter(description="Only this mission (its short name).")] = None,
        accreditation: Annotated[
            list[int] | None, QueryParameter(description="Only these accreditations (repeat the parameter).")
        ] = None,
        layout: Annotated[Layout, QueryParameter(description="sheet: four to an A4 page; single: one per page.")] = (
            Layout.SHEET
        ),
        lang: Annotated[str, QueryParameter(description="One or two languages, e.g. kk,en.")] = "kk,en",
    ) -> Response[bytes]:
        wanted = CardsRequest(
            mission=mission, accreditation_ids=tuple(accreditation or ()), layout=layout.value, languages=lang
        )
        cards = await badges.cards(election, wanted, request.user.actor)
        return file_response(cards.content, PDF, cards.filename)
