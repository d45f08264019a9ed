"""Reading the instants and dates users give as they write them (an `as_of`, the date-times and dates of forms
and JSON bodies), and writing them back the way the interface language writes them.

Two ways of writing are read everywhere, whatever the interface language: ISO 8601 (`2023-02-22T21:13+06:00`,
`2023-02-22 21:13`, `2023-02-22`) and day first, as dates are written in Kazakhstan and Russia
(`22.02.2023 21:13:05`, `22.02.2023 21:13`, `22.02.2023`, and `22.02.2023, 21:13` with the comma Babel writes
before the time). A day-first date is separated by dots only: `02/03/2023` is 2 March in Astana and 3 February
in New York, so it is refused rather than guessed. Babel's `parse_date` is not used for reading: it reads in
the order of the locale it is given (month first in English) and takes two-digit years, so the same text would
mean different days in different interface languages.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec

from tracker.errors import InvalidInput
from tracker.i18n import format_input_date, format_input_instant
from tracker.i18n import gettext as _

# What the OpenAPI document says each kind of value accepts (English, as the document is).
ACCEPTED = (
    "an ISO 8601 date or date-time (2023-02-22T21:13+06:00, 2023-02-22T21:13, 2023-02-22) or the same written "
    "day first, as in Kazakhstan and Russia (22.02.2023 21:13, 22.02.2023 21:13:05, 22.02.2023)"
)
KNOWN_AT_FORMS = (
    f"The moment whose records are counted: {ACCEPTED}, read as `as_of` is. The figures as they were recorded "
    "then, before any later correction (a back-dated withdrawal, a sender corrected, a record found to be test "
    "data). Default: today's records."
)
AS_OF_FORMS = (
    f"The instant: {ACCEPTED}. Without an offset, the election's time zone; a date alone means the end of that "
    "day there (everything before the next day begins)."
)
DATE_TIME_FORMS = (
    "A date and time: ISO 8601 (2023-02-01T18:00+06:00, 2023-02-01T18:00:00Z, 2023-02-01T18:00) or day first "
    "(01.02.2023 18:00, 01.02.2023 18:00:00). Seconds may be left out; without an offset, the election's time zone."
)
DATE_FORMS = "A date: ISO 8601 (2023-02-22) or day first (22.02.2023)."

DateTimeIn = Annotated[dt.datetime, msgspec.Meta(description=DATE_TIME_FORMS)]
"""A date-time field of a request body, documented with the forms it accepts (`date_times_read` reads them)."""
DateIn = Annotated[dt.date, msgspec.Meta(description=DATE_FORMS)]
"""A date field of a request body, documented with the forms it accepts."""

# The examples every message about a date gives: one of each way of writing.
_EXAMPLES = {
    "day_first": "22.02.2023 21:13",
    "iso": "2023-02-22T21:13",
    "date": "22.02.2023",
    "iso_date": "2023-02-22",
    "offset": "+06:00",
}
# Day first with dots (a day or month of one digit too, as in 1.03.2023), a four-digit year; then, optionally,
# a time after a space, a `T` or a comma, to the minute, the second or the microsecond.
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"
    r"(?:(?:\s*,\s*|\s+|[Tt])(?P<hour>\d{1,2}):(?P<minute>\d\d)(?P<seconds>:\d\d(?:\.\d{1,6})?)?)?"
)
# What a date-time field takes in ISO 8601: a date, a time to the minute or finer, and an optional offset.
_ISO_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?([Zz]|[+-]\d\d:\d\d)?")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def end_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The last instant of `day` in `zone`, in UTC: 23:59:59.999999 there, one microsecond (the finest step
    Python and both databases keep) before the next day begins. A date means this instant ("15 February" counts
    everything until midnight), and each day of the timeline is counted at it. The tally counts what is
    effective at or before its instant (`<=`), so an event at 23:59:59.999 that day counts and one at midnight
    does not. (`fold=1`: where that hour is lived twice, its second time.)"""
    return dt.datetime.combine(day, dt.time.max.replace(fold=1), tzinfo=zone).astimezone(dt.UTC)


def read_as_of(text: str | dt.datetime | None, zone: ZoneInfo, *, field: str = "as_of") -> dt.datetime:
    """The instant a figure is asked for: nothing (or only spaces) means now; text is read as `parse_instant`
    reads it; an instant is taken as it is. Every `as_of` a user gives is read here."""
    if isinstance(text, dt.datetime):
        return text.astimezone(dt.UTC)
    if text is None or not text.strip():
        return utc_now()
    return parse_instant(text, zone, field=field)


def read_known_at(text: str | dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """The moment whose records a figure is counted from (`known_at`), read as `as_of` is; nothing (or only
    spaces) means today's records (None)."""
    if isinstance(text, dt.datetime):
        return text.astimezone(dt.UTC)
    if text is None or not text.strip():
        return None
    return parse_instant(text, zone, field="known_at")


def parse_instant(text: str, zone: ZoneInfo, *, field: str = "as_of") -> dt.datetime:
    """An aware UTC instant from what a user typed, in ISO 8601 or day first.

    A time without an offset is read in the election's time zone; a date alone means the end of that day there
    (`end_of_day`), as the published tallies do ("15 February" holds until midnight).
    """
    value = as_iso(text)
    try:
        day = _day_alone(value)
        if day is not None:
            return end_of_day(day, zone)
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
        raise not_an_instant(text, field) from None


def as_iso(text: str) -> str:
    """`text` without its surrounding spaces, a day-first date or date-time rewritten in ISO 8601
    (`22.02.2023 21:13` → `2023-02-22T21:13`); anything else as it is."""
    value = text.strip()
    found = _DAY_FIRST.fullmatch(value)
    if found is None:
        return value
    day = f"{found['year']}-{int(found['month']):02d}-{int(found['day']):02d}"
    if found["hour"] is None:
        return day
    return f"{day}T{int(found['hour']):02d}:{found['minute']}{found['seconds'] or ''}"


def _day_alone(iso: str) -> dt.date | None:
    """The date `iso` is, when it is a date without a time (any form ISO 8601 has for one)."""
    try:
        return dt.date.fromisoformat(iso)
    except ValueError as error:
        if str(error).startswith("year "):
            raise
        return None


def written_back(text: str, zone: ZoneInfo, lang: str | None = None) -> str:
    """What a user typed, written as the interface writes it in `lang` (`i18n.format_input_date` and
    `format_input_instant`), so it can be read again as it stands: a date alone stays that day (not the
    instant it stands for), a date-time is given in `zone`. Text that cannot be read is given back as typed."""
    value = as_iso(text)
    try:
        day = _day_alone(value)
        if day is not None:
            return format_input_date(day, lang)
        return format_input_instant(parse_instant(text, zone), zone, lang)
    except (InvalidInput, ValueError):
        return text


def not_an_instant(text: str, field: str) -> InvalidInput:
    message = _(
        "%(field)s: %(value)s is not a date or a date and time: write %(day_first)s or %(iso)s (the election's "
        "time zone, unless an offset such as %(offset)s is added), or a date alone, %(date)s, for the end of "
        "that day."
    )
    return InvalidInput(message % {"field": field, "value": repr(text), **_EXAMPLES}, field=field)


def not_a_date_time(text: str, field: str) -> InvalidInput:
    message = _(
        "%(field)s: %(value)s is not a date and time: write %(day_first)s or %(iso)s (seconds may be added; the "
        "election's time zone, unless an offset such as %(offset)s is added)."
    )
    return InvalidInput(message % {"field": field, "value": repr(text), **_EXAMPLES}, field=field)


def not_a_date(text: str, field: str) -> InvalidInput:
    message = _("%(field)s: %(value)s is not a date: write %(date)s or %(iso_date)s.")
    return InvalidInput(message % {"field": field, "value": repr(text), **_EXAMPLES}, field=field)


def out_of_range(text: str, field: str) -> InvalidInput:
    message = _(
        "%(field)s: %(value)s is out of range: too near the first or the last year of the calendar to be placed "
        "in a time zone"
    )
    return InvalidInput(message % {"field": field, "value": repr(text)}, field=field)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def date_times_read(data: Any, into: Any, path: str = "") -> Any:
    """`data` (decoded JSON, or a form's fields) with every value that `into` types as a date-time or a date read
    as the API documents them (`DATE_TIME_FORMS`, `DATE_FORMS`: ISO 8601 or day first, seconds optional) and
    written back in the one form msgspec converts (RFC 3339, ISO dates): so that `2023-02-01T18:00+06:00` and
    `01.02.2023 18:00` are taken as documented, and a value that is neither is refused naming its field and the
    forms accepted, in the request's language, instead of "Invalid RFC3339". Anything else is left for
    validation."""
    return _read(data, _type_info(into), path)


@cache
def _type_info(into: Any) -> msgspec.inspect.Type:
    return msgspec.inspect.type_info(into)


def _read(data: Any, kind: msgspec.inspect.Type, path: str) -> Any:
    while isinstance(kind, msgspec.inspect.Metadata):
        kind = kind.type
    if isinstance(kind, msgspec.inspect.DateTimeType) and isinstance(data, str):
        return _rfc3339(data, path)
    if isinstance(kind, msgspec.inspect.DateType) and isinstance(data, str):
        return _iso_date(data, path)
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
    value = as_iso(text)
    try:
        if not _ISO_DATE_TIME.fullmatch(value):
            raise ValueError(value)
        return dt.datetime.fromisoformat(value.upper()).isoformat()
    except ValueError:
        raise not_a_date_time(text, field) from None


def _iso_date(text: str, field: str) -> str:
    value = as_iso(text)
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise not_a_date(text, field) from None
