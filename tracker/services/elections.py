"""Elections and their tallies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import select

from tracker import models as m
from tracker.cleaning import clean_slug, clean_text
from tracker.errors import Checks, Conflict, NotFound
from tracker.i18n import gettext as _
from tracker.instants import DateIn, DateTimeIn, read_as_of, read_known_at, utc_now
from tracker.services.audit import Actor, record, snapshot
from tracker.services.transitions import default_badge_prefix
from tracker.services.versions import check_version
from tracker.tally import Tally, tally_as_of


@dataclass(frozen=True, slots=True)
class ElectionFigures:
    election: m.Election
    tally: Tally


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

    async def figures(self) -> list[ElectionFigures]:
        """Every election, the latest voting day first, with its headline figures now (no breakdowns)."""
        return [
            ElectionFigures(election, await self.tally_of(election, breakdowns=False))
            for election in await self.list_by_voting_day()
        ]

    async def tally(
        self, slug: str, as_of: str | dt.datetime | None = None, known_at: str | dt.datetime | None = None
    ) -> tuple[m.Election, Tally]:
        """The election and its tally as of `as_of` (text as a user typed it, an instant, or now), from the
        records as they stood at `known_at` (read alike; nothing: today's records)."""
        election = await self.get_by_slug(slug)
        # Both read before counting, so that a bad one of either is named whatever the other is.
        instant, known = read_as_of(as_of, election.zone), read_known_at(known_at, election.zone)
        return election, await self.tally_of(election, instant, known_at=known)

    async def tally_of(
        self,
        election: m.Election,
        instant: dt.datetime | None = None,
        *,
        breakdowns: bool = True,
        known_at: dt.datetime | None = None,
    ) -> Tally:
        return await tally_as_of(
            self.repository.session, election, instant or utc_now(), breakdowns=breakdowns, known_at=known_at
        )

    async def _apply(self, election: m.Election, data: ElectionData) -> None:
        """Every value checked before the election changes: a refused form leaves it as it was."""
        # Every value refused is named at once.
        checks = Checks()
        slug = checks.run(lambda: clean_slug(data.slug, "majilis-2023")) or ""
        fields = [f"name_{lang}" for lang in m.LANGUAGES]
        names = {field: checks.run(lambda f=field: clean_text(getattr(data, f), f, required=True)) for field in fields}
        try:
            zone = ZoneInfo(data.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            message = _("%(value)s is not a tz database zone, e.g. Asia/Almaty") % {"value": repr(data.time_zone)}
            checks.refuse("time_zone", message)
            zone = ZoneInfo("UTC")
        opens, closes = (
            t if t.tzinfo else t.replace(tzinfo=zone) for t in (data.window_opens_at, data.window_closes_at)
        )
        if opens >= closes:
            checks.refuse("window_closes_at", _("must be after the window opens"))
        checks.done()
        clash = await self.repository.session.scalar(select(m.Election.id).where(m.Election.slug == slug))
        if clash is not None and clash != election.id:
            raise Conflict("slug: " + _("an election %(slug)s already exists") % {"slug": repr(slug)}, field="slug")
        election.slug = slug
        for field, name in names.items():
            setattr(election, field, name)
        election.voting_day = data.voting_day
        election.time_zone = data.time_zone
        election.window_opens_at, election.window_closes_at = opens.astimezone(dt.UTC), closes.astimezone(dt.UTC)

    async def create_election(self, data: ElectionData, actor: Actor) -> m.Election:
        """A new election (admins), with its own counter of badge numbers."""
        election = m.Election()
        await self._apply(election, data)
        self.repository.session.add(election)
        await self.repository.session.flush()
        prefix = data.badge_prefix or default_badge_prefix(election.slug)
        self.repository.session.add(m.BadgeCounter(election_id=election.id, prefix=prefix, issued=0))
        await record(self.repository.session, actor, "create", election)
        return election

    async def update_election(
        self, election: m.Election, data: ElectionData, version: int | None, actor: Actor
    ) -> m.Election:
        check_version(election, version)
        before = snapshot(election)
        await self._apply(election, data)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "update", election, before=before)
        return election


class ElectionData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(max_length=64, examples=["majilis-2023"])]
    name_en: Annotated[str, msgspec.Meta(max_length=255)]
    name_ru: Annotated[str, msgspec.Meta(max_length=255)]
    name_kk: Annotated[str, msgspec.Meta(max_length=255)]
    voting_day: DateIn
    time_zone: Annotated[str, msgspec.Meta(examples=["Asia/Almaty"])]
    window_opens_at: DateTimeIn
    window_closes_at: DateTimeIn
    badge_prefix: Annotated[str, msgspec.Meta(max_length=16, pattern="^[A-Z0-9]*$")] | None = None
