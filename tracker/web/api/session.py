"""Signing in for API clients: POST /api/session sets the session cookie."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from tracker.errors import TooManyAttempts
from tracker.web.api.responses import responses
from tracker.web.auth import ANONYMOUS, CurrentUser, check_password, refusal_message, sign_in, staff
from tracker.web.deps import Users


class Credentials(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=255)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]


class Me(msgspec.Struct):
    email: str
    name: str
    role: str

    @classmethod
    def of(cls, user: CurrentUser) -> Me:
        return cls(email=user.email, name=user.name, role=user.role.value)


class SessionApi(Controller):
    path = "/api/session"
    tags = ["session"]

    @post(
        "/",
        opt={"public": True},
        security=ANONYMOUS,
        status_code=HTTP_200_OK,
        summary="Sign in (sets the session cookie)",
        description="The csrftoken cookie (set by any staff page) must be echoed in the X-CSRFToken header; "
        "403 when it is not.",
        responses=responses(400, 401, 403, 429),
    )
    async def sign_in(self, request: Request[Any, Any, Any], users: Users, data: JSONBody[Credentials]) -> Response[Me]:
        try:
            user = await check_password(request, users, data.email, data.password)
        except TooManyAttempts as refused:
            retry_after = {"Retry-After": str(refused.retry_after)}
            raise TooManyRequestsException(refusal_message(refused), headers=retry_after) from None
        if user is None:
            raise NotAuthorizedException("email or password is wrong, or the account is disabled")
        me = Me(email=user.email, name=user.name, role=user.role.value)
        return Response(me, cookies=[sign_in(request, user)])

    @get("/", guards=[staff], summary="Who is signed in", responses=responses(401))
    async def me(self, request: Request[CurrentUser, Any, Any]) -> Me:
        return Me.of(request.user)

    @delete("/", guards=[staff], summary="Sign out", responses=responses(401, 403))
    async def sign_out(self, request: Request[CurrentUser, Any, Any]) -> None:
        request.clear_session()
