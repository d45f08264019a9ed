"""Bulletins and news items: /api/bulletins and /api/news. Reading is public; press officers and admins write.
What they return is public: no personal data, and no staff names either."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from tracker import models as m
from tracker.services.bulletins import BulletinData, headlines
from tracker.services.news import NewsData, NewsDetail
from tracker.services.reconciliation import Reconciliation
from tracker.web.api.responses import Version, responses
from tracker.web.auth import ANONYMOUS, PUBLIC_SITE, CurrentUser, press, staff
from tracker.web.deps import Bulletins, News
from tracker.web.http.files import PDF, file_response

Staff = Request[CurrentUser, Any, Any]
ElectionFilter = Annotated[str | None, QueryParameter(name="election", description="Only this election (its slug).")]


class NewsLinkOut(msgspec.Struct):
    id: int
    title: str
    source: str
    url: str | None
    published_at: dt.datetime


class MissionLinkOut(msgspec.Struct):
    slug: str
    name: str


class NewsOut(msgspec.Struct, kw_only=True):
    id: int
    election: str | None
    title: str
    source: str
    url: str | None
    language: str
    published_at: dt.datetime
    text: str
    missions: list[MissionLinkOut]
    bulletins: list[int]
    """Published bulletins that link this item."""
    version: int

    @classmethod
    def of(cls, detail: NewsDetail) -> NewsOut:
        item = detail.item
        return cls(
            id=item.id,
            election=detail.election.slug if detail.election else None,
            title=item.title,
            source=item.source,
            url=item.url,
            language=item.language,
            published_at=item.published_at,
            text=item.text,
            missions=[MissionLinkOut(mission.slug, mission.name) for mission in item.missions],
            bulletins=[bulletin.id for bulletin in detail.bulletins],
            version=item.version,
        )


class DifferenceOut(msgspec.Struct):
    figure: str
    """`observers`, `countries`, `organizations`, or `sender:<code>` (ISO 3166 code or organization slug)."""
    name: str
    """The figure or the sender as the reader names it, in the request's language."""
    published: int
    now: int


class CorrectionOut(msgspec.Struct):
    what: str
    """What changed, in the request's language."""
    recorded_at: dt.datetime
    role: str | None
    """The role of whoever recorded it (admin, registrar, press_officer); never the person."""
    reason: str | None


class ReconciliationOut(msgspec.Struct, kw_only=True):
    same: bool
    """Whether today's records give the figures the bulletin published, at its instant."""
    differences: list[DifferenceOut]
    corrections: list[CorrectionOut]
    """The records made since publication that changed its figures: the first 200, oldest first."""
    corrections_total: int

    @classmethod
    def of(cls, found: Reconciliation) -> ReconciliationOut:
        return cls(
            same=found.same,
            differences=[DifferenceOut(d.figure, d.label, d.published, d.now) for d in found.differences],
            corrections=[CorrectionOut(c.what, c.recorded_at, c.role, c.reason) for c in found.corrections],
            corrections_total=found.total,
        )


class BulletinOut(msgspec.Struct, kw_only=True):
    id: int
    election: str
    as_of: dt.datetime
    """The instant of the frozen tally, in the election's time zone."""
    languages: list[str]
    status: m.BulletinStatus
    number: int | None
    """Its public number in the election (No. 1, 2, … in publication order); none while a draft."""
    observers: int
    countries: int
    organizations: int
    headlines: dict[str, str]
    """The headline in each of the bulletin's languages."""
    fingerprint: str
    """SHA-256 of the frozen snapshot."""
    pdf_sha256: str | None
    """SHA-256 of the published PDF: every download has exactly these bytes."""
    corrects: int | None
    published_at: dt.datetime | None
    pdf_url: str | None
    news: list[NewsLinkOut]
    version: int
    reconciliation: ReconciliationOut | None = None
    """One published bulletin (`GET /api/bulletins/{id}`) recounted from today's records: null for a draft and
    in lists."""

    @classmethod
    def of(cls, bulletin: m.Bulletin, reconciliation: Reconciliation | None = None) -> BulletinOut:
        snapshot = bulletin.snapshot
        zone = ZoneInfo(snapshot["election"]["time_zone"])
        published = bulletin.status is m.BulletinStatus.PUBLISHED
        return cls(
            id=bulletin.id,
            election=snapshot["election"]["slug"],
            as_of=bulletin.as_of.astimezone(zone),
            languages=bulletin.language_list,
            status=bulletin.status,
            number=bulletin.number,
            observers=snapshot["observers"],
            countries=snapshot["countries"],
            organizations=snapshot["organizations"],
            headlines=headlines(bulletin),
            fingerprint=bulletin.fingerprint,
            pdf_sha256=bulletin.pdf_sha256,
            corrects=bulletin.corrects_id,
            published_at=bulletin.published_at,
            pdf_url=f"/bulletins/{bulletin.id}.pdf" if published else None,
            news=[
                NewsLinkOut(
                    item["id"],
                    item["title"],
                    item["source"],
                    item["url"],
                    dt.datetime.fromisoformat(item["published_at"]),
                )
                for item in snapshot["news"]
            ],
            version=bulletin.version,
            reconciliation=ReconciliationOut.of(reconciliation) if reconciliation else None,
        )


class BulletinApi(Controller):
    path = "/api/bulletins"
    tags = ["bulletins"]

    @get(
        "/",
        opt=PUBLIC_SITE,
        security=ANONYMOUS,
        cache=True,
        summary="Published bulletins, newest first",
        responses=responses(400, 404, 429),
    )
    async def list_bulletins(self, bulletins: Bulletins, election_slug: ElectionFilter = None) -> list[BulletinOut]:
        found = await bulletins.listing(election=election_slug, status=m.BulletinStatus.PUBLISHED)
        return [BulletinOut.of(bulletin) for bulletin in found]

    @get("/drafts", guards=[staff], summary="Bulletins not yet published", responses=responses(400, 401, 403, 404))
    async def list_drafts(self, bulletins: Bulletins, election_slug: ElectionFilter = None) -> list[BulletinOut]:
        found = await bulletins.listing(election=election_slug, status=m.BulletinStatus.DRAFT)
        return [BulletinOut.of(bulletin) for bulletin in found]

    @get(
        "/{bulletin_id:int}",
        opt=PUBLIC_SITE,
        security=ANONYMOUS,
        cache=True,
        summary="One published bulletin",
        responses=responses(404, 429),
    )
    async def get_bulletin(self, bulletins: Bulletins, bulletin_id: FromPath[int]) -> BulletinOut:
        bulletin = await bulletins.get(bulletin_id, published_only=True)
        return BulletinOut.of(bulletin, await bulletins.reconciliation(bulletin))

    @post(
        "/",
        guards=[press],
        summary="Freeze the tally as of an instant into a bulletin",
        description="A draft to preview, or published at once with `publish`. A correction names the published "
        "bulletin it corrects in `corrects_id`.",
        responses=responses(400, 401, 403, 404, 409),
    )
    async def create_bulletin(self, request: Staff, bulletins: Bulletins, data: JSONBody[BulletinData]) -> BulletinOut:
        return BulletinOut.of(await bulletins.create(data, request.user.actor))

    @post(
        "/{bulletin_id:int}/publish",
        guards=[press],
        summary="Publish a draft: its PDF is rendered once and kept",
        responses=responses(401, 403, 404, 409),
        status_code=200,
    )
    async def publish_bulletin(
        self, request: Staff, bulletins: Bulletins, bulletin_id: FromPath[int], version: Version
    ) -> BulletinOut:
        return BulletinOut.of(await bulletins.publish(bulletin_id, version, request.user.actor))

    @delete("/{bulletin_id:int}", guards=[press], summary="Delete a draft", responses=responses(401, 403, 404, 409))
    async def delete_bulletin(
        self, request: Staff, bulletins: Bulletins, bulletin_id: FromPath[int], version: Version
    ) -> None:
        await bulletins.delete_draft(bulletin_id, version, request.user.actor)

    @get(
        "/{bulletin_id:int}/preview.pdf",
        guards=[staff],
        summary="The PDF of any bulletin, drafts included",
        media_type=PDF,
        responses={
            200: ResponseSpec(generate_examples=False, data_container=bytes, media_type=PDF, description="The PDF")
        }
        | responses(401, 403, 404),
    )
    async def preview(self, bulletins: Bulletins, bulletin_id: FromPath[int]) -> Response[bytes]:
        content = await bulletins.pdf(bulletin_id)
        return file_response(content, PDF, f"bulletin-{bulletin_id}-preview.pdf", inline=True)


class NewsApi(Controller):
    path = "/api/news"
    tags = ["news"]

    @get(
        "/",
        opt=PUBLIC_SITE,
        security=ANONYMOUS,
        cache=True,
        summary="News items, newest first",
        responses=responses(400, 404, 429),
    )
    async def list_news(self, news: News, election_slug: ElectionFilter = None) -> list[NewsOut]:
        return [NewsOut.of(detail) for detail in await news.details(election_slug)]

    @get(
        "/{item_id:int}",
        opt=PUBLIC_SITE,
        security=ANONYMOUS,
        cache=True,
        summary="One news item",
        responses=responses(404, 429),
    )
    async def get_news(self, news: News, item_id: FromPath[int]) -> NewsOut:
        return NewsOut.of(await news.detail(item_id))

    @post("/", guards=[press], summary="Record a news item", responses=responses(400, 401, 403, 404, 409))
    async def create_news(self, request: Staff, news: News, data: JSONBody[NewsData]) -> NewsOut:
        return NewsOut.of(await news.create(data, request.user.actor))

    @put("/{item_id:int}", guards=[press], summary="Change a news item", responses=responses(400, 401, 403, 404, 409))
    async def update_news(
        self, request: Staff, news: News, item_id: FromPath[int], version: Version, data: JSONBody[NewsData]
    ) -> NewsOut:
        return NewsOut.of(await news.update(item_id, data, version, request.user.actor))
