"""Elections and their tallies."""

from __future__ import annotations

import datetime as dt

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from tracker import models as m
from tracker.errors import NotFound
from tracker.instants import parse_instant, utc_now
from tracker.tally import Tally, tally_as_of


class ElectionService(SQLAlchemyAsyncRepositoryService[m.Election]):
    class Repo(SQLAlchemyAsyncRepository[m.Election]):
        model_type = m.Election

    repository_type = Repo
    match_fields = ["slug"]

    async def get_by_slug(self, slug: str) -> m.Election:
        election = await self.get_one_or_none(slug=slug)
        if election is None:
            raise NotFound("election", slug)
        return election

    async def list_by_voting_day(self) -> list[m.Election]:
        return list(await self.get_many(order_by=[(m.Election.voting_day, True), (m.Election.slug, False)]))

    async def tally(self, slug: str, as_of: str | dt.datetime | None = None) -> tuple[m.Election, Tally]:
        """The election and its tally as of `as_of`: text as a user typed it, an instant, or now."""
        election = await self.get_by_slug(slug)
        if as_of is None:
            instant = utc_now()
        elif isinstance(as_of, str):
            instant = parse_instant(as_of, election.zone)
        else:
            instant = as_of
        return election, await self.tally_of(election, instant)

    async def tally_of(self, election: m.Election, instant: dt.datetime | None = None) -> Tally:
        return await tally_as_of(self.repository.session, election, instant or utc_now())
