"""`tracker import`: a mission's list from the command line, checked, then imported whole or its good rows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.cli import CommandError, one_language, run_in_session
from tracker.i18n import gettext as _
from tracker.i18n import in_language, ngettext
from tracker.models import Role

if TYPE_CHECKING:
    from litestar import Litestar


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
@click.option("--lang", default="en", show_default=True, callback=one_language, help="Language of the problems.")
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
