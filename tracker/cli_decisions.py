"""`tracker decide`: a decision over every nominated accreditation of a mission (or of the election) from the
command line, with its annex written where asked."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import click
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.cli import CommandError, run_in_session
from tracker.phrases import check_languages

if TYPE_CHECKING:
    from litestar import Litestar

DATE_HELP = "22.02.2023 or 2023-02-22."
TIME_HELP = (
    "When the statuses take effect: 22.02.2023 18:00 or ISO 8601, in the election's time zone unless an offset "
    "is given. Default: now."
)


@click.command("decide")
@click.argument("election")
@click.option("--decision", "reference", required=True, help="The decision's number, e.g. 12/345.")
@click.option("--date", "decided_on", required=True, help="The date of the decision: " + DATE_HELP)
@click.option("--accredit", "outcome", flag_value="accredited", help="Accredit the nominations.")
@click.option("--reject", "outcome", flag_value="rejected", help="Reject the nominations (give --reason).")
@click.option("--reason", default=None, help="Why, for a rejection.")
@click.option("--mission", default=None, help="Every nominated accreditation of this mission (its short name).")
@click.option("--all", "everyone", is_flag=True, help="Every nominated accreditation of the election.")
@click.option("--effective", default=None, help=TIME_HELP)
@click.option("--override-reason", default=None, help="Why accrediting outside the window (admins only).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the annex here."
)
@click.option("--lang", default="kk,ru", show_default=True, help="Languages of the annex, in order.")
def decide_command(
    app: Litestar,
    election: str,
    reference: str,
    decided_on: str,
    outcome: str | None,
    reason: str | None,
    mission: str | None,
    everyone: bool,
    effective: str | None,
    override_reason: str | None,
    output: Path | None,
    lang: str,
) -> None:
    """Accredit or reject, under one decision, every nominated accreditation of a mission (--mission) or of
    ELECTION (--all): one transaction, a status event and an audit entry each, badge numbers issued."""
    import msgspec

    from tracker.instants import date_times_read
    from tracker.services.audit import SYSTEM
    from tracker.services.decisions import DecisionData, DecisionService
    from tracker.services.elections import ElectionService

    if outcome is None:
        raise CommandError("--accredit or --reject: say what the decision is")
    if bool(mission) == everyone:
        raise CommandError("--mission or --all: choose one")
    fields = {
        "reference": reference,
        "decided_on": decided_on,
        "outcome": outcome,
        "reason": reason,
        "effective_at": effective,
        "override_reason": override_reason,
        "mission": mission,
        "all": everyone,
    }

    async def decide(session: AsyncSession) -> tuple[int, list[str]]:
        data = msgspec.convert(
            {key: value for key, value in date_times_read(fields, DecisionData).items() if value is not None},
            DecisionData,
        )
        languages = check_languages(lang)
        found = await ElectionService(session=session).get_by_slug(election)
        service = DecisionService(session, app.state.settings)
        made = await service.decide(found, data, SYSTEM)
        if output is not None:
            annex = await service.annex(made.decision.id, languages, SYSTEM)
            try:
                await anyio.Path(output).write_bytes(annex.content)
            except OSError as error:
                raise CommandError(f"{output}: {error.strerror}") from None
        return made.decision.id, [item.accreditation.badge_number or "" for item in made.decided]

    try:
        decision_id, badges = run_in_session(app, decide)
    except msgspec.ValidationError as error:
        raise CommandError(str(error)) from None
    done = "accredited" if outcome == "accredited" else "rejected"
    click.echo(f"decision {reference} (#{decision_id}): {len(badges)} {done}")
    if output is not None:
        click.echo(f"{output}: the annex")
