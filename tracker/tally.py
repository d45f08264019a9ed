"""The tally engine: the one place that counts.

For election E at instant T an accreditation counts when its status at T is `accredited` and it is
not test data. Status at T is the event whose period [effective_at, valid_until) contains T, so a
later event never changes an earlier tally. Every count is a GROUP BY in SQL; Python names the
groups and adds up missions into senders.

A tally can also be asked "as known at" a moment K: only what had been recorded by K is counted, each event's
period, each mission's sender and each test flag as the records then gave them. It is what any tally said at
K, reproduced from the history alone; without K, today's records count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.records import Records, test_records
from tracker.summaries import BREAKDOWNS, COUNTED, MISSIONS, at_slots, counted_slots, dialect_of, held


@dataclass(frozen=True, slots=True)
class SenderCount:
    kind: m.SenderKind
    code: str
    """ISO 3166 alpha-2 code for a foreign state, the slug for an organization."""
    names: dict[str, str]
    short_names: dict[str, str]
    observers: int
    nominated: int

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True, slots=True)
class NationalityCount:
    code: str
    names: dict[str, str]
    observers: int

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True, slots=True)
class Tally:
    election_slug: str
    as_of: dt.datetime
    observers: int
    """International observers: accredited through a foreign state or an international organization."""
    countries: int
    organizations: int
    nominated: int
    domestic_observers: int
    by_sender_kind: dict[m.SenderKind, int]
    by_sender: tuple[SenderCount, ...]
    by_role: dict[m.Role, int]
    by_nationality: tuple[NationalityCount, ...] = field(default=())


def real_events(records: Records, events: Any, statuses: tuple[m.Status, ...]) -> list[ColumnElement[bool]]:
    """Events of the election with one of `statuses`, test records left out, at any time."""
    return [
        events.c.election_id == records.election_id,
        events.c.status.in_(statuses),
        events.c.accreditation_id.not_in(records.test_records()),
    ]


def _held(events: Any, as_of: dt.datetime) -> ColumnElement[bool]:
    return and_(events.c.effective_at <= as_of, or_(events.c.valid_until.is_(None), events.c.valid_until > as_of))


def _counted(
    records: Records, events: Any, as_of: dt.datetime, statuses: tuple[m.Status, ...]
) -> list[ColumnElement[bool]]:
    return [*real_events(records, events, statuses), _held(events, as_of)]


async def tally_as_of(
    session: AsyncSession,
    election: m.Election,
    as_of: dt.datetime,
    *,
    breakdowns: bool = True,
    known_at: dt.datetime | None = None,
) -> Tally:
    """The figures for `election` as they stood at `as_of` (an aware datetime), from today's records or, with
    `known_at`, from those recorded by then. Without `breakdowns`, the counts by role and nationality (as the
    accreditation and person are today) are left empty: the headline needs none.

    Today's records are read from the summaries (tracker.summaries): the counts at the end of the slot of five
    minutes before `as_of`'s own, and the events of its own slot. Records known at a past moment are read from the
    events."""
    records = await Records.of(session, election.id, known_at)
    missions = {row.id: row for row in await session.execute(records.senders())}
    international = [
        mission_id for mission_id, mission in missions.items() if mission.sender_kind in m.INTERNATIONAL_SENDERS
    ]
    breakdowns = breakdowns and bool(international)
    if records.known_at is None:
        by_mission, groups = await _summed(session, election.id, as_of, breakdowns)
    else:
        by_mission, groups = await _scanned(session, records, as_of, international if breakdowns else [])

    senders: dict[tuple[m.SenderKind, str | int], dict[m.Status, int]] = {}
    for (mission_id, status), n in by_mission.items():
        mission = missions.get(mission_id)
        if mission is None or not n:  # recorded by K only under a mission recorded later: none in a consistent history
            continue
        is_state = mission.sender_kind is m.SenderKind.FOREIGN_STATE
        counts = senders.setdefault(
            (mission.sender_kind, mission.country_code if is_state else mission.organization_id), {}
        )
        counts[status] = counts.get(status, 0) + n

    by_role: dict[m.Role, int] = {}
    by_nationality: dict[str, int] = {}
    for (breakdown, value), n in groups.items():
        if n and breakdown == m.Breakdown.ROLE:
            by_role[m.Role(value)] = n
        elif n:
            by_nationality[value] = n

    countries = await _countries(
        session, {str(key) for kind, key in senders if kind is m.SenderKind.FOREIGN_STATE} | set(by_nationality)
    )
    organizations = await _organizations(session, records)

    by_sender = tuple(
        sorted(
            (
                _sender_count(
                    kind, countries[str(key)] if kind is m.SenderKind.FOREIGN_STATE else organizations[int(key)], counts
                )
                for (kind, key), counts in senders.items()
            ),
            key=lambda s: (-s.observers, -s.nominated, s.kind, s.names["en"]),
        )
    )
    by_sender_kind = {kind: 0 for kind in m.SenderKind}
    for sender in by_sender:
        by_sender_kind[sender.kind] += sender.observers

    return Tally(
        election_slug=election.slug,
        as_of=as_of.astimezone(dt.UTC),
        observers=sum(s.observers for s in by_sender if s.kind in m.INTERNATIONAL_SENDERS),
        countries=sum(1 for s in by_sender if s.kind is m.SenderKind.FOREIGN_STATE and s.observers),
        organizations=sum(1 for s in by_sender if s.kind is m.SenderKind.INTERNATIONAL_ORGANIZATION and s.observers),
        nominated=sum(s.nominated for s in by_sender if s.kind in m.INTERNATIONAL_SENDERS),
        domestic_observers=by_sender_kind[m.SenderKind.DOMESTIC_ORGANIZATION],
        by_sender_kind=by_sender_kind,
        by_sender=by_sender,
        by_role=dict(sorted(by_role.items(), key=lambda item: (-item[1], item[0]))),
        by_nationality=tuple(
            NationalityCount(code=code, names=countries[code].names, observers=n)
            for code, n in sorted(by_nationality.items(), key=lambda item: (-item[1], item[0]))
        ),
    )


Counts = dict[tuple[Any, Any], int]


async def _summed(
    session: AsyncSession, election_id: int, as_of: dt.datetime, breakdowns: bool
) -> tuple[Counts, Counts]:
    """Accreditations per mission and status, and accredited observers of international senders by role and by
    nationality, at `as_of`: the summaries' counts at the end of the slot before its own, and its slot's changes
    from the events."""
    slots, slot_starts = counted_slots(as_of)
    dialect, bound = dialect_of(session), at_slots(election_id, [slots])
    by_mission: Counts = {}
    for _, mission_id, nominated, accredited in await session.execute(held(MISSIONS, dialect), bound):
        by_mission[mission_id, m.Status.NOMINATED] = nominated
        by_mission[mission_id, m.Status.ACCREDITED] = accredited
    groups: Counts = {}
    if breakdowns:
        rows = await session.execute(held(BREAKDOWNS, dialect), bound)
        groups = {(breakdown, value): n for _, breakdown, value, n in rows}
    if slot_starts <= as_of:
        _add(by_mission, await changes_by_mission(session, election_id, slot_starts, as_of))
        if breakdowns:
            _add(groups, await _changes_by_breakdown(session, election_id, slot_starts, as_of))
    return by_mission, groups


def _add(counts: Counts, more: Counts) -> None:
    for key, n in more.items():
        counts[key] = counts.get(key, 0) + n


async def changes_by_mission(session: AsyncSession, election_id: int, since: dt.datetime, until: dt.datetime) -> Counts:
    """The changes per mission and status at instants in [since, until], from the events: +1 for each period
    that starts, -1 for each that ends."""
    event = m.StatusEvent.__table__
    change = _changes(
        select(event.c.mission_id, event.c.status),
        since,
        until,
        event.c.status.in_(COUNTED),
        event.c.accreditation_id.not_in(test_records(election_id)),
        election_id=election_id,
    )
    rows = await session.execute(
        select(change.c.mission_id, change.c.status, func.sum(change.c.sign)).group_by(
            change.c.mission_id, change.c.status
        )
    )
    return {(mission_id, status): n for mission_id, status, n in rows if n}


async def _changes_by_breakdown(
    session: AsyncSession, election_id: int, since: dt.datetime, until: dt.datetime
) -> Counts:
    """The changes of accredited observers of international senders by role and by nationality, as above."""
    event = m.StatusEvent.__table__
    mission = m.Mission
    international = select(mission.id).where(
        mission.election_id == election_id, mission.sender_kind.in_(m.INTERNATIONAL_SENDERS)
    )
    # Told apart by the mission in the events' index, before any accreditation is read.
    change = _changes(
        select(event.c.accreditation_id),
        since,
        until,
        event.c.status == m.Status.ACCREDITED,
        event.c.mission_id.in_(international),
        election_id=election_id,
    )
    accreditation, person = m.Accreditation, m.Person
    rows = await session.execute(
        select(accreditation.role, person.nationality_code, func.sum(change.c.sign))
        .join(accreditation, accreditation.id == change.c.accreditation_id)
        .join(person, person.id == accreditation.person_id)
        .where(accreditation.is_test.is_(False))
        .group_by(accreditation.role, person.nationality_code)
    )
    return _by_breakdown(rows)


def _changes(columns: Select[Any], since: dt.datetime, until: dt.datetime, *where: Any, election_id: int) -> Any:
    """The events' changes at instants in [since, until], as `columns` and a sign: +1 for each period that
    starts then, -1 for each that ends. One statement for both."""
    event = m.StatusEvent.__table__
    return union_all(
        *(
            columns.add_columns(literal(sign).label("sign")).where(
                event.c.election_id == election_id, column >= since, column <= until, *where
            )
            for column, sign in ((event.c.effective_at, 1), (event.c.valid_until, -1))
        )
    ).subquery("change")


def _by_breakdown(rows: Iterable[Any], sign: int = 1) -> Counts:
    """Counts per (role, nationality, n) as counts by role and by nationality, keyed as the summaries key them."""
    counts: Counts = {}
    for role, nationality, n in rows:
        _add(counts, {(m.Breakdown.ROLE, role.value): sign * n, (m.Breakdown.NATIONALITY, nationality): sign * n})
    return counts


async def _scanned(
    session: AsyncSession, records: Records, as_of: dt.datetime, international: list[int]
) -> tuple[Counts, Counts]:
    """The same counts from the events as the records stood at a moment: every period that holds `as_of`."""
    event = records.events()
    by_mission = {
        (mission_id, status): n
        for mission_id, status, n in await session.execute(
            select(event.c.mission_id, event.c.status, func.count())
            .where(*_counted(records, event, as_of, COUNTED))
            .group_by(event.c.mission_id, event.c.status)
        )
    }
    groups: Counts = {}
    if international:
        # Role and nationality live on the accreditation and the person: one pass over both.
        groups = _by_breakdown(
            await session.execute(
                select(m.Accreditation.role, m.Person.nationality_code, func.count())
                .select_from(event)
                .join(m.Accreditation, m.Accreditation.id == event.c.accreditation_id)
                .join(m.Person, m.Person.id == m.Accreditation.person_id)
                .where(*_counted(records, event, as_of, (m.Status.ACCREDITED,)), event.c.mission_id.in_(international))
                .group_by(m.Accreditation.role, m.Person.nationality_code)
            )
        )
    return by_mission, groups


@dataclass(frozen=True, slots=True)
class _Named:
    code: str
    names: dict[str, str]
    short_names: dict[str, str]


def _sender_count(kind: m.SenderKind, named: _Named, counts: dict[m.Status, int]) -> SenderCount:
    return SenderCount(
        kind=kind,
        code=named.code,
        names=named.names,
        short_names=named.short_names,
        observers=counts.get(m.Status.ACCREDITED, 0),
        nominated=counts.get(m.Status.NOMINATED, 0),
    )


async def _countries(session: AsyncSession, codes: set[str]) -> dict[str, _Named]:
    if not codes:
        return {}
    # The table's columns, not the mapped class's: rows without the ORM's loading, which costs more than the query.
    c = m.Country.__table__.c
    rows = await session.execute(select(c.code, *(c[f"name_{lang}"] for lang in m.LANGUAGES)).where(c.code.in_(codes)))
    found = {}
    for code, *names in rows:
        in_each = m.in_each_language(names)
        found[code] = _Named(code, in_each, in_each)
    return found


async def _organizations(session: AsyncSession, records: Records) -> dict[int, _Named]:
    """The slugs, names and acronyms of the organizations that send the election's missions: only the columns, and
    chosen in the database, since an election can have thousands of domestic organizations, and loading each as a
    whole record, or naming each in the query, costs more than counting them."""
    o = m.Organization.__table__.c
    parts = [o[f"{part}_{lang}"] for part in ("name", "acronym") for lang in m.LANGUAGES]
    sending = select(records.senders().subquery().c.organization_id)
    width = len(m.LANGUAGES)
    return {
        row[0]: _Named(row[1], m.in_each_language(row[2 : 2 + width]), m.in_each_language(row[2 + width :]))
        for row in await session.execute(select(o.id, o.slug, *parts).where(o.id.in_(sending)))
    }


async def mission_status_counts(
    session: AsyncSession, election_id: int, mission_id: int | None = None
) -> dict[int, dict[m.Status, int]]:
    """Accreditations by current status, per mission of the election (or of the one mission given): the staff's
    working view, so test records count here (the published tally leaves them out)."""
    event = m.StatusEvent
    statement = select(event.mission_id, event.status, func.count()).where(
        event.election_id == election_id, event.current()
    )
    if mission_id is not None:
        statement = statement.where(event.mission_id == mission_id)
    rows = await session.execute(statement.group_by(event.mission_id, event.status))
    counts: dict[int, dict[m.Status, int]] = {}
    for of_mission, status, n in rows:
        counts.setdefault(of_mission, {})[status] = n
    return counts


async def mission_decision_counts(session: AsyncSession, mission: m.Mission) -> dict[int, int]:
    """How many of the mission's accreditations each decision of its election decided, by decision id; test
    records count, as in the staff's other working views."""
    event = m.StatusEvent
    decisions = select(m.Decision.id).where(m.Decision.election_id == mission.election_id)
    rows = await session.execute(
        # Through the election's decisions (few, indexed) to their events (indexed by decision), not a scan of
        # every event for the mission's.
        select(event.decision_id, func.count(event.accreditation_id.distinct()))
        .where(event.decision_id.in_(decisions), event.mission_id == mission.id)
        .group_by(event.decision_id)
    )
    return {decision_id: n for decision_id, n in rows}
