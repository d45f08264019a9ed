"""A registrar's election week in a real browser: a mission's list imported, accredited under one decision, the
annex downloaded, and the public tally up by the list's size."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser.test_registrar_flow import SLUG, open_election_server, public_count  # noqa: F401 - a fixture
from tests.conftest import PASSWORD, RITA
from tests.lists import xlsx

pytestmark = pytest.mark.browser
HEADER = ("№", "ФИО", "Дата рождения", "Гражданство", "№ паспорта", "Должность")
ROWS = [
    (1, "Батбаяр Ганболд", "05.03.1971", "Монголия", "E1234567", "Наблюдатель"),
    (2, "Сарантуяа Очир", "12.11.1975", "Монголия", "E1234568", "Наблюдатель"),
    (3, "Иванов Иван Иванович", "01.01.1980", "Монголия", "E1234569", "Наблюдатель"),
]


def test_a_list_is_imported_accredited_under_one_decision_and_counted(
    browser: Any,
    open_election_server: str,  # noqa: F811 - the fixture imported above
    artifacts: Path,
    tmp_path: Path,
) -> None:
    base = open_election_server
    page = browser.new_page(accept_downloads=True)
    before = public_count(page, base, "observers")
    page.goto(base + "/staff/sign-in?lang=en")
    page.get_by_label("Email").fill(RITA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/staff/elections/{SLUG}/missions/new")
    page.get_by_role("textbox", name="Name", exact=True).fill("Delegation of Mongolia")
    page.get_by_label("Short name (in addresses)").fill("mn")
    page.get_by_label("Sender").select_option("country:MN")
    page.get_by_role("button", name="Save").click()

    listing = tmp_path / "Список Монголии.xlsx"
    listing.write_bytes(xlsx(ROWS, header=HEADER))
    page.goto(f"{base}/staff/elections/{SLUG}/missions/mn/import?lang=ru")
    page.set_input_files("#f-file", str(listing))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.locator("form[action$='/commit'] button[type=submit]").click()
    assert page.locator("[data-imported]").get_attribute("data-imported") == "3"

    page.locator("a[data-decide]").click()
    assert page.locator("table[data-nominated]").get_attribute("data-nominated") == "3"
    page.locator("#f-reference").fill("15/2026")
    page.locator("#f-decided_on").fill(dt.date.today().strftime("%d.%m.%Y"))
    page.screenshot(path=str(artifacts / "staff-decision-new-ru.png"), full_page=True)
    page.locator("form[action$='/decisions/new'] button[type=submit]").click()

    assert page.locator("[data-decided]").get_attribute("data-decided") == "3"
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "accredited"
    page.screenshot(path=str(artifacts / "staff-decision-ru.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("a[data-annex]").click()
    annex = download.value.path().read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(annex)).pages)
    assert "15/2026" in text
    assert "BATBAIAR GANBOLD" in text
    assert "Батбаяр Ганболд" in text
    assert public_count(page, base, "observers") == before + 3
    page.close()
