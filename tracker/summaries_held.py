"""What the tally's summaries (tracker.summaries) held at an instant: per key, the counts at the end of the last slot
with a change before the instant's slot. Three ways to read them, each one statement made once per shape and database
and bound to the election and the slots: when few changes follow the instant (today's tallies above all), each
key's row at LATEST less the changes after (`held_latest`); else each key's row at the last checkpoint before the
instant and the changes since (`held_since`); or, with no checkpoint before it, a lookup per key backwards in its
rows (`held`). `reading` says which."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import Integer, Select, and_, bindparam, case, func, literal_column, select, true, union_all
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
) -> Select[Any]:
    """Per key of an election and per instant: the key's counts (all, or those named) at the end of the last slot
    with a change before the instant's slot, the zeros at slot -1 when there is none, as (n, *key, *counts), and for
    MISSIONS each mission's sender (sender_kind, country_code, organization_id). Bound: `election_id`, and
    `slots_0`, `slots_1`, … the number of the slot of each instant. With `international`, only the missions of
    international senders. The database reads one row per key and instant, however many slots a key has. Made once
    for each shape and database; only the values change."""
    table = summary.table
    before = table.alias("before")
    election_id = bindparam("election_id", type_=table.c.election_id.type)
    keys = _listed(summary, election_id, international)
    each = [
        select(literal_column(str(n)).label("n"), bindparam(f"slots_{n}", type_=Integer).label("slots"))
        for n in range(instants)
    ]
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


def _rows(summary: Summary, where: Any, counted: Any, sign: int) -> Select[Any]:
    """The key's rows of the election `where`: the counts of the row at slot `counted`, each other's changes times
    `sign`."""
    table = summary.table
    counts = [
        case((table.c.slot == counted, table.c[count]), else_=sign * table.c[change]).label(count)
        for count, change in zip(summary.counts, summary.changes, strict=True)
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


SINCE = 4
"""A checkpoint more than four hours before the instant is read from when no more rows than this many per key lie
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


@cache
def _reading() -> Select[Any]:
    table = MISSIONS.table
    election_id = bindparam("election_id", type_=table.c.election_id.type)
    slot = bindparam("slots_0", type_=Integer)
    latest = literal_column(str(LATEST))
    keys = select(func.count()).where(table.c.election_id == election_id, table.c.slot == latest).scalar_subquery()
    checkpoints = m.TallyCheckpoint.__table__.c
    checkpoint = (
        select(func.max(checkpoints.slot))
        .where(checkpoints.election_id == election_id, checkpoints.slot < slot)
        .scalar_subquery()
    )

    def at_most(limit: Any, *between: Any) -> Any:
        """Whether no more than `limit` of the election's rows lie `between`, counted no further."""
        rows = select(literal_column("1")).where(table.c.election_id == election_id, *between).limit(limit + 1)
        return select(func.count()).select_from(rows.subquery()).scalar_subquery() <= limit

    # Rows since a checkpoint of the last four hours are not counted: writers crossing every checkpoint leave that
    # many as a rule, and counting them would cost a tally a millisecond or two.
    recent = slot - checkpoint <= 2 * CHECKPOINT
    return select(
        at_most(keys, table.c.slot >= slot, table.c.slot < latest).label("latest"),
        checkpoint.label("checkpoint"),
        case(
            (recent, true()),
            else_=at_most(keys * SINCE, table.c.slot >= checkpoint, table.c.slot < slot),
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
