"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright; never a downloaded browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, skip_or_fail
from tests.servers import serving

CHROMIUM = os.environ.get("TRACKER_TEST_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's services from a machine with no network.
QUIET = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Playwright's sync API keeps an event loop running in this thread while it lives: module scope
    # ends it before the async tests that follow need a loop of their own.
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium: {CHROMIUM} is missing (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright's Python package is missing (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=QUIET)
        yield launched
        launched.close()


@pytest.fixture
def live_server(demo_db: str) -> Iterator[str]:
    with serving(demo_db) as base:
        yield base


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
