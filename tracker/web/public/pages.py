"""Public pages: no login, no personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

from babel.dates import format_date
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Response, Template
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.errors import NotFound
from tracker.i18n import current_language
from tracker.i18n import gettext as _
from tracker.instants import end_of_day
from tracker.labels import capitalized, roles, sender_kinds
from tracker.phrases import headline
from tracker.services.bulletins import BulletinService
from tracker.services.elections import ElectionService
from tracker.services.news import NewsService
from tracker.tally import TimelinePoint, timeline
from tracker.web.api.press_schemas import headlines
from tracker.web.auth import PUBLIC_SITE
from tracker.web.http.files import PDF, file_response
from tracker.web.public.svg import timeline_svg

# A published bulletin's bytes never change: caches may keep them as long as they like.
FOREVER = "public, max-age=31536000, immutable"


def chart_end(election: m.Election, as_of: dt.datetime) -> dt.datetime:
    """The chart runs to the tally's instant, but not past voting day, when the observers' work ends: a chart
    stretched to today would squeeze the weeks of accreditation against one edge (and be sampled, not daily)."""
    return min(as_of, end_of_day(election.voting_day, election.zone))


def timeline_chart(points: Sequence[TimelinePoint]) -> Markup:
    """The day-by-day chart, named in the interface language for screen readers."""
    first, last = points[0], points[-1]
    lang = current_language.get()
    period = " – ".join(format_date(point.day, "d MMMM y", locale=lang) for point in (first, last))
    return timeline_svg(
        [(point.day, point.observers) for point in points],
        title=_("Accredited international observers, day by day"),
        description=f"{period}. " + _("On the last day: %(count)d") % {"count": last.observers},
    )


class PublicPages(Controller):
    path = "/"
    include_in_schema = False
    opt = PUBLIC_SITE

    # Cached in the shared store, keyed by the data version (tracker.web.http.caching): never older than the data.
    @get("/", cache=True)
    async def home(self, elections: NamedDependency[ElectionService]) -> Template:
        lang = current_language.get()
        rows = []
        for election in await elections.list_by_voting_day():
            tally = await elections.tally_of(election, breakdowns=False)
            rows.append(
                {
                    "election": election,
                    "tally": tally,
                    "headline": headline(tally.observers, tally.countries, tally.organizations, lang),
                    "as_of": election.local(tally.as_of),
                }
            )
        return Template("public/home.html", context={"rows": rows})

    @get("/elections/{slug:str}", cache=True)
    async def election(
        self,
        elections: NamedDependency[ElectionService],
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        as_of: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        lang = current_language.get()
        asked = (as_of or "").strip()
        election, tally = await elections.tally(slug, asked or None)
        points = await timeline(db_session, election, chart_end(election, tally.as_of))
        bulletins = await BulletinService(db_session).listing(election=election, status=m.BulletinStatus.PUBLISHED)
        return Template(
            "public/election.html",
            context={
                "election": election,
                "tally": tally,
                "headline": headline(tally.observers, tally.countries, tally.organizations, lang),
                "as_of": asked,
                "kind_names": capitalized(sender_kinds()),
                "role_names": capitalized(roles()),
                "timeline": points,
                "chart": timeline_chart(points),
                "bulletins": [(bulletin, headlines(bulletin)) for bulletin in bulletins],
                "news": await NewsService(db_session).listing(election),
            },
        )

    @get("/bulletins/{name:str}")
    async def bulletin(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], name: FromPath[str]
    ) -> Template | Response[bytes]:
        """`/bulletins/12` is the page, `/bulletins/12.pdf` the published PDF, exactly as it was published."""
        number, _, suffix = name.partition(".")
        if not number.isdigit() or suffix not in {"", "pdf"}:
            raise NotFound("bulletin", name)
        bulletins = BulletinService(db_session)
        bulletin = await bulletins.get(int(number), published_only=True)
        if suffix == "pdf":
            etag = f'"{bulletin.pdf_sha256}"'
            if request.headers.get("if-none-match") == etag:
                return Response(b"", status_code=304, headers={"ETag": etag, "Cache-Control": FOREVER})
            settings = request.app.state.settings
            content = await bulletins.pdf(bulletin, commission=settings.commission_name, public_url=settings.public_url)
            response = file_response(content, PDF, f"bulletin-{bulletin.id}.pdf", inline=True, cache=FOREVER)
            response.headers["ETag"] = etag
            return response
        news = {item.id: item for item in bulletin.news_items}
        return Template(
            "public/bulletin.html",
            context={
                "bulletin": bulletin,
                "election": bulletin.election,
                "headlines": headlines(bulletin),
                "news": [(item, news.get(item["id"])) for item in bulletin.snapshot["news"]],
                "corrected_by": await bulletins.corrections_of(bulletin),
            },
        )

    @get("/news/{item_id:int}")
    async def news_item(self, db_session: NamedDependency[AsyncSession], item_id: FromPath[int]) -> Template:
        news = NewsService(db_session)
        item = await news.get(item_id)
        election = await db_session.get(m.Election, item.election_id) if item.election_id else None
        return Template(
            "public/news.html",
            context={"item": item, "election": election, "bulletins": await news.bulletins_quoting(item)},
        )
