"""Organizations that send observers: reference data that admins keep."""

from __future__ import annotations

from typing import Annotated

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import select

from tracker import models as m
from tracker.cleaning import clean_slug, clean_text
from tracker.errors import Checks, Conflict, NotFound
from tracker.i18n import gettext as _
from tracker.services.audit import Actor, record, snapshot
from tracker.services.versions import check_version

Short = Annotated[str, msgspec.Meta(max_length=64)]
Long = Annotated[str, msgspec.Meta(max_length=500)]
ACRONYMS = ("acronym_en", "acronym_ru", "acronym_kk")
NAMES = ("name_en", "name_ru", "name_kk")


class OrganizationData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Short
    kind: m.OrganizationKind
    acronym_en: Short
    acronym_ru: Short
    acronym_kk: Short
    name_en: Long
    name_ru: Long
    name_kk: Long


class OrganizationService(SQLAlchemyAsyncRepositoryService[m.Organization]):
    class Repo(SQLAlchemyAsyncRepository[m.Organization]):
        model_type = m.Organization

    repository_type = Repo

    async def all_organizations(self) -> list[m.Organization]:
        return list(await self.get_many(order_by=[(m.Organization.kind, False), (m.Organization.acronym_en, False)]))

    async def by_slug(self, slug: str) -> m.Organization:
        organization = await self.get_one_or_none(slug=slug)
        if organization is None:
            raise NotFound("organization", slug)
        return organization

    async def _apply(self, organization: m.Organization, data: OrganizationData) -> None:
        """Every value checked before the organization changes: a refused form leaves it as it was."""
        # Every value refused is named at once.
        checks = Checks()
        slug = checks.run(lambda: clean_slug(data.slug, "osce-odihr")) or ""
        acronyms = {
            f: checks.run(lambda f=f: clean_text(getattr(data, f), f, required=True, limit=64, printed=True))
            for f in ACRONYMS
        }
        names = {
            f: checks.run(lambda f=f: clean_text(getattr(data, f), f, required=True, limit=500, printed=True))
            for f in NAMES
        }
        checks.done()
        clash = await self.repository.session.scalar(select(m.Organization.id).where(m.Organization.slug == slug))
        if clash is not None and clash != organization.id:
            raise Conflict("slug: " + _("an organization %(slug)s already exists") % {"slug": repr(slug)}, field="slug")
        organization.slug = slug
        organization.kind = data.kind
        for field, value in (acronyms | names).items():
            setattr(organization, field, value)

    async def create_organization(self, data: OrganizationData, actor: Actor) -> m.Organization:
        organization = m.Organization()
        await self._apply(organization, data)
        self.repository.session.add(organization)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "create", organization)
        return organization

    async def update_organization(
        self, organization: m.Organization, data: OrganizationData, version: int | None, actor: Actor
    ) -> m.Organization:
        check_version(organization, version)
        if data.kind is not organization.kind and await self.repository.session.scalar(
            select(m.Mission.id).where(m.Mission.organization_id == organization.id).limit(1)
        ):
            raise Conflict(
                "kind: " + _("missions already count this organization as it is; its kind cannot change"), field="kind"
            )
        before = snapshot(organization)
        await self._apply(organization, data)
        await self.repository.session.flush()
        await record(self.repository.session, actor, "update", organization, before=before)
        return organization
