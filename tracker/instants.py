"""Reading the instant a tally is asked for."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tracker.errors import InvalidInput

ACCEPTED = "an ISO 8601 date or date-time, e.g. 2023-02-22T21:13+06:00, 2023-02-22T21:13 or 2023-02-22"


def parse_instant(text: str, zone: ZoneInfo, *, field: str = "as_of") -> dt.datetime:
    """An aware UTC instant from what a user typed.

    A time without an offset is read in the election's time zone; a date alone means the end of
    that day there, as the published tallies do ("15 February" holds at 23:59).
    """
    value = text.strip()
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone).astimezone(dt.UTC)
        instant = dt.datetime.fromisoformat(value)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=zone)
        return instant.astimezone(dt.UTC)
    # A moment at the very edge of the calendar (year 1 or 9999) cannot be moved between time zones.
    except (ValueError, OverflowError):
        raise InvalidInput(f"{field}: {text!r} is not {ACCEPTED}", field=field) from None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
