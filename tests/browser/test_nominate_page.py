"""The nominate page in a real browser without JavaScript: someone on file is found by a name in Cyrillic and
chosen with a link, a refused form comes back with its summary, and it fits a phone and a desktop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, RITA

pytestmark = pytest.mark.browser
NEW = "/staff/elections/majilis-2023/accreditations/new"


def fits(page: Any, width: int) -> bool:
    """Nothing wider than the window: no sideways scrolling."""
    page.set_viewport_size({"width": width, "height": 900})
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_nominate_page_finds_someone_on_file_and_fits_a_phone_and_a_desktop(
    browser: Any, live_server: str, artifacts: Path
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/staff/sign-in?lang=en")
    page.get_by_label("Email").fill(RITA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}{NEW}?mission=odihr")
    page.get_by_label("Name in any script, or document number").fill("Демоева")
    page.get_by_role("button", name="Find").click()

    assert page.locator("tr[data-person]").count() == 4
    for width in (1280, 390):
        assert fits(page, width)
        page.screenshot(path=str(artifacts / f"staff-nominate-found-{width}.png"), full_page=True)

    page.get_by_label("Role").select_option("expert")
    page.get_by_label("Name in the original script").fill("Ингрид Пример")
    page.get_by_label("Name in Latin letters").fill("INGRID PRIMER")
    page.get_by_label("Nationality").select_option("NO")
    page.get_by_label("Travel document number").fill("№ 1")
    page.get_by_role("button", name="Nominate", exact=True).click()

    assert page.locator(".error-summary a[href='#f-document_number']").inner_text() == "Travel document number"
    assert page.get_by_label("Name in Latin letters").input_value() == "INGRID PRIMER"
    assert fits(page, 390)
    page.screenshot(path=str(artifacts / "staff-nominate-refused-390.png"), full_page=True)
    context.close()
