"""Missions: one sender's delegation to one election."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from babel import Locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import models as m
from tracker.cleaning import clean_slug, clean_text
from tracker.errors import Checks, Conflict, InvalidInput, NotFound
from tracker.i18n import LANGUAGES, collation_key, current_language
from tracker.i18n import gettext as _
from tracker.services.audit import Actor, record, snapshot
from tracker.services.corrections import has_accreditations, sender_correction_reason
from tracker.services.countries import CountryService
from tracker.services.history import record_sender, sender_of
from tracker.services.mission_page import MissionPage, mission_page
from tracker.services.versions import check_version
from tracker.summaries_rekeyed import rekeyed
from tracker.tally import mission_status_counts

CONTACTS_LIMIT = 2000
# A mission's sender as a form names it: its kind, and its country or its organization.
Sender = tuple[m.SenderKind, m.Country | None, m.Organization | None]


class MissionData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(max_length=64, description="Short name in URLs: a-z, 0-9, hyphens")]
    name: Annotated[str, msgspec.Meta(max_length=500, description="In English, or as the mission writes it")]
    name_ru: Annotated[str, msgspec.Meta(max_length=500, description="In Russian; none: `name` is used")] | None = None
    name_kk: Annotated[str, msgspec.Meta(max_length=500, description="In Kazakh; none: `name` is used")] | None = None
    sender: Annotated[
        str,
        msgspec.Meta(
            description="`country:XX` (ISO 3166-1 alpha-2) or `organization:SLUG`",
            examples=["country:DE", "organization:osce-odihr"],
        ),
    ]
    head_name: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    coordinator_name: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    expected_size: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None
    nomination_note_ref: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    contacts: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=CONTACTS_LIMIT,
                description="How the commission reaches the mission (e-mail, phone): shown to registrars and admins",
            ),
        ]
        | None
    ) = None
    language: Annotated[
        str,
        msgspec.Meta(
            max_length=8, description="The language of the commission's letters to it", examples=list(LANGUAGES)
        ),
    ] = "en"
    news_item_ids: list[int] = msgspec.field(default_factory=list)
    correction_reason: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=2000,
                description="Why the sender changes, when the mission has accreditations (admins only): it changes "
                "past tallies",
            ),
        ]
        | None
    ) = None


def letter_languages() -> dict[str, str]:
    """The languages the commission writes to missions in, as the interface's language names them (CLDR's
    names, through Babel): "русский", "орыс тілі"."""
    names = Locale.parse(current_language.get()).languages
    return {code: names.get(code, code) for code in LANGUAGES}


def sender_value(mission: m.Mission) -> str:
    """The sender as MissionData takes it (`country:XX`, `organization:SLUG`); the organization must be loaded."""
    if mission.sender_kind is m.SenderKind.FOREIGN_STATE:
        return f"country:{mission.country_code}"
    assert mission.organization is not None
    return f"organization:{mission.organization.slug}"


@dataclass(frozen=True, slots=True)
class MissionRow:
    """A mission (its sender loaded) and its accreditations by current status, test records included."""

    mission: m.Mission
    counts: dict[m.Status, int]


@dataclass(frozen=True, slots=True)
class MissionChoices:
    """What the mission form offers: senders in the interface's language's order, and the election's news."""

    countries: list[tuple[str, str]]
    """(code, name in the interface's language)."""
    organizations: list[m.Organization]
    news: list[m.NewsItem]


class MissionService(SQLAlchemyAsyncRepositoryService[m.Mission]):
    class Repo(SQLAlchemyAsyncRepository[m.Mission]):
        model_type = m.Mission

    repository_type = Repo

    async def of_election(self, election: m.Election) -> list[m.Mission]:
        return list(
            await self.repository.session.scalars(
                select(m.Mission)
                .where(m.Mission.election_id == election.id)
                .options(selectinload(m.Mission.country), selectinload(m.Mission.organization))
                .order_by(m.Mission.name)
            )
        )

    async def overview(self, election: m.Election) -> list[MissionRow]:
        """The election's missions by name, each with its counts."""
        counts = await mission_status_counts(self.repository.session, election.id)
        return [MissionRow(mission, counts.get(mission.id, {})) for mission in await self.of_election(election)]

    async def by_slug(self, election: m.Election, slug: str) -> m.Mission:
        mission = await self.repository.session.scalar(
            select(m.Mission)
            .where(m.Mission.election_id == election.id, m.Mission.slug == slug)
            .options(
                selectinload(m.Mission.country),
                selectinload(m.Mission.organization),
                selectinload(m.Mission.news_items),
            )
        )
        if mission is None:
            raise NotFound("mission", slug)
        return mission

    async def page(
        self, election: m.Election, slug: str, lang: str, *, sort: str = "name", page_number: int = 1
    ) -> MissionPage:
        """The mission's staff page, its list sorted by `sort` (see mission_page.SORTS)."""
        mission = await self.by_slug(election, slug)
        return await mission_page(self.repository.session, mission, lang, sort, page_number)

    async def detail(self, election: m.Election, slug: str) -> MissionRow:
        """One mission, with its news items, and its counts."""
        return await self._counted(await self.by_slug(election, slug))

    async def _counted(self, mission: m.Mission) -> MissionRow:
        counts = await mission_status_counts(self.repository.session, mission.election_id)
        return MissionRow(mission, counts.get(mission.id, {}))

    async def choices(self, election: m.Election, lang: str) -> MissionChoices:
        session = self.repository.session
        countries = await CountryService(session).choices(lang)
        organizations = sorted(await session.scalars(select(m.Organization)), key=lambda o: collation_key(o.name(lang)))
        news = await session.scalars(
            select(m.NewsItem).where(m.NewsItem.election_id == election.id).order_by(m.NewsItem.published_at)
        )
        return MissionChoices(countries, organizations, list(news))

    async def _sender(self, sender: str) -> Sender:
        kind, _colon, key = sender.strip().partition(":")
        if kind == "country":
            country = await self.repository.session.get(m.Country, key.upper())
            if country is None:
                message = _("%(value)s is not an ISO 3166 country code") % {"value": repr(key)}
                raise InvalidInput(f"sender: {message}", field="sender")
            return m.SenderKind.FOREIGN_STATE, country, None
        if kind == "organization":
            organization = await self.repository.session.scalar(
                select(m.Organization).where(m.Organization.slug == key)
            )
            if organization is None:
                raise InvalidInput("sender: " + _("no organization %(slug)s") % {"slug": repr(key)}, field="sender")
            if organization.kind is m.OrganizationKind.INTERNATIONAL:
                return m.SenderKind.INTERNATIONAL_ORGANIZATION, None, organization
            return m.SenderKind.DOMESTIC_ORGANIZATION, None, organization
        raise InvalidInput("sender: " + _("use country:XX or organization:SLUG"), field="sender")

    async def _apply(self, mission: m.Mission, election: m.Election, data: MissionData) -> None:
        """Every value checked before the mission changes: a refused form leaves it as it was (and nothing
        half-applied is flushed by the lookups, each flush bumping `version`)."""
        session = self.repository.session
        # Every value refused is named at once.
        checks = Checks()
        slug = checks.run(lambda: clean_slug(data.slug, "odihr")) or ""
        name = checks.run(lambda: clean_text(data.name, "name", required=True, limit=500, printed=True)) or ""
        name_ru = checks.run(lambda: clean_text(data.name_ru, "name_ru", limit=500, printed=True))
        name_kk = checks.run(lambda: clean_text(data.name_kk, "name_kk", limit=500, printed=True))
        sender = await checks.wait(self._sender(data.sender))
        head_name = checks.run(lambda: clean_text(data.head_name, "head_name", printed=True))
        coordinator_name = checks.run(lambda: clean_text(data.coordinator_name, "coordinator_name"))
        nomination_note_ref = checks.run(lambda: clean_text(data.nomination_note_ref, "nomination_note_ref"))
        contacts = checks.run(lambda: clean_text(data.contacts, "contacts", limit=CONTACTS_LIMIT, multiline=True))
        language = data.language.strip().lower()
        if language not in LANGUAGES:
            checks.refuse("language", _("use one of %(languages)s") % {"languages": ", ".join(LANGUAGES)})
        news = list(await session.scalars(select(m.NewsItem).where(m.NewsItem.id.in_(set(data.news_item_ids)))))
        missing = set(data.news_item_ids) - {item.id for item in news}
        if missing:
            message = _("no news items %(ids)s") % {"ids": ", ".join(map(str, sorted(missing)))}
            checks.refuse("news_item_ids", message)
        checks.done()
        assert sender is not None
        sender_kind, country, organization = sender
        clash = await session.scalar(
            select(m.Mission.id).where(m.Mission.election_id == election.id, m.Mission.slug == slug)
        )
        if clash is not None and clash != mission.id:
            message = _("this election already has a mission %(slug)s") % {"slug": repr(slug)}
            raise Conflict(f"slug: {message}", field="slug")
        mission.slug, mission.name, mission.sender_kind = slug, name, sender_kind
        mission.name_ru, mission.name_kk = name_ru, name_kk
        # The sender as a relationship too, so that what is answered names it without another query.
        mission.country, mission.organization = country, organization
        mission.country_code = country.code if country else None
        mission.organization_id = organization.id if organization else None
        mission.head_name, mission.coordinator_name = head_name, coordinator_name
        mission.expected_size = data.expected_size
        mission.nomination_note_ref = nomination_note_ref
        mission.contacts, mission.language = contacts, language
        mission.news_items = news

    async def create_mission(self, election: m.Election, data: MissionData, actor: Actor) -> MissionRow:
        """The new mission, which has no accreditations yet."""
        mission = m.Mission(election_id=election.id, news_items=[])
        await self._apply(mission, election, data)
        self.repository.session.add(mission)
        await self.repository.session.flush()
        await record_sender(self.repository.session, mission, actor)
        await record(self.repository.session, actor, "create", mission)
        return MissionRow(mission, {})

    async def update_mission(
        self, mission: m.Mission, election: m.Election, data: MissionData, version: int | None, actor: Actor
    ) -> MissionRow:
        """The mission as saved, with its counts."""
        check_version(mission, version)
        before = snapshot(mission)
        sender_before = sender_of(mission)
        session = self.repository.session
        # Checked before anything changes, so that a refusal leaves the mission as it was read.
        try:
            requested: Sender | None = await self._sender(data.sender)
        except InvalidInput:
            requested = None  # _apply names it with the form's other problems
        reason = await self._correction_reason(mission, data, requested, sender_before, actor)
        # The tally's summaries count by role and nationality the observers of international senders only.
        crossing = requested is not None and (requested[0] in m.INTERNATIONAL_SENDERS) != (
            mission.sender_kind in m.INTERNATIONAL_SENDERS
        )
        moving = (
            await session.scalars(select(m.Accreditation.id).where(m.Accreditation.mission_id == mission.id))
            if crossing
            else []
        )
        async with rekeyed(session, list(moving)):
            await self._apply(mission, election, data)
            await session.flush()
        if sender_of(mission) != sender_before:
            await record_sender(session, mission, actor, reason=reason)
        await session.flush()
        await record(session, actor, "update", mission, before=before, note=reason and f"sender corrected: {reason}")
        return await self._counted(mission)

    async def _correction_reason(
        self,
        mission: m.Mission,
        data: MissionData,
        requested: Sender | None,
        before: tuple[m.SenderKind, str | None, int | None],
        actor: Actor,
    ) -> str | None:
        """The reason a sender correction records; a mission with no accreditations changes sender freely."""
        if requested is None:
            return None
        kind, country, organization = requested
        after = (kind, country.code if country else None, organization.id if organization else None)
        if after == before or not await has_accreditations(self.repository.session, mission):
            return None
        return sender_correction_reason(actor, data.correction_reason)

    async def delete_mission(self, mission: m.Mission, version: int | None, actor: Actor) -> None:
        check_version(mission, version)
        session = self.repository.session
        if await session.scalar(select(m.Accreditation.id).where(m.Accreditation.mission_id == mission.id).limit(1)):
            raise Conflict("mission: " + _("it has accreditations, whose history is kept; it cannot be deleted"))
        await record(session, actor, "delete", mission, before=snapshot(mission))
        await session.delete(mission)
        await session.flush()
