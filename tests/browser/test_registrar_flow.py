"""A registrar signs in, creates a mission, adds two observers, accredits them, and the public
tally goes up by two — in a real browser against the production server."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PASSWORD, RITA, Backend, in_thread
from tests.servers import serving
from tracker.db import alchemy_config
from tracker.services.audit import SYSTEM
from tracker.services.elections import ElectionData, ElectionService
from tracker.settings import Settings

pytestmark = pytest.mark.browser
SLUG = "by-election-2026"


@pytest.fixture
def open_election_server(backend: Backend) -> Iterator[str]:
    """The demo, plus an election whose accreditation window is open now."""
    url = backend.fresh("demo")

    async def add_election() -> None:
        config = alchemy_config(Settings(database_url=url))
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        try:
            async with config.get_session() as session, session.begin():
                await ElectionService(session=session).create_election(
                    ElectionData(
                        slug=SLUG,
                        name_en="By-election 2026",
                        name_ru="Дополнительные выборы 2026",
                        name_kk="Қосымша сайлау 2026",
                        voting_day=(now + dt.timedelta(days=30)).date(),
                        time_zone="Asia/Almaty",
                        window_opens_at=now - dt.timedelta(days=10),
                        window_closes_at=now + dt.timedelta(days=20),
                        badge_prefix="BE26",
                    ),
                    SYSTEM,
                )
        finally:
            await config.get_engine().dispose()

    in_thread(lambda: asyncio.run(add_election()))
    try:
        with serving(url) as base:
            yield base
    finally:
        backend.drop(url)


def public_count(page: Any, base: str, what: str) -> int:
    page.goto(base + "/?lang=en")
    return int(page.locator(f"section[data-election='{SLUG}'] [data-count='{what}']").inner_text())


def test_a_registrar_accredits_two_observers_and_the_public_tally_goes_up_by_two(
    browser: Any, open_election_server: str, artifacts: Path
) -> None:
    base = open_election_server
    page = browser.new_page()
    before = public_count(page, base, "observers")

    page.goto(base + "/staff")
    assert "/staff/sign-in" in page.url
    page.get_by_label("Email").fill(RITA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.rstrip("/").endswith("/staff")

    page.goto(f"{base}/staff/elections/{SLUG}/missions/new")
    page.screenshot(path=str(artifacts / "staff-mission-form.png"), full_page=True)
    page.get_by_role("textbox", name="Name", exact=True).fill("Delegation of Mongolia")
    page.get_by_label("Short name (in addresses)").fill("mn")
    page.get_by_label("Sender").select_option("country:MN")
    page.get_by_label("Expected size").fill("2")
    page.get_by_role("button", name="Save").click()
    assert page.locator("tr[data-mission='mn']").count() == 1
    page.screenshot(path=str(artifacts / "staff-missions.png"), full_page=True)

    badges = []
    for latin, original, document in [
        ("Ganbold Jishee", "Ганболд Жишээ", "E1234567"),
        ("Sarantuya Turshilt", "Сарантуяа Туршилт", "E7654321"),
    ]:
        page.goto(f"{base}/staff/elections/{SLUG}/accreditations/new?mission=mn")
        page.get_by_label("Role").select_option("short_term_observer")
        page.get_by_label("Name in the original script").fill(original)
        page.get_by_label("Name in Latin letters").fill(latin)
        page.get_by_label("Nationality").select_option("MN")
        page.get_by_label("Travel document number").fill(document)
        page.get_by_role("button", name="Nominate").click()
        assert page.locator("[data-current-status]").get_attribute("data-current-status") == "nominated"

        decision = page.locator("form[action$='/transition']")
        decision.get_by_label("New status").select_option("accredited")
        decision.get_by_label("Decision reference").fill("CEC-2026/1")
        decision.get_by_role("button", name="Save the status").click()
        assert page.locator("[data-current-status]").get_attribute("data-current-status") == "accredited"
        badges.append(page.locator("[data-badge]").inner_text())
    page.screenshot(path=str(artifacts / "staff-accreditation.png"), full_page=True)

    assert badges == ["BE26-00001", "BE26-00002"]
    assert public_count(page, base, "observers") == before + 2
    assert public_count(page, base, "countries") == 1
    page.close()
