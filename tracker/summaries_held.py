"""What the tally's summaries (tracker.summaries) held at an instant: per key, the counts at the end of the last slot
with a change before the instant's slot. Three ways to read them, each one statement made once per shape and database
and bound to the election and the slots: when few changes follow the instant (today's tallies above all), each
key's row at LATEST less the changes after (`held_latest`); else each key's row at the last checkpoint before the
instant and the changes since (`held_since`); or, with no checkpoint before it, a lookup per key backwards in its
rows (`held`). `reading` says which."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import Boolean, Integer, Select, and_, bindparam, case, func, literal_column, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.summaries import CHECKPOINT, KEYS, LATEST, MISSIONS, Summary

Way = Literal["latest", "since", "lookups"]
"""How a tally reads the counts held before its instant (`Reading.way`)."""
PACKED = 2**32
"""What one count is multiplied by to share an integer with another in `held` on SQLite."""


@cache
def held(
    summary: Summary,
    dialect: str,
    instants: int = 1,
    international: bool = False,
    counts: tuple[str, ...] | None = None,
    chosen: bool = False,
) -> Select[Any]:
    """Per key of an election and per instant: the key's counts (all, or those named) at the end of the last slot
    with a change before the instant's slot, the zeros at slot -1 when there is none, as (n, *key, *counts), and for
    MISSIONS each mission's sender (sender_kind, country_code, organization_id). Bound: `election_id`, and
    `slots_0`, `slots_1`, … the number of the slot of each instant. With `international`, only the missions of
    international senders; with `chosen`, only the instants whose bound `lookups_0`, `lookups_1`, … is true. The
    database reads one row per key and instant, however many slots a key has. Made once for each shape and database;
    only the values change."""
    table = summary.table
    before = table.alias("before")
    election_id = bindparam("election_id", type_=table.c.election_id.type)
    keys = _listed(summary, election_id, international)
    each = [
        select(literal_column(str(n)).label("n"), bindparam(f"slots_{n}", type_=Integer).label("slots"))
        for n in range(instants)
    ]
    if chosen:
        each = [instant.where(bindparam(f"lookups_{n}", type_=Boolean)) for n, instant in enumerate(each)]
    at = (union_all(*each) if instants > 1 else each[0]).subquery("instant")

    named = counts or summary.counts
    last = (
        select(*(before.c[count] for count in named))
        .where(
            before.c.election_id == election_id,
            *(before.c[name] == keys.c[name] for name in summary.key),
            before.c.slot < at.c.slots,
        )
        .order_by(before.c.slot.desc())
        .limit(1)
        .correlate(keys, at)
    )
    # Lookups, not a join: both databases then read the key's index backwards from the instant, once per key:
    # LATERAL on PostgreSQL, a scalar subquery on SQLite (which has no LATERAL). A mission with no row at all has
    # nothing to count: left out on PostgreSQL, zeros on SQLite.
    everywhere = literal_column("1") == literal_column("1")
    if dialect == "postgresql":
        found = last.lateral("last")
        values = [found.c[count] for count in named]
        return select(at.c.n, *keys.c, *values).select_from(at).join(keys, everywhere).join(found, everywhere)
    if len(named) == 1:
        value = func.coalesce(last.scalar_subquery(), 0).label(named[0])
        return select(at.c.n, *keys.c, value).select_from(at).join(keys, everywhere)
    # Two counts on SQLite: a scalar subquery gives one value, so both counts travel in one integer (each below
    # 2^31, as every count of accreditations) and are taken apart outside it; a lookup per count cost 3 ms more
    # of a tally at a million.
    first, second = named
    packed = last.with_only_columns(before.c[first] * PACKED + before.c[second]).scalar_subquery()
    lookups = (
        select(at.c.n, *keys.c, func.coalesce(packed, 0).label("packed"))
        .select_from(at)
        .join(keys, everywhere)
        # Materialized: SQLite would otherwise copy the lookup into each of the two counts, and run it twice.
        .cte("looked_up")
        .prefix_with("MATERIALIZED")
    )
    return select(
        *(column for column in lookups.c if column.name != "packed"),
        (lookups.c.packed // PACKED).label(first),
        (lookups.c.packed % PACKED).label(second),
    )


@cache
def held_latest(summary: Summary) -> Select[Any]:
    """Rows whose counts, added up per key, are `held`'s for one instant, bound alike (`election_id`, `slots_0`): each
    key's row at LATEST, and the changes of every slot from the instant's on taken away, as (*key, *counts), and for
    MISSIONS each mission's sender. One pass over the rows after the instant, in the index of slots."""
    table = summary.table
    return _with_sender(
        summary,
        _rows(summary, table.c.slot >= bindparam("slots_0", type_=Integer), literal_column(str(LATEST)), -1),
    )


@cache
def held_since(summary: Summary) -> Select[Any]:
    """The same from the rows at a checkpoint before the instant (bound as `checkpoint`), and the changes of every
    slot after it and before the instant's added. One pass over the rows between, in the index of slots."""
    table = summary.table
    checkpoint = bindparam("checkpoint", type_=Integer)
    between = and_(table.c.slot >= checkpoint, table.c.slot < bindparam("slots_0", type_=Integer))
    return _with_sender(summary, _rows(summary, between, checkpoint, 1))


@cache
def held_since_each(dialect: str, instants: int) -> Select[Any]:
    """The international missions' rows whose accredited counts, added up per mission and instant, are `held`'s
    for each of `instants`, as (n, mission_id, *sender, accredited): from the rows at a checkpoint before the
    instant (bound `checkpoint_0`, `checkpoint_1`, …; the instant's own slot to read none), and the changes of each
    slot after it and before the instant's (`slots_0`, …). A pass of the index of slots per instant: at the end of a
    day, as the timeline counts, the checkpoint is often the slot before the instant's, and only its rows are read.
    (A statement of one pass per instant, each bound to its own slots, took longer: 5 ms to plan on PostgreSQL.)"""
    table = MISSIONS.table
    each = [
        select(
            literal_column(str(n)).label("n"),
            bindparam(f"checkpoint_{n}", type_=Integer).label("checkpoint"),
            bindparam(f"slots_{n}", type_=Integer).label("slots"),
        )
        for n in range(instants)
    ]
    at = (union_all(*each) if instants > 1 else each[0]).subquery("instant")
    between = and_(table.c.slot >= at.c.checkpoint, table.c.slot < at.c.slots)
    rows = _rows(MISSIONS, between, at.c.checkpoint, 1, ("accredited",))
    mission = m.Mission.__table__.c
    if dialect == "postgresql":
        # LATERAL, and kept apart by OFFSET 0 (else PostgreSQL flattens it into a join): a pass of the index per
        # instant. Joined, PostgreSQL could plan a scan of every row of the election (7 s at a million).
        found = rows.offset(0).correlate(at).lateral("since")
        per_instant = select(at.c.n, found.c.mission_id, found.c.accredited).select_from(at).join(found, true())
    else:
        # The domestic missions' rows left out in the index, before any is joined to its mission (a lookup each); and
        # that index named, or SQLite would look up each international mission's rows in the primary key instead.
        international = select(mission.id).where(
            mission.election_id == bindparam("election_id"), mission.sender_kind.in_(m.INTERNATIONAL_SENDERS)
        )
        per_instant = (
            rows.add_columns(at.c.n)
            .where(table.c.mission_id.in_(international))
            .with_hint(table, f"INDEXED BY ix_{table.name}_slot_counts", "sqlite")
        )
    read = per_instant.subquery("read")
    sender = (mission.sender_kind, mission.country_code, mission.organization_id)
    return select(read.c.n, read.c.mission_id, *sender, read.c.accredited).join(
        m.Mission.__table__,
        and_(mission.id == read.c.mission_id, mission.sender_kind.in_(m.INTERNATIONAL_SENDERS)),
    )


def _rows(summary: Summary, where: Any, counted: Any, sign: int, named: tuple[str, ...] | None = None) -> Select[Any]:
    """The key's rows of the election `where`: the counts of the row at slot `counted`, each other's changes times
    `sign`: all counts, or those named."""
    table = summary.table
    counts = [
        case((table.c.slot == counted, table.c[count]), else_=sign * table.c[change]).label(count)
        for count, change in zip(summary.counts, summary.changes, strict=True)
        if named is None or count in named
    ]
    election_id = bindparam("election_id", type_=table.c.election_id.type)
    return select(*(table.c[name] for name in summary.key), *counts).where(table.c.election_id == election_id, where)


def _with_sender(summary: Summary, rows: Select[Any]) -> Select[Any]:
    if summary is not MISSIONS:
        return rows
    found = rows.subquery("after")
    mission = m.Mission.__table__.c
    return select(
        found.c.mission_id, mission.sender_kind, mission.country_code, mission.organization_id, *found.c[1:]
    ).join(m.Mission.__table__, mission.id == found.c.mission_id)


@dataclass(frozen=True, slots=True)
class Reading:
    """How a tally reads the counts held before a slot (`way`), and from which checkpoint when "since"."""

    way: Way
    checkpoint: int | None


NEAR = 4 * CHECKPOINT
"""Slots (four hours) within which the last checkpoint before an instant is read from without counting the rows
between: writers crossing every checkpoint leave few, and counting them would cost a tally a millisecond or two."""
SINCE = 4
"""A checkpoint further than NEAR before the instant is read from when no more rows than this many per key lie
between them: a row read in a pass costs a fraction of a lookup (0.5 µs against 5 on PostgreSQL, 0.8 against 3 on
SQLite at a million). Changes back-dated into a long stretch without writes could make them many more."""


async def reading(session: AsyncSession, election_id: int, slot: int) -> Reading:
    """The cheapest way to read the counts held before `slot`: the rows at LATEST when no more of the missions' rows
    follow it than the missions have keys; else those at the last checkpoint before it, when it is of the last four
    hours or no more than SINCE times as many rows lie between; else a lookup per key. Rows counted in the index of
    slots, never past those numbers."""
    row = (await session.execute(_reading(), {"election_id": election_id, "slots_0": slot})).one()
    if row.latest:
        return Reading("latest", None)
    if row.checkpoint is not None and row.few_since:
        return Reading("since", row.checkpoint)
    return Reading("lookups", None)


async def timeline_checkpoints(session: AsyncSession, election_id: int, slots: list[int]) -> list[int | None]:
    """For each slot (in order), the checkpoint `held_since_each` reads from: the last before it, when it is within
    NEAR or no more than SINCE rows per key lie between (as `reading` decides for a tally); else None, a lookup per
    mission. Writers make the checkpoint of the hour before they write, so when nobody wrote late in the evening, the
    last before the day's end is the afternoon's: far, with only that hour's changes after it. Such rows are counted,
    no further than the bound, in one statement for every far slot."""
    checkpoints = m.TallyCheckpoint.__table__.c
    of_election = checkpoints.election_id == election_id
    first = select(func.max(checkpoints.slot)).where(of_election, checkpoints.slot < slots[0]).scalar_subquery()
    # On the session's connection: plain rows, without the ORM's handling of each.
    connection = await session.connection()
    found = (
        await connection.scalars(
            select(checkpoints.slot)
            .where(of_election, checkpoints.slot >= func.coalesce(first, KEYS), checkpoints.slot < slots[-1])
            .order_by(checkpoints.slot)
        )
    ).all()
    last: list[int | None] = []
    for slot in slots:
        before = bisect_left(found, slot)
        last.append(found[before - 1] if before else None)
    far = [n for n, (checkpoint, slot) in enumerate(zip(last, slots, strict=True)) if _far(checkpoint, slot)]
    if far:
        bound = {"election_id": election_id} | {f"slots_{k}": slots[n] for k, n in enumerate(far)}
        bound |= {f"checkpoint_{k}": last[n] for k, n in enumerate(far)}
        few = (await session.execute(_few_since(len(far)), bound)).one()
        for n, enough in zip(far, few, strict=True):
            if not enough:
                last[n] = None
    return last


def _far(checkpoint: int | None, slot: int) -> bool:
    return checkpoint is not None and slot - checkpoint > NEAR


@cache
def _few_since(instants: int) -> Select[Any]:
    """Per instant (bound `checkpoint_k`, `slots_k`): whether `_few_between` them."""
    election_id = bindparam("election_id", type_=MISSIONS.table.c.election_id.type)
    keys = _keys(election_id).cte("keys").prefix_with("MATERIALIZED")
    return select(
        *(
            _few_between(
                election_id,
                select(keys.c["keys"]).scalar_subquery(),
                bindparam(f"checkpoint_{k}", type_=Integer),
                bindparam(f"slots_{k}", type_=Integer),
            ).label(f"few_{k}")
            for k in range(instants)
        )
    )


def _keys(election_id: Any) -> Select[Any]:
    """How many keys the election's missions have: their rows at LATEST."""
    table = MISSIONS.table
    return select(func.count().label("keys")).where(
        table.c.election_id == election_id, table.c.slot == literal_column(str(LATEST))
    )


def _few_between(election_id: Any, keys: Any, checkpoint: Any, slot: Any) -> Any:
    """Whether no more than SINCE rows per key of the missions lie from the checkpoint to the slot: a far checkpoint
    is read from then, by a tally (`reading`) as by the timeline (`timeline_checkpoints`)."""
    table = MISSIONS.table
    return _at_most(keys * SINCE, table.c.election_id == election_id, table.c.slot >= checkpoint, table.c.slot < slot)


def _at_most(limit: Any, *where: Any) -> Any:
    """Whether no more than `limit` of the missions' rows are `where`, counted no further."""
    rows = select(literal_column("1")).where(*where).limit(limit + 1)
    return select(func.count()).select_from(rows.subquery()).scalar_subquery() <= limit


@cache
def _reading() -> Select[Any]:
    table = MISSIONS.table
    election_id = bindparam("election_id", type_=table.c.election_id.type)
    slot = bindparam("slots_0", type_=Integer)
    latest = literal_column(str(LATEST))
    keys = _keys(election_id).scalar_subquery()
    checkpoints = m.TallyCheckpoint.__table__.c
    checkpoint = (
        select(func.max(checkpoints.slot))
        .where(checkpoints.election_id == election_id, checkpoints.slot < slot)
        .scalar_subquery()
    )
    return select(
        _at_most(keys, table.c.election_id == election_id, table.c.slot >= slot, table.c.slot < latest).label("latest"),
        checkpoint.label("checkpoint"),
        case(
            (slot - checkpoint <= NEAR, true()),
            else_=_few_between(election_id, keys, checkpoint, slot),
        ).label("few_since"),
    )


def _listed(summary: Summary, election_id: Any, international: bool) -> Any:
    """The keys `held` reads: the election's missions from their table, which also gives each one's sender (what
    a tally adds missions up by); the breakdowns from their rows at slot -1."""
    if summary is MISSIONS:
        mission = m.Mission.__table__.c
        only = [mission.sender_kind.in_(m.INTERNATIONAL_SENDERS)] if international else []
        return (
            select(mission.id.label("mission_id"), mission.sender_kind, mission.country_code, mission.organization_id)
            .where(mission.election_id == election_id, *only)
            .subquery("summed")
        )
    table = summary.table
    # -1 written out: a bound value would not match the partial index of the keys.
    return (
        select(*(table.c[name] for name in summary.key))
        .where(table.c.election_id == election_id, table.c.slot == literal_column(str(KEYS)))
        .subquery("summed")
    )


def at_slots(election_id: int, slots: Iterable[int]) -> dict[str, int]:
    """The values `held` is bound to."""
    return {"election_id": election_id} | {f"slots_{n}": slot for n, slot in enumerate(slots)}
