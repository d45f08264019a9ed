"""Who is signed in: server-side sessions in the database, CSRF on every write, and role guards."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.session import SQLAlchemyAsyncSessionBackend
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.openapi.spec import SecurityRequirement
from litestar.security.session_auth import SessionAuth
from litestar.types import Empty, Guard, Message

from tracker import models as m
from tracker.errors import TooManyAttempts
from tracker.i18n import ngettext
from tracker.services.audit import Actor
from tracker.services.sign_in_limits import device_token, trusted_device
from tracker.services.users import UserService
from tracker.web.deps import client_address
from tracker.web.http.error_pages import RoleRequired

ROTATE = "tracker.rotate_session"
PUBLIC = "public"
"""Route option: no sign-in needed."""
NO_SESSION = "no_session"
"""Route option: not even a session (the public site and API)."""
# The public site only reads: no session, and no CSRF cookie, so its answers can be cached and shared.
PUBLIC_SITE = {PUBLIC: True, NO_SESSION: True, "exclude_from_csrf": True}
ANONYMOUS: list[SecurityRequirement] = [{}]
"""OpenAPI: an operation anyone may call, signed in or not (the document's default asks for the session)."""
SESSION_HOURS = 10
DEVICE_COOKIE = "tracker_device"
DEVICE_DAYS = 365


@dataclass(frozen=True, slots=True)
class CurrentUser:
    id: int
    email: str
    name: str
    role: m.UserRole

    @property
    def actor(self) -> Actor:
        return Actor(self.email, self.role)

    @property
    def sees_personal_data(self) -> bool:
        return self.role in (m.UserRole.ADMIN, m.UserRole.REGISTRAR)


class DatabaseSessionBackend(SQLAlchemyAsyncSessionBackend):
    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        had = connection.cookies.get(self.config.key)
        store = self.config.get_store_from_app(connection.scope["app"])
        if scope_session is Empty or not scope_session:
            # A visitor who never signed in has nothing to keep or clear: no row, no cookie. One who signed
            # out, or whose session is gone: the row goes, and so does the cookie (Litestar's own answer
            # would keep a "null" cookie for the session's whole lifetime, or store the empty session).
            if had:
                await self.delete(had, store=store)
                gone = Cookie(key=self.config.key, value="", max_age=0, expires=0, **self._cookie_attributes())
                MutableScopeHeaders.from_message(message).add("Set-Cookie", gone.to_header(header=""))
            return
        if had and connection.scope.get(ROTATE):
            # Signed in again: the session this browser had ends now, not when it would have expired.
            await self.delete(had, store=store)
        await super().store_in_message(scope_session, message, connection)

    def _cookie_attributes(self) -> dict[str, Any]:
        return {
            "path": self.config.path,
            "domain": self.config.domain,
            "secure": self.config.secure,
            "httponly": self.config.httponly,
            "samesite": self.config.samesite,
        }

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        # A fresh session ID at sign-in: an ID planted in the browser beforehand is worth nothing.
        if connection.scope.get(ROTATE):
            fresh = connection.scope.get(f"{ROTATE}.id")
            if fresh is None:
                fresh = connection.scope[f"{ROTATE}.id"] = self.generate_session_id()  # type: ignore[typeddict-unknown-key]
            return str(fresh)
        return super().get_session_id(connection)


@dataclass
class DatabaseSessionConfig(ServerSideSessionConfig):
    alchemy: SQLAlchemyAsyncConfig | None = None


@dataclass
class DatabaseSessionAuth(SessionAuth[CurrentUser, DatabaseSessionBackend]):
    """Session auth whose sessions live in the database (Litestar's default would be process memory)."""

    @property
    def session_backend(self) -> DatabaseSessionBackend:
        config = self.session_backend_config
        assert isinstance(config, DatabaseSessionConfig)
        assert config.alchemy is not None
        return DatabaseSessionBackend(config=config, alchemy_config=config.alchemy, model=m.WebSession)


async def retrieve_user(session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    user_id = session.get("user_id")
    if not isinstance(user_id, int):
        return None
    # Asked before the request's own dependencies exist: the service gets a session of its own.
    alchemy: SQLAlchemyAsyncConfig = connection.app.state.alchemy
    async with alchemy.get_session() as db:
        user = await UserService(session=db).still_signed_in(user_id, session.get("user_version"))
    if user is None:
        return None
    return CurrentUser(id=user.id, email=user.email, name=user.name, role=user.role)


def session_auth(alchemy: SQLAlchemyAsyncConfig, *, secure_cookies: bool) -> DatabaseSessionAuth:
    config = DatabaseSessionConfig(
        alchemy=alchemy,
        key="tracker_session",
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="lax",
        secure=secure_cookies,
        # The public site and API never touch sessions: no database write per anonymous request.
        exclude_opt_key=NO_SESSION,
        exclude=["^/schema", "^/static/"],
    )
    return DatabaseSessionAuth(
        retrieve_user_handler=retrieve_user,
        session_backend_config=config,  # type: ignore[arg-type]
        exclude_opt_key=PUBLIC,
        exclude=["^/schema", "^/static/"],
    )


async def check_password(
    request: Request[Any, Any, Any], users: UserService, email: str, password: str
) -> m.User | None:
    """The user if the password is right, counted against the sign-in limits of this browser and address;
    TooManyAttempts when it may not be tried now."""
    return await users.authenticate(email, password, client_address(request), device=known_device(request, email))


def known_device(connection: ASGIConnection[Any, Any, Any, Any], email: str) -> str | None:
    """The nonce of this browser's device cookie, if it was signed for the account (see `sign_in`)."""
    return trusted_device(connection.app.state.settings.secret_key, email, connection.cookies.get(DEVICE_COOKIE))


def sign_in(connection: ASGIConnection[Any, Any, Any, Any], user: m.User) -> Cookie:
    """Start the user's session; the answer must set the cookie returned, which marks this browser as
    known to the account (it is not slowed down when strangers try the account's password)."""
    connection.scope[ROTATE] = True  # type: ignore[typeddict-unknown-key]
    connection.set_session({"user_id": user.id, "user_version": user.version})
    settings = connection.app.state.settings
    return Cookie(
        key=DEVICE_COOKIE,
        value=device_token(settings.secret_key, user.email),
        max_age=DEVICE_DAYS * 24 * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def refusal_message(refused: TooManyAttempts) -> str:
    """What to do about a sign-in refused for now, in the interface's language."""
    if refused.slowed:
        seconds = refused.retry_after
        return ngettext(
            "This account has had many failed sign-ins, so each attempt must wait. Try again in %(num)d second; "
            "a browser where you have signed in before does not wait.",
            "This account has had many failed sign-ins, so each attempt must wait. Try again in %(num)d seconds; "
            "a browser where you have signed in before does not wait.",
            seconds,
        ) % {"num": seconds}
    minutes = math.ceil(refused.retry_after / 60)
    return ngettext(
        "Too many failed sign-ins from this address. Try again in %(num)d minute, or sign in from a browser "
        "where you have signed in before.",
        "Too many failed sign-ins from this address. Try again in %(num)d minutes, or sign in from a browser "
        "where you have signed in before.",
        minutes,
    ) % {"num": minutes}


def requires(*roles: m.UserRole) -> Guard:
    """A guard that lets only these roles through (anonymous users never reach it: the session auth
    middleware has already answered 401)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.user if "user" in connection.scope else None
        if user is None:
            raise NotAuthorizedException("sign in first")
        if user.role not in roles:
            raise RoleRequired(user.role, roles)

    return guard


ADMIN = m.UserRole.ADMIN
REGISTRAR = m.UserRole.REGISTRAR
PRESS = m.UserRole.PRESS_OFFICER
admins = requires(ADMIN)
registrars = requires(ADMIN, REGISTRAR)
staff = requires(ADMIN, REGISTRAR, PRESS)
press = requires(ADMIN, PRESS)
