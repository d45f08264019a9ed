"""Properties that hold for any input hypothesis can think of: headlines for any counts in every
language, and rosters that give back, cell for cell, what was written."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime

import openpyxl
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.roster import RosterRow, build_roster
from tests.unit.test_roster import HEADING, LABELS, SUMMARY
from tracker.phrases import headline

LANGUAGES = ("en", "ru", "kk")
COUNTS = st.integers(min_value=0, max_value=10**9)
# What the services accept in a name: any letters, marks, digits, punctuation and spaces, none of
# the control or invisible formatting characters they refuse (tracker.services.persons.clean_text).
NAME = (
    st.text(st.characters(exclude_categories=("Cc", "Cf", "Co", "Cs", "Zl", "Zp")), min_size=1, max_size=60)
    .map(lambda text: unicodedata.normalize("NFC", text).strip())
    .filter(bool)
)
# Whole seconds: a spreadsheet keeps a time as a fraction of a day, to the millisecond.
MOMENT = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=0)
)


@given(observers=COUNTS, countries=COUNTS, organizations=COUNTS, lang=st.sampled_from(LANGUAGES))
def test_a_headline_is_made_for_any_counts_in_every_language(
    observers: int, countries: int, organizations: int, lang: str
) -> None:
    sentence = headline(observers, countries, organizations, lang)

    assert sentence.strip() == sentence != ""
    assert not any(mark in sentence for mark in ("{", "}", "%("))
    # Numbers from ten up are written in figures, grouped as the language groups them. Without any
    # observer there is no sender to name either (senders are counted by their observers).
    for count in (observers, countries, organizations) if observers else (observers,):
        if count >= 10:
            assert format_decimal(count, locale=lang) in sentence


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(NAME, NAME, st.one_of(st.none(), MOMENT), st.one_of(st.none(), NAME)), min_size=1, max_size=12
    ),
    lang=st.sampled_from(LANGUAGES),
)
def test_a_roster_gives_back_what_was_written(
    rows: list[tuple[str, str, datetime | None, str | None]], lang: str
) -> None:
    written = [
        RosterRow(
            number=n,
            name_original=original,
            name_latin=latin,
            nationality="Germany",
            sender="OSCE/ODIHR",
            mission="Mission",
            role="Short-term observer",
            status="Accredited",
            badge_number=None,
            decision_ref=reference,
            accredited_at=moment,
            document_number=None,
            mission_slug="odihr",
        )
        for n, (original, latin, moment, reference) in enumerate(rows, start=1)
    ]

    content = build_roster(SUMMARY, written, labels=LABELS[lang], time_zone="UTC", heading=HEADING)

    # The second sheet, after the summary (its name is in the roster's language).
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[1]
    header = [cell.value for cell in sheet[1]]
    read = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(read) == len(written)
    for row, values in zip(written, read, strict=True):
        cells = dict(zip(header, values, strict=False))
        assert cells[LABELS[lang].name_original] == row.name_original
        assert cells[LABELS[lang].name_latin] == row.name_latin
        assert cells[LABELS[lang].decision_ref] == row.decision_ref
        moment = cells[LABELS[lang].accredited_at]
        if row.accredited_at is None:
            assert moment is None
        else:
            # Written in the roster's time zone (UTC here), which a spreadsheet does not keep, and to the minute
            # it shows: seconds would make LibreOffice round 23:59:59 up to the next day's 00:00.
            assert moment == row.accredited_at.replace(tzinfo=None, second=0, microsecond=0)
