"""The Excel roster: gathers the tally and the accreditations, and hands them to the pure builder.

Rows stream from the database into the workbook: the builder runs in a worker thread and pulls each
chunk of rows from the event loop, so a 100,000-row roster neither sits in memory nor blocks the
server while it is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.from_thread
import anyio.to_thread
from sqlalchemy import Row, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from reports.roster import Count, Labels, RosterRow, Summary, build_roster
from reports.roster_print import Heading
from tracker import labels as names
from tracker import models as m
from tracker.errors import InvalidInput
from tracker.i18n import format_instant, in_language
from tracker.i18n import gettext as _
from tracker.instants import read_as_of
from tracker.phrases import check_language, headline
from tracker.records import status_at, test_records
from tracker.services.audit import Actor, record
from tracker.services.missions import MissionService
from tracker.tally import Tally, tally_as_of

CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RosterRequest:
    """What to put in a roster: the same filters on the command line, the API and the staff page."""

    mission: str | None = None
    status: str | None = None
    as_of: str | None = None
    lang: str = "en"
    per_mission: bool = False


@dataclass(frozen=True)
class RosterFile:
    content: bytes
    filename: str
    rows: int


def roster_labels(lang: str) -> Labels:
    """The workbook's own words in `lang`."""
    with in_language(lang):
        return _labels()


def _labels() -> Labels:
    return Labels(
        summary_sheet=_("Summary"),
        roster_sheet=_("Roster"),
        as_of=_("As of"),
        time_zone=_("Time zone"),
        by_sender_kind=_("By kind of sender"),
        by_sender=_("By sender"),
        by_role=_("By role"),
        by_nationality=_("By nationality"),
        sender_kind=_("Kind of sender"),
        observers=_("Observers"),
        total=_("Total"),
        number=_("No."),
        name_original=_("Name (original script)"),
        name_latin=_("Name (Latin)"),
        nationality=_("Nationality"),
        sender=_("Sender"),
        mission=_("Mission"),
        role=_("Role"),
        status=_("Status"),
        badge_number=_("Badge number"),
        decision_ref=_("Decision reference"),
        accredited_at=_("Accredited at"),
        document_number=_("Document number"),
        personal_data=_("Personal data — for commission use only"),
        page_of=_("Page %(page)s of %(pages)s"),
    )


def roster_heading(election: m.Election, instant: dt.datetime, lang: str) -> Heading:
    """The printed pages' header: the election, and the instant the roster stands at, in `lang`."""
    with in_language(lang):
        as_of = _("As of %(instant)s (%(zone)s)") % {
            "instant": format_instant(instant, election.zone, lang),
            "zone": election.time_zone,
        }
    return Heading(election=election.name(lang), as_of=as_of)


class RosterService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def build(self, election: m.Election, request: RosterRequest, actor: Actor) -> RosterFile:
        """The roster asked for; the export goes into the audit trail, since the file carries personal data."""
        lang = check_language(request.lang)
        mission = (
            await MissionService(session=self.session).by_slug(election, request.mission) if request.mission else None
        )
        status = _status(request.status)
        instant = read_as_of(request.as_of, election.zone)
        tally = await tally_as_of(self.session, election, instant)
        with in_language(lang):
            labels = _labels()
            summary = _summary(tally, lang)
            statuses, roles = names.capitalized(names.statuses()), names.capitalized(names.roles())
        # Every country a row can name, as nationality or as sending state: a few hundred at most.
        countries = {country.code: country.name(lang) for country in await self.session.scalars(select(m.Country))}
        missions = {
            row.Mission.id: row
            for row in await self.session.execute(
                select(m.Mission, m.Organization)
                .outerjoin(m.Organization, m.Organization.id == m.Mission.organization_id)
                .where(m.Mission.election_id == election.id)
            )
        }

        def roster_row(number: int, row: Row[Any]) -> RosterRow:
            sent_by = missions[row.mission_id]
            sender = (
                sent_by.Organization.name(lang) if sent_by.Organization else countries[sent_by.Mission.country_code]
            )
            return RosterRow(
                number=number,
                name_original=row.name_original,
                name_latin=row.name_latin,
                nationality=countries[row.nationality_code],
                sender=sender,
                mission=sent_by.Mission.name_in(lang),
                role=roles[row.role],
                status=statuses[row.status],
                badge_number=row.badge_number,
                decision_ref=row.decision_ref,
                accredited_at=row.accredited_at,
                document_number=row.document_number,
                mission_slug=sent_by.Mission.slug,
            )

        query = _roster_query(election, instant, mission, status)
        result = await self.session.stream(query.execution_options(yield_per=CHUNK))
        chunks = result.partitions(CHUNK)
        written = 0

        def rows() -> Iterator[RosterRow]:
            nonlocal written
            while chunk := anyio.from_thread.run(_next_chunk, chunks):
                for row in chunk:
                    written += 1
                    yield roster_row(written, row)

        try:
            content = await anyio.to_thread.run_sync(
                lambda: build_roster(
                    summary,
                    rows(),
                    labels=labels,
                    time_zone=election.time_zone,
                    heading=roster_heading(election, instant, lang),
                    per_mission=request.per_mission,
                )
            )
        finally:
            await result.close()
        local = instant.astimezone(election.zone)
        parts = [
            election.slug,
            "roster",
            mission.slug if mission else None,
            status,
            local.strftime("%Y%m%d-%H%M"),
            lang,
        ]
        filename = "-".join(part for part in parts if part) + ".xlsx"
        # What was exported and with which filters, not the election it came from.
        exported = {
            "export": "roster",
            "file_name": filename,
            "rows": written,
            "mission_id": mission.id if mission else None,
            "status": status,
            "as_of": instant.isoformat(),
            "lang": lang,
            "per_mission": request.per_mission,
        }
        await record(self.session, actor, "export", election, after=exported)
        return RosterFile(content, filename, written)


async def _next_chunk(chunks: AsyncIterator[Sequence[Row[Any]]]) -> Sequence[Row[Any]] | None:
    return await anext(chunks, None)


def _status(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return m.Status(value).value
    except ValueError:
        allowed = ", ".join(status.value for status in m.Status)
        raise InvalidInput(f"status: {value!r} is not one of {allowed}", field="status") from None


def _roster_query(
    election: m.Election, instant: dt.datetime, mission: m.Mission | None, status: str | None
) -> Select[Any]:
    """Each accreditation that existed at `instant`, with its status then, in mission and name order.

    The badge number and decision reference are as they stood then: the accreditation keeps only the latest,
    which a roster of an earlier instant must not show before they were issued."""
    event, accreditation, person = m.StatusEvent, m.Accreditation, m.Person
    accredited, decided = aliased(m.StatusEvent), aliased(m.StatusEvent)
    first_accredited = (
        select(accredited.accreditation_id, func.min(accredited.effective_at).label("accredited_at"))
        .where(
            accredited.election_id == election.id,
            accredited.status == m.Status.ACCREDITED,
            accredited.effective_at <= instant,
        )
        .group_by(accredited.accreditation_id)
        .subquery()
    )
    # A badge number is drawn when the accreditation is first accredited, and never changes afterwards.
    badge_then = case((first_accredited.c.accredited_at.is_not(None), accreditation.badge_number), else_=None)
    # The latest decision taken on it by then: each event records the decision that made it. A nomination is the
    # mission's act, not the commission's (the demo's nominations carry the later decision's reference).
    decision_then = (
        select(decided.decision_ref)
        .where(
            decided.accreditation_id == event.accreditation_id,
            decided.effective_at <= instant,
            decided.decision_ref.is_not(None),
            decided.status != m.Status.NOMINATED,
        )
        .order_by(decided.effective_at.desc(), decided.id.desc())
        .limit(1)
        .correlate(event)
        .scalar_subquery()
    )
    query = (
        select(
            event.mission_id,
            event.status,
            accreditation.role,
            badge_then.label("badge_number"),
            decision_then.label("decision_ref"),
            person.name_original,
            person.name_latin,
            person.nationality_code,
            person.document_number,
            first_accredited.c.accredited_at,
        )
        .select_from(event)
        .join(accreditation, accreditation.id == event.accreditation_id)
        .join(person, person.id == accreditation.person_id)
        .join(m.Mission, m.Mission.id == event.mission_id)
        .outerjoin(first_accredited, first_accredited.c.accreditation_id == event.accreditation_id)
        .where(
            and_(
                event.election_id == election.id,
                status_at(instant),
                event.accreditation_id.not_in(test_records(election.id)),
            )
        )
        .order_by(m.Mission.name, m.Mission.id, person.name_latin, accreditation.id)
    )
    if mission is not None:
        query = query.where(event.mission_id == mission.id)
    if status is not None:
        query = query.where(event.status == status)
    return query


def _summary(tally: Tally, lang: str) -> Summary:
    """The tally engine's figures as the Summary sheet prints them (called inside `in_language`)."""
    kinds, roles = names.capitalized(names.sender_kinds()), names.capitalized(names.roles())
    return Summary(
        headline=headline(tally.observers, tally.countries, tally.organizations, lang),
        as_of=tally.as_of,
        by_sender_kind=tuple(Count(kinds[kind], n) for kind, n in tally.by_sender_kind.items()),
        by_sender=tuple(Count(sender.name(lang), sender.observers) for sender in tally.by_sender if sender.observers),
        by_role=tuple(Count(roles[role], n) for role, n in tally.by_role.items()),
        by_nationality=tuple(Count(country.name(lang), country.observers) for country in tally.by_nationality),
    )
