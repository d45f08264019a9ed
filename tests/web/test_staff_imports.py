"""Importing a list on the staff pages: upload, see how it is read, import."""

from __future__ import annotations

import re
from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import load_workbook

from tests.conftest import count_rows, form_token
from tests.lists import observers, xlsx
from tracker import models as m

UPLOAD = "/staff/elections/majilis-2023/missions/kg/import"


def upload(client: TestClient[Litestar], content: bytes, name: str = "kg.xlsx"):  # type: ignore[no-untyped-def]
    token = form_token(client, UPLOAD)
    return client.post(
        UPLOAD,
        data={"_csrf_token": token, "default_role": "short_term_observer"},
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


def test_a_registrar_uploads_checks_and_imports_a_list(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Accreditation)

    uploaded = upload(as_rita, xlsx(observers(3)))

    assert uploaded.status_code in (302, 303)
    review_url = uploaded.headers["location"]
    review = as_rita.get(review_url).text
    assert "The header was found in row 3." in review
    assert "Azamat Testov 1" in review
    assert count_rows(demo_db, m.Accreditation) == before
    token = re.search(r'name="_csrf_token" value="([^"]+)"', review)
    assert token

    done = as_rita.post(f"{review_url}/commit", data={"_csrf_token": token.group(1)}, follow_redirects=True)

    assert 'data-imported="3"' in done.text
    assert count_rows(demo_db, m.Accreditation) == before + 3


def test_problems_are_shown_and_can_be_downloaded_with_an_errors_column(as_rita: TestClient[Litestar]) -> None:
    rows = observers(3)
    rows[1] = (*rows[1][:4], "Атлантида", *rows[1][5:])

    review_url = upload(as_rita, xlsx(rows)).headers["location"]
    review = as_rita.get(review_url).text

    assert 'data-problems="1"' in review
    assert "unknown country" in review
    # All or nothing stays the default: the one import offered takes only the rows without problems.
    assert 'name="only_valid" value="1"' in review
    assert "Import the 2 rows without problems" in review
    report = as_rita.get(f"{review_url}/errors.xlsx")
    assert report.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(report.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Список наблюдателей"  # the mission's own title row comes back
    assert values[2][-1] == "Problems"
    assert values[4][-1] == "Гражданство: unknown country 'Атлантида'"
    assert values[3][-1] is None


def test_an_xls_file_is_refused_with_what_to_send_instead(as_rita: TestClient[Litestar], demo_db: str) -> None:
    response = upload(as_rita, bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, "list.xls")

    assert response.status_code == 400
    assert ".xlsx" in response.text
    # Refused: kept in the mission's history with the reason, nothing waiting to be imported.
    assert count_rows(demo_db, m.ImportBatch, m.ImportBatch.status != m.ImportStatus.REFUSED) == 0
    assert count_rows(demo_db, m.ImportBatch, m.ImportBatch.status == m.ImportStatus.REFUSED) == 1
    assert 'data-outcome="refused"' in response.text


def test_the_template_is_a_real_workbook_with_notes(as_rita: TestClient[Litestar]) -> None:
    response = as_rita.get("/staff/imports/template.xlsx", params={"lang": "ru"})

    book = load_workbook(BytesIO(response.content))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert len(header) == 9
    assert header[0].endswith(" *")
    assert re.search("[а-яё]", header[0].lower())
    assert [cell.value for cell in book.worksheets[0][2]][:2] == ["Анна Пример", "Anna Primer"]
    notes = [row[1] for row in book.worksheets[1].iter_rows(min_row=3, values_only=True)]
    assert len(notes) == 9
    assert all(notes)


def test_a_press_officer_cannot_import(as_pat: TestClient[Litestar]) -> None:
    assert as_pat.get(UPLOAD).status_code == 403


def test_staff_correct_a_column_the_header_did_not_name(as_rita: TestClient[Litestar]) -> None:
    header = ("№", "ФИО", "ФИО латиницей", "Дата рождения", "Откуда прибыл", "№ паспорта", "Должность")
    odihr_upload = "/staff/elections/majilis-2023/missions/odihr/import"
    token = form_token(as_rita, odihr_upload)
    review_url = as_rita.post(
        odihr_upload,
        data={"_csrf_token": token, "default_role": "short_term_observer"},
        files={"file": ("odihr.xlsx", xlsx(observers(2, nationality="Германия"), header=header), "application/x")},
        follow_redirects=False,
    ).headers["location"]
    assert 'data-problems="2"' in as_rita.get(review_url).text

    review = as_rita.get(review_url).text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', review)
    assert token
    mapping = {}
    for name, options in re.findall(r'<select id="map-(\w+)"[^>]*>(.*?)</select>', review, re.DOTALL):
        chosen = re.search(r'<option value="(\d+)" selected', options)
        mapping[name] = chosen.group(1) if chosen else ""
    assert mapping["nationality"] == ""
    mapping["nationality"] = "4"
    as_rita.post(f"{review_url}/mapping", data={"_csrf_token": token.group(1), **mapping, "default_role": "expert"})

    fixed = as_rita.get(review_url).text
    assert 'data-problems="0"' in fixed
    assert "Import 2 observers" in fixed


def test_a_spreadsheet_bomb_is_refused_naming_the_limit_it_reached(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.ImportBatch, m.ImportBatch.status != m.ImportStatus.REFUSED)
    out = BytesIO()
    with ZipFile(BytesIO(xlsx(observers(1))), "r") as source, ZipFile(out, "w", ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info.filename, source.read(info.filename))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            for _ in range(100):
                sheet.write(b"A" * 1_000_000)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")

    response = upload(as_rita, out.getvalue(), "Список наблюдателей.xlsx")

    assert response.status_code == 400
    assert "cell A1 of the first sheet of &#34;Список наблюдателей.xlsx&#34; holds more than 10,000 characters" in (
        response.text
    )
    assert count_rows(demo_db, m.ImportBatch, m.ImportBatch.status != m.ImportStatus.REFUSED) == before


def test_the_errors_of_a_file_named_in_russian_download_under_its_name(as_rita: TestClient[Litestar]) -> None:
    listed = observers(2)
    listed[1] = (*listed[1][:4], "Атлантида", *listed[1][5:])
    review_url = upload(as_rita, xlsx(listed), "Список наблюдателей.xlsx").headers["location"]

    report = as_rita.get(f"{review_url}/errors.xlsx")

    assert report.status_code == 200
    disposition = report.headers["content-disposition"]
    assert "filename*=UTF-8''%D0%A1%D0%BF%D0%B8%D1%81%D0%BE%D0%BA" in disposition
    assert disposition.isascii()
    assert load_workbook(BytesIO(report.content)).active["A1"].value
