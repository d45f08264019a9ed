"""What the public Atom feeds carry: the newest published bulletins and news items, of every election or of
one, worded in the reader's language. The document itself is built by `reports.atom`."""

from __future__ import annotations

import datetime as dt
import textwrap
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from reports.atom import Entry, Feed, Link
from tracker import models as m
from tracker.i18n import format_instant
from tracker.i18n import gettext as _
from tracker.phrases import headline
from tracker.services.elections import ElectionService
from tracker.settings import Settings

NEWEST = 50
"""Entries a feed carries: a reader polls it, and older items stay on the indexes."""
SUMMARY_CHARS = 300
# A feed with no entry yet still needs an `updated`: a fixed instant keeps its answer the same until one comes.
NEVER = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


class FeedService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def bulletins(self, lang: str, election: str | None = None) -> Feed:
        about = await self._election(election)
        query = (
            select(m.Bulletin)
            .options(selectinload(m.Bulletin.election))
            .where(m.Bulletin.status == m.BulletinStatus.PUBLISHED)
            .order_by(m.Bulletin.published_at.desc(), m.Bulletin.id.desc())
            .limit(NEWEST)
        )
        if about is not None:
            query = query.where(m.Bulletin.election_id == about.id)
        feed = self._feed("bulletins", lang, about)
        for bulletin in await self.session.scalars(query):
            # A published bulletin has both (the table's checks).
            assert bulletin.published_at is not None
            assert bulletin.number is not None
            snapshot, zone = bulletin.snapshot, bulletin.election.zone
            moment = format_instant(bulletin.as_of, zone, lang)
            page = self._url(f"/bulletins/{bulletin.id}")
            feed.entries.append(
                Entry(
                    id=page,
                    title=f"{_('Bulletin No. %(number)d') % {'number': bulletin.number}} — "
                    f"{bulletin.election.name(lang)}",
                    updated=bulletin.published_at,
                    published=bulletin.published_at,
                    summary=f"{headline(snapshot['observers'], snapshot['countries'], snapshot['organizations'], lang)}"
                    f" — {_('As of %(moment)s') % {'moment': moment}} ({bulletin.election.time_zone})",
                    links=(
                        Link(self._url(f"/bulletins/{bulletin.id}", lang=lang), type="text/html"),
                        Link(self._url(f"/bulletins/{bulletin.id}.pdf"), rel="enclosure", type="application/pdf"),
                    ),
                )
            )
        return feed

    async def news(self, lang: str, election: str | None = None) -> Feed:
        about = await self._election(election)
        query = select(m.NewsItem).order_by(m.NewsItem.published_at.desc(), m.NewsItem.id.desc()).limit(NEWEST)
        if about is not None:
            query = query.where(m.NewsItem.election_id == about.id)
        feed = self._feed("news", lang, about)
        for item in await self.session.scalars(query):
            text = textwrap.shorten(" ".join(item.text.split()), SUMMARY_CHARS, placeholder=" …") if item.text else ""
            links = [Link(self._url(f"/news/{item.id}", lang=lang), type="text/html")]
            if item.url and item.url.startswith(("https://", "http://")):
                links.append(Link(item.url, rel="related", hreflang=item.language))
            feed.entries.append(
                Entry(
                    id=self._url(f"/news/{item.id}"),
                    title=item.title,
                    updated=max(item.updated_at, item.published_at),
                    published=item.published_at,
                    summary=f"{item.source}: {text}" if text else item.source,
                    links=tuple(links),
                    language=item.language if item.language != lang else None,
                )
            )
        return feed

    async def _election(self, slug: str | None) -> m.Election | None:
        return await ElectionService(session=self.session).get_by_slug(slug) if slug else None

    def _feed(self, kind: str, lang: str, election: m.Election | None) -> Feed:
        asked = {"election": election.slug} if election else {}
        self_url = self._url(f"/feeds/{kind}.atom", **asked, lang=lang)
        if kind == "bulletins":
            title = _("Bulletins: %(election)s") if election else _("Observer accreditation: bulletins")
        else:
            title = _("News: %(election)s") if election else _("Observer accreditation: news")
        return Feed(
            id=self_url,
            title=title % {"election": election.name(lang)} if election else title,
            author=_(self.settings.commission_name),
            language=lang,
            self_url=self_url,
            page_url=self._url(f"/elections/{election.slug}" if election else "/", lang=lang),
            fallback_updated=election.created_at if election else NEVER,
        )

    def _url(self, path: str, **query: str) -> str:
        return f"{self.settings.public_url}{path}" + (f"?{urlencode(query)}" if query else "")
