"""Several workers writing to one SQLite file at once: every write is taken, none fails with
"database is locked", and the tally counts them all."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy.engine import make_url

from tests.conftest import RITA, sign_in
from tests.web.api_helpers import new_person, nominate, transition
from tracker.app import create_app
from tracker.settings import Settings

WORKERS = 4
EACH = 6


def test_several_writers_at_once_all_succeed(demo_db: str) -> None:
    if make_url(demo_db).get_backend_name() != "sqlite":
        pytest.skip("SQLite's single writer is what this is about; PostgreSQL has its own load test")
    outcomes: list[tuple[str, int, str]] = []
    start = threading.Barrier(WORKERS)

    def writer(number: int) -> None:
        # Each worker its own app, engine and connections, as separate processes have.
        with TestClient(app=create_app(Settings(database_url=demo_db))) as client:
            sign_in(client, RITA)
            start.wait()
            for n in range(EACH):
                person = new_person(f"Writer {number} Person {n}", document_number=f"W{number}X{n:03d}")
                created = nominate(client, person=person)
                outcomes.append(("nominate", created.status_code, created.text[:200]))
                if created.status_code == 201:
                    done = transition(client, created.json(), "accredited", decision_ref=f"CEC-W{number}-{n}")
                    outcomes.append(("accredit", done.status_code, done.text[:200]))

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WORKERS)]
    with TestClient(app=create_app(Settings(database_url=demo_db))) as reader:
        before = reader.get("/api/elections/majilis-2023/tally").json()["observers"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        after = reader.get("/api/elections/majilis-2023/tally").json()["observers"]

    failed: list[Any] = [outcome for outcome in outcomes if outcome[1] >= 300]
    assert failed == []
    assert len(outcomes) == 2 * WORKERS * EACH
    assert after == before + WORKERS * EACH
