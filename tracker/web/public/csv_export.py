"""The open data as CSV files: pure functions of the API's structs, with headers in the asked language.

UTF-8 with a byte order mark, so that Excel reads Cyrillic and Kazakh letters right when the file is
opened with a double click.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reports.cells import FORMULA_STARTS
from tracker import labels as names
from tracker.i18n import gettext as _
from tracker.i18n import in_language
from tracker.open_data import SendersOut, TallyOut, TimelineOut

# Litestar adds "; charset=utf-8" to a text/ media type.
CSV = "text/csv"


@dataclass(frozen=True)
class CsvFile:
    content: bytes
    filename: str


def tally_csv(tally: TallyOut, lang: str) -> CsvFile:
    """One row per headline figure, then the breakdowns by kind of sender, role and nationality."""
    with in_language(lang):
        header = [_("Section"), _("Code"), _("Item"), _("Count")]
        total, kinds, roles = _("Total"), names.capitalized(names.sender_kinds()), names.capitalized(names.roles())
        figures = [
            ("observers", _("International observers"), tally.observers),
            ("countries", _("Countries"), tally.countries),
            ("organizations", _("International organizations"), tally.organizations),
            ("nominated", _("Nominated, awaiting decision"), tally.nominated),
            ("domestic_observers", _("Domestic observers"), tally.domestic_observers),
        ]
        rows = [
            *((total, code, label, n) for code, label, n in figures),
            *((_("By kind of sender"), kind, kinds[kind], n) for kind, n in tally.by_sender_kind.items()),
            *((_("By role"), row.role, roles[row.role], row.observers) for row in tally.by_role),
            *((_("By nationality"), row.code, row.name, row.observers) for row in tally.by_nationality),
        ]
    return CsvFile(_encode(header, rows), _filename(tally.election, "tally", tally.as_of, lang, tally.known_at))


def timeline_csv(timeline: TimelineOut, lang: str) -> CsvFile:
    with in_language(lang):
        header = [_("Day"), _("As of"), _("International observers"), _("Countries"), _("International organizations")]
    rows = (
        (point.day.isoformat(), point.at.isoformat(), point.observers, point.countries, point.organizations)
        for point in timeline.points
    )
    return CsvFile(
        _encode(header, rows), _filename(timeline.election, "timeline", timeline.as_of, lang, timeline.known_at)
    )


def senders_csv(senders: SendersOut, lang: str) -> CsvFile:
    with in_language(lang):
        header = [
            _("Kind of sender"),
            _("Code"),
            _("Sender"),
            _("Short name"),
            _("Observers"),
            _("Nominated, awaiting decision"),
        ]
        kinds = names.capitalized(names.sender_kinds())
    rows = (
        (kinds[sender.kind], sender.code, sender.name, sender.short_name, sender.observers, sender.nominated)
        for sender in senders.senders
    )
    return CsvFile(_encode(header, rows), _filename(senders.election, "senders", senders.as_of, lang, senders.known_at))


def _encode(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows([_as_text(value) for value in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _as_text(value: object) -> object:
    """Names come from the database: one that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _filename(election: str, what: str, as_of: dt.datetime, lang: str, known_at: dt.datetime | None = None) -> str:
    """`majilis-2023-senders-20230222-2113-en.csv`: the instant as the election's clock showed it."""
    # Figures from the records of a past moment are named so, never to be taken for today's.
    known = f"-known-{known_at.strftime('%Y%m%d-%H%M')}" if known_at else ""
    return f"{election}-{what}-{as_of.strftime('%Y%m%d-%H%M')}{known}-{lang}.csv"
