"""Every log record the app makes during the suite is kept, and scanned at the end for the personal
data and secrets the tests enter: a birth date, document number, e-mail address or phone number of a
made-up observer, a password, the secret key. One found fails the run, with where it was logged.

Records are kept by the log record factory, which every logger goes through whatever handlers the app
configures; the production servers the tests start hand their output in as they stop (tests.servers).
The tests' own HTTP client (httpx) logs the addresses it asks for and is not the app: it is left out.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

import pytest

from tracker.settings import get_settings

PERSONAL = [
    # tests.web.api_helpers.new_person
    r"C01X00T47",
    r"jana@example\.org",
    r"1980-04-02",
    # tests.web.test_no_personal_data
    r"PIIMARK77",
    r"1911-11-11",
    r"11\.11\.1911",
    r"11 (November|ноября|қараша) 1911",
    r"pii\.marker",
    r"111 773\d",
    # tests.lists: document numbers of the imported lists
    r"\bID\d{7}\b",
]
CLIENT_LOGGERS = ("httpx", "httpcore")
kept: list[tuple[str, str]] = []


def secrets() -> list[str]:
    from tests.conftest import PASSWORD

    return [re.escape(PASSWORD), re.escape(get_settings().secret_key)]


def keep(source: str, text: str) -> None:
    kept.append((source, text))


def _keeping(factory: Any) -> Any:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        if not record.name.startswith(CLIENT_LOGGERS):
            try:
                text = record.getMessage()
            except Exception:  # a bad format string is the logger's problem, not a leak
                text = str(record.msg)
            if record.exc_info and record.exc_info[1] is not None:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info))
            kept.append((record.name, text))
        return record

    return make


def leaks() -> list[str]:
    pattern = re.compile("|".join([*PERSONAL, *secrets()]))
    found = []
    for source, text in kept:
        for match in pattern.finditer(text):
            start = max(match.start() - 80, 0)
            found.append(f"{source}: …{text[start : match.end() + 80]}…")
    return found


def pytest_configure(config: pytest.Config) -> None:
    logging.setLogRecordFactory(_keeping(logging.getLogRecordFactory()))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    found = leaks()
    if not found:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"personal data or secrets in the logs ({len(found)}):", *found[:20]]
    if reporter is not None:
        reporter.write_line("\n".join(lines), red=True, bold=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
