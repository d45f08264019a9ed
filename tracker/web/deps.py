"""Dependencies shared by the controllers."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.extensions.litestar.providers import create_service_provider
from litestar import Request

from tracker.services.accreditations import AccreditationService
from tracker.services.elections import ElectionService
from tracker.services.missions import MissionService
from tracker.services.organizations import OrganizationService
from tracker.services.persons import PersonService
from tracker.services.users import UserService

provide_elections = create_service_provider(ElectionService)
provide_missions = create_service_provider(MissionService)
provide_persons = create_service_provider(PersonService)
provide_accreditations = create_service_provider(AccreditationService)
provide_users = create_service_provider(UserService)
provide_organizations = create_service_provider(OrganizationService)


def client_address(request: Request[Any, Any, Any]) -> str:
    """The visitor's address, as the public API's limit sees it (X-Forwarded-For from trusted proxies)."""
    addresses = request.app.state.get("addresses")
    if addresses is not None:
        return str(addresses.of(request.scope))
    return request.client.host if request.client else "unknown"
