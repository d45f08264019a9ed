"""Press officers' pages: news items, and bulletins to create, preview and publish."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from tracker import models as m
from tracker.errors import TrackerError
from tracker.services.bulletins import BulletinData, BulletinDetail
from tracker.services.news import NewsData, NewsForm
from tracker.web.auth import press
from tracker.web.deps import Bulletins, Election, News
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, parse, require, status_of, ticked_ids, version_of

Staff = Request[Any, Any, Any]


class BulletinPages(Controller):
    path = "/staff/elections/{slug:str}/bulletins"
    include_in_schema = False
    guards = [press]

    @get("/")
    async def index(self, request: Staff, election: Election, bulletins: Bulletins) -> Template:
        return await _listing_page(request, election, bulletins, _new_values())

    @post("/")
    async def create(self, request: Staff, election: Election, bulletins: Bulletins) -> Template | Redirect:
        form = await request.form()
        try:
            # Every field has a default in the API; from this page, only what the form sent makes a draft.
            require(form, "as_of", "languages")
            data = parse(form, BulletinData, lists=("languages", "news_item_ids"), extra={"election": election.slug})
            bulletin = await bulletins.create(data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            chosen = {"languages": form.getall("languages") if "languages" in form else []}
            chosen["news_item_ids"] = ticked_ids(form, "news_item_ids")
            return await _listing_page(request, election, bulletins, dict(form) | chosen, error)
        return Redirect(f"/staff/elections/{election.slug}/bulletins/{bulletin.id}")

    @get("/{bulletin_id:int}")
    async def show(
        self, request: Staff, election: Election, bulletins: Bulletins, bulletin_id: FromPath[int]
    ) -> Template:
        return _bulletin_page(request, election, await bulletins.detail(bulletin_id, election=election))

    @post("/{bulletin_id:int}/publish")
    async def publish(
        self, request: Staff, election: Election, bulletins: Bulletins, bulletin_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await bulletins.publish(bulletin_id, version_of(form), request.user.actor, election=election)
        except (FormErrors, TrackerError) as error:
            return _bulletin_page(request, election, await bulletins.detail(bulletin_id, election=election), error)
        return Redirect(f"/staff/elections/{election.slug}/bulletins/{bulletin_id}")

    @post("/{bulletin_id:int}/correct")
    async def correct(
        self, request: Staff, election: Election, bulletins: Bulletins, bulletin_id: FromPath[int]
    ) -> Template | Redirect:
        """A published bulletin whose figures no longer hold, corrected in one step: a new bulletin published as
        of the same instant, counted from today's records, that names it."""
        try:
            correction = await bulletins.correct(bulletin_id, election, request.user.actor)
        except TrackerError as error:
            return await _listing_page(request, election, bulletins, _new_values(), error)
        return Redirect(f"/staff/elections/{election.slug}/bulletins/{correction.id}")

    @post("/{bulletin_id:int}/delete")
    async def delete(
        self, request: Staff, election: Election, bulletins: Bulletins, bulletin_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await bulletins.delete_draft(bulletin_id, version_of(form), request.user.actor, election=election)
        except (FormErrors, TrackerError) as error:
            return _bulletin_page(request, election, await bulletins.detail(bulletin_id, election=election), error)
        return Redirect(f"/staff/elections/{election.slug}/bulletins")


class NewsPages(Controller):
    path = "/staff/elections/{slug:str}/news"
    include_in_schema = False
    guards = [press]

    @get("/")
    async def index(self, request: Staff, election: Election, news: News) -> Template:
        return page(request, "news", election=election, items=await news.listing(election))

    @get("/new")
    async def new(self, request: Staff, election: Election, news: News) -> Template:
        return _news_form(request, election, await news.form(election), {"missions": [], "language": "en"})

    @post("/new")
    async def create(self, request: Staff, election: Election, news: News) -> Template | Redirect:
        form = await request.form()
        try:
            data = parse(form, NewsData, lists=("missions",), extra={"election": election.slug})
            await news.create(data, request.user.actor)
        except (FormErrors, TrackerError) as error:
            values = dict(form) | {"missions": form.getall("missions") if "missions" in form else []}
            return _news_form(request, election, await news.form(election), values, error)
        return Redirect(f"/staff/elections/{election.slug}/news")

    @get("/{item_id:int}/edit")
    async def edit(self, request: Staff, election: Election, news: News, item_id: FromPath[int]) -> Template:
        shown = await news.form(election, item_id)
        item = shown.item
        assert item is not None
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
        return _news_form(request, election, shown, values)

    @post("/{item_id:int}/edit")
    async def update(
        self, request: Staff, election: Election, news: News, item_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            data = parse(form, NewsData, lists=("missions",), extra={"election": election.slug})
            await news.update(item_id, data, version_of(form), request.user.actor, election=election)
        except (FormErrors, TrackerError) as error:
            values = dict(form) | {"missions": form.getall("missions") if "missions" in form else []}
            return _news_form(request, election, await news.form(election, item_id), values, error)
        return Redirect(f"/staff/elections/{election.slug}/news")


def _new_values() -> dict[str, Any]:
    return {"languages": list(m.LANGUAGES), "news_item_ids": []}


async def _listing_page(
    request: Staff,
    election: m.Election,
    bulletins: Bulletins,
    values: dict[str, Any],
    error: TrackerError | FormErrors | None = None,
) -> Template:
    """The election's bulletins, and the form for a new one (with what was sent and what is wrong)."""
    overview = await bulletins.overview(election)
    return page(
        request,
        "bulletins",
        status_code=status_of(error) if error else 200,
        election=election,
        rows=overview.rows,
        news=overview.news,
        published=overview.published,
        stale=await bulletins.stale(election, overview.published),
        values=values,
        errors=errors_of(error) if error else {},
    )


def _bulletin_page(
    request: Staff, election: m.Election, detail: BulletinDetail, error: TrackerError | FormErrors | None = None
) -> Template:
    return page(
        request,
        "bulletin",
        status_code=status_of(error) if error else 200,
        election=election,
        bulletin=detail.bulletin,
        headlines=detail.headlines,
        errors=errors_of(error) if error else {},
    )


def _news_form(
    request: Staff,
    election: m.Election,
    shown: NewsForm,
    values: dict[str, Any],
    error: TrackerError | FormErrors | None = None,
) -> Template:
    return page(
        request,
        "news_form",
        status_code=status_of(error) if error else 200,
        election=election,
        item=shown.item,
        values=values,
        errors=errors_of(error) if error else {},
        missions=shown.missions,
    )
