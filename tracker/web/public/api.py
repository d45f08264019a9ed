"""The JSON API under /api."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import FromPath, QueryParameter

from tracker.instants import AS_OF_FORMS, KNOWN_AT_FORMS, read_known_at
from tracker.open_data import ElectionOut, SendersOut, TallyOut, TimelineOut
from tracker.phrases import check_language
from tracker.services.figures import FigureService
from tracker.timeline import TIMELINE_POINTS
from tracker.web.auth import ANONYMOUS, PUBLIC_SITE
from tracker.web.deps import Election, Elections, Figures
from tracker.web.http.errors import ErrorOut
from tracker.web.http.files import file_response
from tracker.web.public.csv_export import CSV, CsvFile, senders_csv, tally_csv, timeline_csv

Lang = Annotated[str, QueryParameter(description="Language of names and the headline: en, ru or kk.")]
AsOf = Annotated[
    str | None,
    QueryParameter(description=f"{AS_OF_FORMS} Default: now.", examples=[Example(value="22.02.2023 21:13")]),
]
KnownAt = Annotated[
    str | None,
    QueryParameter(description=KNOWN_AT_FORMS, examples=[Example(value="22.02.2023 21:13")]),
]

NOT_FOUND = ResponseSpec(generate_examples=False, data_container=ErrorOut, description="No election with that slug")
BAD_PARAMETER = ResponseSpec(
    generate_examples=False, data_container=ErrorOut, description="A parameter that cannot be read; `field` names it"
)
TOO_MANY = ResponseSpec(
    generate_examples=False, data_container=ErrorOut, description="Too many requests from your address: see Retry-After"
)
ERRORS = {400: BAD_PARAMETER, 404: NOT_FOUND, 429: TOO_MANY}
TIMELINE = (
    "The figures at the end of each day in the election's time zone, from the day the accreditation window "
    "opens to `as_of` (the last point is `as_of` itself), or to the end of voting day when `as_of` is later. "
    f"At most {TIMELINE_POINTS} points: a longer span is sampled evenly."
)


def csv_responses(what: str, example: str) -> dict[int, ResponseSpec]:
    spreadsheet = ResponseSpec(
        data_container=str,
        generate_examples=False,
        examples=[Example(summary="The first lines, in English", value=example)],
        media_type=CSV,
        description=f"{what}: UTF-8 with a byte order mark, headers in `lang`",
    )
    return {200: spreadsheet} | ERRORS


async def timeline_out(
    figures: FigureService, slug: str, as_of: str | None, lang: str, known_at: str | None = None
) -> TimelineOut:
    check_language(lang)
    found = await figures.timeline(slug, as_of, known_at)
    return TimelineOut.of(found.election, found.until, found.points, found.known_at)


def download(file: CsvFile) -> Response[bytes]:
    # Public aggregates: the public site's caching sets their Cache-Control.
    return file_response(file.content, CSV, file.filename, cache=None)


class ElectionApi(Controller):
    path = "/api/elections"
    tags = ["elections"]
    opt = PUBLIC_SITE
    security = ANONYMOUS

    @get("/", cache=True, summary="Elections, the most recent first", responses={400: BAD_PARAMETER, 429: TOO_MANY})
    async def list_elections(self, elections: Elections, lang: Lang = "en") -> list[ElectionOut]:
        check_language(lang)
        return [ElectionOut.of(election, lang) for election in await elections.list_by_voting_day()]

    @get("/{slug:str}", cache=True, summary="One election", responses=ERRORS)
    async def get_election(self, election: Election, lang: Lang = "en") -> ElectionOut:
        check_language(lang)
        return ElectionOut.of(election, lang)

    @get(
        "/{slug:str}/tally",
        cache=True,
        summary="The tally as of an instant",
        description="Accredited international observers, countries and organizations, with breakdowns.",
        responses=ERRORS,
    )
    async def get_tally(
        self, elections: Elections, slug: FromPath[str], as_of: AsOf = None, lang: Lang = "en", known_at: KnownAt = None
    ) -> TallyOut:
        check_language(lang)
        election, tally = await elections.tally(slug, as_of, known_at)
        return TallyOut.of(election, tally, lang, read_known_at(known_at, election.zone))

    @get("/{slug:str}/timeline", cache=True, summary="The figures day by day", description=TIMELINE, responses=ERRORS)
    async def get_timeline(
        self, figures: Figures, slug: FromPath[str], as_of: AsOf = None, lang: Lang = "en", known_at: KnownAt = None
    ) -> TimelineOut:
        return await timeline_out(figures, slug, as_of, lang, known_at)

    @get(
        "/{slug:str}/senders",
        cache=True,
        summary="The senders as of an instant",
        description="Each foreign state and organization with its accredited and nominated observers, and totals.",
        responses=ERRORS,
    )
    async def get_senders(
        self, elections: Elections, slug: FromPath[str], as_of: AsOf = None, lang: Lang = "en", known_at: KnownAt = None
    ) -> SendersOut:
        check_language(lang)
        election, tally = await elections.tally(slug, as_of, known_at)
        return SendersOut.of(election, tally, lang, read_known_at(known_at, election.zone))

    @get(
        "/{slug:str}/tally.csv",
        cache=True,
        summary="The tally as a CSV file",
        description="One row per figure (observers, countries, organizations, nominated, domestic observers), then "
        "the breakdowns by kind of sender, role and nationality: the same numbers as `/tally`.",
        media_type=CSV,
        responses=csv_responses(
            "The tally", "Section,Code,Item,Count\r\nTotal,observers,International observers,97\r\n"
        ),
    )
    async def get_tally_csv(
        self, elections: Elections, slug: FromPath[str], as_of: AsOf = None, lang: Lang = "en", known_at: KnownAt = None
    ) -> Response[bytes]:
        check_language(lang)
        election, tally = await elections.tally(slug, as_of, known_at)
        return download(tally_csv(TallyOut.of(election, tally, lang), lang))

    @get(
        "/{slug:str}/timeline.csv",
        cache=True,
        summary="The figures day by day as a CSV file",
        description=TIMELINE,
        media_type=CSV,
        responses=csv_responses(
            "One row per day",
            "Day,As of,International observers,Countries,International organizations\r\n"
            "2023-02-22,2023-02-22T21:13:00+06:00,97,11,3\r\n",
        ),
    )
    async def get_timeline_csv(
        self, figures: Figures, slug: FromPath[str], as_of: AsOf = None, lang: Lang = "en", known_at: KnownAt = None
    ) -> Response[bytes]:
        return download(timeline_csv(await timeline_out(figures, slug, as_of, lang, known_at), lang))

    @get(
        "/{slug:str}/senders.csv",
        cache=True,
        summary="The senders as a CSV file",
        description="One row per sender: the same numbers as `/senders`.",
        media_type=CSV,
        responses=csv_responses(
            "One row per sender",
            "Kind of sender,Code,Sender,Short name,Observers,"
            '"Nominated, awaiting decision"\r\nInternational organization,osce-odihr,'
            "OSCE Office for Democratic Institutions and Human Rights,OSCE/ODIHR,47,0\r\n",
        ),
    )
    async def get_senders_csv(
        self, elections: Elections, slug: FromPath[str], as_of: AsOf = None, lang: Lang = "en", known_at: KnownAt = None
    ) -> Response[bytes]:
        check_language(lang)
        election, tally = await elections.tally(slug, as_of, known_at)
        return download(senders_csv(SendersOut.of(election, tally, lang), lang))
