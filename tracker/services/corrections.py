"""Corrections are explicit: a change that rewrites what was already counted or published needs a reason, and
the first two below the admin role. Each is recorded with when it was recorded (history.py), so a tally known at
an earlier moment and a bulletin's reconciliation can say what changed and why.

- changing the sender of a mission that has accreditations (admin, reason);
- marking an accreditation as test data, or clearing it, once it has been counted (admin, reason);
- dating a status change before the last published bulletin's instant (reason)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tracker import models as m
from tracker.cleaning import clean_text
from tracker.errors import InvalidInput, NotFound, PermissionDenied
from tracker.i18n import format_instant
from tracker.i18n import gettext as _
from tracker.services.audit import Actor, record, snapshot
from tracker.services.history import record_test_flag
from tracker.services.versions import check_version
from tracker.summaries_rekeyed import rekeyed


class TestFlagData(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Mark an accreditation as test data (left out of every tally from now on), or clear the mark."""

    is_test: bool
    version: Annotated[int, msgspec.Meta(description="The accreditation's version you last read")]
    reason: (
        Annotated[str, msgspec.Meta(max_length=2000, description="Required once the accreditation has been counted")]
        | None
    ) = None


async def has_accreditations(session: AsyncSession, mission: m.Mission) -> bool:
    found = await session.scalar(select(m.Accreditation.id).where(m.Accreditation.mission_id == mission.id).limit(1))
    return found is not None


def sender_correction_reason(actor: Actor, reason: str | None) -> str:
    """The reason a sender correction records: only an admin may correct the sender of a mission whose
    accreditations have been counted under it, and must say why."""
    if not actor.is_admin:
        raise PermissionDenied(
            "correction_reason: "
            + _("this mission has accreditations; only an admin can correct its sender, with a correction reason"),
            field="correction_reason",
        )
    cleaned = clean_text(reason, "correction_reason", limit=2000)
    if not cleaned:
        raise InvalidInput(
            "correction_reason: "
            + _("this mission has accreditations; say why its sender is corrected (it changes past tallies)"),
            field="correction_reason",
        )
    return cleaned


async def last_published_instant(session: AsyncSession, election_id: int) -> dt.datetime | None:
    """The latest instant a published bulletin of the election is about."""
    return await session.scalar(
        select(func.max(m.Bulletin.as_of)).where(
            m.Bulletin.election_id == election_id, m.Bulletin.status == m.BulletinStatus.PUBLISHED
        )
    )


async def check_backdating(
    session: AsyncSession, election: m.Election, effective_at: dt.datetime, reason: str | None
) -> None:
    """A status change dated before the last published bulletin's instant changes a published figure: it needs a
    reason, which the event records."""
    published = await last_published_instant(session, election.id)
    if published is None or effective_at >= published or reason:
        return
    message = _(
        "a change dated before %(instant)s, the instant of the last published bulletin, changes published figures; "
        "say why"
    ) % {"instant": format_instant(published, election.zone)}
    raise InvalidInput(f"reason: {message}", field="reason")


async def was_counted(session: AsyncSession, accreditation: m.Accreditation) -> bool:
    """Whether the accreditation was ever accredited, so counted in some tally."""
    found = await session.scalar(
        select(m.StatusEvent.id)
        .where(m.StatusEvent.accreditation_id == accreditation.id, m.StatusEvent.status == m.Status.ACCREDITED)
        .limit(1)
    )
    return found is not None


async def mark_test_data(
    session: AsyncSession,
    accreditation: m.Accreditation,
    is_test: bool,
    actor: Actor,
    *,
    reason: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Set the accreditation's test-data flag and record it at `at` (now). The tally's summaries leave test records
    out, so its changes leave them, or come back, with the flag."""
    async with rekeyed(session, [accreditation.id]):
        accreditation.is_test = is_test
        await session.flush()
    await record_test_flag(session, accreditation, actor, reason=reason, at=at)


async def set_test_flag(session: AsyncSession, accreditation_id: int, data: TestFlagData, actor: Actor) -> None:
    """Mark the accreditation as test data or clear the mark: admins only, with a reason once it was counted;
    the flag, its history and the audit entry are written together (the request's transaction)."""
    if not actor.is_admin:
        raise PermissionDenied("is_test: " + _("only an admin can mark an accreditation as test data"), field="is_test")
    accreditation = await session.get(m.Accreditation, accreditation_id)
    if accreditation is None:
        raise NotFound("accreditation", accreditation_id)
    check_version(accreditation, data.version)
    reason = clean_text(data.reason, "reason", limit=2000)
    if not reason and await was_counted(session, accreditation):
        raise InvalidInput(
            "reason: " + _("this accreditation has been counted; say why its test-data mark changes"), field="reason"
        )
    if accreditation.is_test == data.is_test:
        return
    before = snapshot(accreditation)
    await mark_test_data(session, accreditation, data.is_test, actor, reason=reason)
    await record(session, actor, "test-data", accreditation, before=before, note=reason)
