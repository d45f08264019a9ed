"""The accreditation window: when a change takes effect, and who may accredit outside the window, and why.
One set of rules for a single transition and for a decision over a list."""

from __future__ import annotations

import datetime as dt

from tracker import models as m
from tracker.errors import InvalidInput, PermissionDenied
from tracker.i18n import format_instant
from tracker.i18n import gettext as _
from tracker.instants import utc_now
from tracker.services.audit import Actor

S = m.Status
FUTURE_SLACK = dt.timedelta(minutes=5)


def effective_instant(value: dt.datetime | None, election: m.Election) -> dt.datetime:
    """When a change takes effect: now when not given, the election's zone when given without an offset, never
    in the future (beyond a few minutes of clock drift)."""
    now = utc_now()
    if value is None:
        return now
    instant = value if value.tzinfo else value.replace(tzinfo=election.zone)
    if instant > now + FUTURE_SLACK:
        raise InvalidInput("effective_at: " + _("cannot be in the future"), field="effective_at")
    return instant.astimezone(dt.UTC)


def window_override(
    election: m.Election, status: S, effective_at: dt.datetime, override: str | None, actor: Actor
) -> str | None:
    """The deadline override a change records: only accrediting outside the window takes one, and only an admin
    may give it."""
    if status is not S.ACCREDITED:
        if override:
            raise InvalidInput(
                "override_reason: " + _("only accrediting outside the window takes an override"),
                field="override_reason",
            )
        return None
    outside = not (election.window_opens_at <= effective_at <= election.window_closes_at)
    if outside and not (actor.is_admin and override):
        closes = {"closes": format_instant(election.window_closes_at, election.zone)}
        if not actor.is_admin:
            raise PermissionDenied(
                "effective_at: "
                + _(
                    "the accreditation window closed at %(closes)s; only an admin can accredit now, with an "
                    "override reason"
                )
                % closes,
                field="effective_at",
            )
        raise InvalidInput(
            "override_reason: " + _("the window closed at %(closes)s; give the reason for the override") % closes,
            field="override_reason",
        )
    return override if outside else None
