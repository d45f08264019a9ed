"""The accreditation workflow: which status may follow which, and the one place events are written."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import labels
from tracker import models as m
from tracker.errors import InvalidTransition
from tracker.i18n import N_, format_instant
from tracker.i18n import gettext as _
from tracker.instants import utc_now
from tracker.summaries import Move, record_moves

S = m.Status

# nominated → accredited → withdrawn or revoked; nominated → rejected.
NEXT: dict[S | None, frozenset[S]] = {
    None: frozenset({S.NOMINATED}),
    S.NOMINATED: frozenset({S.ACCREDITED, S.REJECTED}),
    S.ACCREDITED: frozenset({S.WITHDRAWN, S.REVOKED}),
    S.WITHDRAWN: frozenset(),
    S.REVOKED: frozenset(),
    S.REJECTED: frozenset(),
}


# What a refused change says, by the status it would leave: a sentence each, for the translations' grammar.
CANNOT: dict[S | None, str] = {
    None: N_("a new accreditation cannot become %(new)s; it can become %(allowed)s"),
    S.NOMINATED: N_("a nominated accreditation cannot become %(new)s; it can become %(allowed)s"),
    S.ACCREDITED: N_("an accreditation already accredited cannot become %(new)s; it can become %(allowed)s"),
    S.WITHDRAWN: N_("a withdrawn accreditation cannot become %(new)s; it can become nothing: it is final"),
    S.REVOKED: N_("a revoked accreditation cannot become %(new)s; it can become nothing: it is final"),
    S.REJECTED: N_("a rejected accreditation cannot become %(new)s; it can become nothing: it is final"),
}


def check_transition(current: S | None, new: S) -> None:
    if new not in NEXT[current]:
        names = labels.statuses()
        allowed = _(" or ").join(names[status] for status in S if status in NEXT[current])
        message = _(CANNOT[current]) % {"new": names[new], "allowed": allowed}
        raise InvalidTransition(f"status: {message}", field="status")


async def current_event(session: AsyncSession, accreditation_id: int) -> m.StatusEvent | None:
    return await session.scalar(
        select(m.StatusEvent)
        .where(m.StatusEvent.accreditation_id == accreditation_id, m.StatusEvent.current())
        .with_for_update()
    )


async def record_status(
    session: AsyncSession,
    accreditation: m.Accreditation,
    status: S,
    *,
    effective_at: dt.datetime,
    actor: str,
    reason: str | None = None,
    decision_ref: str | None = None,
    override_reason: str | None = None,
    actor_role: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> m.StatusEvent:
    """Append a status event, recorded at `recorded_at` (now), closing the current one's period at the new
    effective time, and add the change to the tally's summaries."""
    current = await current_event(session, accreditation.id)
    recorded_at = recorded_at or utc_now()
    check_transition(current.status if current else None, status)
    if current is not None:
        if effective_at < current.effective_at:
            election = await session.get(m.Election, accreditation.election_id)  # read already, as a rule
            zone = election.zone if election else dt.UTC
            message = _("%(when)s is before the current status (%(status)s, effective %(since)s)") % {
                "when": format_instant(effective_at, zone),
                "status": labels.statuses()[current.status],
                "since": format_instant(current.effective_at, zone),
            }
            raise InvalidTransition(f"effective_at: {message}", field="effective_at")
        current.valid_until, current.superseded_at = effective_at, recorded_at
        # Close the old period before the new one opens: one current event per accreditation.
        await session.flush()
    event = m.StatusEvent(
        accreditation_id=accreditation.id,
        election_id=accreditation.election_id,
        mission_id=accreditation.mission_id,
        status=status,
        effective_at=effective_at,
        actor=actor,
        reason=reason,
        decision_ref=decision_ref,
        override_reason=override_reason,
        recorded_at=recorded_at,
        actor_role=actor_role,
    )
    session.add(event)
    await session.flush()
    await record_moves(session, [Move(accreditation.id, effective_at, current.status if current else None, status)])
    return event


async def record_nominations(
    session: AsyncSession,
    accreditation_ids: list[int],
    *,
    election_id: int,
    mission_id: int,
    effective_at: dt.datetime,
    actor: str,
    reason: str,
    actor_role: str | None = None,
) -> None:
    """The first event of many new accreditations at once (an imported list): nominated, in one statement.
    New accreditations have no event to close, so nothing is read first."""
    recorded_at = utc_now()
    await session.execute(
        insert(m.StatusEvent),
        [
            {
                "accreditation_id": accreditation_id,
                "election_id": election_id,
                "mission_id": mission_id,
                "status": m.Status.NOMINATED,
                "effective_at": effective_at,
                "actor": actor,
                "reason": reason,
                "recorded_at": recorded_at,
                "actor_role": actor_role,
            }
            for accreditation_id in accreditation_ids
        ],
    )
    await record_moves(session, [Move(id_, effective_at, None, m.Status.NOMINATED) for id_ in accreditation_ids])


async def next_badge_number(session: AsyncSession, election: m.Election) -> str:
    """The next badge number of the election, from a counter that only goes up."""
    [number] = await next_badge_numbers(session, election, 1)
    return number


async def next_badge_numbers(session: AsyncSession, election: m.Election, count: int) -> list[str]:
    """The next `count` badge numbers of the election, in order, reserved in one statement (a decision of
    hundreds takes one step of the counter, which only goes up)."""
    if count <= 0:
        return []
    counter = m.BadgeCounter
    row = (
        await session.execute(
            update(counter)
            .where(counter.election_id == election.id)
            .values(issued=counter.issued + count)
            .returning(counter.prefix, counter.issued)
        )
    ).first()
    if row is None:
        # A new election gets its counter when it is created; older ones get theirs at the first badge.
        prefix, last = default_badge_prefix(election.slug), count
        session.add(counter(election_id=election.id, prefix=prefix, issued=count))
        await session.flush()
    else:
        prefix, last = row.prefix, row.issued
    return [f"{prefix}-{number:05d}" for number in range(last - count + 1, last + 1)]


def default_badge_prefix(slug: str) -> str:
    return "".join(part[:1] if not part.isdigit() else part[-2:] for part in slug.split("-")).upper()[:16]
