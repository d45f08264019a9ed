"""Staff accounts, for admins: /api/users."""

from __future__ import annotations

import msgspec
from litestar import Controller, get

from tracker import models as m
from tracker.web.api.responses import responses
from tracker.web.auth import admins
from tracker.web.deps import Users


class UserOut(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    role: m.UserRole
    is_active: bool

    @classmethod
    def of(cls, user: m.User) -> UserOut:
        return cls(id=user.id, email=user.email, name=user.name, role=user.role, is_active=user.is_active)


class UserApi(Controller):
    path = "/api/users"
    tags = ["users"]
    guards = [admins]

    @get("/", summary="Staff accounts", responses=responses(401, 403))
    async def list_users(self, users: Users) -> list[UserOut]:
        return [UserOut.of(user) for user in await users.all_users()]
