"""A record's version: a save made from an older read of the record is refused, never overwrites."""

from __future__ import annotations

from tracker import models as m
from tracker.errors import Conflict


def check_version(row: m.Versioned, version: int | None) -> None:
    """Refuse a save based on an older read of the row."""
    if version is not None and version != row.version:
        raise Conflict(
            f"version: this record was changed by someone else (now version {row.version}, yours {version}); "
            "reload it and make your change again",
            field="version",
        )
