"""Summaries of the status events that make a tally cheap at any size: derived, never a second source of truth.

Each status event adds one to its status at its effective time, and takes one away when the next event closes its
period. Summed over every change up to T, that is how many accreditations hold each status at T: what the tally
counts. Time is cut into slots of five minutes (numbered since 1970, UTC). The summaries keep, per key and per slot
with a change, the change within the slot and the count at its end. A tally at T reads, per key, the count at the
end of the last slot with a change before T's slot (tracker.summaries_held), and the changes of T's own slot from
the events. When few changes follow T, each key's counts after every change (its row at LATEST) less those; else
each key's row at the last checkpoint before T (at the end of every hour, where every key with a change before has
a row) and the changes since; before any checkpoint, a lookup per key.

Two tables (tracker.models): `MissionSlot`, nominated and accredited per mission, and `BreakdownSlot`, accredited
observers of international senders by role and by nationality. Test records are left out of both.

Whatever writes a status event adds its changes in the same transaction (`record_moves`, called by
tracker.services.transitions and decisions): to the row of the change's slot, made when missing from the count of
the slot before, and to the count of every later row. Two writers of the same key would each miss the row the
other makes, so each first locks the key's row at slot -1, in key order. A writer past the last checkpoint makes
the next (`_checkpoint`). What changes the keys of changes already summed (an accreditation's test flag, a
person's nationality, a mission's sender moving between international and domestic) takes the accreditations'
changes out and puts them back (tracker.summaries_rekeyed). tracker.summaries_rebuild makes an election's summaries
again from its events, in the database (`rebuild`), and compares them with the stored ones (`differences`:
`tracker check`, the tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Executable

from tracker import models as m

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SLOT = dt.timedelta(minutes=5)
"""Short enough that the events of a tally's own slot are few to read; long enough that a key has few rows."""
SLOTS_PER_DAY = dt.timedelta(days=1) // SLOT
COUNTED = (m.Status.NOMINATED, m.Status.ACCREDITED)
KEYS = -1
"""The slot of each key's row of zeros: what writers lock, and what lists the keys."""
LATEST = 2**31 - 1
"""The slot of each key's row of its counts after all its changes, its own changes zeros: writers add to it as to
every row after a change's slot. A tally at an instant that few changes follow (today's, above all) reads these
and takes those changes away (`held_latest`), instead of looking up each key (`held`)."""
CHECKPOINT = 12
"""Slots from one checkpoint to the next (an hour): at a checkpoint every key with a change before it has a row,
so a tally at an instant after one reads those rows and the changes since, a few thousand rows in one pass of the
index of slots, instead of a lookup per key (`held_since`). A checkpoint is the last slot of an hour, so its rows
hold the counts on the hour: the end of a day in any time zone a whole number of hours from UTC, each of which
the timeline counts from a checkpoint's rows alone."""
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


MISSIONS = Summary(m.MissionSlot.__table__, ("mission_id",), ("nominated", "accredited"))
BREAKDOWNS = Summary(m.BreakdownSlot.__table__, ("breakdown", "value"), ("accredited",))
SUMMARIES = (MISSIONS, BREAKDOWNS)


def slot_of(at: dt.datetime) -> int:
    """The number of the slot (UTC, since 1970) holding `at`."""
    return (at - EPOCH) // SLOT


def counted_slots(as_of: dt.datetime) -> tuple[int, dt.datetime]:
    """For a tally at `as_of`: the number of whole slots every change of which counts, and the start of the slot
    whose changes the tally reads from the events (empty when `as_of` is the last microsecond of a slot, as the
    end of a day is)."""
    after = as_of + dt.timedelta(microseconds=1)
    slot = slot_of(after)
    return slot, EPOCH + slot * SLOT


def checkpoint_of(slot: Any) -> Any:
    """The slot of the checkpoint at or before `slot` (a number, or a column of slots since 1970): the last of
    an hour."""
    return slot - (slot + 1) % CHECKPOINT


def same_key(summary: Summary, one: Any, other: Any) -> list[Any]:
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
"""Per (election, *key, slot): the change of each count."""


class Sums:
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
            slot = slot_of(move.at)
            for status, change in ((move.left, -sign), (move.entered, sign)):
                if status not in COUNTED:
                    continue
                counts = self.missions.setdefault((of.election_id, of.mission_id, slot), [0, 0])
                counts[COUNTED.index(status)] += change
                if status is m.Status.ACCREDITED and of.international:
                    for breakdown, value in (
                        (m.Breakdown.ROLE, of.role),
                        (m.Breakdown.NATIONALITY, of.nationality_code),
                    ):
                        row = (of.election_id, breakdown.value, str(value), slot)
                        self.breakdowns.setdefault(row, [0])[0] += change

    async def write(self, session: AsyncSession) -> None:
        last: dict[int, int] = {}
        for election_id, *_, slot in (*self.missions, *self.breakdowns):
            last[election_id] = max(slot, last.get(election_id, slot))
        for election_id, slot in sorted(last.items()):
            await _checkpoint(session, election_id, checkpoint_of(slot))
        for summary, changes in ((MISSIONS, self.missions), (BREAKDOWNS, self.breakdowns)):
            await _write(session, summary, changes)


async def record_moves(session: AsyncSession, moves: Sequence[Move]) -> None:
    """Add the moves' changes to the summaries, in the session's transaction."""
    sums = Sums()
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


async def _checkpoint(session: AsyncSession, election_id: int, slot: int) -> None:
    """Make a checkpoint at `slot` when the election's last is before it: each key with a row before it gets one
    there, made from its last row. So writes make one every CHECKPOINT as time passes, and a tally after one reads
    at most a checkpoint's worth of changes since, with those back-dated into it.

    SQLite has one writer at a time: it is made in the writer's transaction. On PostgreSQL no other writer of the
    summaries may add to a key meanwhile, or one would miss the other's rows: it is made in a transaction of its
    own, under a lock on both tables that writers' own locks conflict with, taken for the few milliseconds it takes,
    not for the rest of the writer's transaction. When writers hold the tables longer than a moment, it is left to
    the next writer: a tally is as right without it, only slower. An election that transaction cannot see yet is
    the writer's own, uncommitted: nobody else can write for it, and the checkpoint is made in the writer's
    transaction."""
    if slot <= await _last_checkpoint(session, election_id):
        return
    if dialect_of(session) == "postgresql":
        # One at a time in this process: each holds a second connection of the pool while it waits for the lock, and
        # writers crossing the same checkpoint at once must not take the whole pool.
        if election_id in _MAKING:
            return
        _MAKING.add(election_id)
        try:
            async with session.bind.connect() as connection, connection.begin():
                election = select(m.Election.id).where(m.Election.id == election_id)
                if await connection.scalar(election) is not None:
                    await connection.execute(text("SET LOCAL lock_timeout = '100ms'"))
                    tables = ", ".join(summary.table.name for summary in SUMMARIES)
                    await connection.execute(text(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE"))
                    # Another writer may have made it while this one waited.
                    if slot > await _last_checkpoint(connection, election_id):
                        await _make_checkpoint(connection, "postgresql", election_id, slot)
                    return
        except DBAPIError as error:
            if getattr(error.orig, "pgcode", None) != "55P03":  # lock_not_available
                raise
            return
        finally:
            _MAKING.discard(election_id)
    # SQLite; or an election not yet committed, which no other transaction can write for.
    await _make_checkpoint(session, dialect_of(session), election_id, slot)


_MAKING: set[int] = set()
"""The elections whose next checkpoint a writer of this process is making."""


async def _last_checkpoint(executor: AsyncSession | AsyncConnection, election_id: int) -> int:
    checkpoints = m.TallyCheckpoint.__table__
    last = select(func.max(checkpoints.c.slot)).where(checkpoints.c.election_id == election_id)
    found = await executor.scalar(last)
    return KEYS if found is None else int(found)


async def _make_checkpoint(executor: AsyncSession | AsyncConnection, dialect: str, election_id: int, slot: int) -> None:
    await executor.execute(m.TallyCheckpoint.__table__.insert().values(election_id=election_id, slot=slot))
    for summary in SUMMARIES:
        await executor.execute(_checkpoint_rows(summary, dialect), {"election_id": election_id, "slot": slot})


@cache
def _checkpoint_rows(summary: Summary, dialect: str) -> Executable:
    """Each key's row at the bound `slot`, made from its last row before it, for each key with one."""
    table, keys = summary.table, summary.table.alias("keys")
    names = ("election_id", *summary.key)
    before, at = table.alias("before"), bindparam("slot", type_=Integer)
    last = (
        select(func.max(before.c.slot))
        .where(*same_key(summary, before, keys), before.c.slot >= 0, before.c.slot < at)
        .scalar_subquery()
    )
    rows = (
        select(
            *(keys.c[name] for name in names),
            at,
            *(table.c[count] for count in summary.counts),
            *(literal(0) for _ in summary.changes),
        )
        .select_from(keys)
        .join(table, and_(*same_key(summary, table, keys), table.c.slot == last))
        .where(keys.c.election_id == bindparam("election_id"), keys.c.slot == literal_column(str(KEYS)))
    )
    # A key with a change in the checkpoint's own slot has its row there already, with the same counts.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(table)
        .from_select([*names, "slot", *summary.counts, *summary.changes], rows)
        .on_conflict_do_nothing(index_elements=[*names, "slot"])
    )


async def _write(session: AsyncSession, summary: Summary, changes: Changes) -> None:
    """Add the changes: lock each key's row at slot -1 (made when missing), in key order, so that two writers of
    one key wait for each other instead of each missing the row the other makes; make each missing slot's row
    from the counts of the slot before it; then add each change to its slot's change and to the counts of its
    slot and every later one. Each statement is of a fixed shape, compiled once, and runs once per row."""
    rows = sorted((row, counts) for row, counts in changes.items() if any(counts))
    if not rows:
        return
    names = [f"k_{name}" for name in ("election_id", *summary.key, "slot")]
    statements = _statements(summary, dialect_of(session))
    keys = sorted({row[:-1] for row, _ in rows})
    await session.execute(statements.lock, [dict(zip(names[:-1], key, strict=True)) for key in keys])
    # A key's first change before a checkpoint it has no row at (a new key, or a change back-dated before the
    # key's first): its rows at those checkpoints, zeros until the add below reaches them. Before any row of the
    # change's slot is made, which would then be the key's first.
    # Only a change before the election's last checkpoint can be one: a write of today has none to fill. Read
    # after the lock above, since which no checkpoint can be made until this transaction ends.
    first: dict[tuple[Any, ...], int] = {}
    for *key, slot in (row for row, _ in rows):
        first[tuple(key)] = min(slot, first.get(tuple(key), slot))
    last = {election_id: await _last_checkpoint(session, election_id) for election_id in {key[0] for key in keys}}
    filled = [dict(zip(names, (*key, slot), strict=True)) for key, slot in first.items() if slot < last[key[0]]]
    if filled:
        await session.execute(statements.fill, filled)
    # Each key's row at LATEST too, made from its last row when missing: the add below reaches it as any later row.
    opened = sorted({row for row, _ in rows} | {(*key, LATEST) for key in keys})
    await session.execute(statements.open, [dict(zip(names, row, strict=True)) for row in opened])
    await session.execute(
        statements.add,
        [
            dict(zip(names, row, strict=True))
            | {f"d_{count}": n for count, n in zip(summary.counts, counts, strict=True)}
            for row, counts in rows
        ],
    )


@dataclass(frozen=True, slots=True)
class _Statements:
    lock: Executable
    fill: Executable
    open: Executable
    add: Executable


@cache
def _statements(summary: Summary, dialect: str) -> _Statements:
    """The statements of `_write`, with the key as k_election_id, k_<column>…, k_slot, the changes as
    d_<count>."""
    table = summary.table
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    names = ("election_id", *summary.key)
    key = {name: bindparam(f"k_{name}", type_=table.c[name].type) for name in names}
    at_slot = bindparam("k_slot", type_=Integer)
    zeros = {column: 0 for column in (*summary.counts, *summary.changes)}
    first = summary.counts[0]
    # Updating the row is what locks it on PostgreSQL; SQLite has one writer at a time.
    lock = (
        insert(table)
        .values(key | {"slot": KEYS} | zeros)
        .on_conflict_do_update(index_elements=[*names, "slot"], set_={first: table.c[first]})
    )
    before = (
        # Cast in the list as in the WHERE: PostgreSQL deduces one type for a value used in both.
        select(*(cast(value, table.c[name].type) for name, value in key.items()), at_slot)
        .add_columns(*(table.c[count] for count in summary.counts))
        .add_columns(*(literal(0).label(change) for change in summary.changes))
        .where(*(table.c[name] == value for name, value in key.items()), table.c.slot < at_slot)
        .order_by(table.c.slot.desc())
        .limit(1)
    )
    opened = (
        insert(table)
        .from_select([*names, "slot", *summary.counts, *summary.changes], before)
        .on_conflict_do_nothing(index_elements=[*names, "slot"])
    )
    checkpoints = m.TallyCheckpoint.__table__
    earliest = (
        select(func.min(table.c.slot))
        .where(*(table.c[name] == value for name, value in key.items()), table.c.slot >= 0)
        .scalar_subquery()
    )
    fill = (
        insert(table)
        .from_select(
            [*names, "slot", *summary.counts, *summary.changes],
            select(*(cast(value, table.c[name].type) for name, value in key.items()), checkpoints.c.slot)
            .add_columns(*(literal(0).label(column) for column in (*summary.counts, *summary.changes)))
            .where(
                checkpoints.c.election_id == key["election_id"],
                checkpoints.c.slot > at_slot,
                checkpoints.c.slot < func.coalesce(earliest, LATEST),
            ),
        )
        .on_conflict_do_nothing(index_elements=[*names, "slot"])
    )
    deltas = {count: bindparam(f"d_{count}", type_=Integer) for count in summary.counts}
    add = (
        update(table)
        .where(*(table.c[name] == value for name, value in key.items()), table.c.slot >= at_slot)
        .values(
            {count: table.c[count] + delta for count, delta in deltas.items()}
            | {
                f"{count}_change": table.c[f"{count}_change"] + case((table.c.slot == at_slot, delta), else_=0)
                for count, delta in deltas.items()
            }
        )
    )
    return _Statements(lock, fill, opened, add)


def dialect_of(session: AsyncSession) -> str:
    return str(session.bind.dialect.name)
