"""What a controller is given: one provider per service, the election its path names, the settings, and who is
asking. Registered once for the whole app (`DEPENDENCIES`); a handler asks for them by name, typed with the
aliases below, e.g. `async def detail(self, election: Election, missions: Missions) -> ...`."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.services.accreditations import AccreditationService
from tracker.services.audit import AuditService
from tracker.services.badges import BadgeService
from tracker.services.bulletins import BulletinService
from tracker.services.countries import CountryService
from tracker.services.decisions import DecisionService
from tracker.services.elections import ElectionService
from tracker.services.figures import FigureService
from tracker.services.imports import ImportService
from tracker.services.missions import MissionService
from tracker.services.news import NewsService
from tracker.services.organizations import OrganizationService
from tracker.services.password_resets import PasswordResets
from tracker.services.persons import PersonService
from tracker.services.photos import PhotoService
from tracker.services.rosters import RosterService
from tracker.services.users import UserService
from tracker.settings import Settings

provide_elections = create_service_provider(ElectionService)
provide_missions = create_service_provider(MissionService)
provide_persons = create_service_provider(PersonService)
provide_accreditations = create_service_provider(AccreditationService)
provide_users = create_service_provider(UserService)
provide_organizations = create_service_provider(OrganizationService)
provide_audit = create_service_provider(AuditService)


def provide_settings(state: State) -> Settings:
    return state.settings  # type: ignore[no-any-return]


def provide_badges(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> BadgeService:
    return BadgeService(db_session, settings)


def provide_bulletins(
    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]
) -> BulletinService:
    return BulletinService(db_session, settings)


def provide_decisions(
    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]
) -> DecisionService:
    return DecisionService(db_session, settings)


def provide_figures(
    db_session: NamedDependency[AsyncSession], bulletins: NamedDependency[BulletinService]
) -> FigureService:
    return FigureService(db_session, bulletins)


def provide_password_resets(db_session: NamedDependency[AsyncSession]) -> PasswordResets:
    return PasswordResets(db_session)


def provide_news(db_session: NamedDependency[AsyncSession]) -> NewsService:
    return NewsService(db_session)


def provide_rosters(db_session: NamedDependency[AsyncSession]) -> RosterService:
    return RosterService(db_session)


def provide_imports(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> ImportService:
    return ImportService(db_session, settings.import_limits)


async def provide_import_batch(batch_id: FromPath[int], imports: NamedDependency[ImportService]) -> m.ImportBatch:
    """The uploaded list whose number is in the path (`{batch_id:int}`); 404 when there is none."""
    return await imports.batch(batch_id)


def provide_photos(db_session: NamedDependency[AsyncSession]) -> PhotoService:
    return PhotoService(db_session)


def provide_countries(db_session: NamedDependency[AsyncSession]) -> CountryService:
    return CountryService(db_session)


async def provide_election(slug: FromPath[str], elections: NamedDependency[ElectionService]) -> m.Election:
    """The election whose slug is in the path (`{slug:str}`); 404 when there is none."""
    return await elections.get_by_slug(slug)


DEPENDENCIES = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "elections": Provide(provide_elections),
    "missions": Provide(provide_missions),
    "persons": Provide(provide_persons),
    "accreditations": Provide(provide_accreditations),
    "users": Provide(provide_users),
    "organizations": Provide(provide_organizations),
    "audit": Provide(provide_audit),
    "badges": Provide(provide_badges, sync_to_thread=False),
    "bulletins": Provide(provide_bulletins, sync_to_thread=False),
    "news": Provide(provide_news, sync_to_thread=False),
    "password_resets": Provide(provide_password_resets, sync_to_thread=False),
    "figures": Provide(provide_figures, sync_to_thread=False),
    "decisions": Provide(provide_decisions, sync_to_thread=False),
    "rosters": Provide(provide_rosters, sync_to_thread=False),
    "imports": Provide(provide_imports, sync_to_thread=False),
    "import_batch": Provide(provide_import_batch),
    "photos": Provide(provide_photos, sync_to_thread=False),
    "countries": Provide(provide_countries, sync_to_thread=False),
    "election": Provide(provide_election),
}

Election = NamedDependency[m.Election]
AppSettings = NamedDependency[Settings]
Elections = NamedDependency[ElectionService]
Missions = NamedDependency[MissionService]
Persons = NamedDependency[PersonService]
Accreditations = NamedDependency[AccreditationService]
Users = NamedDependency[UserService]
Resets = NamedDependency[PasswordResets]
Organizations = NamedDependency[OrganizationService]
Audit = NamedDependency[AuditService]
Badges = NamedDependency[BadgeService]
Bulletins = NamedDependency[BulletinService]
News = NamedDependency[NewsService]
Figures = NamedDependency[FigureService]
Decisions = NamedDependency[DecisionService]
Rosters = NamedDependency[RosterService]
Imports = NamedDependency[ImportService]
ImportBatch = NamedDependency[m.ImportBatch]
Photos = NamedDependency[PhotoService]
Countries = NamedDependency[CountryService]


def client_address(request: Request[Any, Any, Any]) -> str:
    """The visitor's address, as the public API's limit sees it (X-Forwarded-For from trusted proxies)."""
    addresses = request.app.state.get("addresses")
    if addresses is not None:
        return str(addresses.of(request.scope))
    return request.client.host if request.client else "unknown"
