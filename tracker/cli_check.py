"""`tracker check ELECTION`: every published bulletin and every day of the timeline counted both ways (the tally
engine and a plain replay of the history, tracker/services/checks.py); each difference on a line of its own, exit 1
when there is one. Useful before every press conference."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click
from sqlalchemy.ext.asyncio import AsyncSession

from tracker.cli import one_language, run_in_session
from tracker.i18n import N_, format_day, format_instant, in_language, ngettext
from tracker.i18n import gettext as _
from tracker.summaries import EPOCH, KEYS, LATEST, SLOT

if TYPE_CHECKING:
    from litestar import Litestar

    from tracker.services.checks import CheckReport, Difference
    from tracker.summaries_rebuild import Mismatch

FIGURE_NAMES = {"observers": N_("observers"), "countries": N_("countries"), "organizations": N_("organizations")}


@click.command("check")
@click.argument("election")
@click.option("--lang", default="en", show_default=True, callback=one_language, help="Language of the report.")
def check_command(app: Litestar, election: str, lang: str) -> None:
    """Recount every published bulletin of ELECTION (as known at its publication, and today) and every day of its
    timeline, by the tally engine and by a plain replay of the events; print each difference. Exit code 1 when
    there is one."""
    from tracker.services.checks import check_election
    from tracker.services.elections import ElectionService

    async def check(session: AsyncSession) -> tuple[CheckReport, ZoneInfo]:
        found = await ElectionService(session=session).get_by_slug(election)
        return await check_election(session, found), found.zone

    report, zone = run_in_session(app, check)
    with in_language(lang):
        for difference in report.differences:
            click.echo(describe(difference))
        for mismatch in report.summaries:
            click.echo(describe_summary(mismatch, zone))
        click.echo(summary(report))
    if report.disagreements:
        click.get_current_context().exit(1)


def describe(difference: Difference) -> str:
    """One line: where (the bulletin's number or the day), which figure, and the two counts."""
    from tracker.services.checks import Comparison

    name = FIGURE_NAMES.get(difference.figure)
    figure = _(name) if name else _("observers of %(sender)s") % {"sender": difference.figure}
    if difference.day is not None:
        where = format_day(difference.day)
    else:
        where = _("bulletin No. %(number)d") % {"number": difference.bulletin_number}
    values = {"expected": difference.expected, "engine": difference.engine}
    if difference.comparison == Comparison.PUBLISHED:
        counts = _("published %(expected)d, counted as known at its publication %(engine)d") % values
    else:
        counts = _("tally engine %(engine)d, plain replay %(expected)d") % values
    return f"{where}: {figure}: {counts}"


def describe_summary(mismatch: Mismatch, zone: ZoneInfo) -> str:
    """One line: which slot of the tally's summaries (or which of a key's own rows), under which key and column, and
    its number against the events'."""
    values = {"table": mismatch.table, "key": " ".join(str(part) for part in mismatch.key)}
    if mismatch.slot in (KEYS, LATEST):
        # Not slots of time: the row of zeros that lists the key, and the row of its counts after every change.
        row = _("the key's row of zeros") if mismatch.slot == KEYS else _("the key's counts after every change")
        where = _("summary %(table)s, %(row)s, %(key)s") % (values | {"row": row})
    else:
        starts = format_instant(EPOCH + mismatch.slot * SLOT, zone)
        minutes = SLOT // dt.timedelta(minutes=1)
        span = ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes}
        where = _("summary %(table)s, %(hours)s from %(starts)s, %(key)s") % (
            values | {"hours": span, "starts": starts}
        )
    counts = _("stored %(stored)d, made from the events %(expected)d") % {
        "stored": mismatch.stored,
        "expected": mismatch.expected,
    }
    return f"{where}: {counts}"


def summary(report: CheckReport) -> str:
    bulletins = ngettext("%(num)d bulletin", "%(num)d bulletins", report.bulletins) % {"num": report.bulletins}
    days = ngettext("%(num)d day", "%(num)d days", report.days) % {"num": report.days}
    checked = _("checked %(bulletins)s and %(days)s") % {"bulletins": bulletins, "days": days}
    if not report.disagreements:
        return f"{checked}: " + _("no disagreement")
    found = report.disagreements
    return f"{checked}: " + ngettext("%(num)d disagreement", "%(num)d disagreements", found) % {"num": found}
