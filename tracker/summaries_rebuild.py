"""Rebuilding the tally's summaries from the status events, and comparing them with the stored ones: for the migration
that builds them for an existing database, the seed, the benchmarks' bulk loads and `tracker check` (and the tests).

The summaries themselves, what they keep and how every write adds to them, are in tracker.summaries. A rebuild
makes an election's summaries again from its events, in the database, a day at a time (`rebuild`, `rebuilding`);
`differences` finds every stored number a rebuild would not make.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from tracker import models as m
from tracker.summaries import (
    BREAKDOWNS,
    COUNTED,
    EPOCH,
    KEYS,
    LATEST,
    MISSIONS,
    SLOT,
    SLOTS_PER_DAY,
    SUMMARIES,
    Summary,
    checkpoint_of,
    dialect_of,
    same_key,
    slot_of,
)

# Rebuilding from the events, in the database.

SLOT_SECONDS = int(SLOT.total_seconds())


def _slot_sql(dialect: str, column: Any) -> Any:
    """The SQL for `slot_of` a stored instant."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column) / SLOT_SECONDS), Integer)
    # SQLite keeps instants as UTC text ("2023-02-22 15:13:00.000000"). Its date functions round the fraction
    # to milliseconds (23:59:59.999999 would be the next slot), so the text is cut to whole seconds first; whole
    # seconds since 1970, divided as integers, are exact.
    return cast(func.strftime("%s", func.substr(column, 1, 19)), Integer) // SLOT_SECONDS


def _changes(dialect: str, election_id: int, since: dt.datetime, until: dt.datetime) -> Any:
    """Every change of the election's counted statuses at an instant in [since, until): +1 when a period starts,
    -1 when it ends, with its slot, mission, status, role, nationality and whether its sender is international."""
    event, accreditation, person, mission = m.StatusEvent, m.Accreditation, m.Person, m.Mission

    def side(column: Any, sign: int) -> Select[Any]:
        return (
            select(
                _slot_sql(dialect, column).label("slot"),
                event.mission_id,
                event.status,
                accreditation.role,
                person.nationality_code,
                mission.sender_kind,
                literal(sign).label("sign"),
            )
            .join(accreditation, accreditation.id == event.accreditation_id)
            .join(person, person.id == accreditation.person_id)
            .join(mission, mission.id == event.mission_id)
            .where(
                event.election_id == election_id,
                event.status.in_(COUNTED),
                column >= since,
                column < until,
                accreditation.is_test.is_(False),
            )
        )

    return union_all(side(event.effective_at, 1), side(event.valid_until, -1)).subquery("change")


def _by_slot(change: Any) -> list[tuple[Summary, Select[Any]]]:
    """Per summary: the slots' changes of `change`, as (*key, slot, *changes), none all zero."""

    def of(status: m.Status) -> Any:
        return func.sum(case((change.c.status == status, change.c.sign), else_=0))

    missions = [of(status) for status in COUNTED]
    accredited = and_(change.c.status == m.Status.ACCREDITED, change.c.sender_kind.in_(m.INTERNATIONAL_SENDERS))
    breakdowns = [
        select(
            literal(breakdown.value).label("breakdown"),
            cast(column, m.BreakdownSlot.value.type).label("value"),
            change.c.slot,
            func.sum(change.c.sign).label("n"),
        )
        .where(accredited)
        .group_by(column, change.c.slot)
        .having(func.sum(change.c.sign) != 0)
        for breakdown, column in (
            (m.Breakdown.ROLE, change.c.role),
            (m.Breakdown.NATIONALITY, change.c.nationality_code),
        )
    ]
    return [
        (
            MISSIONS,
            select(change.c.mission_id, change.c.slot, *missions)
            .group_by(change.c.mission_id, change.c.slot)
            .having((missions[0] != 0) | (missions[1] != 0)),
        ),
        (BREAKDOWNS, union_all(*breakdowns)),
    ]


async def rebuild(session: AsyncSession, election_id: int) -> None:
    """Make the election's summaries again from its events (the seed and the benchmarks' bulk loads use it)."""
    dialect = dialect_of(session)
    days = days_of(await session.scalars(changed_days(dialect, election_id)))
    for statement in rebuilding(dialect, election_id, days):
        if statement is not None:
            await session.execute(statement)


def rebuilding(dialect: str, election_id: int, days: list[dt.datetime]) -> Iterator[Executable | None]:
    """The statements that make the election's summaries again from its events, for a session or a migration's
    connection: the slots' changes by the database a day at a time, so memory stays bounded at any size, then each
    key's rows at slot -1 and at LATEST, then the counts at each slot's end as the running sums of the changes. A
    None follows each day's statements, for a progress bar."""
    checkpoints = m.TallyCheckpoint.__table__
    for table in (*(summary.table for summary in SUMMARIES), checkpoints):
        yield delete(table).where(table.c.election_id == election_id)
    for day in days:
        change = _changes(dialect, election_id, day, day + dt.timedelta(days=1))
        for summary, query in _by_slot(change):
            sums = query.subquery()
            yield summary.table.insert().from_select(
                ["election_id", *summary.key, "slot", *summary.changes, *summary.counts],
                select(literal(election_id), *sums.c, *(literal(0) for _ in summary.counts)),
            )
        yield None
    # A checkpoint in each hour with a change, as writers would have made as time passed, and each key's row there
    # when it has a change before; their counts come with every other row's below.
    starts = [
        select(literal(election_id), checkpoint_of(table.c.slot).label("slot")).where(
            table.c.election_id == election_id
        )
        for table in (summary.table for summary in SUMMARIES)
    ]
    yield checkpoints.insert().from_select(["election_id", "slot"], union(*starts))
    for summary in SUMMARIES:
        yield summary.table.insert().from_select(
            [*summary.key_columns(), "slot", *summary.counts, *summary.changes], _unmarked(summary, election_id)
        )
    for summary in SUMMARIES:
        table = summary.table
        key = summary.key_columns()
        for slot in (KEYS, LATEST):
            yield table.insert().from_select(
                [*(column.name for column in key), "slot", *summary.counts, *summary.changes],
                select(*key, literal(slot), *(literal(0) for _ in (*summary.counts, *summary.changes)))
                .where(table.c.election_id == election_id)
                .distinct(),
            )
        running = _running(summary, election_id).subquery("running")
        yield (
            update(table)
            .where(*same_key(summary, table, running), table.c.slot == running.c.slot)
            .values({count: running.c[count] for count in summary.counts})
        )
        if dialect == "postgresql":
            # Fresh statistics: without them the planner takes the rows just written for a handful.
            yield text(f"ANALYZE {table.name}")


def clustered(dialect: str) -> list[Executable]:
    """After a rebuild, on PostgreSQL: each table's rows laid in the order of slots, as a tally from a checkpoint
    reads them. A rebuild writes each key's rows together (its counts are added per key), so the rows of one slot
    would lie on as many pages as there are keys: 3,700 pages read for 3,800 rows, against 40. Writers then add rows
    in the order of time. It rewrites the tables and locks them while it does (6 s at a million accreditations):
    for the migration and the benchmarks' bulk loads, not a running service."""
    if dialect != "postgresql":
        return []
    return [
        statement
        for summary in SUMMARIES
        for statement in (
            text(f"CLUSTER {summary.table.name} USING ix_{summary.table.name}_slots"),
            text(f"ANALYZE {summary.table.name}"),
        )
    ]


def _unmarked(summary: Summary, election_id: int) -> Select[Any]:
    """The rows at checkpoints that the election's keys should have and lack: at each checkpoint after a key's first
    change, as (election_id, *key, slot, zeros)."""
    table, checkpoints = summary.table, m.TallyCheckpoint.__table__
    key = summary.key_columns()
    first = (
        select(*key, func.min(table.c.slot).label("first"))
        .where(table.c.election_id == election_id, table.c.slot >= 0, table.c.slot < LATEST)
        .group_by(*key)
        .subquery("first")
    )
    at = table.alias("at")
    return (
        select(*(first.c[column.name] for column in key), checkpoints.c.slot)
        .add_columns(*(literal(0).label(column) for column in (*summary.counts, *summary.changes)))
        .join(checkpoints, and_(checkpoints.c.election_id == first.c.election_id, checkpoints.c.slot > first.c.first))
        .where(~select(at.c.slot).where(*same_key(summary, at, first), at.c.slot == checkpoints.c.slot).exists())
    )


def _running(summary: Summary, election_id: int) -> Select[Any]:
    """Each of the election's rows with the running sums of its key's changes up to its slot: the counts it should
    hold."""
    table = summary.table
    key = summary.key_columns()
    return select(
        *key,
        table.c.slot,
        *(
            func.sum(table.c[change]).over(partition_by=key, order_by=table.c.slot).label(count)
            for count, change in zip(summary.counts, summary.changes, strict=True)
        ),
    ).where(table.c.election_id == election_id)


def changed_days(dialect: str, election_id: int) -> Select[Any]:
    """The UTC days (numbered since 1970) on which the election's counted statuses change: a period starts or ends.
    Only those are rebuilt and compared, however far apart they are."""
    event = m.StatusEvent

    def day(column: Any) -> Any:
        return (_slot_sql(dialect, column) // SLOTS_PER_DAY).label("day")

    starts = select(day(event.effective_at)).where(event.election_id == election_id, event.status.in_(COUNTED))
    ends = select(day(event.valid_until)).where(
        event.election_id == election_id, event.status.in_(COUNTED), event.valid_until.is_not(None)
    )
    return select(starts.union(ends).subquery().c.day).order_by("day")


def days_of(numbers: Iterable[int]) -> list[dt.datetime]:
    """The first instant of each day numbered since 1970."""
    return [EPOCH + dt.timedelta(days=int(number)) for number in numbers]


@dataclass(frozen=True, slots=True)
class Mismatch:
    table: str
    slot: int
    key: tuple[Any, ...]
    """The row's key, then the column that differs."""
    stored: int
    expected: int
    """Made from the events (a change), or the running sum of the changes stored (a count)."""


async def differences(session: AsyncSession, election_id: int, limit: int = 20) -> list[Mismatch]:
    """The election's stored summaries against the events: each slot's changes against the changes the events give,
    a day at a time, and none stored outside those days; then each count against the running sum of the changes,
    in the database. Together they find any stored number that `rebuild` would not make. Up to `limit`, each with
    both its numbers."""
    found: list[Mismatch] = []
    dialect = dialect_of(session)
    days = days_of(await session.scalars(changed_days(dialect, election_id)))
    for day in days:
        change = _changes(dialect, election_id, day, day + dt.timedelta(days=1))
        first, last = slot_of(day), slot_of(day) + SLOTS_PER_DAY
        for summary, query in _by_slot(change):
            table = summary.table
            rebuilt = _by_column(summary.changes, await session.execute(query))
            stored = await _stored(session, summary, election_id, table.c.slot >= first, table.c.slot < last)
            found += _compared(table.name, stored, rebuilt)
        if len(found) >= limit:
            return found[:limit]
    numbers = [slot_of(day) // SLOTS_PER_DAY for day in days]
    for summary in SUMMARIES:
        outside = (summary.table.c.slot // SLOTS_PER_DAY).not_in(numbers)
        found += _compared(summary.table.name, await _stored(session, summary, election_id, outside), {})
    for summary in SUMMARIES:
        running = _running(summary, election_id).subquery("running")
        table = summary.table
        rows = await session.execute(
            select(
                *(table.c[name] for name in summary.key),
                table.c.slot,
                *(table.c[count] for count in summary.counts),
                *(running.c[count] for count in summary.counts),
            )
            .join_from(table, running, and_(*same_key(summary, table, running), table.c.slot == running.c.slot))
            .where(table.c.election_id == election_id, or_(*(table.c[c] != running.c[c] for c in summary.counts)))
            # Latest first: a count off by one is off in every row after, and the rows at LATEST are what a tally of
            # today reads.
            .order_by(table.c.slot.desc())
            .limit(limit)
        )
        found += _counts_compared(summary, rows)
        # A key without its row at a checkpoint after its first change: a tally after it would count nothing there.
        for row in await session.execute(_unmarked(summary, election_id).limit(limit)):
            *key, slot = row[1 : 2 + len(summary.key)]
            found.append(Mismatch(table.name, slot, (*key, "row"), 0, 1))
        # A key without its row at slot -1 is one the tally would not read; one without its row at LATEST, one a
        # tally of today would count as nothing.
        keys = table.alias("keys")
        for slot in (KEYS, LATEST):
            unlisted = await session.execute(
                select(*(table.c[name] for name in summary.key))
                .where(
                    table.c.election_id == election_id,
                    ~select(keys.c.slot)
                    .where(*same_key(summary, keys, table), keys.c.slot == literal_column(str(slot)))
                    .exists(),
                )
                .distinct()
                .limit(limit)
            )
            found += [Mismatch(table.name, slot, (*key, "row"), 0, 1) for key in unlisted]
    return found[:limit]


def _by_column(columns: tuple[str, ...], rows: Iterable[Any]) -> dict[tuple[Any, ...], int]:
    """Rows of (*key, slot, *numbers) as {(slot, *key, column): number}, zeros left out."""
    found = {}
    for row in rows:
        *key, slot = row[: -len(columns)]
        for column, n in zip(columns, row[-len(columns) :], strict=True):
            if n:
                found[(slot, *(getattr(part, "value", part) for part in key), column)] = n
    return found


async def _stored(session: AsyncSession, summary: Summary, election_id: int, *where: Any) -> dict[tuple[Any, ...], int]:
    table = summary.table
    rows = await session.execute(
        select(*(table.c[name] for name in summary.key), table.c.slot, *(table.c[c] for c in summary.changes)).where(
            table.c.election_id == election_id, *where
        )
    )
    return _by_column(summary.changes, rows)


def _compared(table: str, stored: dict[tuple[Any, ...], int], expected: dict[tuple[Any, ...], int]) -> list[Mismatch]:
    """Every (slot, *key, column) whose two numbers differ; one missing from a side is 0 there."""
    return [
        Mismatch(table, key[0], key[1:], stored.get(key, 0), expected.get(key, 0))
        for key in sorted(set(stored) | set(expected), key=repr)
        if stored.get(key, 0) != expected.get(key, 0)
    ]


def _counts_compared(summary: Summary, rows: Iterable[Any]) -> list[Mismatch]:
    found = []
    width = len(summary.counts)
    for row in rows:
        key, slot = row[: len(summary.key)], row[len(summary.key)]
        stored, summed = row[-2 * width : -width], row[-width:]
        for count, a, b in zip(summary.counts, stored, summed, strict=True):
            if a != b:
                found.append(Mismatch(summary.table.name, slot, (*key, count), a, b))
    return found
