"""Summaries of the status events that make a tally cheap at any size: derived, never a second source of truth.

Each status event adds one to its status at its effective time, and takes one away when the next event closes its
period. Summed over every change at or before T, that is how many accreditations hold each status at T: what the
tally counts. The changes are kept summed per block of hours: a block at level k covers 2**k hours, starting at a
multiple of 2**k (hours since 1970, UTC). The whole hours before any instant are then at most one block per level
(the binary digits of their number: `blocks`), and the tally reads the changes of the instant's own hour from
the events. Every change is added to one block per level, so a write costs the same whenever it happened, a
back-dated one too, and two writers only ever add: neither can lose the other's count.

Two tables (tracker.models): `MissionStep`, per mission and status (nominated, accredited), and `GroupStep`,
accredited observers of international senders per role and nationality. Test records are left out of both.

Whatever writes a status event adds its changes in the same transaction (`record_moves`, called by
tracker.services.transitions and decisions). What changes the keys of changes already summed (an accreditation's
test flag, a person's nationality, a mission's sender moving between international and domestic) takes the
accreditations' changes out and puts them back (`rekeyed`). `rebuild` makes an election's summaries again from its
events, in the database; `differences` compares them with the stored ones (`tracker check`, the tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, TextClause, cast, delete, func, literal, select, text, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from tracker import models as m

LEVELS = 20
"""Blocks of 1, 2, 4, … 2**19 hours: hour numbers stay below 2**20 until 2089."""
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
COUNTED = (m.Status.NOMINATED, m.Status.ACCREDITED)
TABLES: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (m.MissionStep.__table__, ("mission_id", "status")),
    (m.GroupStep.__table__, ("role", "nationality_code")),
)
"""Each summary table with the columns of its key after the block's."""
# Ids per statement: far below either database's limit on bound parameters.
CHUNK = 5_000


def hour_of(at: dt.datetime) -> int:
    """The number of the hour (UTC, since 1970) holding `at`."""
    return (at - EPOCH) // HOUR


def blocks(first: int, stop: int) -> list[tuple[int, int]]:
    """The fewest (level, slot) blocks that together cover the hours [first, stop): at most two per level, and
    one per binary digit of `stop` from hour 0."""
    found = []
    while first < stop:
        level = 0
        while level + 1 < LEVELS and first % (2 << level) == 0 and first + (2 << level) <= stop:
            level += 1
        found.append((level, first >> level))
        first += 1 << level
    return found


def counted_hours(as_of: dt.datetime) -> tuple[int, dt.datetime]:
    """For a tally at `as_of`: the number of whole hours every change of which counts, and the start of the hour
    whose changes the tally reads from the events (empty when `as_of` is the last microsecond of an hour, as the
    end of a day is)."""
    after = as_of + dt.timedelta(microseconds=1)
    hour = hour_of(after)
    return hour, EPOCH + hour * HOUR


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


class _Sums:
    """Changes summed per row of the summaries, written at once: in key order, so that two writers lock rows in
    one order and wait for each other instead of deadlocking."""

    def __init__(self) -> None:
        self.missions: dict[tuple[int, int, int, int, m.Status], int] = {}
        self.groups: dict[tuple[int, int, int, m.Role, str], int] = {}

    async def add(self, session: AsyncSession, moves: Sequence[Move], sign: int = 1) -> None:
        """Add the moves' changes (or take them away, `sign` -1) under their accreditations' keys as they are now."""
        moves = [move for move in moves if move.left in COUNTED or move.entered in COUNTED]
        if not moves:
            return
        keys = await _keys(session, {move.accreditation_id for move in moves})
        missions, groups = self.missions, self.groups
        for move in moves:
            of = keys.get(move.accreditation_id)
            if of is None:  # test data
                continue
            hour = hour_of(move.at)
            for status, change in ((move.left, -sign), (move.entered, sign)):
                if status not in COUNTED:
                    continue
                for level in range(LEVELS):
                    slot = hour >> level
                    key = (of.election_id, level, slot, of.mission_id, status)
                    missions[key] = missions.get(key, 0) + change
                    if status is m.Status.ACCREDITED and of.international:
                        group = (of.election_id, level, slot, of.role, of.nationality_code)
                        groups[group] = groups.get(group, 0) + change

    async def write(self, session: AsyncSession) -> None:
        for (table, keys), changes in zip(TABLES, (self.missions, self.groups), strict=True):
            await _add(session, table, ("election_id", "level", "slot", *keys), changes)


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


async def _add(session: AsyncSession, table: Any, key: tuple[str, ...], changes: dict[tuple[Any, ...], int]) -> None:
    """Add each change to its row, made when missing: in key order, so that two writers lock rows in one order. One
    statement of a fixed shape whatever the number of rows, so it is compiled once: on PostgreSQL the rows go as
    one array per column in one round trip; SQLite, in the process, takes them one by one."""
    rows = [(*values, n) for values, n in sorted(changes.items()) if n]
    if not rows:
        return
    columns = (*key, "n")
    if _dialect(session) == "postgresql":
        arrays = {column: [getattr(row[i], "value", row[i]) for row in rows] for i, column in enumerate(columns)}
        await session.execute(_unnest_upsert(table.name, columns), arrays)
        return
    statement = sqlite.insert(table)
    statement = statement.on_conflict_do_update(index_elements=list(key), set_={"n": table.c.n + statement.excluded.n})
    await session.execute(statement, [dict(zip(columns, row, strict=True)) for row in rows])


@cache
def _unnest_upsert(name: str, columns: tuple[str, ...]) -> TextClause:
    """PostgreSQL's upsert of many rows given as one array per column, in the arrays' (key) order."""
    table = m.DefaultBase.metadata.tables[name]
    dialect = postgresql.dialect()
    arrays = ", ".join(f"CAST(:{c} AS {table.c[c].type.compile(dialect=dialect)}[])" for c in columns)
    names = ", ".join(columns)
    key = ", ".join(columns[:-1])
    # Every name comes from the models' own tables; the values are bound.
    return text(
        f"INSERT INTO {name} ({names}) SELECT {names} FROM unnest({arrays}) WITH ORDINALITY AS given ({names}, nth) "  # noqa: S608
        f"ORDER BY nth ON CONFLICT ({key}) DO UPDATE SET n = {name}.n + excluded.n"
    )


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


def _half(slot: Any) -> Any:
    """The slot one level up: integer division on both databases (`/` would be a true division)."""
    return slot // 2


def _level_zero(change: Any) -> list[tuple[Any, tuple[str, ...], Select[Any]]]:
    """Per table: the hours' sums of `change`, as (slot, *key, n)."""
    mission = (change.c.hour, change.c.mission_id, change.c.status)
    group = (change.c.hour, change.c.role, change.c.nationality_code)
    return [
        (
            m.MissionStep.__table__,
            ("mission_id", "status"),
            select(*mission, func.sum(change.c.sign).label("n")).group_by(*mission),
        ),
        (
            m.GroupStep.__table__,
            ("role", "nationality_code"),
            select(*group, func.sum(change.c.sign).label("n"))
            .where(change.c.status == m.Status.ACCREDITED, change.c.sender_kind.in_(m.INTERNATIONAL_SENDERS))
            .group_by(*group),
        ),
    ]


async def rebuild(session: AsyncSession, election_id: int) -> None:
    """Make the election's summaries again from its events (the seed and the benchmarks' bulk loads use it)."""
    days = days_of(await session.scalars(changed_days(_dialect(session), election_id)))
    for statement in rebuilding(_dialect(session), election_id, days):
        if statement is not None:
            await session.execute(statement)


def rebuilding(dialect: str, election_id: int, days: list[dt.datetime]) -> Iterator[Executable | None]:
    """The statements that make the election's summaries again from its events, for a session or a migration's
    connection: the hours' sums by the database a day at a time, so memory stays bounded at any size, then each
    level summed from the one below. A None follows each day's statements, for a progress bar."""
    for table, _ in TABLES:
        yield delete(table).where(table.c.election_id == election_id)
    for day in days:
        change = _changes(dialect, election_id, day, day + dt.timedelta(days=1))
        for table, keys, query in _level_zero(change):
            sums = query.subquery()
            yield table.insert().from_select(
                ["election_id", "level", "slot", *keys, "n"],
                select(literal(election_id), literal(0), *sums.c).where(sums.c.n != 0),
            )
        yield None
    for table, keys in TABLES:
        columns = [table.c[k] for k in keys]
        half = _half(table.c.slot)
        for level in range(1, LEVELS):
            yield table.insert().from_select(
                ["election_id", "level", "slot", *keys, "n"],
                select(literal(election_id), literal(level), half, *columns, func.sum(table.c.n))
                .where(table.c.election_id == election_id, table.c.level == level - 1)
                .group_by(half, *columns)
                .having(func.sum(table.c.n) != 0),
            )


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
    level: int
    slot: int
    key: tuple[Any, ...]
    stored: int
    expected: int
    """Rebuilt from the events (level 0), or summed from the level below."""


async def differences(session: AsyncSession, election_id: int, limit: int = 20) -> list[Mismatch]:
    """The election's stored summaries against the events: each hour's sums (level 0) against the changes the
    events give, a day at a time, and none stored outside those days; then each level against the sums of the
    level below, in the database. Together they find any stored sum that `rebuild` would not make. Up to `limit`,
    each with both its sums."""
    found: list[Mismatch] = []
    dialect = _dialect(session)
    days = days_of(await session.scalars(changed_days(dialect, election_id)))
    for day in days:
        change = _changes(dialect, election_id, day, day + dt.timedelta(days=1))
        first, last = hour_of(day), hour_of(day) + 24
        for table, keys, query in _level_zero(change):
            rebuilt = {(row[0], *row[1:-1]): row[-1] for row in await session.execute(query) if row[-1]}
            stored = await _stored(session, table, keys, election_id, 0, table.c.slot >= first, table.c.slot < last)
            found += _compared(table.name, 0, stored, rebuilt)
        if len(found) >= limit:
            return found[:limit]
    numbers = [hour_of(day) // 24 for day in days]
    for table, keys in TABLES:
        outside = (table.c.slot // 24).not_in(numbers)
        found += _compared(table.name, 0, await _stored(session, table, keys, election_id, 0, outside), {})
    for table, keys in TABLES:
        columns = [table.c[k] for k in keys]
        for level in range(1, LEVELS):
            here = select(table.c.slot, *columns, table.c.n).where(
                table.c.election_id == election_id, table.c.level == level, table.c.n != 0
            )
            half = _half(table.c.slot)
            below = (
                select(half, *columns, func.sum(table.c.n))
                .where(table.c.election_id == election_id, table.c.level == level - 1)
                .group_by(half, *columns)
                .having(func.sum(table.c.n) != 0)
            )
            # The rows each side has and the other has not: a changed sum is on both sides, and is one mismatch.
            stored = {(row[0], *row[1:-1]): row[-1] for row in await session.execute(here.except_(below).limit(limit))}
            summed = {(row[0], *row[1:-1]): row[-1] for row in await session.execute(below.except_(here).limit(limit))}
            found += _compared(table.name, level, stored, summed)
            if len(found) >= limit:
                return found[:limit]
    return found[:limit]


async def _stored(
    session: AsyncSession, table: Any, keys: tuple[str, ...], election_id: int, level: int, *where: Any
) -> dict[tuple[Any, ...], int]:
    rows = await session.execute(
        select(table.c.slot, *(table.c[k] for k in keys), table.c.n).where(
            table.c.election_id == election_id, table.c.level == level, table.c.n != 0, *where
        )
    )
    return {(row[0], *row[1:-1]): row[-1] for row in rows}


def _compared(
    table: str, level: int, stored: dict[tuple[Any, ...], int], expected: dict[tuple[Any, ...], int]
) -> list[Mismatch]:
    """Every (slot, *key) whose two sums differ; one missing from a side sums to 0 there."""
    return [
        Mismatch(table, level, key[0], key[1:], stored.get(key, 0), expected.get(key, 0))
        for key in sorted(set(stored) | set(expected), key=repr)
        if stored.get(key, 0) != expected.get(key, 0)
    ]
