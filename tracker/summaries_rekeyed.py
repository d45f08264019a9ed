"""Changes of what the tally's summaries (tracker.summaries) sum an accreditation's changes under: its test flag, its
person's nationality, its mission's sender moving between international and domestic. The changes already summed
are taken out under the keys before and put back under the keys after, in one write."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.summaries import CHUNK, COUNTED, Move, Sums


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
    sums = Sums()
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
