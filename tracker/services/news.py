"""News items: the articles and press releases that quote the figures, linked to missions and bulletins."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

import msgspec
from babel import Locale, UnknownLocaleError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from tracker import models as m
from tracker.cleaning import clean_text
from tracker.errors import Checks, Conflict, InvalidInput, NotFound
from tracker.i18n import gettext as _
from tracker.instants import DATE_TIME_FORMS, DateTimeIn
from tracker.services.audit import Actor, record, snapshot
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionService
from tracker.services.paging import Page, page_of
from tracker.services.versions import check_version

TEXT_LIMIT = 20_000


class NewsData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    election: Annotated[str, msgspec.Meta(max_length=64, examples=["majilis-2023"])] | None = None
    title: Annotated[str, msgspec.Meta(max_length=500)]
    source: Annotated[str, msgspec.Meta(max_length=255, examples=["Kazinform"])]
    url: Annotated[str, msgspec.Meta(max_length=2000, examples=["https://www.inform.kz/en/"])] | None = None
    language: Annotated[str, msgspec.Meta(max_length=8, examples=["en", "ru", "kk"])]
    published_at: Annotated[DateTimeIn, msgspec.Meta(description=DATE_TIME_FORMS + " UTC without an election.")]
    text: Annotated[str, msgspec.Meta(max_length=TEXT_LIMIT)] = ""
    missions: Annotated[list[str], msgspec.Meta(max_length=100)] = msgspec.field(default_factory=list)
    """Short names of the election's missions the item is about."""


def clean_url(value: str | None) -> str | None:
    url = clean_text(value, "url", limit=2000)
    if url is None:
        return None
    parts = urlsplit(url)
    # Shown as a link on public pages and in PDFs: only the web's own schemes, never javascript: or file:.
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidInput("url: " + _("give a full web address starting with https:// or http://"), field="url")
    return url


def clean_language(value: str) -> str:
    code = value.strip().lower()
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        message = _("%(value)s is not a language code such as en, ru or kk") % {"value": repr(value)}
        raise InvalidInput(f"language: {message}", field="language") from None
    return code


def clean_body(value: str) -> str:
    """Paragraphs: line breaks and tabs are kept, other control and invisible characters refused."""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").strip())
    if len(text) > TEXT_LIMIT:
        raise InvalidInput("text: " + _("at most %(limit)d characters") % {"limit": TEXT_LIMIT}, field="text")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"} and ch not in "\n\t" for ch in text):
        raise InvalidInput("text: " + _("contains control or invisible formatting characters"), field="text")
    return text


@dataclass(frozen=True, slots=True)
class NewsDetail:
    """A news item (its missions loaded), the election it is about, and the published bulletins that link it,
    oldest first."""

    item: m.NewsItem
    election: m.Election | None
    bulletins: tuple[m.Bulletin, ...]


@dataclass(frozen=True, slots=True)
class NewsForm:
    """What the staff's news form shows: the item being changed (None for a new one) and the election's
    missions it may be about."""

    item: m.NewsItem | None
    missions: list[m.Mission]


class NewsService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, item_id: int, *, election: m.Election | None = None) -> m.NewsItem:
        """The item; with `election`, only one about that election (as its pages address it)."""
        query = select(m.NewsItem).where(m.NewsItem.id == item_id).options(selectinload(m.NewsItem.missions))
        if election is not None:
            query = query.where(m.NewsItem.election_id == election.id)
        item = await self.session.scalar(query)
        if item is None:
            raise NotFound("news item", item_id)
        return item

    async def listing(self, election: m.Election | None = None) -> list[m.NewsItem]:
        """Newest first."""
        query = (
            select(m.NewsItem)
            .options(selectinload(m.NewsItem.missions))
            .order_by(m.NewsItem.published_at.desc(), m.NewsItem.id.desc())
        )
        if election is not None:
            query = query.where(m.NewsItem.election_id == election.id)
        return list(await self.session.scalars(query))

    async def page(self, election: m.Election | None, page_number: int) -> Page:
        """A page of the news items, of every election or of one, newest first, each with its election."""
        where = [m.NewsItem.election_id == election.id] if election is not None else []
        query = select(m.NewsItem).order_by(m.NewsItem.published_at.desc(), m.NewsItem.id.desc())
        page = await page_of(self.session, query, where, m.NewsItem.id, page_number)
        return Page(tuple(await self._details(list(page.rows))), page.page_number, page.pages)

    async def detail(self, item_id: int) -> NewsDetail:
        return (await self._details([await self.get(item_id)]))[0]

    async def details(self, election: str | None = None) -> list[NewsDetail]:
        """Newest first, of every election or of the one whose slug is given."""
        about = await ElectionService(session=self.session).get_by_slug(election) if election else None
        return await self._details(await self.listing(about))

    async def form(self, election: m.Election, item_id: int | None = None) -> NewsForm:
        item = await self.get(item_id, election=election) if item_id is not None else None
        return NewsForm(item, await MissionService(session=self.session).of_election(election))

    async def create(self, data: NewsData, actor: Actor) -> NewsDetail:
        item = m.NewsItem(missions=[])
        await self._apply(item, data)
        self.session.add(item)
        await self.session.flush()
        await record(self.session, actor, "create", item)
        return (await self._details([item]))[0]

    async def update(
        self, item_id: int, data: NewsData, version: int | None, actor: Actor, *, election: m.Election | None = None
    ) -> NewsDetail:
        """Change the item; with `election`, only one about that election."""
        item = await self.get(item_id, election=election)
        check_version(item, version)
        before = snapshot(item)
        await self._apply(item, data)
        await self.session.flush()
        await record(self.session, actor, "update", item, before=before)
        return (await self._details([item]))[0]

    async def _details(self, items: list[m.NewsItem]) -> list[NewsDetail]:
        """Each item with its election and the bulletins quoting it: one query for all the elections and one
        for all the bulletins, however many items."""
        election_ids = {item.election_id for item in items if item.election_id is not None}
        elections: dict[int, m.Election] = {}
        if election_ids:
            found = await self.session.scalars(select(m.Election).where(m.Election.id.in_(election_ids)))
            elections = {election.id: election for election in found}
        quoting: dict[int, list[m.Bulletin]] = {item.id: [] for item in items}
        if items:
            link = m.bulletin_news.c
            for item_id, bulletin in await self.session.execute(
                select(link.news_item_id, m.Bulletin)
                .join(m.Bulletin, m.Bulletin.id == link.bulletin_id)
                .where(link.news_item_id.in_(quoting), m.Bulletin.status == m.BulletinStatus.PUBLISHED)
                .order_by(m.Bulletin.as_of)
            ):
                quoting[item_id].append(bulletin)
        return [
            NewsDetail(
                item,
                elections.get(item.election_id) if item.election_id is not None else None,
                tuple(quoting[item.id]),
            )
            for item in items
        ]

    async def _apply(self, item: m.NewsItem, data: NewsData) -> None:
        """Check everything, reading what it needs, and only then change the item: a query in between would
        flush a half-made item (and a new one not yet in the session) along its missions."""
        election = await ElectionService(session=self.session).get_by_slug(data.election) if data.election else None
        if item.election_id is not None and (election is None or election.id != item.election_id):
            # What was said about one election is not moved to another, nor loosened from it.
            message = _("news item %(id)d is about another election and stays with it") % {"id": item.id}
            raise InvalidInput(f"election: {message}", field="election")
        zone = election.zone if election else dt.UTC
        published = data.published_at if data.published_at.tzinfo else data.published_at.replace(tzinfo=zone)
        # Every value refused is named at once.
        checks = Checks()
        title = checks.run(lambda: clean_text(data.title, "title", required=True, limit=500)) or ""
        source = checks.run(lambda: clean_text(data.source, "source", required=True)) or ""
        url = checks.run(lambda: clean_url(data.url))
        language = checks.run(lambda: clean_language(data.language)) or ""
        text = checks.run(lambda: clean_body(data.text)) or ""
        missions = await checks.wait(self._missions(election, data.missions)) or []
        checks.done()
        clash = await self.session.scalar(
            select(m.NewsItem.id).where(
                m.NewsItem.source == source,
                m.NewsItem.published_at == published.astimezone(dt.UTC),
                m.NewsItem.title == title,
            )
        )
        if clash is not None and clash != item.id:
            message = _("news item %(id)d already has this title, source and time") % {"id": clash}
            raise Conflict(f"title: {message}", field="title")
        item.election_id = election.id if election else None
        item.title, item.source, item.url, item.language, item.text = title, source, url, language, text
        item.published_at = published.astimezone(dt.UTC)
        item.missions = missions

    async def _missions(self, election: m.Election | None, slugs: list[str]) -> list[m.Mission]:
        if not slugs:
            return []
        if election is None:
            raise InvalidInput("missions: " + _("name the election the missions belong to"), field="missions")
        found = {
            mission.slug: mission
            for mission in await self.session.scalars(
                select(m.Mission).where(m.Mission.election_id == election.id, m.Mission.slug.in_(slugs))
            )
        }
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            message = _("%(election)s has no mission %(slugs)s") % {
                "election": election.slug,
                "slugs": ", ".join(map(repr, missing)),
            }
            raise InvalidInput(f"missions: {message}", field="missions")
        return [found[slug] for slug in dict.fromkeys(slugs)]
