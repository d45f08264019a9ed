"""The Excel roster as its readers see it: opened with openpyxl, checked for values, types, languages and set-up."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from openpyxl.worksheet.worksheet import Worksheet

from reports.roster import Count, Labels, RosterRow, Summary, build_roster
from reports.roster_print import PRINT_WIDTH, Heading
from tracker.services.rosters import roster_labels

# The workbook's words as the service gives them: from the translation catalogs.
LABELS = {lang: roster_labels(lang) for lang in ("en", "ru", "kk")}

ALMATY = "Asia/Almaty"
# Kazinform's 97 observers were reported at 21:13 Astana time, UTC+6 then.
REPORTED = datetime(2023, 2, 22, 15, 13, tzinfo=UTC)
SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
HEADING = Heading(election="Majilis & maslikhat elections 2023", as_of="As of 22 February 2023, 21:13 (Asia/Almaty)")
# The roster as the service builds it, for the election in Almaty.
build = partial(build_roster, time_zone=ALMATY, heading=HEADING)

SUMMARY = Summary(
    headline="97 international observers from 11 countries and three international organizations",
    as_of=REPORTED,
    by_sender_kind=(Count("Foreign states", 24), Count("International organizations", 73)),
    by_sender=(Count("OSCE/ODIHR", 40), Count("CIS Interparliamentary Assembly", 30), Count("Palestine", 1)),
    by_role=(Count("Short-term observer", 80), Count("Head of mission", 3), Count("Interpreter", 14)),
    by_nationality=(Count("Germany", 12), Count("Russia", 30), Count("Kyrgyzstan", 5), Count("Palestine", 1)),
)


def observer(number: int, mission_slug: str = "odihr-2023", **changes: Any) -> RosterRow:
    values: dict[str, Any] = {
        "number": number,
        "name_original": f"Анна Пример {number}",
        "name_latin": f"Anna Primer {number}",
        "nationality": "Germany",
        "sender": "OSCE/ODIHR",
        "mission": f"Mission {mission_slug}",
        "role": "Short-term observer",
        "status": "Accredited",
        "badge_number": f"B-{number:05d}",
        "decision_ref": "12/45",
        "accredited_at": REPORTED,
        "document_number": f"C01X{number:05d}",
        "mission_slug": mission_slug,
    }
    values.update(changes)
    return RosterRow(**values)


def open_roster(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def values(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def summary_table(sheet: Worksheet, title: str, labels: Labels) -> tuple[tuple[Any, ...], dict[str, int], int]:
    """The header, the counts and the total under `title` on the Summary sheet, in its left or right column."""
    rows = values(sheet)
    for first in (0, 3):
        pairs = [row[first : first + 2] for row in rows]
        start = next((index for index, pair in enumerate(pairs) if pair and pair[0] == title), None)
        if start is None:
            continue
        counts: dict[str, int] = {}
        for label, number in pairs[start + 2 :]:
            if label == labels.total:
                return pairs[start + 1], counts, number
            counts[label] = number
    raise AssertionError(f"no total under {title!r}")


# --- languages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "sheet_names"),
    [
        ("en", ["Summary", "Roster"]),
        ("ru", ["Сводка", "Список наблюдателей"]),
        ("kk", ["Жиынтық", "Байқаушылар тізімі"]),
    ],
)
def test_sheets_are_named_in_the_chosen_language(lang: str, sheet_names: list[str]) -> None:
    book = open_roster(build(SUMMARY, [observer(1)], labels=LABELS[lang]))

    assert book.sheetnames == sheet_names


@pytest.mark.parametrize(
    ("lang", "headers"),
    [
        ("en", ["No.", "Name (original script)", "Name (Latin)", "Nationality", "Sender", "Mission", "Role", "Status",
                "Badge number", "Decision reference", "Accredited at", "Document number"]),
        ("ru", ["№", "ФИО (в оригинальном написании)", "ФИО (латиницей)", "Гражданство", "Направившая сторона",
                "Миссия", "Роль", "Статус", "Номер удостоверения", "Номер решения", "Дата аккредитации",
                "Номер паспорта"]),
        ("kk", ["№", "Аты-жөні (түпнұсқа жазылуы)", "Аты-жөні (латынша)", "Азаматтығы", "Жіберуші тарап", "Миссия",
                "Рөлі", "Мәртебесі", "Куәлік нөмірі", "Шешім нөмірі", "Аккредиттеу күні", "Төлқұжат нөмірі"]),
    ],
)  # fmt: skip
def test_the_roster_header_is_in_the_chosen_language_and_bold(lang: str, headers: list[str]) -> None:
    labels = LABELS[lang]
    sheet = open_roster(build(SUMMARY, [observer(1)], labels=labels))[labels.roster_sheet]

    assert [c.value for c in sheet[1]] == headers
    assert all(c.font.b for c in sheet[1])


def test_every_language_labels_every_text() -> None:
    assert set(LABELS) == {"en", "ru", "kk"}
    for labels in LABELS.values():
        texts = list(vars(labels).values())
        assert all(isinstance(text, str) and text.strip() for text in texts)
        assert labels.summary_sheet.casefold() != labels.roster_sheet.casefold()
        assert max(len(labels.summary_sheet), len(labels.roster_sheet)) <= 31


# --- the summary ----------------------------------------------------------------------------------------------------


def test_the_summary_shows_the_headline_the_instant_and_the_given_counts_with_their_totals() -> None:
    labels = LABELS["en"]
    # Three rows against 97 counted observers: the summary prints the tally engine's numbers, never recounts.
    content = build(SUMMARY, [observer(n) for n in (1, 2, 3)], labels=labels)
    sheet = open_roster(content)[labels.summary_sheet]

    assert sheet["A1"].value == SUMMARY.headline
    assert sheet["A2"].value == "As of"
    assert sheet["B2"].value == datetime(2023, 2, 22, 21, 13)
    assert sheet["B2"].is_date
    assert sheet["B2"].number_format == "dd.mm.yyyy hh:mm"
    assert (sheet["A3"].value, sheet["B3"].value) == ("Time zone", ALMATY)
    tables = [
        ("By kind of sender", "Kind of sender", SUMMARY.by_sender_kind, 97),
        ("By sender", "Sender", SUMMARY.by_sender, 71),
        ("By role", "Role", SUMMARY.by_role, 97),
        ("By nationality", "Nationality", SUMMARY.by_nationality, 48),
    ]
    for title, heading, given, expected_total in tables:
        header, counts, total = summary_table(sheet, title, labels)
        assert header == (heading, "Observers")
        assert counts == {count.label: count.observers for count in given}
        assert total == sum(count.observers for count in given) == expected_total


def test_the_summary_speaks_russian_and_kazakh() -> None:
    for lang, total_label in (("ru", "Итого"), ("kk", "Барлығы")):
        labels = LABELS[lang]
        sheet = open_roster(build(SUMMARY, [], labels=labels))[labels.summary_sheet]
        header, _, total = summary_table(sheet, labels.by_role, labels)

        assert sheet["A2"].value == labels.as_of
        assert header == (labels.role, labels.observers)
        assert labels.total == total_label
        assert total == 97


def test_an_empty_breakdown_still_has_its_total() -> None:
    labels = LABELS["en"]
    summary = Summary("No observers", REPORTED, (), (), (), ())
    sheet = open_roster(build(summary, [], labels=labels))[labels.summary_sheet]

    assert summary_table(sheet, "By sender", labels)[1:] == ({}, 0)


# --- values and types -----------------------------------------------------------------------------------------------


def test_times_are_real_dates_on_the_election_s_clock() -> None:
    labels = LABELS["en"]
    rows = [
        observer(1),
        observer(2, accredited_at=datetime(2023, 2, 9, 19, 13, tzinfo=timezone(timedelta(hours=6)))),
        # Almaty moved to UTC+5 on 1 March 2024: the zone's rules, not a fixed offset, give the wall clock.
        observer(3, accredited_at=datetime(2024, 6, 1, 12, 0, tzinfo=UTC)),
        observer(4, status="Nominated", badge_number=None, decision_ref=None, accredited_at=None),
    ]
    sheet = open_roster(build(SUMMARY, rows, labels=labels))[labels.roster_sheet]

    accredited = [sheet.cell(row=r, column=11) for r in range(2, 6)]
    assert [c.value for c in accredited] == [
        datetime(2023, 2, 22, 21, 13),
        datetime(2023, 2, 9, 19, 13),
        datetime(2024, 6, 1, 17, 0),
        None,
    ]
    assert all(c.is_date and c.number_format == "dd.mm.yyyy hh:mm" for c in accredited[:3])
    assert [sheet.cell(row=5, column=c).value for c in (8, 9, 10)] == ["Nominated", None, None]
    assert [c.value for c in sheet[2]][:3] == [1, "Анна Пример 1", "Anna Primer 1"]
    assert sheet["A2"].data_type == "n"


def test_a_time_without_a_zone_is_refused_rather_than_guessed() -> None:
    naive = observer(1, accredited_at=datetime(2023, 2, 22, 21, 13))

    with pytest.raises(ValueError, match="no time zone"):
        build(SUMMARY, [naive], labels=LABELS["en"])


def test_a_build_that_fails_midway_leaves_no_temporary_files_behind() -> None:
    def failing() -> Iterator[RosterRow]:
        yield observer(1, mission_slug="odihr-2023")
        yield observer(2, mission_slug="cis-ipa-2023")
        raise ConnectionError("the database went away")

    before = list(ALL_TEMP_FILES)
    with pytest.raises(ConnectionError):
        build(SUMMARY, failing(), labels=LABELS["en"], per_mission=True)

    # openpyxl otherwise keeps each sheet's file until the process exits.
    left = list(ALL_TEMP_FILES)
    assert left == before


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    labels = LABELS["en"]
    risky = observer(
        1,
        name_original='=HYPERLINK("http://evil.example","click")',
        name_latin="+7 700 000 00 00",
        nationality="-x",
        sender="@y",
        badge_number="=1+1",
        document_number="-42",
    )
    summary = Summary("=SUM(A1:A9)", REPORTED, (Count("+Foreign", 1),), (), (), ())
    book = open_roster(build(summary, [risky], labels=labels))
    roster, front = book[labels.roster_sheet], book[labels.summary_sheet]

    written = {c.column_letter: c for c in roster[2]}
    expected = {
        "B": '=HYPERLINK("http://evil.example","click")',
        "C": "+7 700 000 00 00",
        "D": "-x",
        "E": "@y",
        "I": "=1+1",
        "L": "-42",
    }
    for column, text in expected.items():
        assert (written[column].value, written[column].data_type) == (text, "s")
    assert (front["A1"].value, front["A1"].data_type) == ("=SUM(A1:A9)", "s")
    assert (front["A7"].value, front["A7"].data_type) == ("+Foreign", "s")


# --- view and print set-up ------------------------------------------------------------------------------------------


def assert_set_up_for_reading_and_printing(sheet: Worksheet, rows: int) -> None:
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:L{rows + 1}"
    assert sheet.max_row == rows + 1
    # openpyxl names the size as text and reads it back as a number.
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"
    widths = [sheet.column_dimensions[get_column_letter(n)].width for n in range(1, 13)]
    # Every column on one A4 landscape width at the body's size: fitting to the page squeezes nothing.
    assert sum(widths) <= PRINT_WIDTH
    assert widths[0] < widths[1]


def test_the_roster_is_frozen_filtered_and_printed_on_a4_landscape() -> None:
    labels = LABELS["ru"]
    content = build(SUMMARY, (observer(n) for n in range(1, 8)), labels=labels)

    assert_set_up_for_reading_and_printing(open_roster(content)[labels.roster_sheet], 7)


def test_an_empty_roster_keeps_its_header_and_filter() -> None:
    labels = LABELS["kk"]
    sheet = open_roster(build(SUMMARY, [], labels=labels))[labels.roster_sheet]

    assert [c.value for c in sheet[1]] == list(labels.columns)
    assert_set_up_for_reading_and_printing(sheet, 0)


# --- one sheet per mission ------------------------------------------------------------------------------------------


def interleaved() -> Iterator[RosterRow]:
    slugs = ("odihr-2023", "cis-ipa-2023", "palestine-2023")
    for number in range(1, 11):
        yield observer(number, mission_slug=slugs[number % 3])


def test_each_mission_gets_a_sheet_with_exactly_its_rows() -> None:
    labels = LABELS["en"]
    # A generator: the rows are read once, and the mission sheets are written in the same pass.
    book = open_roster(build(SUMMARY, interleaved(), labels=labels, per_mission=True))

    assert book.sheetnames == ["Summary", "Roster", "cis-ipa-2023", "palestine-2023", "odihr-2023"]
    assert [row[0] for row in values(book["Roster"])[1:]] == list(range(1, 11))
    expected = {"odihr-2023": [3, 6, 9], "cis-ipa-2023": [1, 4, 7, 10], "palestine-2023": [2, 5, 8]}
    for slug, numbers in expected.items():
        sheet = book[slug]
        rows = values(sheet)
        assert list(rows[0]) == list(labels.columns)
        assert [row[0] for row in rows[1:]] == numbers
        assert {row[5] for row in rows[1:]} == {f"Mission {slug}"}
        assert rows[1][10] == datetime(2023, 2, 22, 21, 13)
        assert_set_up_for_reading_and_printing(sheet, len(numbers))


def test_mission_sheets_are_only_made_when_asked() -> None:
    book = open_roster(build(SUMMARY, interleaved(), labels=LABELS["en"]))

    assert book.sheetnames == ["Summary", "Roster"]


def test_mission_sheet_names_are_ones_excel_accepts_and_never_repeat() -> None:
    long_slug = "osce-odihr-election-observation-mission-2023"
    slugs = [long_slug, long_slug + "-second", "roster", "odihr:2023/spring", "Summary"]
    rows = [observer(n, mission_slug=slug, name_latin=f"=cmd|{n}") for n, slug in enumerate(slugs, start=1)]
    book = open_roster(build(SUMMARY, rows, labels=LABELS["en"], per_mission=True))

    names = book.sheetnames
    assert names[2:] == [long_slug[:31], long_slug[:29] + "~2", "roster~2", "odihr-2023-spring", "Summary~2"]
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)
    for number, name in enumerate(names[2:], start=1):
        assert [row[0] for row in values(book[name])[1:]] == [number]
        assert (book[name]["C2"].value, book[name]["C2"].data_type) == (f"=cmd|{number}", "s")


# --- scale ----------------------------------------------------------------------------------------------------------


def test_a_roster_of_66_000_rows_streams() -> None:
    # Past 65,536 rows, the old sheet limit some code still assumes; the benchmark streams 100,000 and reports memory.
    count = 66_000
    roles = ("Short-term observer", "Long-term observer", "Interpreter", "Head of mission")

    def rows() -> Iterator[RosterRow]:
        for number in range(1, count + 1):
            # Every other one still nominated: no badge, decision or time, as in a roster of every status.
            accredited = number % 2 == 0
            yield RosterRow(
                number=number,
                name_original=f"Наблюдатель Примеров {number}",
                name_latin=f"Nablyudatel Primerov {number}",
                nationality="Kyrgyzstan",
                sender="CIS Interparliamentary Assembly",
                mission="CIS IPA observer mission",
                role=roles[number % len(roles)],
                status="Accredited" if accredited else "Nominated",
                badge_number=f"B-{number:06d}" if accredited else None,
                decision_ref="12/45" if accredited else None,
                accredited_at=REPORTED + timedelta(seconds=number) if accredited else None,
                document_number=f"AC{number:07d}",
                mission_slug=f"mission-{number % 30}",
            )

    # Not under tracemalloc, which would make this five times slower: the roster benchmark reports memory.
    started = time.perf_counter()
    content = build(SUMMARY, rows(), labels=LABELS["en"])
    elapsed = time.perf_counter() - started

    # Loading 1.2 million cells into openpyxl would take longer than building them: stream the sheet's XML instead.
    with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open("xl/worksheets/sheet2.xml") as part:
        written, last, last_number, ref = 0, "", "", ""
        for _, element in ElementTree.iterparse(part):
            if element.tag == f"{SPREADSHEET_NS}row":
                written += 1
                last = element.get("r", "")
                last_number = element.findtext(f"{SPREADSHEET_NS}c/{SPREADSHEET_NS}v", "")
                element.clear()
            elif element.tag == f"{SPREADSHEET_NS}autoFilter":
                ref = element.get("ref", "")
    assert (written, last, last_number) == (count + 1, str(count + 1), str(count))
    assert ref == f"A1:L{count + 1}"
    print(f"{count:,} rows: a {len(content) / 2**20:.1f} MB roster built in {elapsed:.1f} s")
