"""Cells written by the reports are never formulas, whatever the text says."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from reports.import_report import build_error_report


def test_text_that_looks_like_a_formula_stays_text() -> None:
    content = build_error_report(
        ["name", "note"],
        [(3, ['=HYPERLINK("http://evil")', "+7 700 000 0000"]), (4, ["@SUM(A1)", "-1"])],
        {3: ["nationality: unknown country"]},
    )

    sheet = load_workbook(BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    types = [[c.data_type for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[1][:2] == ['=HYPERLINK("http://evil")', "+7 700 000 0000"]
    assert rows[2][:2] == ["@SUM(A1)", "-1"]
    assert all(kind == "s" for row in types for kind in row if kind is not None and kind != "n")


def test_each_row_carries_its_problems_in_the_errors_column() -> None:
    content = build_error_report(
        ["ФИО", "Дата рождения"],
        [(3, ["Анна Пример", "31.02.1970"]), (4, ["Иван Пример", "01.01.1970"])],
        {3: ["birth_date: not a date", "document_number: missing"]},
        errors_title="ошибки",
    )

    sheet = load_workbook(BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["ФИО", "Дата рождения", "ошибки"]
    assert sheet["C2"].value == "birth_date: not a date; document_number: missing"
    assert sheet["C3"].value is None
