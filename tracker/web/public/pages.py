"""Public pages: no login, no personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Response, Template
from markupsafe import Markup

from tracker import models as m
from tracker.errors import InvalidInput, NotFound
from tracker.i18n import current_language, format_day, format_input_date, format_input_instant
from tracker.i18n import gettext as _
from tracker.instants import written_back
from tracker.labels import capitalized, language_names, roles, sender_kinds
from tracker.phrases import headline
from tracker.tally import SenderCount
from tracker.timeline import TimelinePoint
from tracker.web.auth import PUBLIC_SITE
from tracker.web.deps import Bulletins, Elections, Figures, News
from tracker.web.http.files import PDF, file_response
from tracker.web.public.indexes import snapshot_tables
from tracker.web.public.svg import timeline_svg

DOMESTIC_LISTED = 20
"""The page lists every international sender, and this many domestic organizations, those with the most observers:
a national register's thousands would make a page nobody reads to the end, on a phone least of all. The others are
one row with their totals; every sender is in the open data."""
# A published bulletin's bytes never change: caches may keep them as long as they like.
FOREVER = "public, max-age=31536000, immutable"
# The moment the form's examples show: Kazinform's report of 97 observers (DESIGN.md), Astana time then.
ASTANA_2023 = dt.timezone(dt.timedelta(hours=6))
KAZINFORM = dt.datetime(2023, 2, 22, 21, 13, tzinfo=ASTANA_2023)


def timeline_chart(points: Sequence[TimelinePoint]) -> Markup:
    """The day-by-day chart, named in the interface language for screen readers."""
    first, last = points[0], points[-1]
    lang = current_language.get()
    period = " – ".join(format_day(point.day, lang) for point in (first, last))
    return timeline_svg(
        [(point.day, point.observers) for point in points],
        title=_("Accredited international observers, day by day"),
        description=f"{period}. " + _("On the last day: %(count)d") % {"count": last.observers},
        x_title=_("Day"),
        y_title=_("Accredited observers"),
    )


def open_data(
    slug: str, as_of: dt.datetime | None, lang: str, known_at: dt.datetime | None = None
) -> dict[str, tuple[str, dict[str, str]]]:
    """The open data behind the page, by name (tally, senders, timeline) its label and its links as JSON and CSV,
    at the page's moment (none: now), from the records of its `known_at` (none: today's), in its language."""
    moments = {"as_of": as_of, "known_at": known_at}
    query = urlencode({**{key: value.isoformat() for key, value in moments.items() if value}, "lang": lang})
    base = f"/api/elections/{slug}"
    return {
        name: (label, {kind: f"{base}/{name}{suffix}?{query}" for kind, suffix in (("JSON", ""), ("CSV", ".csv"))})
        for label, name in (
            (_("The tally and its breakdowns"), "tally"),
            (_("The senders"), "senders"),
            (_("The figures day by day"), "timeline"),
        )
    }


@dataclass(frozen=True, slots=True)
class Unlisted:
    """The domestic organizations the page does not list one by one, and their totals."""

    organizations: int
    observers: int
    nominated: int


def listed_senders(senders: Sequence[SenderCount]) -> tuple[list[SenderCount], Unlisted | None]:
    """The senders the page lists, in the tally's order, and the domestic organizations past DOMESTIC_LISTED."""
    listed: list[SenderCount] = []
    unlisted: list[SenderCount] = []
    domestic = 0
    for sender in senders:
        if not (sender.observers or sender.nominated):
            continue
        if sender.kind is m.SenderKind.DOMESTIC_ORGANIZATION:
            domestic += 1
            if domestic > DOMESTIC_LISTED:
                unlisted.append(sender)
                continue
        listed.append(sender)
    if not unlisted:
        return listed, None
    return listed, Unlisted(
        len(unlisted), sum(sender.observers for sender in unlisted), sum(sender.nominated for sender in unlisted)
    )


def held_sha256(if_none_match: str | None) -> str | None:
    """The SHA-256 a reader's copy has, from its If-None-Match: the ETag we sent, the hash in quotes."""
    if if_none_match and len(if_none_match) >= 2 and if_none_match[0] == if_none_match[-1] == '"':
        return if_none_match[1:-1]
    return None


class PublicPages(Controller):
    path = "/"
    include_in_schema = False
    opt = PUBLIC_SITE

    # Cached in the shared store, keyed by the data version (tracker.web.http.caching): never older than the data.
    @get("/", cache=True)
    async def home(self, elections: Elections) -> Template:
        lang = current_language.get()
        rows = [
            {
                "election": row.election,
                "tally": row.tally,
                "headline": headline(row.tally.observers, row.tally.countries, row.tally.organizations, lang),
                "as_of": row.election.local(row.tally.as_of),
            }
            for row in await elections.figures()
        ]
        return Template("public/home.html", context={"rows": rows})

    @get("/elections/{slug:str}", cache=True)
    async def election(
        self,
        figures: Figures,
        slug: FromPath[str],
        as_of: Annotated[str | None, QueryParameter()] = None,
        known_at: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        lang = current_language.get()
        typed = {"as_of": (as_of or "").strip(), "known_at": (known_at or "").strip()}
        problems: dict[str, str] = {}
        while True:
            try:
                found = await figures.published(
                    slug, *("" if field in problems else typed[field] for field in ("as_of", "known_at"))
                )
                break
            except InvalidInput as error:
                if error.field not in typed or error.field in problems:
                    raise
                # A moment that cannot be read keeps the page (as of now, from today's records) and the form with
                # what was typed, the message under the field in the page's language.
                problems[error.field] = error.message.removeprefix(f"{error.field}: ")
        asked = typed["as_of"]
        problem = problems.get("as_of")
        tally = found.tally
        election = found.election
        zone = election.zone
        senders, unlisted = listed_senders(tally.by_sender)
        data = open_data(election.slug, tally.as_of if asked and not problem else None, lang, found.known_at)
        return Template(
            "public/election.html",
            status_code=400 if problems else 200,
            context={
                "election": election,
                "tally": tally,
                "headline": headline(tally.observers, tally.countries, tally.organizations, lang),
                # What was typed, as the page's language writes it (22.02.2023 21:13 in ru and kk).
                "as_of": asked if problem else written_back(asked, found.election.zone, lang) if asked else "",
                "as_of_problem": problem,
                "known_at": written_back(typed["known_at"], zone, lang) if found.known_at else typed["known_at"],
                "known_at_problem": problems.get("known_at"),
                "recorded_at": found.known_at,
                "examples": {
                    "date": format_input_date(KAZINFORM.date(), lang),
                    "date_time": format_input_instant(KAZINFORM, ASTANA_2023, lang),
                },
                "kind_names": capitalized(sender_kinds()),
                "role_names": capitalized(roles()),
                "timeline": found.timeline,
                "chart": timeline_chart(found.timeline),
                "bulletins": found.bulletins,
                "news": found.news,
                "later_bulletins": found.later_bulletins,
                "later_news": found.later_news,
                "news_languages": language_names({item.language for item in found.news + found.later_news}, lang),
                # Without a moment asked for, the figures of a closed window are the final ones: said so.
                "closed_at": election.window_closes_at if found.final and not (asked and not problem) else None,
                "senders": senders,
                "unlisted": unlisted,
                "open_data": data,
            },
        )

    @get("/bulletins/{name:str}")
    async def bulletin(
        self, request: Request[Any, Any, Any], bulletins: Bulletins, name: FromPath[str]
    ) -> Template | Response[bytes]:
        """`/bulletins/12` is the page, `/bulletins/12.pdf` the published PDF, exactly as it was published."""
        number, _, suffix = name.partition(".")
        if not number.isdigit() or suffix not in {"", "pdf"}:
            raise NotFound("bulletin", name)
        if suffix == "pdf":
            pdf = await bulletins.published_pdf(int(number), held=held_sha256(request.headers.get("if-none-match")))
            headers = {"ETag": f'"{pdf.sha256}"', "Cache-Control": FOREVER}
            if pdf.content is None:
                return Response(b"", status_code=304, headers=headers)
            response = file_response(pdf.content, PDF, f"bulletin-{pdf.bulletin_id}.pdf", inline=True, cache=FOREVER)
            response.headers["ETag"] = headers["ETag"]
            return response
        detail = await bulletins.detail(int(number), published_only=True)
        return Template(
            "public/bulletin.html",
            context={
                "bulletin": detail.bulletin,
                "election": detail.bulletin.election,
                "headlines": detail.headlines,
                "news": detail.news,
                "corrected_by": detail.corrected_by,
                "corrects": detail.corrects,
                "previous": detail.previous,
                "next": detail.next,
                "tables": snapshot_tables(detail.bulletin.snapshot, current_language.get()),
                "reconciliation": await bulletins.reconciliation(detail.bulletin),
            },
        )

    @get("/news/{item_id:int}")
    async def news_item(self, news: News, item_id: FromPath[int]) -> Template:
        detail = await news.detail(item_id)
        return Template(
            "public/news.html",
            context={"item": detail.item, "election": detail.election, "bulletins": detail.bulletins},
        )
