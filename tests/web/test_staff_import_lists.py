"""A CIS mission's list on the staff pages: Latin names proposed and corrected, problems in the registrar's
language on the page and in the errors workbook, the good rows imported now, proposals confirmed later."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import count_rows, read
from tests.lists import observers, xlsx
from tests.web.test_staff_imports import upload
from tracker import models as m

CIS_HEADER = ("№ п/п", "ФИО", "Дата рождения", "Гражданство", "№ паспорта", "Должность")
CIS_ROWS = [
    (1, "Иванов Иван Иванович", "05.03.1971", "Россия", "751234567", "Наблюдатель"),
    (2, "Сейітов Арман Болатұлы", "01.01.1980", "Кыргызстан", "AC1234567", "Наблюдатель"),
    (3, "Петрова Анна Павловна", "31.02.1975", "Атлантида", "751234569", "Наблюдатель"),
]


def cis_list() -> bytes:
    return xlsx(CIS_ROWS, header=CIS_HEADER, titles=("Список наблюдателей Миссии наблюдателей от СНГ", ""))


def token_of(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "the page has no form"
    return found.group(1)


def person_by_document(database_url: str, document: str) -> tuple[int, str, str, bool]:
    """The person's id, names and whether the Latin name is still only proposed."""
    columns = select(m.Person.id, m.Person.name_original, m.Person.name_latin, m.Person.latin_proposed)
    [person] = read(database_url, columns.where(m.Person.document_number == document))
    return tuple(person)


@pytest.mark.parametrize(
    ("lang", "country", "date", "title"),
    [
        ("en", "unknown country 'Атлантида'", "Дата рождения: ", "Problems"),
        ("ru", "неизвестная страна 'Атлантида'", "Дата рождения: ", "Ошибки"),
        ("kk", "белгісіз ел 'Атлантида'", "Дата рождения: ", "Қателер"),
    ],
)
def test_problems_are_told_in_the_registrar_s_language_on_the_page_and_in_the_workbook(
    as_rita: TestClient[Litestar], lang: str, country: str, date: str, title: str
) -> None:
    review_url = upload(as_rita, cis_list(), "Список СНГ.xlsx").headers["location"]

    review = as_rita.get(review_url, params={"lang": lang}).text
    report = as_rita.get(f"{review_url}/errors.xlsx", params={"lang": lang})

    # Both problems of row 6, each under the file's own header, in the page's language.
    assert f"Гражданство: {country}" in review.replace("&#39;", "'")
    assert date in review
    assert 'data-problem-row="6"' in review
    assert 'data-good="2"' in review
    sheet = load_workbook(BytesIO(report.content)).active
    assert sheet["A1"].value == "Список наблюдателей Миссии наблюдателей от СНГ"
    assert sheet["G3"].value == title
    errors = sheet["G6"].value
    assert errors.startswith("Дата рождения: ")
    assert f"Гражданство: {country}" in errors
    assert [sheet["G4"].value, sheet["G5"].value] == [None, None]


def test_the_good_rows_go_in_now_and_the_batch_counts_the_others(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Accreditation)
    review_url = upload(as_rita, cis_list()).headers["location"]
    batch_id = int(review_url.rsplit("/", 1)[1])
    review = as_rita.get(review_url).text
    assert "Import the 2 rows without problems" in review

    done = as_rita.post(
        f"{review_url}/commit", data={"_csrf_token": token_of(review), "only_valid": "1"}, follow_redirects=True
    ).text

    assert 'data-imported="2"' in done
    assert 'data-left-out="1"' in done
    assert count_rows(demo_db, m.Accreditation) == before + 2
    counts = select(m.ImportBatch.status, m.ImportBatch.rows_created, m.ImportBatch.rows_with_problems)
    assert read(demo_db, counts.where(m.ImportBatch.id == batch_id)) == [(m.ImportStatus.COMMITTED, 2, 1)]


def test_without_only_valid_a_list_with_problems_imports_nothing(as_rita: TestClient[Litestar], demo_db: str) -> None:
    before = count_rows(demo_db, m.Accreditation)
    review_url = upload(as_rita, cis_list()).headers["location"]
    review = as_rita.get(review_url).text

    refused = as_rita.post(f"{review_url}/commit", data={"_csrf_token": token_of(review)})

    assert refused.status_code in (400, 409, 422)
    assert count_rows(demo_db, m.Accreditation) == before


def test_a_proposed_latin_name_is_corrected_in_the_review_and_imported_as_typed(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    review_url = upload(as_rita, cis_list()).headers["location"]
    review = as_rita.get(review_url).text
    assert 'data-proposed="4"' in review
    assert 'value="IVANOV IVAN"' in review
    assert 'value="SEIITOV ARMAN"' in review

    corrected = as_rita.post(
        f"{review_url}/latin",
        data={"_csrf_token": token_of(review), "row": "5", "name_latin": "SEITOV ARMAN", "page_number": "1"},
        follow_redirects=False,
    )
    assert corrected.status_code in (302, 303)
    assert corrected.headers["location"].endswith("#row-5")
    review = as_rita.get(review_url).text
    assert 'data-proposed="5"' not in review
    assert 'value="SEITOV ARMAN"' in review
    as_rita.post(f"{review_url}/commit", data={"_csrf_token": token_of(review), "only_valid": "1"})

    typed = person_by_document(demo_db, "AC1234567")
    proposed = person_by_document(demo_db, "751234567")
    assert typed[2:] == ("SEITOV ARMAN", False)
    assert proposed[1:] == ("Иванов Иван Иванович", "IVANOV IVAN", True)


def test_a_latin_name_for_a_row_the_file_cannot_have_is_refused(as_rita: TestClient[Litestar]) -> None:
    review_url = upload(as_rita, cis_list()).headers["location"]
    review = as_rita.get(review_url).text

    refused = as_rita.post(
        f"{review_url}/latin", data={"_csrf_token": token_of(review), "row": "999999999", "name_latin": "X"}
    )

    assert refused.status_code == 400
    assert "the file has no such row" in refused.text


def test_staff_see_a_proposed_latin_name_until_someone_confirms_it(as_rita: TestClient[Litestar], demo_db: str) -> None:
    review_url = upload(as_rita, cis_list()).headers["location"]
    review = as_rita.get(review_url).text
    as_rita.post(f"{review_url}/commit", data={"_csrf_token": token_of(review), "only_valid": "1"})
    person_url = f"/staff/persons/{person_by_document(demo_db, '751234567')[0]}"

    shown = as_rita.get(person_url, params={"lang": "ru"}).text
    assert "data-latin-proposed" in shown
    assert "IVANOV IVAN" in shown
    assert "Совпадает с паспортом" in shown
    version = re.search(r'name="version" value="(\d+)"', shown)
    assert version

    confirmed = as_rita.post(
        f"{person_url}/latin-name",
        data={"_csrf_token": token_of(shown), "version": version.group(1)},
        follow_redirects=True,
    )

    assert "data-latin-proposed" not in confirmed.text
    assert person_by_document(demo_db, "751234567")[3] is False
    again = as_rita.post(f"{person_url}/latin-name", data={"_csrf_token": token_of(shown), "version": version.group(1)})
    assert again.status_code == 409  # someone confirmed or changed it meanwhile


def test_a_re_sent_list_adds_only_who_is_new_and_says_who_was_already_there(
    as_rita: TestClient[Litestar], demo_db: str
) -> None:
    first = upload(as_rita, xlsx(observers(3))).headers["location"]
    as_rita.post(f"{first}/commit", data={"_csrf_token": token_of(as_rita.get(first).text)})
    before = count_rows(demo_db, m.Accreditation)

    again = upload(as_rita, xlsx(observers(5)), "kg corrected.xlsx").headers["location"]
    review = as_rita.get(again).text
    assert 'data-good="2"' in review
    assert "3 already in the election through this mission" in review
    done = as_rita.post(f"{again}/commit", data={"_csrf_token": token_of(review)}, follow_redirects=True).text

    assert 'data-imported="2"' in done
    assert 'data-already-there="3"' in done
    assert count_rows(demo_db, m.Accreditation) == before + 2
