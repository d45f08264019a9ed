"""Press officers' pages: news items, and bulletins to create, preview and publish."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.errors import NotFound, TrackerError
from tracker.services.bulletins import BulletinData, BulletinService
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionService
from tracker.services.news import NewsData, NewsService
from tracker.web.api.press_schemas import headlines
from tracker.web.auth import press
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, require, status_of, ticked_ids, version_of

Elections = NamedDependency[ElectionService]
Missions = NamedDependency[MissionService]
Staff = Request[Any, Any, Any]


class BulletinPages(Controller):
    path = "/staff/elections/{slug:str}/bulletins"
    include_in_schema = False
    guards = [press]

    @get("/")
    async def index(
        self, request: Staff, elections: Elections, db_session: NamedDependency[AsyncSession], slug: FromPath[str]
    ) -> Template:
        election = await elections.get_by_slug(slug)
        return await _listing_page(request, db_session, election, {"languages": list(m.LANGUAGES), "news_item_ids": []})

    @post("/")
    async def create(
        self, request: Staff, elections: Elections, db_session: NamedDependency[AsyncSession], slug: FromPath[str]
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        form = await request.form()
        settings = request.app.state.settings
        try:
            # Every field has a default in the API; from this page, only what the form sent makes a draft.
            require(form, "as_of", "languages")
            data = parse(form, BulletinData, lists=("languages", "news_item_ids"), extra={"election": election.slug})
            bulletin = await BulletinService(db_session).create(
                data, request.user.actor, commission=settings.commission_name, public_url=settings.public_url
            )
        except (FormErrors, TrackerError) as error:
            chosen = {"languages": form.getall("languages") if "languages" in form else []}
            chosen["news_item_ids"] = ticked_ids(form, "news_item_ids")
            return await _listing_page(request, db_session, election, dict(form) | chosen, error)
        return Redirect(f"/staff/elections/{slug}/bulletins/{bulletin.id}")

    @get("/{bulletin_id:int}")
    async def show(
        self,
        request: Staff,
        elections: Elections,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        bulletin_id: FromPath[int],
    ) -> Template:
        election = await elections.get_by_slug(slug)
        bulletin = await _bulletin(db_session, election, bulletin_id)
        return _bulletin_page(request, election, bulletin)

    @post("/{bulletin_id:int}/publish")
    async def publish(
        self,
        request: Staff,
        elections: Elections,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        bulletin_id: FromPath[int],
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        bulletin = await _bulletin(db_session, election, bulletin_id)
        settings = request.app.state.settings
        form = await request.form()
        try:
            await BulletinService(db_session).publish(
                bulletin,
                version_of(form),
                request.user.actor,
                commission=settings.commission_name,
                public_url=settings.public_url,
            )
        except (FormErrors, TrackerError) as error:
            return _bulletin_page(request, election, bulletin, error)
        return Redirect(f"/staff/elections/{slug}/bulletins/{bulletin.id}")

    @post("/{bulletin_id:int}/delete")
    async def delete(
        self,
        request: Staff,
        elections: Elections,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        bulletin_id: FromPath[int],
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        bulletin = await _bulletin(db_session, election, bulletin_id)
        form = await request.form()
        try:
            await BulletinService(db_session).delete_draft(bulletin, version_of(form), request.user.actor)
        except (FormErrors, TrackerError) as error:
            return _bulletin_page(request, election, bulletin, error)
        return Redirect(f"/staff/elections/{slug}/bulletins")


class NewsPages(Controller):
    path = "/staff/elections/{slug:str}/news"
    include_in_schema = False
    guards = [press]

    @get("/")
    async def index(
        self, request: Staff, elections: Elections, db_session: NamedDependency[AsyncSession], slug: FromPath[str]
    ) -> Template:
        election = await elections.get_by_slug(slug)
        return page(request, "news", election=election, items=await NewsService(db_session).listing(election))

    @get("/new")
    async def new(self, request: Staff, elections: Elections, missions: Missions, slug: FromPath[str]) -> Template:
        election = await elections.get_by_slug(slug)
        return await _news_form(request, election, missions, None, {"missions": [], "language": "en"}, {})

    @post("/new")
    async def create(
        self,
        request: Staff,
        elections: Elections,
        missions: Missions,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        form = await request.form()
        try:
            data = parse(form, NewsData, lists=("missions",), extra={"election": election.slug})
            await NewsService(db_session).create(data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            values = dict(form) | {"missions": form.getall("missions") if "missions" in form else []}
            return await _news_form(request, election, missions, None, values, errors_of(error), status_of(error))
        return Redirect(f"/staff/elections/{slug}/news")

    @get("/{item_id:int}/edit")
    async def edit(
        self,
        request: Staff,
        elections: Elections,
        missions: Missions,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        item_id: FromPath[int],
    ) -> Template:
        election = await elections.get_by_slug(slug)
        item = await NewsService(db_session).get(item_id, election=election)
        values = {
            "title": item.title,
            "source": item.source,
            "url": item.url,
            "language": item.language,
            "published_at": election.local(item.published_at).strftime("%Y-%m-%dT%H:%M"),
            "text": item.text,
            "missions": [mission.slug for mission in item.missions],
            "version": item.version,
        }
        return await _news_form(request, election, missions, item, values, {})

    @post("/{item_id:int}/edit")
    async def update(
        self,
        request: Staff,
        elections: Elections,
        missions: Missions,
        db_session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        item_id: FromPath[int],
    ) -> Template | Redirect:
        election = await elections.get_by_slug(slug)
        news = NewsService(db_session)
        item = await news.get(item_id, election=election)
        form = await request.form()
        try:
            data = parse(form, NewsData, lists=("missions",), extra={"election": election.slug})
            await news.update(item, data, version_of(form), request.user.actor)
        except (FormErrors, TrackerError) as error:
            values = dict(form) | {"missions": form.getall("missions") if "missions" in form else []}
            return await _news_form(request, election, missions, item, values, errors_of(error), status_of(error))
        return Redirect(f"/staff/elections/{slug}/news")


async def _listing_page(
    request: Staff,
    session: AsyncSession,
    election: m.Election,
    values: dict[str, Any],
    error: TrackerError | FormErrors | None = None,
) -> Template:
    """The election's bulletins, and the form for a new one (with what was sent and what is wrong)."""
    bulletins = BulletinService(session)
    return page(
        request,
        "bulletins",
        status_code=status_of(error) if error else 200,
        election=election,
        rows=[(bulletin, headlines(bulletin)) for bulletin in await bulletins.listing(election=election)],
        news=await NewsService(session).listing(election),
        published=await bulletins.listing(election=election, status=m.BulletinStatus.PUBLISHED),
        values=values,
        errors=errors_of(error) if error else {},
    )


def _bulletin_page(
    request: Staff, election: m.Election, bulletin: m.Bulletin, error: TrackerError | FormErrors | None = None
) -> Template:
    return page(
        request,
        "bulletin",
        status_code=status_of(error) if error else 200,
        election=election,
        bulletin=bulletin,
        headlines=headlines(bulletin),
        errors=errors_of(error) if error else {},
    )


async def _bulletin(session: AsyncSession, election: m.Election, bulletin_id: int) -> m.Bulletin:
    bulletin = await BulletinService(session).get(bulletin_id)
    if bulletin.election_id != election.id:
        raise NotFound("bulletin", bulletin_id)
    return bulletin


async def _news_form(
    request: Staff,
    election: m.Election,
    missions: MissionService,
    item: m.NewsItem | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "news_form",
        status_code=status_code,
        election=election,
        item=item,
        values=values,
        errors=errors,
        missions=await missions.of_election(election),
    )
