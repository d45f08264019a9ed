"""`tracker users`: staff accounts from the command line (create, list, a link to set a new password)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.cli import run_in_session
from tracker.models import UserRole

if TYPE_CHECKING:
    from litestar import Litestar


@click.group("users")
def users_group() -> None:
    """Staff accounts: create, list, and a link to reset a password."""


# The Litestar CLI hands `app` to the commands of its own group; commands of a group within it reach the app
# through the environment the CLI keeps as the context's object.
def app_of(environment: object) -> Litestar:
    return environment.app  # type: ignore[attr-defined, no-any-return]


@users_group.command("create")
@click.argument("email")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in UserRole]),
    help="admin, registrar or press_officer",
)
@click.option("--name", default="", help="Display name.")
@click.pass_obj
def users_create(environment: object, email: str, role: str, name: str) -> None:
    """Create a user; the password is asked for, or read from standard input when piped."""
    app = app_of(environment)
    from tracker.services.audit import SYSTEM
    from tracker.services.users import UserService

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")

    async def create(session: AsyncSession) -> str:
        user = await UserService(session=session).create_user(email, password, UserRole(role), SYSTEM, name=name)
        return f"created {user.role} {user.email}"

    click.echo(run_in_session(app, create))


@users_group.command("list")
@click.pass_obj
def users_list(environment: object) -> None:
    """List users: email, role, active."""
    app = app_of(environment)
    from tracker.services.users import UserService

    async def listing(session: AsyncSession) -> list[str]:
        return [
            f"{user.email}\t{user.role}\t{'active' if user.is_active else 'disabled'}"
            for user in await UserService(session=session).all_users()
        ]

    for line in run_in_session(app, listing):
        click.echo(line)


@users_group.command("reset-password")
@click.argument("email")
@click.pass_obj
def users_reset_password(environment: object, email: str) -> None:
    """Print a one-time link for EMAIL to set a new password (valid 24 hours; an earlier link stops working)."""
    app = app_of(environment)
    from tracker.errors import NotFound
    from tracker.services.audit import SYSTEM
    from tracker.services.password_resets import PasswordResets, ResetLink
    from tracker.services.users import UserService, normalize_email

    async def issue(session: AsyncSession) -> ResetLink:
        user = await UserService(session=session).get_one_or_none(email=normalize_email(email))
        if user is None:
            raise NotFound("user", email)
        return await PasswordResets(session).issue(user, SYSTEM, app.state.settings.public_url)

    link = run_in_session(app, issue)
    click.echo(link.url)
    # The link alone on standard output, for a script to pass on; its validity for the person reading.
    click.echo(f"valid once, until {link.expires_at:%Y-%m-%d %H:%M} UTC", err=True)
