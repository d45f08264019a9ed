"""Reading the instants and dates users type: ISO 8601 and day first, as Kazakhstan and Russia write them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import msgspec
import pytest

from tracker.errors import InvalidInput
from tracker.i18n import in_language
from tracker.instants import DateIn, DateTimeIn, date_times_read, parse_instant, written_back

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
        ("2023-02-22 21:13", utc("2023-02-22T15:13")),
        ("2024-06-01T12:00", utc("2024-06-01T07:00")),
        # Day first, as people write it in Kazakhstan and Russia; Babel's comma before the time; one digit.
        ("22.02.2023 21:13", utc("2023-02-22T15:13")),
        ("22.02.2023 21:13:05", utc("2023-02-22T15:13:05")),
        ("22.02.2023, 21:13", utc("2023-02-22T15:13")),
        (" 1.3.2023 9:05 ", utc("2023-03-01T03:05")),
    ],
)
def test_it_reads_iso_and_day_first_dates_and_times(typed: str, instant: dt.datetime) -> None:
    assert parse_instant(typed, ALMATY) == instant


@pytest.mark.parametrize("typed", ["2023-02-22", "22.02.2023", "  22.02.2023 "])
def test_a_date_alone_counts_everything_before_the_next_day_begins(typed: str) -> None:
    end = parse_instant(typed, ALMATY)
    local = ZoneInfo("Asia/Almaty")

    # The tally counts what is effective at or before its instant.
    assert dt.datetime(2023, 2, 22, 23, 59, 59, 999000, tzinfo=local) <= end
    assert dt.datetime(2023, 2, 22, 23, 59, 59, 999999, tzinfo=local) <= end
    assert not dt.datetime(2023, 2, 23, 0, 0, tzinfo=local) <= end
    assert written_back(typed, ALMATY, "ru") == "22.02.2023"


NOT_MOMENTS = ["", "now", "2023-02-30", "30.02.2023", "2023-13-01T00:00", "2023-02-22T21:13+25:00", "22.02.2023 25:00"]
# Slashes or dashes with the day first: 02/03/2023 is 2 March in Astana and 3 February in New York.
GUESSES = ["22/02/2023", "02/03/2023", "22-02-2023", "22.02.23"]


@pytest.mark.parametrize("typed", [*NOT_MOMENTS, *GUESSES])
def test_a_bad_instant_names_the_field_and_the_forms_accepted(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_instant(typed, ALMATY, field="since")

    assert caught.value.field == "since"
    assert caught.value.message.startswith(f"since: {typed!r} is not a date or a date and time: write ")
    assert "22.02.2023 21:13 or 2023-02-22T21:13" in caught.value.message


def test_the_message_is_in_the_language_of_the_request() -> None:
    with in_language("ru"), pytest.raises(InvalidInput) as caught:
        parse_instant("22/02/2023", ALMATY)

    assert caught.value.message.startswith("as_of: '22/02/2023' — не дата и не дата со временем")
    assert "22.02.2023 21:13 или 2023-02-22T21:13" in caught.value.message


@pytest.mark.parametrize("text", ["0001-01-01T00:00", "9999-12-31T23:59-12:00", "0000-12-31", "01.01.0001 03:00"])
def test_a_moment_at_the_edge_of_the_calendar_is_refused_as_out_of_range(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"as_of: .* is out of range: too near the first or the last year"):
        parse_instant(text, ALMATY)


@pytest.mark.parametrize(
    ("lang", "typed", "shown"),
    [
        ("ru", "2023-02-22T21:13", "22.02.2023 21:13"),
        ("kk", "22.02.2023 21:13:05", "22.02.2023 21:13:05"),
        ("en", "22.02.2023, 21:13", "2023-02-22 21:13"),
        # An offset of another zone: the same instant, in the election's.
        ("ru", "2023-02-22T15:13Z", "22.02.2023 21:13"),
        ("en", "not a moment", "not a moment"),
    ],
)
def test_what_was_typed_is_written_back_as_the_language_writes_it(lang: str, typed: str, shown: str) -> None:
    assert written_back(typed, ALMATY, lang) == shown
    if shown != typed:
        assert parse_instant(shown, ALMATY) == parse_instant(typed, ALMATY)


class Body(msgspec.Struct):
    at: DateTimeIn | None = None
    day: DateIn | None = None


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ({"at": "22.02.2023 21:13", "day": "05.03.1971"}, Body(dt.datetime(2023, 2, 22, 21, 13), dt.date(1971, 3, 5))),
        (
            {"at": "2023-02-22T21:13+06:00"},
            Body(dt.datetime(2023, 2, 22, 21, 13, tzinfo=dt.timezone(dt.timedelta(hours=6)))),
        ),
        (
            {"at": "22.02.2023 21:13:05", "day": "1971-03-05"},
            Body(dt.datetime(2023, 2, 22, 21, 13, 5), dt.date(1971, 3, 5)),
        ),
    ],
)
def test_json_bodies_take_dates_and_date_times_in_both_forms(sent: dict[str, str], read: Body) -> None:
    assert msgspec.convert(date_times_read(sent, Body), Body) == read


@pytest.mark.parametrize(
    ("sent", "field", "message"),
    [
        ({"at": "22.02.2023"}, "at", "is not a date and time: write 22.02.2023 21:13 or 2023-02-22T21:13"),
        ({"day": "30.02.2023"}, "day", "is not a date: write 22.02.2023 or 2023-02-22."),
        ({"day": "02/03/1971"}, "day", "is not a date: write 22.02.2023 or 2023-02-22."),
    ],
)
def test_a_bad_date_in_a_body_names_its_field(sent: dict[str, str], field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        date_times_read(sent, Body)

    assert caught.value.field == field
    assert caught.value.message.startswith(f"{field}: {sent[field]!r} {message}")
