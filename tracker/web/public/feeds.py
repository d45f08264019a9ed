"""The public site for other sites: Atom feeds of bulletins and news items, and a headline news sites may
embed in a frame (the only page that may be framed)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.response import Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reports.atom import atom_document
from tracker.i18n import current_language
from tracker.phrases import headline
from tracker.services.feeds import FeedService
from tracker.settings import Settings
from tracker.web.auth import PUBLIC_SITE
from tracker.web.deps import AppSettings, Elections
from tracker.web.http.caching import MAX_AGE_OPTION
from tracker.web.http.security import EMBEDDABLE

ATOM = "application/atom+xml; charset=utf-8"
# A headline on another site's page is asked for by each of its readers: a minute's copy is close enough.
EMBED_MAX_AGE = 60


def provide_feeds(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> FeedService:
    return FeedService(db_session, settings)


Feeds = NamedDependency[FeedService]
# Read as `?election=`; named otherwise here, as `election` is the app's dependency for an election in the path.
ElectionSlug = Annotated[str | None, QueryParameter(name="election", description="An election's slug: only its items.")]


class FeedPages(Controller):
    path = "/"
    include_in_schema = False
    opt = PUBLIC_SITE
    dependencies = {"feeds": Provide(provide_feeds, sync_to_thread=False)}

    # Cached like the pages, keyed by the data version (tracker.web.http.caching).
    @get("/feeds/bulletins.atom", cache=True)
    async def bulletins(self, feeds: Feeds, slug: ElectionSlug = None) -> Response[bytes]:
        feed = await feeds.bulletins(current_language.get(), slug)
        return Response(atom_document(feed), media_type=ATOM)

    @get("/feeds/news.atom", cache=True)
    async def news(self, feeds: Feeds, slug: ElectionSlug = None) -> Response[bytes]:
        feed = await feeds.news(current_language.get(), slug)
        return Response(atom_document(feed), media_type=ATOM)

    @get("/elections/{slug:str}/embed", cache=True, opt={EMBEDDABLE: True, MAX_AGE_OPTION: EMBED_MAX_AGE})
    async def embed(self, elections: Elections, settings: AppSettings, slug: FromPath[str]) -> Template:
        election = await elections.get_by_slug(slug)
        tally = await elections.tally_of(election, breakdowns=False)
        lang = current_language.get()
        return Template(
            "public/embed.html",
            context={
                "election": election,
                "headline": headline(tally.observers, tally.countries, tally.organizations, lang),
                "as_of": election.local(tally.as_of),
                "as_of_utc": tally.as_of,
                "page": f"{settings.public_url}/elections/{election.slug}?lang={lang}",
            },
        )
