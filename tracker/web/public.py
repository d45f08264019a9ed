"""Public pages: no login, no personal data."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from tracker.i18n import current_language
from tracker.phrases import headline
from tracker.services.elections import ElectionService
from tracker.web.auth import PUBLIC_SITE
from tracker.web.dependencies import provide_elections


class PublicPages(Controller):
    path = "/"
    include_in_schema = False
    opt = PUBLIC_SITE
    dependencies = {"elections": Provide(provide_elections)}

    @get("/")
    async def home(self, elections: NamedDependency[ElectionService]) -> Template:
        lang = current_language.get()
        rows = []
        for election in await elections.list_by_voting_day():
            tally = await elections.tally_of(election, breakdowns=False)
            rows.append(
                {
                    "election": election,
                    "tally": tally,
                    "headline": headline(tally.observers, tally.countries, tally.organizations, lang),
                    "as_of": election.local(tally.as_of),
                }
            )
        return Template("public/home.html", context={"rows": rows})
