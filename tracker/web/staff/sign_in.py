"""Signing in and out of the staff pages."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_401_UNAUTHORIZED, HTTP_429_TOO_MANY_REQUESTS

from tracker.errors import TooManyAttempts
from tracker.i18n import gettext as _
from tracker.web.auth import check_password, refusal_message, sign_in, staff
from tracker.web.deps import Users
from tracker.web.staff import local_path, page


class SignInPages(Controller):
    path = "/staff"
    include_in_schema = False

    @get("/sign-in", opt={"public": True})
    async def form(self, request: Request[Any, Any, Any], next: FromQuery[str] = "/staff") -> Template:
        return page(request, "sign_in", next=local_path(next), email="", errors={})

    @post("/sign-in", opt={"public": True})
    async def submit(self, request: Request[Any, Any, Any], users: Users) -> Template | Redirect:
        form = await request.form()
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        target = local_path(str(form.get("next", "")))
        try:
            user = await check_password(request, users, email, password)
        except TooManyAttempts as refused:
            answer = page(
                request,
                "sign_in",
                status_code=HTTP_429_TOO_MANY_REQUESTS,
                next=target,
                email=email,
                errors={"": refusal_message(refused)},
            )
            answer.headers["Retry-After"] = str(refused.retry_after)
            return answer
        if user is None:
            message = _("The email or password is wrong, or the account is disabled.")
            return page(
                request, "sign_in", status_code=HTTP_401_UNAUTHORIZED, next=target, email=email, errors={"": message}
            )
        return Redirect(target, cookies=[sign_in(request, user)])

    @post("/sign-out", guards=[staff])
    async def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/staff/sign-in")
