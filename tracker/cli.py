"""The `tracker` command's own subcommands (the Litestar CLI adds run, database, routes, …)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import anyio
import click
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.errors import TrackerError
from tracker.models import Status
from tracker.phrases import LANGUAGES, check_language

if TYPE_CHECKING:
    from litestar import Litestar

T = TypeVar("T")
AS_OF_HELP = (
    "The instant: 22.02.2023 21:13 or ISO 8601 (2023-02-22T21:13, 2023-02-22T21:13+06:00), in the election's "
    "time zone unless an offset is given; a date alone (22.02.2023) means the end of that day. Default: now."
)
KNOWN_AT_HELP = (
    "Count the records as they stood at this moment (written as --as-of is), before any later correction. "
    "Default: today's records."
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


def one_language(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        return check_language(value)
    except TrackerError as error:
        raise CommandError(_as_option(error)) from None


# The Litestar CLI passes the app to a command that has an `app` parameter.


@click.command("seed")
def seed_command(app: Litestar) -> None:
    """Load the reference data, the 2023 Majilis demo and a fictional election open around today (safe to run
    again: what exists is left as it is)."""
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
@click.option("--lang", default="en", show_default=True, callback=one_language, help=f"One of {', '.join(LANGUAGES)}.")
@click.option("--known-at", "known_at", default=None, help=KNOWN_AT_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the whole tally as JSON.")
def tally_command(
    app: Litestar, election: str, as_of: str | None, known_at: str | None, lang: str, as_json: bool
) -> None:
    """Print the headline of ELECTION's tally (e.g. majilis-2023)."""
    from tracker.instants import read_known_at
    from tracker.open_data import TallyOut
    from tracker.services.elections import ElectionService

    async def count(session: AsyncSession) -> TallyOut:
        found, tally = await ElectionService(session=session).tally(election, as_of, known_at)
        return TallyOut.of(found, tally, lang, read_known_at(known_at, found.zone))

    result = run_in_session(app, count)
    if as_json:
        click.echo(msgspec.json.format(msgspec.json.encode(result), indent=2).decode())
    else:
        click.echo(result.headline)


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
@click.option("--lang", default="en", show_default=True, callback=one_language, help=f"One of {', '.join(LANGUAGES)}.")
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
    roster_command,
    bulletin_command,
    badges_command,
    backup_command,
]
