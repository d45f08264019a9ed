"""Signing in for API clients: POST /api/session sets the session cookie."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from tracker.errors import TooManyAttempts
from tracker.web.api.responses import responses
from tracker.web.auth import ANONYMOUS, CurrentUser, check_password, known_device, refusal_message, sign_in, staff
from tracker.web.deps import Users, client_address


class Credentials(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=255)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Annotated[str, msgspec.Meta(max_length=1024)]
    new_password: Annotated[str, msgspec.Meta(max_length=1024)]


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

    @post(
        "/password",
        guards=[staff],
        status_code=HTTP_204_NO_CONTENT,
        summary="Change your own password",
        description="The current password is checked as a sign-in is, under the same limits (429). The new one: "
        "at least 12 characters and not a common password (400, `field` new_password). Every session of the "
        "account ends; this one carries on under a new session cookie.",
        responses=responses(400, 401, 403, 429),
    )
    async def change_password(
        self, request: Request[CurrentUser, Any, Any], users: Users, data: JSONBody[PasswordChange]
    ) -> Response[None]:
        me = request.user
        try:
            user = await users.change_password(
                me.id,
                data.current_password,
                data.new_password,
                client_address(request),
                device=known_device(request, me.email),
            )
        except TooManyAttempts as refused:
            retry_after = {"Retry-After": str(refused.retry_after)}
            raise TooManyRequestsException(refusal_message(refused), headers=retry_after) from None
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[sign_in(request, user)])
