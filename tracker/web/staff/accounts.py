"""One's own account: changing one's password, and setting a new one through a link an admin gave."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_410_GONE, HTTP_429_TOO_MANY_REQUESTS

from tracker.errors import TooManyAttempts, TrackerError
from tracker.i18n import gettext as _
from tracker.services.password_resets import LinkRefused
from tracker.web.auth import known_device, refusal_message, sign_in, staff
from tracker.web.deps import Resets, Users, client_address
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, status_of

NEW_PASSWORD = ("new_password", "new_password_again")


def _new_password(form: Mapping[str, Any], *required: str) -> str:
    """The new password, typed twice alike; every field missing or different named at once."""
    typed = {name: str(form.get(name) or "") for name in (*required, *NEW_PASSWORD)}
    errors = {name: _("This field is required.") for name, text in typed.items() if not text}
    if not errors and typed["new_password"] != typed["new_password_again"]:
        errors["new_password_again"] = _("The two new passwords are not the same.")
    if errors:
        raise FormErrors(errors)
    return typed["new_password"]


def _refused(request: Request[Any, Any, Any], template: str, refused: TooManyAttempts, **context: Any) -> Template:
    answer = page(
        request, template, status_code=HTTP_429_TOO_MANY_REQUESTS, errors={"": refusal_message(refused)}, **context
    )
    answer.headers["Retry-After"] = str(refused.retry_after)
    return answer


class AccountPages(Controller):
    path = "/staff"
    include_in_schema = False

    @get("/password", guards=[staff])
    async def password_form(self, request: Request[Any, Any, Any], changed: FromQuery[bool] = False) -> Template:
        return page(request, "password", errors={}, changed=changed)

    @post("/password", guards=[staff])
    async def change_password(self, request: Request[Any, Any, Any], users: Users) -> Template | Redirect:
        form = await request.form()
        me = request.user
        try:
            new = _new_password(form, "current_password")
            user = await users.change_password(
                me.id,
                str(form.get("current_password")),
                new,
                client_address(request),
                device=known_device(request, me.email),
            )
        except TooManyAttempts as refused:
            return _refused(request, "password", refused, changed=False)
        except (FormErrors, TrackerError) as error:
            return page(request, "password", status_code=status_of(error), errors=errors_of(error), changed=False)
        # The new password ended every session of the account, this one too: it begins again, under a new id.
        return Redirect("/staff/password?changed=true", cookies=[sign_in(request, user)])

    @get("/password-reset", opt={"public": True})
    async def reset_form(
        self, request: Request[Any, Any, Any], password_resets: Resets, token: FromQuery[str] = ""
    ) -> Template:
        try:
            _link, user = await password_resets.open(token, client_address(request))
        except TooManyAttempts as refused:
            return _refused(request, "password_reset", refused, token="", account=None, done=False)
        except LinkRefused as refused:
            return self._link_refused(request, refused)
        return page(request, "password_reset", token=token, account=user.email, errors={}, done=False)

    @post("/password-reset", opt={"public": True})
    async def reset(self, request: Request[Any, Any, Any], password_resets: Resets) -> Template:
        form = await request.form()
        token = str(form.get("token") or "")
        try:
            link, user = await password_resets.open(token, client_address(request))
        except TooManyAttempts as refused:
            return _refused(request, "password_reset", refused, token="", account=None, done=False)
        except LinkRefused as refused:
            return self._link_refused(request, refused)
        try:
            await password_resets.use(link, user, _new_password(form))
        except LinkRefused as refused:
            return self._link_refused(request, refused)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "password_reset",
                status_code=status_of(error),
                token=token,
                account=user.email,
                errors=errors_of(error),
                done=False,
            )
        return page(request, "password_reset", token="", account=user.email, errors={}, done=True)

    @staticmethod
    def _link_refused(request: Request[Any, Any, Any], refused: LinkRefused) -> Template:
        status = HTTP_404_NOT_FOUND if refused.reason == "unknown" else HTTP_410_GONE
        return page(
            request, "password_reset", status_code=status, token="", account=None, errors=errors_of(refused), done=False
        )
