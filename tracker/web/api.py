"""The JSON API under /api."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, QueryParameter

from tracker.phrases import check_language
from tracker.services.elections import ElectionService
from tracker.web.auth import PUBLIC_SITE
from tracker.web.dependencies import provide_elections
from tracker.web.schemas import ElectionOut, ErrorOut, TallyOut

Elections = NamedDependency[ElectionService]
Lang = Annotated[str, QueryParameter(description="Language of names and the headline: en, ru or kk.")]
AsOf = Annotated[
    str | None,
    QueryParameter(
        description="The instant to count at: ISO 8601 date-time (with an offset, or read in the election's "
        "time zone) or a date (its end in the election's time zone). Default: now.",
    ),
]

NOT_FOUND = ResponseSpec(data_container=ErrorOut, description="No election with that slug")
BAD_PARAMETER = ResponseSpec(data_container=ErrorOut, description="A parameter that cannot be read; `field` names it")


class ElectionApi(Controller):
    path = "/api/elections"
    tags = ["elections"]
    opt = PUBLIC_SITE
    dependencies = {"elections": Provide(provide_elections)}

    @get("/", summary="Elections, the most recent first", responses={400: BAD_PARAMETER})
    async def list_elections(self, elections: Elections, lang: Lang = "en") -> list[ElectionOut]:
        check_language(lang)
        return [ElectionOut.of(election, lang) for election in await elections.list_by_voting_day()]

    @get("/{slug:str}", summary="One election", responses={400: BAD_PARAMETER, 404: NOT_FOUND})
    async def get_election(self, elections: Elections, slug: FromPath[str], lang: Lang = "en") -> ElectionOut:
        check_language(lang)
        return ElectionOut.of(await elections.get_by_slug(slug), lang)

    @get(
        "/{slug:str}/tally",
        summary="The tally as of an instant",
        description="Accredited international observers, countries and organizations, with breakdowns.",
        responses={400: BAD_PARAMETER, 404: NOT_FOUND},
    )
    async def get_tally(
        self, elections: Elections, slug: FromPath[str], as_of: AsOf = None, lang: Lang = "en"
    ) -> TallyOut:
        check_language(lang)
        election, tally = await elections.tally(slug, as_of)
        return TallyOut.of(election, tally, lang)
