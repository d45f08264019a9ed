"""The public indexes of bulletins and news items, of every election or of one (`?election=SLUG`), newest
first, a bounded page at a time; and the tables of a bulletin's frozen figures for its page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import QueryParameter
from litestar.response import Template

from tracker import models as m
from tracker.i18n import current_language
from tracker.labels import capitalized, language_names, roles, sender_kinds
from tracker.services.paging import read_page_number
from tracker.web.auth import PUBLIC_SITE
from tracker.web.deps import Bulletins, Elections, News

PageNumber = Annotated[str | None, QueryParameter(max_length=40)]
# Not `election`: that name is the dependency of pages whose path holds the slug.
ElectionSlug = Annotated[str | None, QueryParameter(name="election", max_length=64)]


@dataclass(frozen=True, slots=True)
class FigureTable:
    """One table of a bulletin's figures: (label, observers) rows and their total."""

    key: str
    rows: tuple[tuple[str, int], ...]
    total: int


def snapshot_tables(snapshot: dict[str, Any], lang: str) -> tuple[FigureTable, ...]:
    """The bulletin's figures by kind of sender, by sender and by role, as frozen, named in `lang` (the
    sender's English name where the snapshot has none in it)."""
    kinds, role_names = capitalized(sender_kinds()), capitalized(roles())

    def table(key: str, rows: list[tuple[str, int]]) -> FigureTable:
        return FigureTable(key, tuple(rows), sum(n for _, n in rows))

    by_kind = [(kinds.get(kind, kind), n) for kind, n in snapshot.get("by_sender_kind", {}).items() if n]
    by_sender = [
        (sender["names"].get(lang) or sender["names"]["en"], sender["observers"])
        for sender in snapshot.get("by_sender", [])
        if sender["observers"]
    ]
    by_role = [(role_names.get(role, role), n) for role, n in snapshot.get("by_role", {}).items() if n]
    return (table("by-kind", by_kind), table("by-sender", by_sender), table("by-role", by_role))


class PublicIndexes(Controller):
    path = "/"
    include_in_schema = False
    opt = PUBLIC_SITE

    @get("/bulletins", cache=True)
    async def bulletins(
        self, elections: Elections, bulletins: Bulletins, slug: ElectionSlug = None, page_number: PageNumber = None
    ) -> Template:
        number = read_page_number(page_number)
        about = await elections.get_by_slug(slug) if slug else None
        page = await bulletins.published_page(about, number)
        return Template("public/bulletins.html", context={"election": about, "page": page, "query": _query(about)})

    @get("/news", cache=True)
    async def news(
        self, elections: Elections, news: News, slug: ElectionSlug = None, page_number: PageNumber = None
    ) -> Template:
        number = read_page_number(page_number)
        about = await elections.get_by_slug(slug) if slug else None
        page = await news.page(about, number)
        lang = current_language.get()
        # An item in another language than the page's is marked with that language, named in the page's.
        names = language_names({detail.item.language for detail in page.rows}, lang)
        return Template(
            "public/news_index.html",
            context={"election": about, "page": page, "query": _query(about), "language_names": names},
        )


def _query(election: m.Election | None) -> dict[str, str]:
    """What the pagination's links keep: the election chosen."""
    return {"election": election.slug} if election else {}
