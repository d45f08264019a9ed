"""create_app(): the one place the Litestar app is assembled."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from click import Group
from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.plugins import CLIPluginProtocol
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template import TemplateConfig

from tracker.db import alchemy_config
from tracker.settings import Settings, get_settings
from tracker.web import errors
from tracker.web.api import ElectionApi
from tracker.web.public import PublicPages


class TrackerCommands(CLIPluginProtocol):
    """Adds the project's own subcommands to the `tracker` (Litestar) CLI."""

    def on_cli_init(self, cli: Group) -> None:
        from tracker.cli import COMMANDS

        for command in COMMANDS:
            cli.add_command(command)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    alchemy = alchemy_config(settings)
    return Litestar(
        route_handlers=[ElectionApi, PublicPages],
        plugins=[SQLAlchemyPlugin(config=alchemy), TrackerCommands()],
        exception_handlers=errors.handlers,  # type: ignore[arg-type]
        template_config=TemplateConfig(directory=settings.templates_dir, engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(
            title="Observer accreditation tracker",
            version="1",
            description="Accredited election observers and the published tallies, as of any moment.",
            path="/schema",
        ),
        state=State({"settings": settings, "alchemy": alchemy}),
        debug=settings.debug,
    )
