"""Cells written by the reports are never formulas, whatever the text says."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from reports.import_report import RowProblems, build_error_report


def test_text_that_looks_like_a_formula_stays_text() -> None:
    content = build_error_report(
        b"",
        "csv",
        0,
        [RowProblems(2, ("nationality: unknown country",), frozenset())],
        errors_title="errors",
        rows=[("name", "note"), ('=HYPERLINK("http://evil")', "+7 700 000 0000"), ("@SUM(A1)", "-1")],
    )

    sheet = load_workbook(BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    types = [[c.data_type for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[1][:2] == ['=HYPERLINK("http://evil")', "+7 700 000 0000"]
    assert rows[2][:2] == ["@SUM(A1)", "-1"]
    assert all(kind == "s" for row in types for kind in row if kind is not None and kind != "n")


def test_each_row_carries_its_problems_in_the_errors_column() -> None:
    content = build_error_report(
        b"",
        "csv",
        0,
        [RowProblems(2, ("Дата рождения: такой даты нет", "№ паспорта: не указан"), frozenset({1}))],
        errors_title="ошибки",
        rows=[("ФИО", "Дата рождения"), ("Анна Пример", "31.02.1970"), ("Иван Пример", "01.01.1970")],
    )

    sheet = load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["ФИО", "Дата рождения", "ошибки"]
    assert sheet["C2"].value == "Дата рождения: такой даты нет; № паспорта: не указан"
    assert sheet["C3"].value is None
