"""Bulletins and news items: /api/bulletins and /api/news. Reading is public; press officers and admins write."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.services.bulletins import BulletinData, BulletinService
from tracker.services.elections import ElectionService
from tracker.services.news import NewsData, NewsService
from tracker.web.api.press_schemas import BulletinOut, NewsOut
from tracker.web.api.schemas import Version, responses
from tracker.web.auth import ANONYMOUS, PUBLIC_SITE, CurrentUser, press, staff
from tracker.web.http.files import PDF, file_response

Staff = Request[CurrentUser, Any, Any]
ElectionFilter = Annotated[str | None, QueryParameter(name="election", description="Only this election (its slug).")]


async def _election(session: AsyncSession, slug: str | None) -> m.Election | None:
    return await ElectionService(session=session).get_by_slug(slug) if slug else None


async def news_out(news: NewsService, item: m.NewsItem) -> NewsOut:
    election = await news.session.get(m.Election, item.election_id) if item.election_id else None
    return NewsOut.of(item, election.slug if election else None, await news.bulletins_quoting(item))


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
    async def list_bulletins(
        self, db_session: NamedDependency[AsyncSession], election_slug: ElectionFilter = None
    ) -> list[BulletinOut]:
        bulletins = BulletinService(db_session)
        found = await bulletins.listing(
            election=await _election(db_session, election_slug), status=m.BulletinStatus.PUBLISHED
        )
        return [BulletinOut.of(bulletin) for bulletin in found]

    @get("/drafts", guards=[staff], summary="Bulletins not yet published", responses=responses(400, 401, 403, 404))
    async def list_drafts(
        self, db_session: NamedDependency[AsyncSession], election_slug: ElectionFilter = None
    ) -> list[BulletinOut]:
        bulletins = BulletinService(db_session)
        found = await bulletins.listing(
            election=await _election(db_session, election_slug), status=m.BulletinStatus.DRAFT
        )
        return [BulletinOut.of(bulletin) for bulletin in found]

    @get(
        "/{bulletin_id:int}",
        opt=PUBLIC_SITE,
        security=ANONYMOUS,
        cache=True,
        summary="One published bulletin",
        responses=responses(404, 429),
    )
    async def get_bulletin(self, db_session: NamedDependency[AsyncSession], bulletin_id: FromPath[int]) -> BulletinOut:
        return BulletinOut.of(await BulletinService(db_session).get(bulletin_id, published_only=True))

    @post(
        "/",
        guards=[press],
        summary="Freeze the tally as of an instant into a bulletin",
        description="A draft to preview, or published at once with `publish`. A correction names the published "
        "bulletin it corrects in `corrects_id`.",
        responses=responses(400, 401, 403, 404, 409),
    )
    async def create_bulletin(
        self, request: Staff, db_session: NamedDependency[AsyncSession], data: JSONBody[BulletinData]
    ) -> BulletinOut:
        settings = request.app.state.settings
        bulletin = await BulletinService(db_session).create(
            data, request.user.actor, commission=settings.commission_name, public_url=settings.public_url
        )
        return BulletinOut.of(bulletin)

    @post(
        "/{bulletin_id:int}/publish",
        guards=[press],
        summary="Publish a draft: its PDF is rendered once and kept",
        responses=responses(401, 403, 404, 409),
        status_code=200,
    )
    async def publish_bulletin(
        self, request: Staff, db_session: NamedDependency[AsyncSession], bulletin_id: FromPath[int], version: Version
    ) -> BulletinOut:
        settings = request.app.state.settings
        bulletins = BulletinService(db_session)
        bulletin = await bulletins.publish(
            await bulletins.get(bulletin_id),
            version,
            request.user.actor,
            commission=settings.commission_name,
            public_url=settings.public_url,
        )
        return BulletinOut.of(bulletin)

    @delete("/{bulletin_id:int}", guards=[press], summary="Delete a draft", responses=responses(401, 403, 404, 409))
    async def delete_bulletin(
        self, request: Staff, db_session: NamedDependency[AsyncSession], bulletin_id: FromPath[int], version: Version
    ) -> None:
        bulletins = BulletinService(db_session)
        await bulletins.delete_draft(await bulletins.get(bulletin_id), version, request.user.actor)

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
    async def preview(
        self, request: Staff, db_session: NamedDependency[AsyncSession], bulletin_id: FromPath[int]
    ) -> Response[bytes]:
        settings = request.app.state.settings
        bulletins = BulletinService(db_session)
        content = await bulletins.pdf(
            await bulletins.get(bulletin_id), commission=settings.commission_name, public_url=settings.public_url
        )
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
    async def list_news(
        self, db_session: NamedDependency[AsyncSession], election_slug: ElectionFilter = None
    ) -> list[NewsOut]:
        news = NewsService(db_session)
        return [await news_out(news, item) for item in await news.listing(await _election(db_session, election_slug))]

    @get(
        "/{item_id:int}",
        opt=PUBLIC_SITE,
        security=ANONYMOUS,
        cache=True,
        summary="One news item",
        responses=responses(404, 429),
    )
    async def get_news(self, db_session: NamedDependency[AsyncSession], item_id: FromPath[int]) -> NewsOut:
        news = NewsService(db_session)
        return await news_out(news, await news.get(item_id))

    @post("/", guards=[press], summary="Record a news item", responses=responses(400, 401, 403, 404, 409))
    async def create_news(
        self, request: Staff, db_session: NamedDependency[AsyncSession], data: JSONBody[NewsData]
    ) -> NewsOut:
        news = NewsService(db_session)
        return await news_out(news, await news.create(data, request.user.actor))

    @put("/{item_id:int}", guards=[press], summary="Change a news item", responses=responses(400, 401, 403, 404, 409))
    async def update_news(
        self,
        request: Staff,
        db_session: NamedDependency[AsyncSession],
        item_id: FromPath[int],
        version: Version,
        data: JSONBody[NewsData],
    ) -> NewsOut:
        news = NewsService(db_session)
        item = await news.update(await news.get(item_id), data, version, request.user.actor)
        return await news_out(news, item)
