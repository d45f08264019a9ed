"""The public site in a real browser: the seeded figures, the as-of picker with and without JavaScript, the
language switch that keeps the moment, a phone's width, the day-by-day chart, and a screenshot of each page."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

# The phone: 390 px wide (an iPhone 12 to 15).
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
KAZINFORM_TYPED = "2023-02-22 21:13"
KAZINFORM = {
    "en": "97 international observers from 11 countries and three international organizations",
    "ru": "97 международных наблюдателей из 11 стран и 3 международных организаций",
    "kk": "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы",
}
# The accreditation window opens on 19 January 2023 (Astana time): to 22 February is 35 days.
DAYS_TO_KAZINFORM = 35


def api(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.load(response)


def counts(page: Any, scope: str = "body") -> tuple[int, ...]:
    area = page.locator(scope)
    return tuple(
        int(area.locator(f"[data-count='{key}']").inner_text()) for key in ("observers", "countries", "organizations")
    )


def pick_moment(page: Any, typed: str) -> None:
    page.get_by_label("The tally at another moment").fill(typed)
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()


def test_the_home_and_election_pages_show_the_figures_of_now(browser: Any, live_server: str) -> None:
    now = api(live_server, "/api/elections/majilis-2023/tally")
    page = browser.new_page()
    page.goto(live_server + "/")

    section = page.locator("section[data-election='majilis-2023']")
    assert section.locator(".headline").inner_text() == now["headline"]
    assert counts(page, "section[data-election='majilis-2023']") == (
        now["observers"],
        now["countries"],
        now["organizations"],
    )
    # The demo's record runs to voting day: 208 observers after the last accreditations of 10 March.
    assert (now["observers"], now["countries"], now["organizations"]) == (208, 16, 4)

    section.locator("h2 a").click()
    assert urlparse(page.url).path == "/elections/majilis-2023"
    assert page.locator("[data-headline]").inner_text() == now["headline"]
    assert counts(page) == (now["observers"], now["countries"], now["organizations"])
    assert page.locator("[data-table='by-sender'] tbody tr").count() == len(
        [sender for sender in now["by_sender"] if sender["observers"] or sender["nominated"]]
    )
    assert page.locator("[data-now]").count() == 0
    page.close()


def test_the_picker_shows_the_tally_at_the_moment_typed(browser: Any, live_server: str, artifacts: Path) -> None:
    page = browser.new_page()
    page.goto(live_server + "/elections/majilis-2023")

    pick_moment(page, KAZINFORM_TYPED)

    assert page.locator("[data-headline]").inner_text() == KAZINFORM["en"]
    assert counts(page) == (97, 11, 3)
    assert page.locator("time[data-as-of]").get_attribute("datetime") == "2023-02-22T21:13:00+06:00"
    assert page.get_by_label("The tally at another moment").input_value() == KAZINFORM_TYPED
    page.screenshot(path=str(artifacts / "public-election-2023-02-22.png"), full_page=True)

    page.locator("[data-now]").click()
    assert page.locator("[data-headline]").inner_text().startswith("208 international observers")
    page.close()


def test_the_language_switch_keeps_the_moment(browser: Any, live_server: str, artifacts: Path) -> None:
    page = browser.new_page()
    page.goto(live_server + "/elections/majilis-2023")
    pick_moment(page, KAZINFORM_TYPED)

    page.get_by_role("link", name="Русский").click()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("[data-headline]").inner_text() == KAZINFORM["ru"]
    assert counts(page) == (97, 11, 3)

    page.get_by_role("link", name="Қазақша").click()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("[data-headline]").inner_text() == KAZINFORM["kk"]
    # The moment typed, as Kazakh writes it.
    assert page.locator("input[name='as_of']").input_value() == "22.02.2023 21:13"
    languages = page.locator("nav.languages a")
    assert [(languages.nth(n).get_attribute("lang"), languages.nth(n).get_attribute("hreflang")) for n in range(2)] == [
        ("en", "en"),
        ("ru", "ru"),
    ]
    page.screenshot(path=str(artifacts / "public-election-kk.png"), full_page=True)

    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("[data-headline]").inner_text() == KAZINFORM["en"]
    page.close()


def test_the_picker_works_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/elections/majilis-2023")

    pick_moment(page, KAZINFORM_TYPED)

    assert page.locator("[data-headline]").inner_text() == KAZINFORM["en"]
    assert counts(page) == (97, 11, 3)
    page.get_by_role("link", name="Қазақша").click()
    assert page.locator("[data-headline]").inner_text() == KAZINFORM["kk"]
    context.close()


def test_a_bad_moment_keeps_the_form_and_says_under_it_what_is_wrong(browser: Any, live_server: str) -> None:
    page = browser.new_page()
    page.goto(live_server + "/elections/majilis-2023?lang=ru")
    page.get_by_label("Итоги на другой момент").fill("22/02/2023")

    with page.expect_response(lambda response: "as_of=" in response.url) as answer:
        page.get_by_role("button", name="Показать").click()

    assert answer.value.status == 400
    field = page.get_by_label("Итоги на другой момент")
    assert field.input_value() == "22/02/2023"
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator("#as-of-error").inner_text().startswith("'22/02/2023' — не дата и не дата со временем")
    page.close()


def test_the_chart_draws_steps_and_loads_nothing(browser: Any, live_server: str, artifacts: Path) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server + "/elections/majilis-2023?as_of=2023-02-22T21:13")

    chart = page.locator("svg.chart")
    assert chart.get_attribute("role") == "img"
    assert chart.locator("title").text_content() == "Accredited international observers, day by day"
    # The line starts three days before the first accreditation (9 February): 17 days to 22 February, as steps.
    assert chart.get_attribute("data-points") == str(DAYS_TO_KAZINFORM - 18)
    assert set(chart.locator("path").get_attribute("d")[1:]) <= set("0123456789.,HV")
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 100

    table = page.locator("[data-table='timeline']")
    assert not table.is_visible()
    page.get_by_text("The figures as a table").click()
    assert table.is_visible()
    assert table.locator("tbody tr").count() == DAYS_TO_KAZINFORM
    assert table.locator("tbody tr").last.inner_text().split("\t")[-1].strip() == "97"
    chart.screenshot(path=str(artifacts / "public-election-chart.png"))

    assert {urlparse(url).netloc for url in requested} == {urlparse(live_server).netloc}
    page.close()


def test_the_chart_is_drawn_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/elections/majilis-2023?as_of=2023-02-22T21:13")

    box = page.locator("svg.chart path").bounding_box()
    assert box is not None
    assert box["width"] > 100
    context.close()


def public_pages(base: str) -> dict[str, str]:
    bulletin = api(base, "/api/bulletins?election=majilis-2023")[0]
    news = api(base, "/api/news?election=majilis-2023")[0]
    return {
        "home": "/",
        "election": "/elections/majilis-2023",
        "election-2023-02-22": "/elections/majilis-2023?as_of=2023-02-22T21:13",
        "bulletin": f"/bulletins/{bulletin['id']}",
        "news": f"/news/{news['id']}",
        "bulletins": "/bulletins",
        "news-index": "/news",
    }


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_nothing_is_wider_than_a_phone(browser: Any, live_server: str, artifacts: Path, lang: str) -> None:
    page = browser.new_page(viewport=PHONE)
    for name, path in public_pages(live_server).items():
        page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
        # The chart's table too: open, it must fit (or scroll in its own box) like the others.
        for summary in page.locator("figure.timeline summary").all():
            summary.click()

        assert page.locator("html").get_attribute("lang") == lang
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{name} ({lang}) is {width[0]} px wide on a {width[1]} px screen"
        wider = page.evaluate(
            """() => [...document.body.querySelectorAll('*')]
                .filter(element => !element.closest('.scroll'))
                .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
                .map(element => element.tagName + '.' + element.className)"""
        )
        assert wider == [], f"{name} ({lang}): {wider}"
        page.screenshot(path=str(artifacts / f"public-{name}-{lang}-phone.png"), full_page=True)
    page.close()


def test_a_screenshot_of_each_page(browser: Any, live_server: str, artifacts: Path) -> None:
    page = browser.new_page(viewport=WIDE)
    for name, path in public_pages(live_server).items():
        response = page.goto(live_server + path)
        assert response is not None
        assert response.status == 200, f"{name}: {response.status}"
        assert page.locator("h1").count() == 1
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{name} is {width[0]} px wide on a {width[1]} px screen"
        page.screenshot(path=str(artifacts / f"public-{name}.png"), full_page=True)
    page.close()


def test_the_pages_keep_to_their_content_security_policy(browser: Any, live_server: str) -> None:
    page = browser.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    for path in [*public_pages(live_server).values(), "/verify", "/staff/sign-in"]:
        answer = page.goto(live_server + path)
        assert answer is not None
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        # The style sheet applied: the page is laid out as designed, not as the browser's default.
        assert page.evaluate("getComputedStyle(document.body).maxWidth") == "1024px"

    assert refused == []
    page.close()
