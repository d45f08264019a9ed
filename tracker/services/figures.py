"""The published figures beyond one tally (ElectionService's): the day-by-day timeline, and all that the public
reads about an election at once. The counting is tally.py's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.instants import read_as_of, read_known_at
from tracker.services.bulletins import BulletinService
from tracker.services.elections import ElectionService
from tracker.services.news import NewsService
from tracker.tally import Tally
from tracker.timeline import TimelinePoint, timeline


@dataclass(frozen=True, slots=True)
class Timeline:
    election: m.Election
    until: dt.datetime
    """The instant asked for: the last point's, unless it lies after voting day (the points stop there)."""
    points: tuple[TimelinePoint, ...]
    known_at: dt.datetime | None = None
    """The moment whose records were counted; None: today's."""


@dataclass(frozen=True, slots=True)
class PublishedFigures:
    """An election's tally as of an instant with its breakdowns, the timeline up to it, the published
    bulletins (newest first, with their headlines) and the news items (newest first): those of the instant or
    before it, and apart those of a later moment, which a reader of the past must not take for current."""

    election: m.Election
    tally: Tally
    timeline: tuple[TimelinePoint, ...]
    bulletins: tuple[tuple[m.Bulletin, dict[str, str]], ...]
    news: tuple[m.NewsItem, ...]
    later_bulletins: tuple[tuple[m.Bulletin, dict[str, str]], ...] = ()
    later_news: tuple[m.NewsItem, ...] = ()
    known_at: dt.datetime | None = None
    """The moment whose records were counted; None: today's."""

    @property
    def final(self) -> bool:
        """The figures counted after the accreditation window closed: no accreditation can be added since."""
        return self.tally.as_of >= self.election.window_closes_at


class FigureService:
    def __init__(self, session: AsyncSession, bulletins: BulletinService) -> None:
        self.session = session
        self.bulletins = bulletins
        self.elections = ElectionService(session=session)

    async def timeline(self, slug: str, as_of: str | None = None, known_at: str | None = None) -> Timeline:
        """The figures at the end of each day up to `as_of` (text as a user typed it; empty means now), from the
        records as they stood at `known_at` (empty: today's)."""
        election = await self.elections.get_by_slug(slug)
        until, known = read_as_of(as_of, election.zone), read_known_at(known_at, election.zone)
        return Timeline(election, until, await timeline(self.session, election, until, known_at=known), known)

    async def published(self, slug: str, as_of: str | None = None, known_at: str | None = None) -> PublishedFigures:
        """The election's figures as of `as_of` (text as a user typed it; empty means now), from the records as
        they stood at `known_at` (empty: today's)."""
        election, tally = await self.elections.tally(slug, as_of, known_at)
        known = read_known_at(known_at, election.zone)
        bulletins = await self.bulletins.headlined(election, status=m.BulletinStatus.PUBLISHED)
        news = await NewsService(self.session).listing(election)
        # A bulletin belongs to the moment it counts at (it cannot be published before it; a bulletin loaded
        # afterwards, as the demo's are, still reports that moment); a news item to its publication.
        return PublishedFigures(
            election=election,
            tally=tally,
            # The timeline stops at voting day by itself: a chart of the accreditation, not of the years since.
            timeline=await timeline(self.session, election, tally.as_of, known_at=known),
            bulletins=tuple(row for row in bulletins if row[0].as_of <= tally.as_of),
            news=tuple(item for item in news if item.published_at <= tally.as_of),
            later_bulletins=tuple(row for row in bulletins if row[0].as_of > tally.as_of),
            later_news=tuple(item for item in news if item.published_at > tally.as_of),
            known_at=known,
        )
