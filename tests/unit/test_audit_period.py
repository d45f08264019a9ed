"""The audit trail's since/until, read one way for the API and the staff page: a date is a whole day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tracker.errors import InvalidInput
from tracker.services.audit import UTC, read_bound

ALMATY = ZoneInfo("Asia/Almaty")


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "since", "until"),
    [
        (UTC, utc("2023-02-15T00:00"), utc("2023-02-15T23:59:59.999999")),
        # In the election's zone (UTC+6 then): the day begins and ends six hours earlier in UTC.
        (ALMATY, utc("2023-02-14T18:00"), utc("2023-02-15T17:59:59.999999")),
    ],
)
def test_a_date_alone_is_the_whole_day_in_the_zone(zone: ZoneInfo, since: dt.datetime, until: dt.datetime) -> None:
    assert read_bound("2023-02-15", zone, "since") == since
    assert read_bound(" 2023-02-15 ", zone, "until") == until


def test_a_date_and_time_is_that_instant_in_the_zone_unless_it_has_an_offset() -> None:
    assert read_bound("2023-02-15T09:30", ALMATY, "since") == utc("2023-02-15T03:30")
    assert read_bound("2023-02-15T09:30Z", ALMATY, "until") == utc("2023-02-15T09:30")


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_nothing_is_no_bound(typed: str | None) -> None:
    assert read_bound(typed, UTC, "since") is None


@pytest.mark.parametrize("field", ["since", "until"])
def test_what_is_no_date_names_its_field(field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_bound("last week", UTC, field)  # type: ignore[arg-type]

    assert caught.value.field == field


def test_a_day_written_day_first_with_one_digit_starts_at_midnight() -> None:
    zone = ZoneInfo("Asia/Almaty")

    assert read_bound("1.2.2023", zone, "since") == dt.datetime(2023, 2, 1, tzinfo=zone).astimezone(dt.UTC)
    assert read_bound("01.02.2023", zone, "since") == read_bound("2023-02-01", zone, "since")
