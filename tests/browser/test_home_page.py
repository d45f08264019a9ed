"""The public home page in a real browser: the seeded figures, three languages, no JavaScript needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
CURRENT_EN = "208 international observers from 16 countries and four international organizations"
# The home page lists every election; the 2023 record's is this one (the demo's fictional election comes first).
HEADLINE_2023 = "section[data-election='majilis-2023'] .headline"


def test_it_shows_the_current_headline_and_counts(browser: Any, live_server: str, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(live_server + "/")

    section = page.locator("section[data-election='majilis-2023']")
    assert section.locator(".headline").inner_text() == CURRENT_EN
    assert section.locator("[data-count='countries']").inner_text() == "16"
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(artifacts / "home-en-phone.png"), full_page=True)
    page.close()


def test_the_language_switch_shows_russian_and_kazakh(browser: Any, live_server: str, artifacts: Path) -> None:
    page = browser.new_page()
    page.goto(live_server + "/")

    page.get_by_role("link", name="Русский").click()
    assert page.locator(HEADLINE_2023).inner_text() == (
        "208 международных наблюдателей из 16 стран и 4 международных организаций"
    )
    assert page.locator("html").get_attribute("lang") == "ru"

    page.get_by_role("link", name="Қазақша").click()
    assert page.locator(HEADLINE_2023).inner_text() == "16 елден және 4 халықаралық ұйымнан 208 халықаралық байқаушы"
    page.screenshot(path=str(artifacts / "home-kk.png"), full_page=True)
    page.close()


def test_it_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/?lang=ru")

    assert "208 международных наблюдателей" in page.locator(HEADLINE_2023).inner_text()
    context.close()
