"""A record's version: a save made from an older read of the record is refused, never overwrites."""

from __future__ import annotations

from tracker import models as m
from tracker.errors import Conflict
from tracker.i18n import gettext as _


def check_version(row: m.Versioned, version: int | None) -> None:
    """Refuse a save based on an older read of the row."""
    if version is not None and version != row.version:
        message = _(
            "this record was changed by someone else meanwhile (now version %(now)d, yours %(yours)d); reload it "
            "and make your change again"
        ) % {"now": row.version, "yours": version}
        raise Conflict(f"version: {message}", field="version")
