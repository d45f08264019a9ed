"""Reading the instant a user asks a tally for."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tracker.errors import InvalidInput
from tracker.instants import parse_instant

ALMATY = ZoneInfo("Asia/Almaty")


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "instant"),
    [
        ("2023-02-22T21:13+06:00", utc("2023-02-22T15:13")),
        ("2023-02-22T15:13Z", utc("2023-02-22T15:13")),
        # Without an offset: Astana time as it was then (UTC+6; the zone moved to UTC+5 in 2024).
        ("2023-02-22T21:13", utc("2023-02-22T15:13")),
        ("2024-06-01T12:00", utc("2024-06-01T07:00")),
        # A date alone: the end of that day in the election's time zone.
        ("2023-02-15", utc("2023-02-15T17:59:59")),
        ("  2023-02-15 ", utc("2023-02-15T17:59:59")),
    ],
)
def test_it_reads_iso_dates_and_times(typed: str, instant: dt.datetime) -> None:
    assert parse_instant(typed, ALMATY) == instant


@pytest.mark.parametrize("typed", ["", "now", "15.02.2023", "2023-02-30", "2023-13-01T00:00", "2023-02-22T21:13+25:00"])
def test_it_names_the_field_and_what_it_accepts(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_instant(typed, ALMATY)

    assert caught.value.field == "as_of"
    assert caught.value.message.startswith(f"as_of: {typed!r} is not an ISO 8601 date or date-time")


@pytest.mark.parametrize("text", ["0001-01-01T00:00", "9999-12-31T23:59-12:00", "0000-12-31"])
def test_a_moment_at_the_edge_of_the_calendar_is_refused_as_out_of_range(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"as_of: .* is out of range: too near the first or the last year"):
        parse_instant(text, ZoneInfo("Asia/Almaty"))
