"""The Excel roster from the API and the staff page: opened with openpyxl and checked against the tally engine."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import count_rows
from tests.web.api_helpers import ELECTION, fields_named, new_person, nominate
from tracker import models as m

ROSTER = f"{ELECTION}/roster.xlsx"
KAZINFORM = "2023-02-22T21:13+06:00"


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def tables(sheet: Worksheet) -> dict[str, dict[str, int]]:
    """The Summary sheet's tables, in its left and right columns: title → {label: observers}; each total checked
    against its rows and left out."""
    found: dict[str, dict[str, int]] = {}
    rows = list(sheet.iter_rows(values_only=True))
    for first in (0, 3):
        pairs = [(*row[first : first + 2], None, None)[:2] for row in rows]
        current: dict[str, int] | None = None
        for index, (label, value) in enumerate(pairs):
            if label is None:
                current = None
            elif value is None and index + 1 < len(pairs) and pairs[index + 1][1] == "Observers":
                current = found.setdefault(str(label), {})
            elif current is not None and isinstance(value, int):
                current[str(label)] = value
    for counts in found.values():
        assert counts.pop("Total") == sum(counts.values())
    return found


def roster_rows(sheet: Worksheet) -> list[dict[str, Any]]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_a_registrar_downloads_the_roster_as_of_the_kazinform_report(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.get(ROSTER, params={"as_of": KAZINFORM, "status": "accredited"})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["cache-control"] == "no-store"
    assert 'filename="majilis-2023-roster-accredited-20230222-2113-en.xlsx"' in response.headers["content-disposition"]
    book = workbook(response.content)
    assert book.sheetnames == ["Summary", "Roster"]
    assert (
        book["Summary"]["A1"].value
        == "97 international observers from 11 countries and three international organizations"
    )
    rows = roster_rows(book["Roster"])
    assert len(rows) == 97
    assert [row["No."] for row in rows] == list(range(1, 98))
    assert {row["Status"] for row in rows} == {"Accredited"}
    assert book["Roster"].freeze_panes == "A2"
    assert book["Roster"].auto_filter.ref == "A1:L98"


def test_the_summary_sheet_prints_the_tally_engines_figures(as_rita: TestClient[Litestar]) -> None:
    tally = as_rita.get(f"{ELECTION}/tally", params={"as_of": KAZINFORM}).json()

    summary = tables(workbook(as_rita.get(ROSTER, params={"as_of": KAZINFORM}).content)["Summary"])

    assert summary["By sender"] == {row["name"]: row["observers"] for row in tally["by_sender"] if row["observers"]}
    assert sum(summary["By nationality"].values()) == tally["observers"] == 97
    assert sum(summary["By role"].values()) == 97
    assert summary["By kind of sender"] == {
        "Foreign state": tally["by_sender_kind"]["foreign_state"],
        "International organization": tally["by_sender_kind"]["international_organization"],
        "Domestic organization": 0,
    }


def test_each_row_shows_the_status_at_the_instant_and_accredited_times_as_real_dates(
    as_rita: TestClient[Litestar],
) -> None:
    rows = roster_rows(workbook(as_rita.get(ROSTER, params={"as_of": "2023-02-13T11:29+06:00"}).content)["Roster"])
    later = roster_rows(workbook(as_rita.get(ROSTER, params={"as_of": "2023-02-13T11:30+06:00"}).content)["Roster"])

    # The two ODIHR observers who could not come were withdrawn at 11:30 on 13 February.
    def withdrawn(table: list[dict[str, Any]]) -> set[str]:
        return {row["Name (Latin)"] for row in table if row["Status"] == "Withdrawn"}

    assert len(withdrawn(later) - withdrawn(rows)) == 2
    accredited = [row for row in rows if row["Status"] == "Accredited"]
    assert all(isinstance(row["Accredited at"], dt.datetime) for row in accredited)
    # Wall-clock Astana time, as the commission's own records read.
    assert all(row["Accredited at"] <= dt.datetime(2023, 2, 13, 11, 29) for row in accredited)
    assert all(row["Accredited at"] is None for row in rows if row["Status"] == "Nominated")


def test_it_keeps_to_one_mission_and_adds_mission_sheets_when_asked(as_rita: TestClient[Litestar]) -> None:
    book = workbook(as_rita.get(ROSTER, params={"as_of": KAZINFORM, "mission": "odihr"}).content)
    assert {row["Mission"] for row in roster_rows(book["Roster"])} == {"OSCE/ODIHR Election Observation Mission"}

    book = workbook(as_rita.get(ROSTER, params={"as_of": KAZINFORM, "per_mission": "true"}).content)
    everyone = roster_rows(book["Roster"])
    missions = book.sheetnames[2:]
    assert "odihr" in missions
    assert sum(len(roster_rows(book[name])) for name in missions) == len(everyone)


def test_badge_numbers_and_decisions_appear_from_the_instant_they_were_issued(as_rita: TestClient[Litestar]) -> None:
    # The Belarusian delegation, nominated on 22 February, was accredited at noon on 27 February.
    def belarus(as_of: str) -> list[dict[str, Any]]:
        content = as_rita.get(ROSTER, params={"as_of": as_of, "mission": "by"}).content
        return roster_rows(workbook(content)["Roster"])

    before, after = belarus("2023-02-27T11:59+06:00"), belarus("2023-02-27T12:00+06:00")

    assert len(before) == len(after) == 3
    assert {(row["Status"], row["Badge number"], row["Decision reference"]) for row in before} == {
        ("Nominated", None, None)
    }
    assert {(row["Status"], row["Decision reference"]) for row in after} == {("Accredited", "CEC-2023/0227-1")}
    assert all(row["Badge number"] for row in after)


def test_it_writes_russian_and_kazakh_headers_and_names(as_rita: TestClient[Litestar]) -> None:
    russian = workbook(as_rita.get(ROSTER, params={"as_of": KAZINFORM, "lang": "ru"}).content)
    kazakh = workbook(as_rita.get(ROSTER, params={"as_of": KAZINFORM, "lang": "kk"}).content)

    assert russian.sheetnames[:2] == ["Сводка", "Список наблюдателей"]
    assert russian["Summary" if "Summary" in russian else "Сводка"]["A1"].value == (
        "97 международных наблюдателей из 11 стран и 3 международных организаций"
    )
    assert next(russian["Список наблюдателей"].iter_rows(values_only=True))[3] == "Гражданство"
    missions = {row[5] for row in russian["Список наблюдателей"].iter_rows(min_row=2, values_only=True)}
    assert {"Миссия ОБСЕ/БДИПЧ по наблюдению за выборами", "Миссия наблюдателей от СНГ"} <= missions
    header = russian["Список наблюдателей"].oddHeader
    assert (header.left.text, header.right.text) == (
        "Выборы депутатов Мажилиса Парламента Республики Казахстан 2023 года",
        "По состоянию на 22 февраля 2023, 21:13 (Asia/Almaty)",
    )
    assert kazakh.worksheets[0]["A1"].value == "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы"
    assert next(kazakh.worksheets[1].iter_rows(values_only=True))[3] == "Азаматтығы"
    assert "Аккредиттелді" in {row[7] for row in kazakh.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "ЕҚЫҰ/ДИАҚБ сайлауды бақылау жөніндегі миссиясы" in {
        row[5] for row in kazakh.worksheets[1].iter_rows(min_row=2, values_only=True)
    }


def test_a_name_that_looks_like_a_formula_stays_text(as_rita: TestClient[Litestar]) -> None:
    formula = '=HYPERLINK("http://example.org/x","click")'
    assert nominate(as_rita, person=new_person("Formula Person", name_original=formula)).status_code == 201

    book = workbook(as_rita.get(ROSTER, params={"status": "nominated"}).content)

    cells = [row[1] for row in book["Roster"].iter_rows(min_row=2) if row[2].value == "Formula Person"]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert cells[0].value == formula


def test_each_download_is_in_the_audit_trail(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.AuditEntry, m.AuditEntry.action == "export")

    as_rita.get(ROSTER, params={"mission": "odihr"})

    assert count_rows(demo_db, m.AuditEntry, m.AuditEntry.action == "export") == before + 1
    assert count_rows(demo_db, m.AuditEntry, m.AuditEntry.action == "export", m.AuditEntry.actor.contains("rita")) == 1


def test_a_press_officer_cannot_download_the_roster(as_pat: TestClient[Litestar]) -> None:
    assert as_pat.get(ROSTER).status_code == 403
    assert as_pat.get("/staff/elections/majilis-2023/roster").status_code == 403


def test_an_anonymous_visitor_cannot_download_the_roster(client: TestClient[Litestar]) -> None:
    response = client.get(ROSTER)

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"as_of": "2023-02-30"}, 400, "as_of"),
        ({"lang": "de"}, 400, "lang"),
        ({"status": "approved"}, 400, "status"),
        ({"mission": "nobody"}, 404, None),
    ],
)
def test_bad_filters_get_a_clear_error(
    as_rita: TestClient[Litestar], params: dict[str, str], status: int, field: str | None
) -> None:
    response = as_rita.get(ROSTER, params=params)

    assert response.status_code == status
    if field:
        assert field in fields_named(response)
    else:
        assert "nobody" in response.json()["detail"]


def test_the_staff_page_offers_the_filters_and_sends_the_file(as_rita: TestClient[Litestar]) -> None:
    form = as_rita.get("/staff/elections/majilis-2023/roster")
    assert form.status_code == 200
    assert 'name="as_of"' in form.text
    assert 'value="odihr"' in form.text

    response = as_rita.get(
        "/staff/elections/majilis-2023/roster",
        params={"as_of": "2023-02-09", "mission": "odihr", "lang": "en", "download": "1"},
    )

    assert response.status_code == 200
    rows = roster_rows(workbook(response.content)["Roster"])
    assert len([row for row in rows if row["Status"] == "Accredited"]) == 13


def test_the_staff_page_names_a_wrong_instant_on_the_form(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.get("/staff/elections/majilis-2023/roster", params={"as_of": "yesterday", "download": "1"})

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "is not a date or a date and time" in response.text
    assert 'aria-invalid="true"' in response.text
