"""The errors workbook as the mission opens it: its own list as it sent it, plus a column of problems in the
registrar's language and the cells they are about highlighted. Every input file is built here with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from reports.import_report import ERROR_FILL, RowProblems, build_error_report
from tests.lists import RUSSIAN_HEADER, observers, with_dates

TITLE = "Список наблюдателей Миссии наблюдателей от СНГ"
SUBTITLE = "на выборах депутатов Мажилиса Парламента Республики Казахстан 19 марта 2023 года"
ERRORS = "Ошибки"
BAD_DATE = "Дата рождения: такой даты нет"
NO_PASSPORT = "№ паспорта: не указан"
TWICE = "Этот человек уже есть в строке 4"
GREY = PatternFill("solid", start_color="D9D9D9")


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def russian_list(change: Callable[[Worksheet], Any] | None = None) -> bytes:
    """A CIS mission's list: two title rows merged across the table, a bold grey header on row 3, its own
    widths, real dates, the panes frozen under the header, and a second sheet with the mission's notes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Наблюдатели"
    sheet.append([TITLE])
    sheet.append([SUBTITLE])
    sheet.merge_cells("A1:G1")
    sheet.merge_cells("A2:G2")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(RUSSIAN_HEADER))
    for header in sheet[3]:
        header.font = Font(bold=True)
        header.fill = GREY
    for row in observers(4):
        sheet.append([*row[:3], dt.datetime.strptime(row[3], "%d.%m.%Y"), *row[4:]])
    for row in sheet.iter_rows(min_row=4, min_col=4, max_col=4):
        row[0].number_format = "DD.MM.YYYY"
    for letter, width in zip("ABCDEFG", (5, 34, 30, 14, 16, 14, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    notes = book.create_sheet("Примечания")
    notes["A1"] = "Список согласован с руководителем миссии"
    if change is not None:
        change(sheet)
    return saved(book)


def report(original: bytes, problems: list[RowProblems], **options: Any) -> Worksheet:
    """The first sheet of the report on `original`. Without `rows` there is no plain workbook to fall back on,
    so a test of the mission's own layout fails loudly if that path gave up."""
    options.setdefault("header_row", 2)
    header_row = options.pop("header_row")
    content = build_error_report(original, "xlsx", header_row, problems, errors_title=ERRORS, **options)
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def filled(sheet: Worksheet) -> set[str]:
    return {
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill is not None and cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    }


def test_it_gives_back_the_mission_s_own_list_with_an_errors_column() -> None:
    problems = [RowProblems(5, (BAD_DATE,), frozenset({3})), RowProblems(7, (NO_PASSPORT,), frozenset({5}))]

    sheet = report(russian_list(), problems)

    assert [sheet["A1"].value, sheet["A2"].value] == [TITLE, SUBTITLE]
    assert {str(merged) for merged in sheet.merged_cells.ranges} == {"A1:G1", "A2:G2"}
    assert sheet["A1"].font.bold
    assert sheet["A1"].font.size == 14
    assert [cell.value for cell in sheet[3]] == [*RUSSIAN_HEADER, ERRORS]
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet["H3"].fill.fgColor.rgb == GREY.fgColor.rgb  # the errors title looks like the mission's header
    assert [sheet.column_dimensions[letter].width for letter in "ABCDEFG"] == [5, 34, 30, 14, 16, 14, 24]
    assert sheet.column_dimensions["H"].width >= len(BAD_DATE)
    assert sheet.freeze_panes == "A4"
    assert sheet["D5"].value == dt.datetime(1962, 3, 3)
    assert sheet["D5"].number_format == "DD.MM.YYYY"
    assert sheet["B4"].value == "Азамат Тестов 1"
    assert [sheet["H4"].value, sheet["H5"].value, sheet["H6"].value, sheet["H7"].value] == [
        None,
        BAD_DATE,
        None,
        NO_PASSPORT,
    ]
    assert sheet["H5"].alignment.wrap_text
    assert filled(sheet) == {"D5", "H5", "F7", "H7"}
    assert sheet.parent.sheetnames == ["Наблюдатели", "Примечания"]
    assert sheet.parent["Примечания"]["A1"].value == "Список согласован с руководителем миссии"


def test_a_row_with_two_problems_gets_both_messages_and_both_cells_highlighted() -> None:
    sheet = report(russian_list(), [RowProblems(6, (BAD_DATE, NO_PASSPORT), frozenset({3, 5}))])

    assert sheet["H6"].value == f"{BAD_DATE}; {NO_PASSPORT}"
    assert filled(sheet) == {"D6", "F6", "H6"}


def test_a_formula_stays_a_formula_and_is_never_run() -> None:
    def add_formula(sheet: Worksheet) -> None:
        sheet["C4"] = '=UPPER(B4)&" "&A4'

    sheet = report(russian_list(add_formula), [RowProblems(4, (TWICE,), frozenset({1}))])

    assert sheet["C4"].value == '=UPPER(B4)&" "&A4'
    assert sheet["C4"].data_type == "f"
    assert sheet["H4"].value == TWICE


def test_a_message_that_looks_like_a_formula_is_stored_as_text() -> None:
    risky = '=HYPERLINK("http://evil.example")'

    sheet = report(russian_list(), [RowProblems(4, (risky,), frozenset())])

    assert sheet["H4"].value == risky
    assert sheet["H4"].data_type == "s"


def test_a_merged_cell_crossing_the_errors_column_is_cut_at_it() -> None:
    def merge_wide(sheet: Worksheet) -> None:
        sheet["G5"] = "наблюдатель, переводчик"
        sheet.merge_cells("G5:J5")

    sheet = report(russian_list(merge_wide), [RowProblems(5, (BAD_DATE,), frozenset({3}))])

    assert {str(merged) for merged in sheet.merged_cells.ranges} == {"A1:G1", "A2:G2"}
    assert sheet["G5"].value == "наблюдатель, переводчик"
    assert sheet["H5"].value == BAD_DATE


def test_the_errors_column_shows_even_inside_a_range_of_hidden_columns() -> None:
    def hide_right(sheet: Worksheet) -> None:
        sheet.column_dimensions.group("H", "K", hidden=True)

    sheet = report(russian_list(hide_right), [RowProblems(5, (BAD_DATE,), frozenset({3}))])

    assert not sheet.column_dimensions["H"].hidden
    assert sheet.column_dimensions["I"].hidden
    assert sheet["H5"].value == BAD_DATE


def test_a_list_that_starts_at_a_later_column_gets_its_errors_after_its_last_column() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C2"] = "ФИО"
    sheet["D2"] = "Дата рождения"
    sheet["C3"] = "Азамат Тестов"
    sheet["D3"] = "31.02.1970"

    checked = report(saved(book), [RowProblems(3, (BAD_DATE,), frozenset({3}))], header_row=1)

    assert [checked["E2"].value, checked["E3"].value] == [ERRORS, BAD_DATE]
    assert filled(checked) == {"D3", "E3"}


def test_an_empty_first_sheet_still_gets_its_errors_title() -> None:
    sheet = report(saved(openpyxl.Workbook()), [], header_row=0)

    assert sheet["A1"].value == ERRORS
    assert sheet.max_row == 1


def test_a_csv_list_comes_back_as_a_workbook_with_a_bold_header_and_its_errors() -> None:
    rows = [(TITLE,), (), RUSSIAN_HEADER, *observers(2), ("3", "Азамат Тестов 3", "", "31.02.1970", "-", "+7 700")]

    content = build_error_report(
        b"ignored: the rows are the list",
        "csv",
        2,
        [RowProblems(6, (BAD_DATE,), frozenset({3}))],
        errors_title=ERRORS,
        rows=rows,
    )

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A1"].value == TITLE
    assert [cell.value for cell in sheet[3]] == [*RUSSIAN_HEADER, ERRORS]
    assert all(cell.font.bold for cell in sheet[3])
    assert [cell.value for cell in sheet[6]] == [
        *("3", "Азамат Тестов 3", None, "31.02.1970", "-", "+7 700", None),
        BAD_DATE,
    ]
    assert [sheet["E6"].data_type, sheet["F6"].data_type] == ["s", "s"]
    assert filled(sheet) == {"D6", "H6"}
    assert sheet.freeze_panes == "A4"


def test_a_list_larger_than_the_bound_comes_back_plain_with_every_row_and_its_errors() -> None:
    people = with_dates(observers(30))
    rows = [(TITLE,), (SUBTITLE,), RUSSIAN_HEADER, *people]
    problems = [RowProblems(number, (BAD_DATE,), frozenset({3})) for number in (4, 20, 33)]

    sheet = report(russian_list(), problems, rows=rows, max_cells_kept=50)

    assert sheet.max_row == 33
    assert [tuple(cell.value for cell in row[:7]) for row in sheet.iter_rows(min_row=4)] == people
    assert [sheet.cell(number, 8).value for number in range(4, 34)].count(BAD_DATE) == 3
    assert filled(sheet) == {"D4", "H4", "D20", "H20", "D33", "H33"}
    assert sheet["D4"].number_format == "dd.mm.yyyy"
    assert sheet.merged_cells.ranges == set()  # plain: the mission's layout is not kept


def test_a_workbook_openpyxl_cannot_open_whole_comes_back_plain() -> None:
    rows = [RUSSIAN_HEADER, *observers(1)]

    content = build_error_report(
        b"PK\x03\x04 cut off", "xlsx", 0, [RowProblems(2, (BAD_DATE,), frozenset())], errors_title=ERRORS, rows=rows
    )

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["H2"].value == BAD_DATE


def test_the_same_list_gives_the_same_bytes() -> None:
    original = russian_list()
    problems = [RowProblems(5, (BAD_DATE,), frozenset({3}))]
    rows = [(TITLE,), (SUBTITLE,), RUSSIAN_HEADER, *observers(4)]

    kept = [build_error_report(original, "xlsx", 2, problems, errors_title=ERRORS) for _ in range(2)]
    plain = [build_error_report(b"", "csv", 2, problems, errors_title=ERRORS, rows=rows) for _ in range(2)]

    assert kept[0] == kept[1]
    assert plain[0] == plain[1]
    # Nothing is dated by the clock: the archive's members and the workbook's own dates.
    for content in (kept[0], plain[0]):
        assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(content)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    sent = openpyxl.load_workbook(io.BytesIO(original)).properties
    back = openpyxl.load_workbook(io.BytesIO(kept[0])).properties
    assert (back.created, back.modified) == (sent.created, sent.modified)
