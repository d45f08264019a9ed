"""The `tracker` command's own subcommands (the Litestar CLI adds run, database, routes, …)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import anyio
import click
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.errors import TrackerError
from tracker.i18n import gettext as _
from tracker.i18n import in_language, ngettext
from tracker.models import Role, Status, UserRole
from tracker.phrases import LANGUAGES, check_language

if TYPE_CHECKING:
    from litestar import Litestar

T = TypeVar("T")
AS_OF_HELP = (
    "The instant: 22.02.2023 21:13 or ISO 8601 (2023-02-22T21:13, 2023-02-22T21:13+06:00), in the election's "
    "time zone unless an offset is given; a date alone (22.02.2023) means the end of that day. Default: now."
)


class CommandError(click.ClickException):
    """Bad input on the command line: one line on stderr, exit code 2."""

    exit_code = 2


def run_in_session(app: Litestar, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction: committed if it returns, rolled back if it raises."""
    alchemy = app.state.alchemy

    async def transaction() -> T:
        try:
            async with alchemy.get_session() as session, session.begin():
                return await work(session)
        finally:
            await alchemy.get_engine().dispose()

    try:
        return asyncio.run(transaction())
    except TrackerError as error:
        raise CommandError(_as_option(error)) from None


def _as_option(error: TrackerError) -> str:
    """Name the command-line option, not the API parameter: `--as-of: …` rather than `as_of: …`."""
    context = click.get_current_context(silent=True)
    prefix = f"{error.field}: "
    if context and error.field and error.message.startswith(prefix):
        for param in context.command.params:
            if param.name == error.field and isinstance(param, click.Option):
                return f"{param.opts[0]}: {error.message.removeprefix(prefix)}"
    return error.message


def _language(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        return check_language(value)
    except TrackerError as error:
        raise CommandError(_as_option(error)) from None


# The Litestar CLI passes the app to a command that has an `app` parameter.


@click.command("seed")
def seed_command(app: Litestar) -> None:
    """Load the reference data and the 2023 Majilis demo (safe to run again)."""
    from seed.loader import load_all

    report = run_in_session(app, lambda session: load_all(session, app.state.settings))
    click.echo(f"seed: {report}")


@click.command("tally")
@click.argument("election")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help=AS_OF_HELP,
)
@click.option("--lang", default="en", show_default=True, callback=_language, help=f"One of {', '.join(LANGUAGES)}.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole tally as JSON.")
def tally_command(app: Litestar, election: str, as_of: str | None, lang: str, as_json: bool) -> None:
    """Print the headline of ELECTION's tally (e.g. majilis-2023)."""
    from tracker.open_data import TallyOut
    from tracker.services.elections import ElectionService

    async def count(session: AsyncSession) -> TallyOut:
        found, tally = await ElectionService(session=session).tally(election, as_of)
        return TallyOut.of(found, tally, lang)

    result = run_in_session(app, count)
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(result), indent=2).decode())
    else:
        click.echo(result.headline)


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


@click.command("import")
@click.argument("election")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mission", "mission_slug", required=True, help="The mission whose list this is (its short name).")
@click.option(
    "--role",
    "default_role",
    default=Role.SHORT_TERM_OBSERVER.value,
    show_default=True,
    type=click.Choice([role.value for role in Role]),
    help="Role for rows that do not give one.",
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--only-valid", is_flag=True, help="Import the rows without problems; list the others for a corrected file."
)
@click.option("--lang", default="en", show_default=True, callback=_language, help="Language of the problems.")
def import_command(
    app: Litestar,
    election: str,
    file: Path,
    mission_slug: str,
    default_role: str,
    dry_run: bool,
    only_valid: bool,
    lang: str,
) -> None:
    """Import FILE (.xlsx or .csv), a mission's list of observers: every row, or none; with --only-valid, the
    rows without problems. People already in the election through the mission are not imported again."""
    try:
        content = file.read_bytes()
    except OSError as error:
        raise CommandError(f"{file}: {error.strerror}") from None
    with in_language(lang):
        click.echo(
            run_in_session(
                app,
                lambda session: _import(
                    app, session, election, file.name, content, mission_slug, Role(default_role), dry_run, only_valid
                ),
            )
        )


async def _import(
    app: Litestar,
    session: AsyncSession,
    election: str,
    file_name: str,
    content: bytes,
    mission_slug: str,
    default_role: Role,
    dry_run: bool,
    only_valid: bool,
) -> str:
    from tracker.services.audit import SYSTEM
    from tracker.services.elections import ElectionService
    from tracker.services.imports import AlreadyImported, ImportService
    from tracker.services.missions import MissionService

    found = await ElectionService(session=session).get_by_slug(election)
    mission = await MissionService(session=session).by_slug(found, mission_slug)
    imports = ImportService(session, app.state.settings.import_limits)
    try:
        batch = await imports.upload(
            found, mission, file_name, content, SYSTEM, default_role, keep_refusals=not dry_run
        )
    except AlreadyImported as error:
        return error.message.removeprefix("file: ")
    checked = 0

    def report_checked(rows: int) -> None:
        # The row count is unknown until the end of a streamed file: say how far it got.
        nonlocal checked
        checked += rows
        if rows and checked % 5000 == 0:
            click.echo(f"checked {checked:,} rows", err=True)

    check = await imports.check(batch, progress=report_checked)
    for problem in check.problems:
        click.echo(f"row {problem.row}, {problem.label}: {problem.message}", err=True)
    there = (
        "; "
        + ngettext("%(num)d already in the election", "%(num)d already in the election", check.rows_already_there)
        % {"num": check.rows_already_there}
        if check.rows_already_there
        else ""
    )
    if check.problems and not (only_valid and check.observers):
        await session.rollback()
        found = ngettext("%(num)d problem", "%(num)d problems", len(check.problems)) % {"num": len(check.problems)}
        rows = ngettext("in %(num)d of %(total)d row", "in %(num)d of %(total)d rows", check.rows_total) % {
            "num": check.rows_with_problems,
            "total": check.rows_total,
        }
        hint = "" if only_valid else " " + _("(--only-valid imports the others)")
        raise CommandError(f"{file_name}: {found} {rows}{there}; " + _("nothing was imported") + hint)
    if dry_run:
        await session.rollback()
        counted = (
            _("all correct")
            if not check.problems
            else ngettext("%(num)d without problems", "%(num)d without problems", len(check.observers))
            % {"num": len(check.observers)}
        )
        rows = ngettext("%(num)d row", "%(num)d rows", check.rows_total) % {"num": check.rows_total}
        return f"{file_name}: {rows}, {counted}{there}; " + _("--dry-run, so nothing was imported")
    with click.progressbar(length=len(check.observers), label=_("importing"), file=sys.stderr) as bar:
        batch = await imports.commit(batch, SYSTEM, progress=bar.update, only_valid=only_valid)
    imported = ngettext(
        "imported %(num)d observer into %(mission)s (nominated)",
        "imported %(num)d observers into %(mission)s (nominated)",
        batch.rows_created,
    ) % {"num": batch.rows_created, "mission": mission.slug}
    left_out = (
        "; "
        + ngettext(
            "%(num)d row with problems left out", "%(num)d rows with problems left out", batch.rows_with_problems
        )
        % {"num": batch.rows_with_problems}
        if batch.rows_with_problems
        else ""
    )
    return f"{file_name}: {imported}{there}{left_out}"


@click.command("roster")
@click.argument("election")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx to write."
)
@click.option("--mission", default=None, help="Only this mission (its short name).")
@click.option(
    "--status",
    default=None,
    type=click.Choice([status.value for status in Status]),
    help="Only accreditations with this status at the instant.",
)
@click.option("--as-of", "as_of", default=None, help=AS_OF_HELP)
@click.option("--lang", default="en", show_default=True, callback=_language, help=f"One of {', '.join(LANGUAGES)}.")
@click.option("--per-mission", is_flag=True, help="Add one sheet per mission.")
def roster_command(
    app: Litestar,
    election: str,
    output: Path,
    mission: str | None,
    status: str | None,
    as_of: str | None,
    lang: str,
    per_mission: bool,
) -> None:
    """Write ELECTION's Excel roster: the tally's summary and one row per accreditation."""
    from tracker.services.audit import SYSTEM
    from tracker.services.elections import ElectionService
    from tracker.services.rosters import RosterRequest, RosterService

    request = RosterRequest(mission=mission, status=status, as_of=as_of, lang=lang, per_mission=per_mission)

    async def build(session: AsyncSession) -> int:
        found = await ElectionService(session=session).get_by_slug(election)
        roster = await RosterService(session).build(found, request, SYSTEM)
        try:
            # Written before the transaction commits: an export that failed is not in the audit trail.
            await anyio.Path(output).write_bytes(roster.content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        return roster.rows

    rows = run_in_session(app, build)
    click.echo(f"{output}: {rows} accreditations")


def _languages(_ctx: click.Context, _param: click.Parameter, value: str) -> list[str]:
    chosen = [lang.strip() for lang in value.split(",") if lang.strip()]
    wrong = [lang for lang in chosen if lang not in LANGUAGES]
    if wrong or not chosen:
        raise CommandError(f"--lang: {value!r} is not a comma-separated list of {', '.join(LANGUAGES)}")
    return chosen


@click.command("bulletin")
@click.argument("election")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .pdf to write."
)
@click.option("--as-of", "as_of", default=None, help=AS_OF_HELP)
@click.option(
    "--lang", "languages", default="en,ru,kk", show_default=True, callback=_languages, help="Languages, in order."
)
@click.option("--news", "news_item_ids", multiple=True, type=int, help="A news item to link (its number); repeat.")
@click.option("--corrects", "corrects_id", type=int, default=None, help="The published bulletin this one corrects.")
@click.option("--publish", is_flag=True, help="Publish it; otherwise it stays a draft to review on the staff pages.")
def bulletin_command(
    app: Litestar,
    election: str,
    output: Path,
    as_of: str | None,
    languages: list[str],
    news_item_ids: tuple[int, ...],
    corrects_id: int | None,
    publish: bool,
) -> None:
    """Freeze ELECTION's tally into a press bulletin, keep it, and write its PDF."""
    from tracker.services.audit import SYSTEM
    from tracker.services.bulletins import BulletinData, BulletinService

    settings = app.state.settings
    data = BulletinData(
        election=election,
        as_of=as_of,
        languages=languages,
        news_item_ids=list(news_item_ids),
        corrects_id=corrects_id,
        publish=publish,
    )

    async def build(session: AsyncSession) -> str:
        bulletins = BulletinService(session, settings)
        bulletin = await bulletins.create(data, SYSTEM)
        content = await bulletins.pdf(bulletin.id)
        try:
            # Written before the transaction commits: a bulletin whose file failed is not kept either.
            await anyio.Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        return f"{output}: bulletin {bulletin.id} ({bulletin.status}), snapshot {bulletin.fingerprint[:16]}"

    click.echo(run_in_session(app, build))


@click.command("badges")
@click.argument("election")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .pdf to write."
)
@click.option("--mission", default=None, help="Only this mission (its short name).")
@click.option(
    "--layout",
    default="sheet",
    show_default=True,
    type=click.Choice(["sheet", "single"]),
    help="sheet: four cards on A4 with cut marks; single: one card per page, for card printers.",
)
@click.option("--lang", default="kk,en", show_default=True, help="One or two languages for the card's words.")
def badges_command(app: Litestar, election: str, output: Path, mission: str | None, layout: str, lang: str) -> None:
    """Write ELECTION's accreditation cards, each with a QR code to check it at /verify."""
    from tracker.services.audit import SYSTEM
    from tracker.services.badges import BadgeService, CardsRequest
    from tracker.services.elections import ElectionService

    wanted = CardsRequest(mission=mission, layout=layout, languages=lang)

    async def build(session: AsyncSession) -> int:
        found = await ElectionService(session=session).get_by_slug(election)
        cards = await BadgeService(session, app.state.settings).cards(found, wanted, SYSTEM)
        try:
            await anyio.Path(output).write_bytes(cards.content)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        return cards.cards

    click.echo(f"{output}: {run_in_session(app, build)} cards")


@click.command("backup")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(app: Litestar, output: Path) -> None:
    """Copy the SQLite database to OUTPUT while the service runs (SQLite's online backup: one consistent
    moment, writers wait for each step only). For PostgreSQL, use pg_dump (see the README)."""
    from tracker.backup import BackupError, backup_sqlite

    try:
        pages = backup_sqlite(app.state.settings.database_url, output)
    except BackupError as error:
        raise CommandError(str(error)) from None
    click.echo(f"{output}: {pages:,} pages backed up")


COMMANDS: list[click.Command] = [
    seed_command,
    tally_command,
    users_group,
    import_command,
    roster_command,
    bulletin_command,
    badges_command,
    backup_command,
]
