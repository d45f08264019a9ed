"""Missions: one sender's delegation to one election."""

from __future__ import annotations

from typing import Annotated

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import models as m
from tracker.cleaning import clean_slug, clean_text
from tracker.errors import Conflict, InvalidInput, NotFound
from tracker.services.audit import Actor, record, snapshot
from tracker.services.versions import check_version


class MissionData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(max_length=64, description="Short name in URLs: a-z, 0-9, hyphens")]
    name: Annotated[str, msgspec.Meta(max_length=500)]
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
    news_item_ids: list[int] = msgspec.field(default_factory=list)


def sender_value(mission: m.Mission, organization_slug: str | None = None) -> str:
    if mission.sender_kind is m.SenderKind.FOREIGN_STATE:
        return f"country:{mission.country_code}"
    return f"organization:{organization_slug}"


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

    async def _apply(self, mission: m.Mission, election: m.Election, data: MissionData) -> None:
        session = self.repository.session
        slug = clean_slug(data.slug, "odihr")
        clash = await session.scalar(
            select(m.Mission.id).where(m.Mission.election_id == election.id, m.Mission.slug == slug)
        )
        if clash is not None and clash != mission.id:
            raise Conflict(f"slug: this election already has a mission {slug!r}", field="slug")
        mission.slug = slug
        mission.name = clean_text(data.name, "name", required=True, limit=500) or ""
        kind, _, key = data.sender.strip().partition(":")
        if kind == "country":
            country = await session.get(m.Country, key.upper())
            if country is None:
                raise InvalidInput(f"sender: {key!r} is not an ISO 3166 country code", field="sender")
            mission.sender_kind, mission.country_code, mission.organization_id = (
                m.SenderKind.FOREIGN_STATE,
                country.code,
                None,
            )
        elif kind == "organization":
            organization = await session.scalar(select(m.Organization).where(m.Organization.slug == key))
            if organization is None:
                raise InvalidInput(f"sender: no organization {key!r}", field="sender")
            mission.sender_kind = (
                m.SenderKind.INTERNATIONAL_ORGANIZATION
                if organization.kind is m.OrganizationKind.INTERNATIONAL
                else m.SenderKind.DOMESTIC_ORGANIZATION
            )
            mission.country_code, mission.organization_id = None, organization.id
        else:
            raise InvalidInput("sender: use country:XX or organization:SLUG", field="sender")
        mission.head_name = clean_text(data.head_name, "head_name")
        mission.coordinator_name = clean_text(data.coordinator_name, "coordinator_name")
        mission.expected_size = data.expected_size
        mission.nomination_note_ref = clean_text(data.nomination_note_ref, "nomination_note_ref")
        news = list(await session.scalars(select(m.NewsItem).where(m.NewsItem.id.in_(set(data.news_item_ids)))))
        missing = set(data.news_item_ids) - {item.id for item in news}
        if missing:
            raise InvalidInput(f"news_item_ids: no news items {sorted(missing)}", field="news_item_ids")
        mission.news_items = news

    async def create_mission(self, election: m.Election, data: MissionData, actor: Actor) -> m.Mission:
        mission = m.Mission(election_id=election.id, news_items=[])
        await self._apply(mission, election, data)
        self.repository.session.add(mission)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "create", mission)
        return mission

    async def update_mission(
        self, mission: m.Mission, election: m.Election, data: MissionData, version: int | None, actor: Actor
    ) -> m.Mission:
        check_version(mission, version)
        before = snapshot(mission)
        # One save, one UPDATE: the lookups inside must not flush half-applied changes (each flush bumps `version`).
        with self.repository.session.no_autoflush:
            await self._apply(mission, election, data)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "update", mission, before=before)
        return mission

    async def delete_mission(self, mission: m.Mission, version: int | None, actor: Actor) -> None:
        check_version(mission, version)
        session = self.repository.session
        if await session.scalar(select(m.Accreditation.id).where(m.Accreditation.mission_id == mission.id).limit(1)):
            raise Conflict("mission: it has accreditations, whose history is kept; it cannot be deleted")
        await record(session, actor, "delete", mission, before=snapshot(mission))
        await session.delete(mission)
        await session.flush()
