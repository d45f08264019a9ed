"""Staff accounts, for admins: /api/users."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from tracker import models as m
from tracker.web.api.responses import responses
from tracker.web.auth import CurrentUser, admins
from tracker.web.deps import AppSettings, Resets, Users


class UserOut(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    role: m.UserRole
    is_active: bool

    @classmethod
    def of(cls, user: m.User) -> UserOut:
        return cls(id=user.id, email=user.email, name=user.name, role=user.role, is_active=user.is_active)


class UserChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What an admin changes on another account; what is left out stays as it is."""

    role: m.UserRole | None = None
    is_active: bool | None = None


class ResetLinkOut(msgspec.Struct, kw_only=True):
    url: str
    """Give it to the person yourself: it is not shown again. It works once."""
    expires_at: dt.datetime


class UserApi(Controller):
    path = "/api/users"
    tags = ["users"]
    guards = [admins]

    @get("/", summary="Staff accounts", responses=responses(401, 403))
    async def list_users(self, users: Users) -> list[UserOut]:
        return [UserOut.of(user) for user in await users.all_users()]

    @patch(
        "/{user_id:int}",
        summary="Change an account's role, or disable or enable it",
        description="Either signs the account out at once, on every device. Your own account is refused (400).",
        responses=responses(400, 401, 403, 404),
    )
    async def change_user(
        self, request: Request[CurrentUser, Any, Any], users: Users, user_id: FromPath[int], data: JSONBody[UserChange]
    ) -> UserOut:
        user = await users.by_id(user_id)
        if data.role is not None:
            await users.set_role(user, data.role, request.user.actor)
        if data.is_active is not None:
            await users.set_active(user, data.is_active, request.user.actor)
        return UserOut.of(user)

    @post(
        "/{user_id:int}/password-reset",
        status_code=HTTP_201_CREATED,
        summary="A one-time link for the account to set a new password",
        description="Valid 24 hours, once; an earlier link for the account stops working. 400 for a disabled account.",
        responses=responses(400, 401, 403, 404),
    )
    async def password_reset(
        self,
        request: Request[CurrentUser, Any, Any],
        users: Users,
        password_resets: Resets,
        settings: AppSettings,
        user_id: FromPath[int],
    ) -> ResetLinkOut:
        user = await users.by_id(user_id)
        link = await password_resets.issue(user, request.user.actor, settings.public_url)
        return ResetLinkOut(url=link.url, expires_at=link.expires_at)
