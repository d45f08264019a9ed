"""Admins' pages: the audit trail, staff accounts and the organizations that send observers."""

from __future__ import annotations

import math
from typing import Annotated, Any

from advanced_alchemy.filters import LimitOffset
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from tracker import labels
from tracker import models as m
from tracker.errors import TrackerError
from tracker.i18n import current_language
from tracker.services.audit import AuditQuery
from tracker.services.organizations import OrganizationData
from tracker.web.auth import admins
from tracker.web.deps import AppSettings, Audit, Organizations, Resets, Users
from tracker.web.staff import page
from tracker.web.staff.forms import FormErrors, errors_of, one_of, parse, status_of, version_of

PAGE_SIZE = 100


async def _users_page(
    request: Request[Any, Any, Any],
    users: Users,
    *,
    status_code: int = 200,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    account_errors: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    """The accounts, the form for a new one (`values`, `errors`), and what an action on an account refused."""
    return page(
        request,
        "users",
        status_code=status_code,
        users=await users.all_users(),
        values=values or {},
        errors=errors or {},
        account_errors=account_errors or {},
        **context,
    )


class AdminPages(Controller):
    path = "/staff"
    include_in_schema = False
    guards = [admins]

    @get("/audit")
    async def audit(
        self,
        request: Request[Any, Any, Any],
        audit: Audit,
        settings: AppSettings,
        entity: FromQuery[str] = "",
        entity_id: FromQuery[str] = "",
        actor: FromQuery[str] = "",
        # Not `election`: that name is the election a path names (web/deps.py).
        election_slug: Annotated[str, QueryParameter(name="election")] = "",
        since: FromQuery[str] = "",
        until: FromQuery[str] = "",
        page_number: FromQuery[int] = 1,
    ) -> Template:
        number = max(page_number, 1)
        query = AuditQuery(
            entity=entity, entity_id=entity_id, actor=actor, election=election_slug or None, since=since, until=until
        )
        trail = await audit.trail_page(
            query, LimitOffset(PAGE_SIZE, (number - 1) * PAGE_SIZE), settings.commission_zone
        )
        types = labels.record_types()
        return page(
            request,
            "audit",
            entries=trail.entries,
            total=trail.total,
            page_number=number,
            pages=max(1, math.ceil(trail.total / PAGE_SIZE)),
            entity_options=list(types.items()) + ([(entity, entity)] if entity and entity not in types else []),
            election_options=[(e.slug, e.name(current_language.get())) for e in trail.elections],
            users=trail.users,
            commission_zone=settings.commission_time_zone,
            query={
                "entity": entity,
                "entity_id": entity_id,
                "actor": actor,
                "election": election_slug,
                "since": since,
                "until": until,
            },
        )

    @get("/users")
    async def users_page(self, request: Request[Any, Any, Any], users: Users) -> Template:
        return await _users_page(request, users)

    @post("/users")
    async def create_user(self, request: Request[Any, Any, Any], users: Users) -> Template | Redirect:
        form = await request.form()
        try:
            await users.create_user(
                str(form.get("email", "")),
                str(form.get("password", "")),
                one_of(form, "role", {role.value: role for role in m.UserRole}),
                request.user.actor,
                name=str(form.get("name", "")),
            )
        except (FormErrors, TrackerError) as error:
            values = {k: v for k, v in dict(form).items() if k != "password"}
            return await _users_page(
                request, users, status_code=status_of(error), values=values, errors=errors_of(error)
            )
        return Redirect("/staff/users")

    @post("/users/{user_id:int}/active")
    async def set_active(
        self, request: Request[Any, Any, Any], users: Users, user_id: FromPath[int]
    ) -> Template | Redirect:
        user = await users.by_id(user_id)
        form = await request.form()
        try:
            active = one_of(form, "active", {"true": True, "false": False})
            await users.set_active(user, active, request.user.actor)
        except (FormErrors, TrackerError) as error:
            return await _users_page(request, users, status_code=status_of(error), account_errors=errors_of(error))
        return Redirect("/staff/users")

    @post("/users/{user_id:int}/role")
    async def set_role(
        self, request: Request[Any, Any, Any], users: Users, user_id: FromPath[int]
    ) -> Template | Redirect:
        user = await users.by_id(user_id)
        form = await request.form()
        try:
            role = one_of(form, "role", {role.value: role for role in m.UserRole})
            await users.set_role(user, role, request.user.actor)
        except (FormErrors, TrackerError) as error:
            return await _users_page(request, users, status_code=status_of(error), account_errors=errors_of(error))
        return Redirect("/staff/users")

    @post("/users/{user_id:int}/password-reset")
    async def password_reset(
        self,
        request: Request[Any, Any, Any],
        users: Users,
        password_resets: Resets,
        settings: AppSettings,
        user_id: FromPath[int],
    ) -> Template:
        user = await users.by_id(user_id)
        try:
            link = await password_resets.issue(user, request.user.actor, settings.public_url)
        except TrackerError as error:
            return await _users_page(request, users, status_code=status_of(error), account_errors=errors_of(error))
        # Shown on this answer alone (never stored by the browser: staff answers are no-store), not redirected
        # to: nothing can show the link again, only make a new one.
        return await _users_page(request, users, reset=link, zone=settings.commission_zone)

    @get("/organizations")
    async def organizations_page(self, request: Request[Any, Any, Any], organizations: Organizations) -> Template:
        return page(request, "organizations", organizations=await organizations.all_organizations())

    @get("/organizations/new")
    async def new_organization(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "organization_form", organization=None, values={"kind": "international"}, errors={})

    @post("/organizations/new")
    async def create_organization(
        self, request: Request[Any, Any, Any], organizations: Organizations
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await organizations.create_organization(parse(form, OrganizationData), request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "organization_form",
                status_code=status_of(error),
                organization=None,
                values=dict(form),
                errors=errors_of(error),
            )
        return Redirect("/staff/organizations")

    @get("/organizations/{slug:str}/edit")
    async def edit_organization(
        self, request: Request[Any, Any, Any], organizations: Organizations, slug: FromPath[str]
    ) -> Template:
        organization = await organizations.by_slug(slug)
        values = {column: getattr(organization, column) for column in OrganizationData.__struct_fields__}
        return page(
            request,
            "organization_form",
            organization=organization,
            values=values | {"version": organization.version},
            errors={},
        )

    @post("/organizations/{slug:str}/edit")
    async def update_organization(
        self, request: Request[Any, Any, Any], organizations: Organizations, slug: FromPath[str]
    ) -> Template | Redirect:
        organization = await organizations.by_slug(slug)
        form = await request.form()
        try:
            data = parse(form, OrganizationData)
            await organizations.update_organization(organization, data, version_of(form), request.user.actor)
        except (FormErrors, TrackerError) as error:
            return page(
                request,
                "organization_form",
                status_code=status_of(error),
                organization=organization,
                values=dict(form),
                errors=errors_of(error),
            )
        return Redirect("/staff/organizations")
