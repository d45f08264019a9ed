"""Error pages for people: in the visitor's language, in the layout of the part of the site they were on
(the public site's, or the staff pages' with the signed-in user and the menu), with a way back, and in words a
reader knows: never an exception's text, a route's internals or a role's code name."""

from __future__ import annotations

from typing import Any

from babel.lists import format_list
from litestar import MediaType, Request
from litestar.exceptions import PermissionDeniedException
from litestar.response import Template
from litestar.response.base import ASGIResponse

from tracker import labels
from tracker import models as m
from tracker.i18n import current_language, in_language
from tracker.i18n import gettext as _
from tracker.web.http.language import COOKIE, chosen_language


class RoleRequired(PermissionDeniedException):
    """A page or action kept for other roles: the error page says which roles, in words."""

    def __init__(self, role: m.UserRole, roles: tuple[m.UserRole, ...]) -> None:
        super().__init__(f"your role ({role}) cannot do this")
        self.role = role
        self.roles = roles


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be used"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Not possible here"),
        409: _("The record has changed"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
    }


def _explanations() -> dict[int, str]:
    return {
        400: _("Something in the request could not be used. Check the address or the form and try again."),
        403: _("You may not open this page or do this."),
        404: _("There is no page at this address. It may have moved, or the address may be mistyped."),
        405: _("This address cannot be used this way."),
        409: _("This record was changed by someone else at the same moment; reload it and try again."),
        429: _("Too many requests in a short time. Wait a minute and try again."),
        500: _("An error on our side stopped this page. It has been noted; please try again later."),
    }


def role_words(exc: RoleRequired) -> str:
    """Which roles may do this and which one the visitor has, as the staff pages name roles."""
    names = labels.user_roles()
    needed = format_list([names[role] for role in exc.roles], style="or", locale=current_language.get())
    return _("This needs the role of %(needed)s. You are signed in as %(role)s.") % {
        "needed": needed,
        "role": names[exc.role],
    }


class ErrorPage(Template):
    """A template rendered in `lang`: an error can be answered outside the language middleware (an address no
    route matches never reaches it), so the page sets its language itself."""

    def __init__(self, lang: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        with in_language(self.lang):
            return super().to_asgi_response(*args, **kwargs)


def visitor_language(request: Request[Any, Any, Any]) -> str:
    asked = request.query_params.get("lang", "")
    return chosen_language(asked, request.cookies.get(COOKIE, ""), request.headers.get("accept-language", ""))


def error_page(request: Request[Any, Any, Any], status_code: int, words: str | None = None) -> Template:
    """The page for `status_code`; `words`: what the visitor should know beyond the status's own explanation,
    already in their words (a form's refusal, which roles may do this)."""
    lang = visitor_language(request)
    staff = request.url.path.startswith("/staff")
    with in_language(lang):
        known = status_code if status_code in _titles() else (500 if status_code >= 500 else 400)
        context: dict[str, Any] = {
            "status_code": status_code,
            "title": _titles()[known],
            "explanation": words or _explanations()[known],
            "back": ("/staff", _("Back to the staff pages")) if staff else ("/", _("Back to the home page")),
        }
        if staff:
            context |= {"user": request.scope.get("user"), "role_names": labels.user_roles()}
    return ErrorPage(
        lang,
        "errors/staff_error.html" if staff else "errors/error.html",
        context=context,
        status_code=status_code,
        media_type=MediaType.HTML,
    )
