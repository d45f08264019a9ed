"""Staff pages under /staff: server-rendered, usable without JavaScript."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from tracker import labels


def page(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **context: Any) -> Template:
    """A staff page, with the signed-in user and the interface's names for roles and statuses."""
    user = request.scope.get("user")
    if "missions" in context:
        context["mission_options"] = [(mission.slug, mission.name) for mission in context["missions"]]
    return Template(
        f"staff/{template}.html",
        context={
            "user": user,
            "role_names": labels.user_roles(),
            "status_names": labels.statuses(),
            "observer_roles": labels.roles(),
            "sender_kinds": labels.sender_kinds(),
            "genders": labels.genders(),
            **context,
        },
        status_code=status_code,
    )


def local_path(target: str | None, default: str = "/staff") -> str:
    """Where to go after signing in: only a path on this site (no open redirect)."""
    if target and target.startswith("/staff") and not target.startswith("//") and "\\" not in target:
        return target
    return default
