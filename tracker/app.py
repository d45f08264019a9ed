"""create_app(): the one place the Litestar app is assembled."""

from __future__ import annotations

import datetime as dt
import gc

import anyio.to_thread
from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from click import Group
from jinja2.ext import i18n as jinja_i18n
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.config.response_cache import ResponseCacheConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.plugins import CLIPluginProtocol
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from reports.fonts import load_all as load_fonts
from tracker import labels
from tracker.db import alchemy_config
from tracker.i18n import LANGUAGES, NAMES, current_language, format_day, format_instant, gettext, ngettext
from tracker.logs import keep_query_strings_out_of_access_logs
from tracker.models import StoreItem
from tracker.settings import Settings, get_settings
from tracker.web.api.audit import AuditApi
from tracker.web.api.badges import BadgeApi
from tracker.web.api.decisions import DecisionApi, ElectionDecisionApi
from tracker.web.api.elections import election_writes
from tracker.web.api.missions import MissionApi
from tracker.web.api.people import AccreditationApi, ElectionAccreditationApi, PersonApi
from tracker.web.api.photos import PhotoApi
from tracker.web.api.press import BulletinApi, NewsApi
from tracker.web.api.rosters import RosterApi
from tracker.web.api.session import SessionApi
from tracker.web.api.users import UserApi
from tracker.web.auth import PUBLIC_SITE, session_auth
from tracker.web.deps import DEPENDENCIES
from tracker.web.http import errors
from tracker.web.http.caching import (
    CACHE_SECONDS,
    UNCACHED,
    Answers,
    SharedAnswers,
    cache_key,
    cacheable,
    is_public_api,
    private_answers_unstored,
    public_cache,
)
from tracker.web.http.language import language_middleware
from tracker.web.http.rate_limit import Addresses, RateLimiter, flushing, rate_limit
from tracker.web.http.requests import CheckedRequest
from tracker.web.http.security import STATIC_DIR, security_headers, static_version
from tracker.web.http.transactions import finish_transaction_first
from tracker.web.http.versions import DataVersion
from tracker.web.public.api import ElectionApi
from tracker.web.public.feeds import FeedPages
from tracker.web.public.indexes import PublicIndexes
from tracker.web.public.pages import PublicPages
from tracker.web.public.verify import VerifyPages
from tracker.web.staff.accounts import AccountPages
from tracker.web.staff.accreditations import AccreditationPages
from tracker.web.staff.admin import AdminPages
from tracker.web.staff.badges import BadgePages
from tracker.web.staff.countries import CountryPages
from tracker.web.staff.decisions import DecisionPages
from tracker.web.staff.elections import ElectionPages
from tracker.web.staff.imports import ImportPages
from tracker.web.staff.missions import MissionPages
from tracker.web.staff.people import PersonPages, PhotoPages
from tracker.web.staff.press import BulletinPages, NewsPages
from tracker.web.staff.rosters import RosterPages
from tracker.web.staff.sign_in import SignInPages


class TrackerCommands(CLIPluginProtocol):
    """Adds the project's own subcommands to the `tracker` (Litestar) CLI."""

    def on_cli_init(self, cli: Group) -> None:
        from tracker.cli import COMMANDS
        from tracker.cli_check import check_command
        from tracker.cli_decisions import decide_command
        from tracker.cli_import import import_command
        from tracker.cli_users import users_group

        for command in [*COMMANDS, users_group, import_command, decide_command, check_command]:
            cli.add_command(command)


def _configure_jinja(engine: JinjaTemplateEngine) -> None:
    environment = engine.engine
    environment.add_extension(jinja_i18n)
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    environment.globals |= {
        "current_language": current_language.get,
        "languages": [(code, NAMES[code]) for code in LANGUAGES],
        "format_instant": format_instant,
        "format_day": format_day,
        "static_version": static_version(),
        # Read in the request's language when a form's summary of problems names its fields.
        "field_labels": labels.form_fields,
        "utc": dt.UTC,
    }


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    keep_query_strings_out_of_access_logs()
    alchemy = alchemy_config(settings)
    auth = session_auth(alchemy, secure_cookies=settings.secure_cookies)
    # What a worker keeps in memory between requests, on app.state; each start of the app begins it afresh.
    limiter = RateLimiter(alchemy.get_engine(), settings.public_api_per_minute)
    versions = DataVersion(alchemy.get_engine())
    answers = Answers()
    shared_answers = SharedAnswers(alchemy, model=StoreItem, namespace="response_cache")
    addresses = Addresses(settings.trusted_proxies)

    def begin_afresh() -> None:
        answers.clear()
        limiter.forget()

    async def fonts_loaded() -> None:
        # Checking that a name can be printed needs every font's character map: parsed once, off the loop.
        await anyio.to_thread.run_sync(load_fonts)

    def settled() -> None:
        # What the process loaded to start (modules, templates, fonts) lives as long as it does: kept out of the
        # garbage collector's full passes, which otherwise walk it all and pause a request for tens of ms. Once
        # per process: a later app in the same process (the tests make many) would freeze the earlier ones' garbage.
        if gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()

    return Litestar(
        route_handlers=[
            ElectionApi,
            *election_writes,
            MissionApi,
            RosterApi,
            BadgeApi,
            BulletinApi,
            NewsApi,
            PersonApi,
            PhotoApi,
            ElectionAccreditationApi,
            AccreditationApi,
            ElectionDecisionApi,
            DecisionApi,
            AuditApi,
            UserApi,
            SessionApi,
            PublicPages,
            FeedPages,
            PublicIndexes,
            VerifyPages,
            SignInPages,
            AccountPages,
            ElectionPages,
            MissionPages,
            AccreditationPages,
            PersonPages,
            PhotoPages,
            RosterPages,
            BadgePages,
            BulletinPages,
            NewsPages,
            AdminPages,
            CountryPages,
            ImportPages,
            DecisionPages,
            create_static_files_router(
                path="/static",
                directories=[STATIC_DIR],
                # Addressed by their digest (?v=): unchanged for as long as the address is.
                cache_control=CacheControlHeader(max_age=365 * 24 * 3600, public=True),
                opt={**PUBLIC_SITE, UNCACHED: True},
            ),
        ],
        dependencies=DEPENDENCIES,
        plugins=[SQLAlchemyPlugin(config=alchemy), TrackerCommands()],
        on_app_init=[auth.on_app_init],
        before_send=[
            security_headers(https=settings.secure_cookies, embed_ancestors=settings.embed_ancestors),
            private_answers_unstored(),
        ],
        before_request=errors.ids_in_range,
        on_startup=[begin_afresh, fonts_loaded, settled],
        # Before the database plugin's lifespan closes the pool.
        on_shutdown=[shared_answers.settled],
        lifespan=[flushing(limiter), versions.kept_until_shutdown],
        middleware=[
            DefineMiddleware(language_middleware),
            rate_limit(limiter, applies=is_public_api, addresses=addresses),
            public_cache(versions, answers),
            finish_transaction_first(alchemy),
        ],
        stores={
            "response_cache": shared_answers,
        },
        response_cache_config=ResponseCacheConfig(
            store="response_cache",
            key_builder=cache_key,
            default_expiration=CACHE_SECONDS,
            cache_response_filter=cacheable,
        ),
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="csrftoken",
            header_name="x-csrftoken",
            cookie_httponly=True,
            cookie_samesite="lax",
            cookie_secure=settings.secure_cookies,
        ),
        exception_handlers=errors.handlers,  # type: ignore[arg-type]
        request_class=CheckedRequest,
        template_config=TemplateConfig(
            directory=settings.templates_dir, engine=JinjaTemplateEngine, engine_callback=_configure_jinja
        ),
        openapi_config=OpenAPIConfig(
            title="Observer accreditation tracker",
            version="1",
            description="Accredited election observers and the published tallies, as of any moment. "
            "Writes need a signed-in session (POST /api/session) and the csrftoken cookie echoed in the "
            "X-CSRFToken header.",
            path="/schema",
        ),
        state=State(
            {
                "settings": settings,
                "alchemy": alchemy,
                "addresses": addresses,
                "limiter": limiter,
                "versions": versions,
                "answers": answers,
            }
        ),
        debug=settings.debug,
        # Room for a 10 MB list and its form; the import itself says clearly when a file is too big.
        request_max_body_size=(settings.import_max_mb + 2) * 1024 * 1024,
    )
