"""The suite's log scan (tests.log_scan) finds what it looks for."""

from __future__ import annotations

import logging

from tests import log_scan
from tests.conftest import PASSWORD


def test_a_logged_birth_date_or_password_is_found_and_the_tests_own_client_is_left_out() -> None:
    before = len(log_scan.kept)
    try:
        logging.getLogger("tracker.somewhere").warning("person born %s", "1911-11-11")
        logging.getLogger("litestar").error("signing in with %s", PASSWORD)
        logging.getLogger("httpx").info("GET /api/persons?birth_date=1911-11-11")
        found = log_scan.leaks()[-2:]
    finally:
        del log_scan.kept[before:]

    assert found[0].startswith("tracker.somewhere: ")
    assert "1911-11-11" in found[0]
    assert found[1].startswith("litestar: ")
    assert len(found) == 2
