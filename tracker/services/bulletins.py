"""Press bulletins: a tally frozen as of an instant, published as a PDF and never changed afterwards."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from reports.bulletin import build_bulletin
from tracker import models as m
from tracker.errors import Conflict, InvalidInput, NotFound
from tracker.i18n import current_language
from tracker.i18n import gettext as _
from tracker.instants import AS_OF_FORMS, read_as_of, utc_now
from tracker.phrases import LANGUAGES, check_language, headline
from tracker.services.audit import Actor, record
from tracker.services.bulletin_pdf import Letterhead, document
from tracker.services.elections import ElectionService
from tracker.services.news import NewsService
from tracker.services.paging import Page, page_of
from tracker.services.reconciliation import Reconciliation, reconcile, still_holds
from tracker.services.versions import check_version
from tracker.settings import Settings
from tracker.tally import Tally, tally_as_of
from tracker.timeline import timeline


class BulletinData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    election: Annotated[str, msgspec.Meta(max_length=64, examples=["majilis-2023"])]
    as_of: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=64,
                description=f"{AS_OF_FORMS} Default: now.",
                examples=["2023-02-22T21:13"],
            ),
        ]
        | None
    ) = None
    languages: Annotated[list[str], msgspec.Meta(min_length=1, max_length=3, examples=[["en", "ru", "kk"]])] = (
        msgspec.field(default_factory=lambda: list(LANGUAGES))
    )
    news_item_ids: Annotated[list[int], msgspec.Meta(max_length=50)] = []
    corrects_id: int | None = None
    """The published bulletin this one corrects."""
    publish: bool = False
    """Publish at once instead of keeping a draft to preview."""


def fingerprint(snapshot: dict[str, Any]) -> str:
    """SHA-256 of the snapshot's canonical JSON: equal snapshots, equal fingerprints, on any database."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def headlines(bulletin: m.Bulletin) -> dict[str, str]:
    """The headline of the bulletin's frozen figures in each of its languages, in its order."""
    snapshot = bulletin.snapshot
    counts = (snapshot["observers"], snapshot["countries"], snapshot["organizations"])
    return {lang: headline(*counts, lang) for lang in bulletin.language_list}


def snapshot_of(election: m.Election, tally: Tally, points: Any, news: list[m.NewsItem]) -> dict[str, Any]:
    """Everything the bulletin prints, as plain JSON: names in every language, so that no later change
    to a country, an organization or a news item alters a bulletin already made."""
    return {
        "election": {
            "slug": election.slug,
            "names": {lang: election.name(lang) for lang in LANGUAGES},
            "time_zone": election.time_zone,
        },
        "as_of": tally.as_of.isoformat(),
        "observers": tally.observers,
        "countries": tally.countries,
        "organizations": tally.organizations,
        "nominated": tally.nominated,
        "by_sender_kind": {kind.value: n for kind, n in tally.by_sender_kind.items()},
        "by_sender": [
            {
                "kind": sender.kind.value,
                "code": sender.code,
                "names": sender.names,
                "short_names": sender.short_names,
                "observers": sender.observers,
            }
            for sender in tally.by_sender
            if sender.observers
        ],
        "by_role": {role.value: n for role, n in tally.by_role.items()},
        "timeline": [{"day": point.day.isoformat(), "observers": point.observers} for point in points],
        "news": [
            {
                "id": item.id,
                "title": item.title,
                "source": item.source,
                "url": item.url,
                "language": item.language,
                "published_at": item.published_at.isoformat(),
            }
            for item in news
        ],
    }


@dataclass(frozen=True, slots=True)
class BulletinOverview:
    """An election's bulletins, newest first, with their headlines; the published ones a new bulletin may
    correct; the news items it may quote."""

    rows: tuple[tuple[m.Bulletin, dict[str, str]], ...]
    published: tuple[m.Bulletin, ...]
    news: tuple[m.NewsItem, ...]


@dataclass(frozen=True, slots=True)
class BulletinDetail:
    """One bulletin (its election and news items loaded), its headlines, the news items its snapshot quotes
    paired with the item as it is now (None once deleted), and the published bulletins that correct it."""

    bulletin: m.Bulletin
    headlines: dict[str, str]
    news: tuple[tuple[dict[str, Any], m.NewsItem | None], ...]
    corrected_by: tuple[m.Bulletin, ...]
    corrects: m.Bulletin | None = None
    previous: m.Bulletin | None = None
    """The published bulletin of the same election numbered just before; `next` the one just after."""
    next: m.Bulletin | None = None


@dataclass(frozen=True, slots=True)
class PublishedPdf:
    """A published bulletin's PDF: its SHA-256, and its bytes unless the reader holds them already."""

    bulletin_id: int
    sha256: str
    content: bytes | None


class BulletinService:
    """Bulletins, their PDFs and their rules; every PDF prints the settings' commission name and public address."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def create(self, data: BulletinData, actor: Actor, *, published_at: dt.datetime | None = None) -> m.Bulletin:
        """A draft, or published at once (`data.publish`) at `published_at` (now): the demo's 2023 bulletins are
        published at the moments they were."""
        languages = _languages(data.languages)
        election = await ElectionService(session=self.session).get_by_slug(data.election)
        instant = read_as_of(data.as_of, election.zone)
        check_instant(election, instant)
        if data.corrects_id is not None:
            await self._corrected(election, data.corrects_id)
        news = await self._news(election, data.news_item_ids)
        tally = await tally_as_of(self.session, election, instant)
        snapshot = snapshot_of(election, tally, await timeline(self.session, election, instant), news)
        bulletin = m.Bulletin(
            election_id=election.id,
            as_of=tally.as_of,
            languages=",".join(languages),
            status=m.BulletinStatus.DRAFT,
            snapshot=snapshot,
            fingerprint=fingerprint(snapshot),
            corrects_id=data.corrects_id,
            created_by=actor.name,
            news_items=news,
            election=election,
        )
        self.session.add(bulletin)
        await self.session.flush()
        await record(self.session, actor, "create", bulletin, note=f"as of {tally.as_of.isoformat()}")
        if data.publish:
            await self._publish(bulletin, bulletin.version, actor, published_at=published_at)
        return bulletin

    async def publish(
        self, bulletin_id: int, version: int | None, actor: Actor, *, election: m.Election | None = None
    ) -> m.Bulletin:
        """Render the PDF once and keep it: from now on every download is these bytes."""
        return await self._publish(await self.get(bulletin_id, election=election), version, actor)

    async def delete_draft(
        self, bulletin_id: int, version: int | None, actor: Actor, *, election: m.Election | None = None
    ) -> None:
        bulletin = await self.get(bulletin_id, election=election)
        if bulletin.status is m.BulletinStatus.PUBLISHED:
            raise Conflict(
                _("bulletin %(number)d is published and stays; publish a correction instead") % {"number": bulletin.id}
            )
        check_version(bulletin, version)
        await record(self.session, actor, "delete", bulletin)
        await self.session.delete(bulletin)
        await self.session.flush()

    async def pdf(self, bulletin_id: int) -> bytes:
        """What its reader downloads: the stored bytes once published, a fresh preview while a draft."""
        bulletin = await self.get(bulletin_id)
        if bulletin.status is m.BulletinStatus.PUBLISHED:
            return await self._stored_pdf(bulletin.id)
        check_instant(bulletin.election, bulletin.as_of)
        return await self._render(bulletin)

    async def published_pdf(self, bulletin_id: int, *, held: str | None = None) -> PublishedPdf:
        """The published PDF; without its bytes when `held`, the SHA-256 of the reader's copy, says that the
        reader has them already (they never change)."""
        sha256 = await self.session.scalar(
            select(m.Bulletin.pdf_sha256).where(
                m.Bulletin.id == bulletin_id, m.Bulletin.status == m.BulletinStatus.PUBLISHED
            )
        )
        if sha256 is None:
            raise NotFound("bulletin", bulletin_id)
        content = None if held == sha256 else await self._stored_pdf(bulletin_id)
        return PublishedPdf(bulletin_id, sha256, content)

    async def get(
        self, bulletin_id: int, *, election: m.Election | None = None, published_only: bool = False
    ) -> m.Bulletin:
        """The bulletin; with `election`, only one of that election (as its pages address it)."""
        query = select(m.Bulletin).where(m.Bulletin.id == bulletin_id).options(*_loaded())
        if election is not None:
            query = query.where(m.Bulletin.election_id == election.id)
        if published_only:
            query = query.where(m.Bulletin.status == m.BulletinStatus.PUBLISHED)
        bulletin = await self.session.scalar(query)
        if bulletin is None:
            raise NotFound("bulletin", bulletin_id)
        return bulletin

    async def detail(
        self, bulletin_id: int, *, election: m.Election | None = None, published_only: bool = False
    ) -> BulletinDetail:
        bulletin = await self.get(bulletin_id, election=election, published_only=published_only)
        current = {item.id: item for item in bulletin.news_items}
        corrected_by = await self.session.scalars(
            select(m.Bulletin)
            .where(m.Bulletin.corrects_id == bulletin.id, m.Bulletin.status == m.BulletinStatus.PUBLISHED)
            .order_by(m.Bulletin.id)
        )
        return BulletinDetail(
            bulletin=bulletin,
            headlines=headlines(bulletin),
            news=tuple((item, current.get(item["id"])) for item in bulletin.snapshot["news"]),
            corrected_by=tuple(corrected_by),
            corrects=await self.session.get(m.Bulletin, bulletin.corrects_id) if bulletin.corrects_id else None,
            previous=await self._neighbour(bulletin, later=False),
            next=await self._neighbour(bulletin, later=True),
        )

    async def reconciliation(self, bulletin: m.Bulletin) -> Reconciliation | None:
        """A published bulletin recounted from today's records, in the reader's language; none for a draft."""
        if bulletin.status is not m.BulletinStatus.PUBLISHED:
            return None
        return await reconcile(self.session, bulletin, bulletin.election, current_language.get())

    async def stale(self, election: m.Election, published: tuple[m.Bulletin, ...]) -> set[int]:
        """The published bulletins whose figures today's records no longer give."""
        return {bulletin.id for bulletin in published if not await still_holds(self.session, bulletin, election)}

    async def correct(self, bulletin_id: int, election: m.Election, actor: Actor) -> m.Bulletin:
        """A correction of a published bulletin, published at once: the same instant, languages and news items,
        counted from today's records."""
        corrected = await self._corrected(election, bulletin_id)
        quoted = [item["id"] for item in corrected.snapshot["news"]]
        kept = set(await self.session.scalars(select(m.NewsItem.id).where(m.NewsItem.id.in_(quoted))))
        data = BulletinData(
            election=election.slug,
            as_of=election.local(corrected.as_of).isoformat(),
            languages=corrected.language_list,
            news_item_ids=[item_id for item_id in quoted if item_id in kept],  # those since deleted are left out
            corrects_id=corrected.id,
            publish=True,
        )
        return await self.create(data, actor)

    async def _neighbour(self, bulletin: m.Bulletin, *, later: bool) -> m.Bulletin | None:
        """The published bulletin of the same election numbered just after it (`later`) or just before."""
        if bulletin.number is None:  # a draft has no place in the numbering
            return None
        number = m.Bulletin.number
        beyond, order = (number > bulletin.number, number) if later else (number < bulletin.number, number.desc())
        query = select(m.Bulletin).where(m.Bulletin.election_id == bulletin.election_id, beyond)
        return await self.session.scalar(query.order_by(order).limit(1))

    async def published_page(self, election: m.Election | None, page_number: int) -> Page:
        """A page of the published bulletins, of every election or of one, newest first, each with its headlines."""
        where = [m.Bulletin.status == m.BulletinStatus.PUBLISHED]
        if election is not None:
            where.append(m.Bulletin.election_id == election.id)
        newest = (m.Bulletin.published_at.desc(), m.Bulletin.id.desc())
        query = select(m.Bulletin).options(selectinload(m.Bulletin.election)).order_by(*newest)
        page = await page_of(self.session, query, where, m.Bulletin.id, page_number)
        return Page(tuple((bulletin, headlines(bulletin)) for bulletin in page.rows), page.page_number, page.pages)

    async def listing(
        self, *, election: m.Election | str | None = None, status: m.BulletinStatus | None = None
    ) -> list[m.Bulletin]:
        """Newest first, of every election or of one (the election or its slug); the public sees only published
        ones (the caller passes the status)."""
        query = select(m.Bulletin).options(*_loaded()).order_by(m.Bulletin.as_of.desc(), m.Bulletin.id.desc())
        if isinstance(election, str):
            election = await ElectionService(session=self.session).get_by_slug(election) if election else None
        if election is not None:
            query = query.where(m.Bulletin.election_id == election.id)
        if status is not None:
            query = query.where(m.Bulletin.status == status)
        return list(await self.session.scalars(query))

    async def headlined(
        self, election: m.Election, *, status: m.BulletinStatus | None = None
    ) -> tuple[tuple[m.Bulletin, dict[str, str]], ...]:
        """The election's bulletins, newest first, each with its headlines."""
        return tuple(
            (bulletin, headlines(bulletin)) for bulletin in await self.listing(election=election, status=status)
        )

    async def overview(self, election: m.Election) -> BulletinOverview:
        rows = await self.headlined(election)
        return BulletinOverview(
            rows=rows,
            published=tuple(bulletin for bulletin, _ in rows if bulletin.status is m.BulletinStatus.PUBLISHED),
            news=tuple(await NewsService(self.session).listing(election)),
        )

    async def _publish(
        self, bulletin: m.Bulletin, version: int | None, actor: Actor, *, published_at: dt.datetime | None = None
    ) -> m.Bulletin:
        if bulletin.status is m.BulletinStatus.PUBLISHED:
            raise Conflict(
                _("bulletin %(number)d is already published; publish a correction instead") % {"number": bulletin.id}
            )
        check_version(bulletin, version)
        # A draft made before the rule held may lie outside it: it is neither previewed nor published.
        check_instant(bulletin.election, bulletin.as_of)
        bulletin.number = await self._next_number(bulletin, actor)
        # Published before it is rendered: the PDF gives its publication date and carries no draft mark.
        bulletin.status = m.BulletinStatus.PUBLISHED
        bulletin.published_at = published_at or utc_now()
        bulletin.published_by = actor.name
        pdf = await self._render(bulletin)
        bulletin.pdf = pdf
        bulletin.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        await self.session.flush()
        await record(self.session, actor, "publish", bulletin, note=f"pdf sha256 {bulletin.pdf_sha256}")
        return bulletin

    async def _next_number(self, bulletin: m.Bulletin, actor: Actor) -> int:
        """The election's next public number. A write first (on SQLite it begins the transaction, so the count
        below sees any publication committed meanwhile), then the election's row locked on PostgreSQL, so two
        bulletins published at once get two numbers; the unique index stands behind both."""
        bulletin.published_by = actor.name
        await self.session.flush()
        election = m.Election
        await self.session.execute(select(election.id).where(election.id == bulletin.election_id).with_for_update())
        last = await self.session.scalar(
            select(func.max(m.Bulletin.number)).where(m.Bulletin.election_id == bulletin.election_id)
        )
        return (last or 0) + 1

    async def _render(self, bulletin: m.Bulletin) -> bytes:
        """The PDF of the bulletin's snapshot, built off the event loop (reportlab is CPU-bound)."""
        settings = self.settings
        letterhead = Letterhead(settings.commission_name, settings.place_of_issue, settings.press_contact)
        draft = bulletin.status is m.BulletinStatus.DRAFT
        # The corrected bulletin by its public number, as the press knows it, not by its id. No flush: a bulletin
        # being published has no PDF yet.
        with self.session.no_autoflush:
            corrects = bulletin.corrects_id and await self.session.scalar(
                select(m.Bulletin.number).where(m.Bulletin.id == bulletin.corrects_id)
            )
        content = document(
            bulletin, letterhead=letterhead, public_url=settings.public_url, draft=draft, corrects=corrects or None
        )
        return await anyio.to_thread.run_sync(build_bulletin, content)

    async def _stored_pdf(self, bulletin_id: int) -> bytes:
        stored = await self.session.scalar(select(m.Bulletin.pdf).where(m.Bulletin.id == bulletin_id))
        assert stored is not None  # the published_has_pdf constraint
        return stored

    async def _corrected(self, election: m.Election, bulletin_id: int) -> m.Bulletin:
        corrected = await self.session.get(m.Bulletin, bulletin_id)
        if corrected is None or corrected.election_id != election.id:
            message = _("there is no bulletin %(number)d of %(election)s") % {
                "number": bulletin_id,
                "election": election.slug,
            }
            raise InvalidInput(f"corrects_id: {message}", field="corrects_id")
        if corrected.status is not m.BulletinStatus.PUBLISHED:
            message = _("bulletin %(number)d is a draft; change or delete it instead") % {"number": bulletin_id}
            raise InvalidInput(f"corrects_id: {message}", field="corrects_id")
        return corrected

    async def _news(self, election: m.Election, ids: list[int]) -> list[m.NewsItem]:
        if len(set(ids)) != len(ids):
            raise InvalidInput("news_item_ids: " + _("a news item is listed twice"), field="news_item_ids")
        if not ids:
            return []
        found = {item.id: item for item in await self.session.scalars(select(m.NewsItem).where(m.NewsItem.id.in_(ids)))}
        missing = [str(item_id) for item_id in ids if item_id not in found]
        if missing:
            message = _("no news item %(ids)s") % {"ids": ", ".join(missing)}
            raise InvalidInput(f"news_item_ids: {message}", field="news_item_ids")
        foreign = [str(item.id) for item in found.values() if item.election_id not in (None, election.id)]
        if foreign:
            message = _("news item %(ids)s is about another election") % {"ids": ", ".join(foreign)}
            raise InvalidInput(f"news_item_ids: {message}", field="news_item_ids")
        # In the order given: the press officer's order is the bulletin's.
        return [found[item_id] for item_id in ids]


def check_instant(election: m.Election, instant: dt.datetime) -> None:
    """A bulletin reports what has happened: its instant lies between the opening of the election's
    accreditation window and now, never before there was anything to count nor in the future."""
    opens, now = election.window_opens_at, utc_now()
    if opens <= instant <= now:
        return
    where = "before the accreditation window opened" if instant < opens else "in the future"
    raise InvalidInput(
        f"as_of: {election.local(instant).isoformat(timespec='minutes')} is {where}; a bulletin's instant lies "
        f"between {election.local(opens).isoformat(timespec='minutes')} and now",
        field="as_of",
    )


def _loaded() -> tuple[Any, ...]:
    return (selectinload(m.Bulletin.news_items), selectinload(m.Bulletin.election))


def _languages(languages: list[str]) -> list[str]:
    for lang in languages:
        check_language(lang, field="languages")
    if len(set(languages)) != len(languages):
        raise InvalidInput("languages: " + _("a language is listed twice"), field="languages")
    return languages
