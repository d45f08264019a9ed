"""Summaries of the status events that make a tally cheap at any size: derived, never a second source of truth.

Each status event adds one to its status at its effective time, and takes one away when the next event closes its
period. Summed over every change up to T, that is how many accreditations hold each status at T: what the tally
counts. The summaries keep, per key and per hour with a change (hours since 1970, UTC), the change within the hour
and the count at its end. A tally at T reads, per key, the row of the last hour with a change before T's hour, and
the changes of T's own hour from the events: one lookup per key, whatever the size of the election.

Two tables (tracker.models): `MissionHour`, nominated and accredited per mission, and `BreakdownHour`, accredited
observers of international senders by role and by nationality. Test records are left out of both.

Whatever writes a status event adds its changes in the same transaction (`record_moves`, called by
tracker.services.transitions and decisions): to the row of the change's hour, made when missing from the count of
the hour before, and to the count of every later row. Two writers of the same key would each miss the row the
other makes, so each first locks the key's row at hour -1, in key order. What changes the keys of changes already
summed (an accreditation's test flag, a person's nationality, a mission's sender moving between international and
domestic) takes the accreditations' changes out and puts them back (`rekeyed`). `rebuild` makes an election's
summaries again from its events, in the database; `differences` compares them with the stored ones
(`tracker check`, the tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from tracker import models as m

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
COUNTED = (m.Status.NOMINATED, m.Status.ACCREDITED)
KEYS = -1
"""The hour of each key's row of zeros: what writers lock, and what lists the keys."""
# Ids per statement: far below either database's limit on bound parameters.
CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class Summary:
    """One summary table: the columns of its key (after the election's) and the counts it keeps."""

    table: Any
    key: tuple[str, ...]
    counts: tuple[str, ...]

    @property
    def changes(self) -> tuple[str, ...]:
        return tuple(f"{count}_change" for count in self.counts)

    def key_columns(self, table: Any = None) -> list[Any]:
        """The election's and the key's columns of the table, or of an alias or subquery of it."""
        return [(self.table if table is None else table).c[name] for name in ("election_id", *self.key)]


MISSIONS = Summary(m.MissionHour.__table__, ("mission_id",), ("nominated", "accredited"))
BREAKDOWNS = Summary(m.BreakdownHour.__table__, ("breakdown", "value"), ("accredited",))
SUMMARIES = (MISSIONS, BREAKDOWNS)


def hour_of(at: dt.datetime) -> int:
    """The number of the hour (UTC, since 1970) holding `at`."""
    return (at - EPOCH) // HOUR


def counted_hours(as_of: dt.datetime) -> tuple[int, dt.datetime]:
    """For a tally at `as_of`: the number of whole hours every change of which counts, and the start of the hour
    whose changes the tally reads from the events (empty when `as_of` is the last microsecond of an hour, as the
    end of a day is)."""
    after = as_of + dt.timedelta(microseconds=1)
    hour = hour_of(after)
    return hour, EPOCH + hour * HOUR


@cache
def held(summary: Summary, instants: int = 1, international: bool = False) -> Select[Any]:
    """Per key of an election and per instant: the key's counts at the end of the last hour with a change before
    the instant's hour, the zeros at hour -1 when there is none, as (n, *key, *counts). Bound: `election_id`, and
    `hours_0`, `hours_1`, … the number of the hour of each instant. With `international`, only the missions of
    international senders (of MISSIONS). One lookup of a key's last hour and one of its row: the database reads a
    row per key and instant, however many hours a key has. Made once for each shape; only the values change."""
    table = summary.table
    keys, before = table.alias("summed"), table.alias("before")
    at = (
        union_all(
            *(
                select(literal_column(str(n)).label("n"), bindparam(f"hours_{n}", type_=Integer).label("hours"))
                for n in range(instants)
            )
        ).subquery("instant")
        if instants > 1
        else select(literal_column("0").label("n"), bindparam("hours_0", type_=Integer).label("hours")).subquery(
            "instant"
        )
    )
    last = (
        select(func.max(before.c.hour))
        .where(*_same(summary, before, keys), before.c.hour < at.c.hours)
        .correlate(keys, at)
        .scalar_subquery()
    )
    only = []
    if international:
        mission = m.Mission
        only = [
            keys.c.mission_id.in_(
                select(mission.id).where(
                    mission.election_id == keys.c.election_id, mission.sender_kind.in_(m.INTERNATIONAL_SENDERS)
                )
            )
        ]
    # -1 written out: a bound value would not match the partial index of the keys. Materialized, so that neither
    # database reads the table in search of the keys' rows (SQLite would, without statistics).
    latest = (
        select(at.c.n, *summary.key_columns(keys), last.label("hour"))
        .select_from(at)
        .join(keys, literal_column("1") == literal_column("1"))
        .where(keys.c.election_id == bindparam("election_id", type_=table.c.election_id.type))
        .where(keys.c.hour == literal_column(str(KEYS)), *only)
        .cte("latest")
        .prefix_with("MATERIALIZED")
    )
    return select(
        latest.c.n, *(table.c[name] for name in summary.key), *(table.c[c] for c in summary.counts)
    ).join_from(latest, table, and_(*_same(summary, table, latest), table.c.hour == latest.c.hour))


def at_hours(election_id: int, hours: Iterable[int]) -> dict[str, int]:
    """The values `held` is bound to."""
    return {"election_id": election_id} | {f"hours_{n}": hour for n, hour in enumerate(hours)}


def _same(summary: Summary, one: Any, other: Any) -> list[Any]:
    """The two rows are of the same election and key."""
    return [a == b for a, b in zip(summary.key_columns(one), summary.key_columns(other), strict=True)]


@dataclass(frozen=True, slots=True)
class Move:
    """One accreditation leaving a status and entering another at an instant (either may be None)."""

    accreditation_id: int
    at: dt.datetime
    left: m.Status | None
    entered: m.Status | None


@dataclass(frozen=True, slots=True)
class _Keys:
    election_id: int
    mission_id: int
    role: m.Role
    nationality_code: str
    international: bool


Changes = dict[tuple[Any, ...], list[int]]
"""Per (election, *key, hour): the change of each count."""


class _Sums:
    """Changes summed per row of the summaries, written at once (`_write`)."""

    def __init__(self) -> None:
        self.missions: Changes = {}
        self.breakdowns: Changes = {}

    async def add(self, session: AsyncSession, moves: Sequence[Move], sign: int = 1) -> None:
        """Add the moves' changes (or take them away, `sign` -1) under their accreditations' keys as they are now."""
        moves = [move for move in moves if move.left in COUNTED or move.entered in COUNTED]
        if not moves:
            return
        keys = await _keys(session, {move.accreditation_id for move in moves})
        for move in moves:
            of = keys.get(move.accreditation_id)
            if of is None:  # test data
                continue
            hour = hour_of(move.at)
            for status, change in ((move.left, -sign), (move.entered, sign)):
                if status not in COUNTED:
                    continue
                counts = self.missions.setdefault((of.election_id, of.mission_id, hour), [0, 0])
                counts[COUNTED.index(status)] += change
                if status is m.Status.ACCREDITED and of.international:
                    for breakdown, value in (
                        (m.Breakdown.ROLE, of.role),
                        (m.Breakdown.NATIONALITY, of.nationality_code),
                    ):
                        row = (of.election_id, breakdown.value, str(value), hour)
                        self.breakdowns.setdefault(row, [0])[0] += change

    async def write(self, session: AsyncSession) -> None:
        for summary, changes in ((MISSIONS, self.missions), (BREAKDOWNS, self.breakdowns)):
            await _write(session, summary, changes)


async def record_moves(session: AsyncSession, moves: Sequence[Move]) -> None:
    """Add the moves' changes to the summaries, in the session's transaction."""
    sums = _Sums()
    await sums.add(session, moves)
    await sums.write(session)


async def _keys(session: AsyncSession, accreditation_ids: set[int]) -> dict[int, _Keys]:
    """What each accreditation's changes are summed under, test records left out."""
    accreditation, person, mission = m.Accreditation, m.Person, m.Mission
    found: dict[int, _Keys] = {}
    ids = sorted(accreditation_ids)
    for start in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(
                accreditation.id,
                accreditation.election_id,
                accreditation.mission_id,
                accreditation.role,
                person.nationality_code,
                mission.sender_kind,
            )
            .join(person, person.id == accreditation.person_id)
            .join(mission, mission.id == accreditation.mission_id)
            .where(accreditation.id.in_(ids[start : start + CHUNK]), accreditation.is_test.is_(False))
        )
        for row in rows:
            found[row.id] = _Keys(
                row.election_id,
                row.mission_id,
                row.role,
                row.nationality_code,
                row.sender_kind in m.INTERNATIONAL_SENDERS,
            )
    return found


async def _write(session: AsyncSession, summary: Summary, changes: Changes) -> None:
    """Add the changes: lock each key's row at hour -1 (made when missing), in key order, so that two writers of
    one key wait for each other instead of each missing the row the other makes; make each missing hour's row
    from the counts of the hour before it; then add each change to its hour's change and to the counts of its
    hour and every later one. Each statement is of a fixed shape, compiled once, and runs once per row."""
    rows = sorted((row, counts) for row, counts in changes.items() if any(counts))
    if not rows:
        return
    names = [f"k_{name}" for name in ("election_id", *summary.key, "hour")]
    statements = _statements(summary, _dialect(session))
    keys = sorted({row[:-1] for row, _ in rows})
    await session.execute(statements.lock, [dict(zip(names[:-1], key, strict=True)) for key in keys])
    at = [dict(zip(names, row, strict=True)) for row, _ in rows]
    await session.execute(statements.open, at)
    deltas = [dict(zip((f"d_{count}" for count in summary.counts), counts, strict=True)) for _, counts in rows]
    await session.execute(statements.add, [where | delta for where, delta in zip(at, deltas, strict=True)])


@dataclass(frozen=True, slots=True)
class _Statements:
    lock: Executable
    open: Executable
    add: Executable


@cache
def _statements(summary: Summary, dialect: str) -> _Statements:
    """The three statements of `_write`, with the key as k_election_id, k_<column>…, k_hour, the changes as
    d_<count>."""
    table = summary.table
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    names = ("election_id", *summary.key)
    key = {name: bindparam(f"k_{name}", type_=table.c[name].type) for name in names}
    at_hour = bindparam("k_hour", type_=Integer)
    zeros = {column: 0 for column in (*summary.counts, *summary.changes)}
    first = summary.counts[0]
    # Updating the row is what locks it on PostgreSQL; SQLite has one writer at a time.
    lock = (
        insert(table)
        .values(key | {"hour": KEYS} | zeros)
        .on_conflict_do_update(index_elements=[*names, "hour"], set_={first: table.c[first]})
    )
    before = (
        # Cast in the list as in the WHERE: PostgreSQL deduces one type for a value used in both.
        select(*(cast(value, table.c[name].type) for name, value in key.items()), at_hour)
        .add_columns(*(table.c[count] for count in summary.counts))
        .add_columns(*(literal(0).label(change) for change in summary.changes))
        .where(*(table.c[name] == value for name, value in key.items()), table.c.hour < at_hour)
        .order_by(table.c.hour.desc())
        .limit(1)
    )
    opened = (
        insert(table)
        .from_select([*names, "hour", *summary.counts, *summary.changes], before)
        .on_conflict_do_nothing(index_elements=[*names, "hour"])
    )
    deltas = {count: bindparam(f"d_{count}", type_=Integer) for count in summary.counts}
    add = (
        update(table)
        .where(*(table.c[name] == value for name, value in key.items()), table.c.hour >= at_hour)
        .values(
            {count: table.c[count] + delta for count, delta in deltas.items()}
            | {
                f"{count}_change": table.c[f"{count}_change"] + case((table.c.hour == at_hour, delta), else_=0)
                for count, delta in deltas.items()
            }
        )
    )
    return _Statements(lock, opened, add)


@asynccontextmanager
async def rekeyed(session: AsyncSession, accreditation_ids: Iterable[int]) -> AsyncIterator[None]:
    """Around a change of what the accreditations' changes are summed under (a test flag, a person's nationality,
    a mission's sender moving between international and domestic): their changes are taken out under the keys
    before the change and put back under the keys after it, in one write. Read a chunk at a time, so memory holds
    the sums, not the events."""
    ids = sorted(set(accreditation_ids))
    event = m.StatusEvent
    # A transition or decision writing one of them meanwhile would sum its change under the keys it read: each
    # locks the accreditation's current event before it reads, and so does this, in the same order.
    for start in range(0, len(ids), CHUNK):
        await session.execute(
            select(event.id)
            .where(event.accreditation_id.in_(ids[start : start + CHUNK]), event.current())
            .order_by(event.accreditation_id)
            .with_for_update()
        )
    sums = _Sums()
    async for moves in _moves_of(session, ids):
        await sums.add(session, moves, -1)
    yield
    async for moves in _moves_of(session, ids):
        await sums.add(session, moves, 1)
    await sums.write(session)


async def _moves_of(session: AsyncSession, ids: list[int]) -> AsyncIterator[list[Move]]:
    """Every change the accreditations' events make, a chunk of accreditations at a time."""
    event = m.StatusEvent
    for start in range(0, len(ids), CHUNK):
        moves: list[Move] = []
        for row in await session.execute(
            select(event.accreditation_id, event.status, event.effective_at, event.valid_until).where(
                event.accreditation_id.in_(ids[start : start + CHUNK]), event.status.in_(COUNTED)
            )
        ):
            moves.append(Move(row.accreditation_id, row.effective_at, None, row.status))
            if row.valid_until is not None:
                moves.append(Move(row.accreditation_id, row.valid_until, row.status, None))
        yield moves


# Rebuilding from the events, in the database.


def _dialect(session: AsyncSession) -> str:
    return str(session.bind.dialect.name)


def _hour_sql(dialect: str, column: Any) -> Any:
    """The SQL for `hour_of` a stored instant."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", column) / 3600), Integer)
    # SQLite keeps instants as UTC text ("2023-02-22 15:13:00.000000"). Its date functions round the fraction
    # to milliseconds (23:59:59.999999 would be the next hour), so the text is cut to whole seconds first; whole
    # seconds since 1970, divided as integers, are exact.
    return cast(func.strftime("%s", func.substr(column, 1, 19)), Integer) // 3600


def _changes(dialect: str, election_id: int, since: dt.datetime, until: dt.datetime) -> Any:
    """Every change of the election's counted statuses at an instant in [since, until): +1 when a period starts,
    -1 when it ends, with its hour, mission, status, role, nationality and whether its sender is international."""
    event, accreditation, person, mission = m.StatusEvent, m.Accreditation, m.Person, m.Mission

    def side(column: Any, sign: int) -> Select[Any]:
        return (
            select(
                _hour_sql(dialect, column).label("hour"),
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


def _hourly(change: Any) -> list[tuple[Summary, Select[Any]]]:
    """Per summary: the hours' changes of `change`, as (*key, hour, *changes), none all zero."""

    def of(status: m.Status) -> Any:
        return func.sum(case((change.c.status == status, change.c.sign), else_=0))

    missions = [of(status) for status in COUNTED]
    accredited = and_(change.c.status == m.Status.ACCREDITED, change.c.sender_kind.in_(m.INTERNATIONAL_SENDERS))
    breakdowns = [
        select(
            literal(breakdown.value).label("breakdown"),
            cast(column, m.BreakdownHour.value.type).label("value"),
            change.c.hour,
            func.sum(change.c.sign).label("n"),
        )
        .where(accredited)
        .group_by(column, change.c.hour)
        .having(func.sum(change.c.sign) != 0)
        for breakdown, column in (
            (m.Breakdown.ROLE, change.c.role),
            (m.Breakdown.NATIONALITY, change.c.nationality_code),
        )
    ]
    return [
        (
            MISSIONS,
            select(change.c.mission_id, change.c.hour, *missions)
            .group_by(change.c.mission_id, change.c.hour)
            .having((missions[0] != 0) | (missions[1] != 0)),
        ),
        (BREAKDOWNS, union_all(*breakdowns)),
    ]


async def rebuild(session: AsyncSession, election_id: int) -> None:
    """Make the election's summaries again from its events (the seed and the benchmarks' bulk loads use it)."""
    days = days_of(await session.scalars(changed_days(_dialect(session), election_id)))
    for statement in rebuilding(_dialect(session), election_id, days):
        if statement is not None:
            await session.execute(statement)


def rebuilding(dialect: str, election_id: int, days: list[dt.datetime]) -> Iterator[Executable | None]:
    """The statements that make the election's summaries again from its events, for a session or a migration's
    connection: the hours' changes by the database a day at a time, so memory stays bounded at any size, then each
    key's row at hour -1, then the counts at each hour's end as the running sums of the changes. A None follows
    each day's statements, for a progress bar."""
    for summary in SUMMARIES:
        yield delete(summary.table).where(summary.table.c.election_id == election_id)
    for day in days:
        change = _changes(dialect, election_id, day, day + dt.timedelta(days=1))
        for summary, query in _hourly(change):
            sums = query.subquery()
            yield summary.table.insert().from_select(
                ["election_id", *summary.key, "hour", *summary.changes, *summary.counts],
                select(literal(election_id), *sums.c, *(literal(0) for _ in summary.counts)),
            )
        yield None
    for summary in SUMMARIES:
        table = summary.table
        key = summary.key_columns()
        yield table.insert().from_select(
            [*(column.name for column in key), "hour", *summary.counts, *summary.changes],
            select(*key, literal(KEYS), *(literal(0) for _ in (*summary.counts, *summary.changes)))
            .where(table.c.election_id == election_id)
            .distinct(),
        )
        running = _running(summary, election_id).subquery("running")
        yield (
            update(table)
            .where(
                *(a == b for a, b in zip(key, summary.key_columns(running), strict=True)),
                table.c.hour == running.c.hour,
            )
            .values({count: running.c[count] for count in summary.counts})
        )


def _running(summary: Summary, election_id: int) -> Select[Any]:
    """Each of the election's rows with the running sums of its key's changes up to its hour: the counts it should
    hold."""
    table = summary.table
    key = summary.key_columns()
    return select(
        *key,
        table.c.hour,
        *(
            func.sum(table.c[change]).over(partition_by=key, order_by=table.c.hour).label(count)
            for count, change in zip(summary.counts, summary.changes, strict=True)
        ),
    ).where(table.c.election_id == election_id)


def changed_days(dialect: str, election_id: int) -> Select[Any]:
    """The UTC days (numbered since 1970) on which the election's counted statuses change: a period starts or ends.
    Only those are rebuilt and compared, however far apart they are."""
    event = m.StatusEvent

    def day(column: Any) -> Any:
        return (_hour_sql(dialect, column) // 24).label("day")

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
    hour: int
    key: tuple[Any, ...]
    """The row's key, then the column that differs."""
    stored: int
    expected: int
    """Made from the events (a change), or the running sum of the changes stored (a count)."""


async def differences(session: AsyncSession, election_id: int, limit: int = 20) -> list[Mismatch]:
    """The election's stored summaries against the events: each hour's changes against the changes the events give,
    a day at a time, and none stored outside those days; then each count against the running sum of the changes,
    in the database. Together they find any stored number that `rebuild` would not make. Up to `limit`, each with
    both its numbers."""
    found: list[Mismatch] = []
    dialect = _dialect(session)
    days = days_of(await session.scalars(changed_days(dialect, election_id)))
    for day in days:
        change = _changes(dialect, election_id, day, day + dt.timedelta(days=1))
        first, last = hour_of(day), hour_of(day) + 24
        for summary, query in _hourly(change):
            table = summary.table
            rebuilt = _by_column(summary.changes, await session.execute(query))
            stored = await _stored(session, summary, election_id, table.c.hour >= first, table.c.hour < last)
            found += _compared(table.name, stored, rebuilt)
        if len(found) >= limit:
            return found[:limit]
    numbers = [hour_of(day) // 24 for day in days]
    for summary in SUMMARIES:
        outside = (summary.table.c.hour // 24).not_in(numbers)
        found += _compared(summary.table.name, await _stored(session, summary, election_id, outside), {})
    for summary in SUMMARIES:
        running = _running(summary, election_id).subquery("running")
        table = summary.table
        rows = await session.execute(
            select(
                *(table.c[name] for name in summary.key),
                table.c.hour,
                *(table.c[count] for count in summary.counts),
                *(running.c[count] for count in summary.counts),
            )
            .join_from(
                table,
                running,
                and_(
                    *(a == b for a, b in zip(summary.key_columns(), summary.key_columns(running), strict=True)),
                    table.c.hour == running.c.hour,
                ),
            )
            .where(table.c.election_id == election_id, or_(*(table.c[c] != running.c[c] for c in summary.counts)))
            .limit(limit)
        )
        found += _counts_compared(summary, rows)
        # A key without its row at hour -1 is one the tally would not read.
        keys = table.alias("keys")
        unlisted = await session.execute(
            select(*(table.c[name] for name in summary.key))
            .where(
                table.c.election_id == election_id,
                ~select(keys.c.hour)
                .where(*_same(summary, keys, table), keys.c.hour == literal_column(str(KEYS)))
                .exists(),
            )
            .distinct()
            .limit(limit)
        )
        found += [Mismatch(table.name, KEYS, (*key, "row"), 0, 1) for key in unlisted]
    return found[:limit]


def _by_column(columns: tuple[str, ...], rows: Iterable[Any]) -> dict[tuple[Any, ...], int]:
    """Rows of (*key, hour, *numbers) as {(hour, *key, column): number}, zeros left out."""
    found = {}
    for row in rows:
        *key, hour = row[: -len(columns)]
        for column, n in zip(columns, row[-len(columns) :], strict=True):
            if n:
                found[(hour, *(getattr(part, "value", part) for part in key), column)] = n
    return found


async def _stored(session: AsyncSession, summary: Summary, election_id: int, *where: Any) -> dict[tuple[Any, ...], int]:
    table = summary.table
    rows = await session.execute(
        select(*(table.c[name] for name in summary.key), table.c.hour, *(table.c[c] for c in summary.changes)).where(
            table.c.election_id == election_id, *where
        )
    )
    return _by_column(summary.changes, rows)


def _compared(table: str, stored: dict[tuple[Any, ...], int], expected: dict[tuple[Any, ...], int]) -> list[Mismatch]:
    """Every (hour, *key, column) whose two numbers differ; one missing from a side is 0 there."""
    return [
        Mismatch(table, key[0], key[1:], stored.get(key, 0), expected.get(key, 0))
        for key in sorted(set(stored) | set(expected), key=repr)
        if stored.get(key, 0) != expected.get(key, 0)
    ]


def _counts_compared(summary: Summary, rows: Iterable[Any]) -> list[Mismatch]:
    found = []
    width = len(summary.counts)
    for row in rows:
        key, hour = row[: len(summary.key)], row[len(summary.key)]
        stored, summed = row[-2 * width : -width], row[-width:]
        for count, a, b in zip(summary.counts, stored, summed, strict=True):
            if a != b:
                found.append(Mismatch(summary.table.name, hour, (*key, count), a, b))
    return found
