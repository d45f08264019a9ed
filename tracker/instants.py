"""Reading the instants users give: an `as_of` typed or asked for, and date-times in JSON bodies."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from tracker.errors import InvalidInput

ACCEPTED = "an ISO 8601 date or date-time, e.g. 2023-02-22T21:13+06:00, 2023-02-22T21:13 or 2023-02-22"
ACCEPTED_DATE_TIME = (
    "an ISO 8601 date-time, e.g. 2023-02-22T21:13+06:00, 2023-02-22T21:13:00Z or 2023-02-22T21:13 "
    "(seconds may be left out; without an offset, the election's time zone)"
)
# A date, a time to the minute or finer, and an optional offset: what the API documents for a date-time.
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?([Zz]|[+-]\d\d:\d\d)?")


def end_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The last second of `day` in `zone`, in UTC: what a date means as an instant ("15 February" holds at
    23:59:59 there), and when a day's figures are counted."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone).astimezone(dt.UTC)


def read_as_of(text: str | dt.datetime | None, zone: ZoneInfo, *, field: str = "as_of") -> dt.datetime:
    """The instant a figure is asked for: nothing (or only spaces) means now; text is read as `parse_instant`
    reads it; an instant is taken as it is. Every `as_of` a user gives is read here."""
    if isinstance(text, dt.datetime):
        return text.astimezone(dt.UTC)
    if text is None or not text.strip():
        return utc_now()
    return parse_instant(text, zone, field=field)


def parse_instant(text: str, zone: ZoneInfo, *, field: str = "as_of") -> dt.datetime:
    """An aware UTC instant from what a user typed.

    A time without an offset is read in the election's time zone; a date alone means the end of
    that day there, as the published tallies do ("15 February" holds at 23:59).
    """
    value = text.strip()
    try:
        if len(value) == 10:
            return end_of_day(dt.date.fromisoformat(value), zone)
        instant = dt.datetime.fromisoformat(value)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=zone)
        return instant.astimezone(dt.UTC)
    # A moment at the very edge of the calendar (year 1 or 9999) cannot be moved between time zones.
    except OverflowError:
        raise out_of_range(text, field) from None
    except ValueError as error:
        if str(error).startswith("year "):  # year 0: before the calendar's first
            raise out_of_range(text, field) from None
        raise InvalidInput(f"{field}: {text!r} is not {ACCEPTED}", field=field) from None


def out_of_range(text: str, field: str) -> InvalidInput:
    return InvalidInput(
        f"{field}: {text!r} is out of range: too near the first or the last year of the calendar "
        "to be placed in a time zone",
        field=field,
    )


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def date_times_read(data: Any, into: Any, path: str = "") -> Any:
    """`data` (decoded JSON) with every value that `into` types as a date-time read as the API documents it
    (`ACCEPTED_DATE_TIME`) and written back as RFC 3339, the one form msgspec converts: so that
    `2023-02-01T18:00+06:00` is taken as documented, and a value that is no date-time is refused naming its
    field and the forms accepted instead of "Invalid RFC3339". Anything else is left for validation."""
    return _read(data, _type_info(into), path)


@cache
def _type_info(into: Any) -> msgspec.inspect.Type:
    return msgspec.inspect.type_info(into)


def _read(data: Any, kind: msgspec.inspect.Type, path: str) -> Any:
    while isinstance(kind, msgspec.inspect.Metadata):
        kind = kind.type
    if isinstance(kind, msgspec.inspect.DateTimeType) and isinstance(data, str):
        return _rfc3339(data, path)
    if isinstance(kind, msgspec.inspect.UnionType):
        # `datetime | None`, `Struct | None`: what the value is decides which member reads it.
        for member in kind.types:
            data = _read(data, member, path)
        return data
    if isinstance(kind, msgspec.inspect.StructType) and isinstance(data, dict):
        fields = {field.encode_name: field for field in kind.fields}
        return {
            key: _read(value, fields[key].type, f"{path}.{key}" if path else key) if key in fields else value
            for key, value in data.items()
        }
    if isinstance(kind, (msgspec.inspect.ListType, msgspec.inspect.SetType)) and isinstance(data, list):
        return [_read(item, kind.item_type, path) for item in data]
    return data


def _rfc3339(text: str, field: str) -> str:
    value = text.strip()
    try:
        if not _DATE_TIME.fullmatch(value):
            raise ValueError(value)
        return dt.datetime.fromisoformat(value.upper()).isoformat()
    except ValueError:
        raise InvalidInput(f"{field}: {text!r} is not {ACCEPTED_DATE_TIME}", field=field) from None
