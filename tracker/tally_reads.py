"""What the tally engine (tracker.tally) reads: the counts already added up per sender and per breakdown, and
named, in the database.

Today's records are read from the summaries (tracker.summaries): each mission's and breakdown's count at the end of
the slot before the instant's own (looked up per key, or, when few changes follow the instant, its count after
every change less those), and the changes of its own slot from the events. Their statements are made once
for each shape and database, and bound to the election and the instant. Records known at a past moment are read
from the events: every period that holds the instant, each mission's sender and each test flag as recorded then.

Both give rows of the same shape. Senders: (sender_kind, country_code, organization_id, nominated, accredited,
code, *names, *short_names), the names in the order of LANGUAGES: an organization's names and acronyms, or a
country's names for both. Breakdowns: (breakdown, value, accredited, *names), a nationality's names, none for a role.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.records import Records, test_records
from tracker.summaries import BREAKDOWNS, COUNTED, MISSIONS, Summary, counted_slots, dialect_of
from tracker.summaries_held import Way, at_slots, held, held_latest, held_since, reading

SENDER = ("sender_kind", "country_code", "organization_id")
"""What a mission's counts are added up by: its sender."""
Rows = tuple[list[Any], list[Any]]
"""The senders' rows and the breakdowns' rows."""

# What the statements made once are bound to: the election, and the start and end of the instant's own slot.
_EVENT = m.StatusEvent.__table__
_ELECTION = bindparam("election_id", type_=_EVENT.c.election_id.type)


def instant(name: str) -> Any:
    """A bound instant of the events' type, for `sender_changes`."""
    return bindparam(name, type_=_EVENT.c.effective_at.type)


_SINCE, _UNTIL = instant("since"), instant("until")


def real_events(records: Records, events: Any, statuses: tuple[m.Status, ...]) -> list[ColumnElement[bool]]:
    """Events of the election with one of `statuses`, test records left out, at any time."""
    return [
        events.c.election_id == records.election_id,
        events.c.status.in_(statuses),
        events.c.accreditation_id.not_in(records.test_records()),
    ]


async def summed(session: AsyncSession, records: Records, as_of: dt.datetime, breakdowns: bool) -> Rows:
    """Today's records at `as_of`: the senders' rows and, with `breakdowns`, the breakdowns' rows, each the count
    held at the end of the slot before the instant's own plus the changes of its own slot."""
    slots, slot_starts = counted_slots(as_of)
    recent = slot_starts <= as_of
    dialect = dialect_of(session)
    bound = at_slots(records.election_id, [slots]) | ({"since": slot_starts, "until": as_of} if recent else {})
    # The breakdowns follow the missions' choice: their rows after the instant come of the same changes.
    read = await reading(session, records.election_id, slots)
    if read.checkpoint is not None:
        bound["checkpoint"] = read.checkpoint
    # On the session's connection: plain rows, without the ORM's handling of each (a few ms for thousands).
    connection = await session.connection()
    senders = (await connection.execute(_held_senders(dialect, recent, read.way), bound)).all()
    if not breakdowns:
        return senders, []
    return senders, (await connection.execute(_held_breakdowns(dialect, recent, read.way), bound)).all()


async def scanned(session: AsyncSession, records: Records, as_of: dt.datetime, breakdowns: bool) -> Rows:
    """The same from the events as the records stood at a moment: every period that holds `as_of`."""
    event = records.events()
    sender = records.senders().subquery("known_sender")
    by_mission = (
        select(event.c.mission_id, *_statuses(event.c.status, 1, summed=True))
        .where(*_counted(records, event, as_of, COUNTED))
        .group_by(event.c.mission_id)
        # Materialized, as the breakdowns' below: counted once, before any join to the senders as recorded then.
        .cte("by_mission")
        .prefix_with("MATERIALIZED")
    )
    # Counted by K only under a mission recorded later: none in a consistent history.
    missions = select(*(sender.c[name] for name in SENDER), *(by_mission.c[status.value] for status in COUNTED)).join(
        sender, sender.c.mission_id == by_mission.c.mission_id
    )
    senders = (await session.execute(_named_senders([missions], dialect_of(session)))).all()
    if not breakdowns:
        return senders, []
    # The ids, not a subquery of the senders as recorded then: PostgreSQL planned that subquery into a scan of every
    # event against it (20 s at a million, against 2 s).
    international = [
        row.mission_id for row in await session.execute(records.senders()) if row.sender_kind in m.INTERNATIONAL_SENDERS
    ]
    if not international:
        return senders, []
    accreditation, person = m.Accreditation, m.Person
    # Role and nationality live on the accreditation and the person: one pass over both.
    observers = (
        select(accreditation.role, person.nationality_code, func.count().label("n"))
        .select_from(event)
        .join(accreditation, accreditation.id == event.c.accreditation_id)
        .join(person, person.id == accreditation.person_id)
        .where(*_counted(records, event, as_of, (m.Status.ACCREDITED,)), event.c.mission_id.in_(international))
        .group_by(accreditation.role, person.nationality_code)
    )
    groups = (await session.execute(_named_breakdowns(_by_breakdown(observers)))).all()
    return senders, groups


def _held(events: Any, as_of: dt.datetime) -> ColumnElement[bool]:
    return and_(events.c.effective_at <= as_of, or_(events.c.valid_until.is_(None), events.c.valid_until > as_of))


def _counted(
    records: Records, events: Any, as_of: dt.datetime, statuses: tuple[m.Status, ...]
) -> list[ColumnElement[bool]]:
    return [*real_events(records, events, statuses), _held(events, as_of)]


def _held_counts(summary: Summary, dialect: str, way: Way) -> Select[Any]:
    """The statement that reads the summary's counts held before the instant, the way `Reading.way` names."""
    if way == "latest":
        return held_latest(summary)
    return held_since(summary) if way == "since" else held(summary, dialect)


@cache
def _held_senders(dialect: str, recent: bool, way: Way) -> Select[Any]:
    """The missions' counts at the end of the slot before the instant's (`_held_counts`) and, with `recent`, the changes
    of its own slot, added up per sender and named."""
    missions = _held_counts(MISSIONS, dialect, way).subquery("held")
    parts = [select(*(missions.c[name] for name in (*SENDER, *(s.value for s in COUNTED))))]
    return _named_senders([*parts, sender_changes()] if recent else parts, dialect)


def sender_changes(since: Any = _SINCE, until: Any = _UNTIL) -> Select[Any]:
    """The changes at instants in [since, until] (bound, as the election), from the events, with the sender of
    each change's mission: rows (*SENDER, nominated, accredited), to be added up."""
    change, mission = _mission_changes(since, until), m.Mission.__table__
    return select(*(mission.c[name] for name in SENDER), *(change.c[s.value] for s in COUNTED)).join(
        mission, mission.c.id == change.c.mission_id
    )


def _mission_changes(since: Any, until: Any) -> Any:
    """The changes at instants in [since, until] (bound, as the election), from the events, as rows (mission_id,
    nominated, accredited): +1 for each period that starts, -1 for each that ends."""
    event = _EVENT
    change = _changes(
        select(event.c.mission_id, event.c.status),
        event.c.status.in_(COUNTED),
        event.c.accreditation_id.not_in(test_records(_ELECTION)),
        since=since,
        until=until,
    )
    return select(change.c.mission_id, *_statuses(change.c.status, change.c.sign)).subquery("mission_change")


@cache
def _held_breakdowns(dialect: str, recent: bool, way: Way) -> Select[Any]:
    """The breakdowns' counts at the end of the slot before the instant's (read as `_held_senders` reads), with
    `recent` the changes of its own slot, named."""
    found = _held_counts(BREAKDOWNS, dialect, way).subquery("held")
    parts = [select(found.c.breakdown, found.c.value, found.c.accredited.label("n"))]
    if recent:
        event, mission = _EVENT, m.Mission
        international = select(mission.id).where(
            mission.election_id == _ELECTION, mission.sender_kind.in_(m.INTERNATIONAL_SENDERS)
        )
        # Told apart by the mission in the events' index, before any accreditation is read.
        change = _changes(
            select(event.c.accreditation_id),
            event.c.status == m.Status.ACCREDITED,
            event.c.mission_id.in_(international),
        )
        accreditation, person = m.Accreditation, m.Person
        observers = (
            select(accreditation.role, person.nationality_code, change.c.sign.label("n"))
            .join(accreditation, accreditation.id == change.c.accreditation_id)
            .join(person, person.id == accreditation.person_id)
            .where(accreditation.is_test.is_(False))
        )
        parts.extend(_by_breakdown(observers))
    return _named_breakdowns(parts)


def _by_breakdown(select_observers: Select[Any]) -> list[Select[Any]]:
    """Rows (role, nationality_code, n) as rows (breakdown, value, n) by role and by nationality, keyed as the
    summaries key them."""
    # Read twice (by role, by nationality): materialized, so the events behind it are read once.
    observers = select_observers.cte("observers").prefix_with("MATERIALIZED")
    return [
        select(
            literal(breakdown.value).label("breakdown"),
            cast(observers.c[column], BREAKDOWNS.table.c.value.type).label("value"),
            observers.c.n,
        )
        for breakdown, column in ((m.Breakdown.ROLE, "role"), (m.Breakdown.NATIONALITY, "nationality_code"))
    ]


def _named_breakdowns(parts: list[Select[Any]]) -> Select[Any]:
    rows = union_all(*parts).subquery("breakdowns") if len(parts) > 1 else parts[0].subquery("breakdowns")
    summed = (
        select(rows.c.breakdown, rows.c.value, total(rows.c.n).label("accredited"))
        .group_by(rows.c.breakdown, rows.c.value)
        .subquery("summed")
    )
    country = m.Country.__table__
    nationality = and_(summed.c.breakdown == m.Breakdown.NATIONALITY.value, country.c.code == summed.c.value)
    names = m.in_each_language(lambda lang: country.c[f"name_{lang}"])
    return select(*summed.c, *names).outerjoin(country, nationality)


def _named_senders(parts: list[Select[Any]], dialect: str) -> Select[Any]:
    """Counts of missions and their changes, as rows (*SENDER, nominated, accredited), added up per sender in the
    database and named: the module's rows of senders, only those with an observer or a nomination, in the tally's
    order (most observers first). An election can have thousands of domestic organizations: this reads each once,
    and only its columns; each name already falls back to English, so Python only pairs them with languages."""
    rows = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("counted")
    sender = [rows.c[name] for name in SENDER]
    counts = [total(rows.c[status.value]).label(status.value) for status in COUNTED]
    summed = (
        select(*sender, *counts).group_by(*sender).having(or_(*(count != 0 for count in counts))).subquery("summed")
    )
    organization, country = m.Organization.__table__.c, m.Country.__table__.c

    def each(organization_field: str) -> list[Any]:
        """An organization's field, or a country's name, in each language."""
        return m.in_each_language(
            lambda lang: func.coalesce(organization[f"{organization_field}_{lang}"], country[f"name_{lang}"])
        )

    names = each("name")
    code = func.coalesce(summed.c.country_code, organization.slug)
    # Code point order, as Python compares strings: PostgreSQL would otherwise sort by the database's collation.
    collation = "C" if dialect == "postgresql" else "BINARY"
    return (
        select(*summed.c, code, *names, *each("acronym"))
        .outerjoin(m.Organization.__table__, organization.id == summed.c.organization_id)
        .outerjoin(m.Country.__table__, country.code == summed.c.country_code)
        .order_by(
            *(summed.c[status.value].desc() for status in reversed(COUNTED)),
            *(text.collate(collation) for text in (summed.c.sender_kind, names[0], code)),
        )
    )


def total(column: Any) -> Any:
    """The sum of `column` as an integer: PostgreSQL sums bigints as numeric, which would come back as Decimal."""
    return cast(func.sum(column), Integer)


def _statuses(status: Any, n: Any, *, summed: bool = False) -> tuple[Any, ...]:
    """`n` as a change of (nominated, accredited) for an event or row of `status`, or with `summed` their sums."""
    changes = (case((status == counted, n), else_=0) for counted in COUNTED)
    return tuple(
        (func.sum(change) if summed else change).label(counted.value)
        for counted, change in zip(COUNTED, changes, strict=True)
    )


def _changes(columns: Select[Any], *where: Any, since: Any = _SINCE, until: Any = _UNTIL) -> Any:
    """The events' changes at instants in [since, until] (bound, as the election), as `columns` and a sign: +1
    for each period that starts then, -1 for each that ends. One statement for both."""
    event = _EVENT
    return union_all(
        *(
            columns.add_columns(literal(sign).label("sign")).where(
                event.c.election_id == _ELECTION, column >= since, column <= until, *where
            )
            for column, sign in ((event.c.effective_at, 1), (event.c.valid_until, -1))
        )
    ).subquery("change")
