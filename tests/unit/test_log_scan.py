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


def test_an_access_line_keeps_the_path_and_drops_the_query() -> None:
    from tracker.logs import keep_query_strings_out_of_access_logs

    keep_query_strings_out_of_access_logs()
    before = len(log_scan.kept)
    access = logging.getLogger("uvicorn.access")
    try:
        record = access.makeRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5000", "GET", "/staff/elections/x/accreditations?q=C01X00T47", "1.1", 200),
            None,
        )
        for kept_filter in access.filters:
            kept_filter.filter(record)  # type: ignore[union-attr]
        line = record.getMessage()
    finally:
        del log_scan.kept[before:]

    assert line == '127.0.0.1:5000 - "GET /staff/elections/x/accreditations HTTP/1.1" 200'
