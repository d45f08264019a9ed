"""A registrar imports a CIS mission's list in a real browser, in Russian: upload, review (one proposed Latin name
corrected against the passport), import the good rows; then the person's page still flags the other proposals."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, RITA
from tests.lists import xlsx

pytestmark = pytest.mark.browser
CIS_HEADER = ("№ п/п", "ФИО", "Дата рождения", "Гражданство", "№ паспорта", "Должность")
ROWS = [
    (1, "Иванов Иван Иванович", "05.03.1971", "Россия", "751234567", "Наблюдатель"),
    (2, "Сейітов Арман Болатұлы", "01.01.1980", "Кыргызстан", "AC1234567", "Наблюдатель"),
    (3, "Петрова Анна Павловна", "31.02.1975", "Россия", "751234569", "Наблюдатель"),
]


def test_a_registrar_corrects_a_proposed_latin_name_and_imports_the_good_rows(
    browser: Any, live_server: str, artifacts: Path, tmp_path: Path
) -> None:
    listing = tmp_path / "Список наблюдателей СНГ.xlsx"
    listing.write_bytes(xlsx(ROWS, header=CIS_HEADER, titles=("Список наблюдателей Миссии от СНГ", "")))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/staff/sign-in?lang=en")
    page.get_by_label("Email").fill(RITA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_server + "/staff/elections/majilis-2023/missions/kg/import?lang=ru")
    page.set_input_files("#f-file", str(listing))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()

    assert re.search(r"/staff/imports/\d+$", page.url)
    counts = page.locator("ul.counts")
    assert counts.get_attribute("data-good") == "2"
    assert counts.get_attribute("data-problem-rows") == "1"
    problem = page.locator("tr[data-problem-row='6']")
    assert "Дата рождения:" in problem.inner_text()
    assert "такой даты в календаре нет" in problem.inner_text()
    assert problem.locator("td.bad").count() == 1
    assert page.locator("[data-proposed]").count() == 3  # the row with a bad date gets its proposal too
    page.screenshot(path=str(artifacts / "staff-import-review-ru.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "staff-import-review-ru-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    row = page.locator("tr#row-5")
    row.locator("input[name=name_latin]").fill("SEITOV ARMAN")
    row.locator("button[type=submit]").click()

    assert page.url.endswith("#row-5")
    assert page.locator("[data-proposed='5']").count() == 0
    assert page.locator("tr#row-5 input[name=name_latin]").input_value() == "SEITOV ARMAN"
    page.locator("form[action$='/commit'] button[type=submit]").click()

    assert page.locator("[data-imported]").get_attribute("data-imported") == "2"
    assert page.locator("[data-left-out]").get_attribute("data-left-out") == "1"
    page.screenshot(path=str(artifacts / "staff-import-done-ru.png"), full_page=True)

    page.goto(live_server + "/staff/elections/majilis-2023/missions/kg/import?lang=kk")
    history = page.locator("table[data-history] tbody tr").first
    assert history.get_attribute("data-outcome") == "committed"
    assert "Список наблюдателей СНГ.xlsx" in history.inner_text()
    page.screenshot(path=str(artifacts / "staff-import-history-kk.png"), full_page=True)
    page.close()
