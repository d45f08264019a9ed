"""Dependencies shared by the controllers."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar.providers import create_service_provider

from tracker.services.elections import ElectionService

provide_elections = create_service_provider(ElectionService)
