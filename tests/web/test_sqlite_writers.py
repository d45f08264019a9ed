"""Several workers writing at once: every write is taken (on SQLite, none fails with "database is
locked": WAL, a busy timeout, and transactions that start with their first write), and the tally
counts them all. PostgreSQL runs it too."""

from __future__ import annotations

import threading
from typing import Any

from litestar.testing import TestClient

from tests.conftest import RITA, sign_in
from tests.web.api_helpers import new_person, nominate, transition
from tracker.app import create_app
from tracker.settings import Settings

WORKERS = 4
EACH = 6


def test_several_writers_at_once_all_succeed(demo_db: str) -> None:
    outcomes: list[tuple[str, int, str]] = []
    start = threading.Barrier(WORKERS)
    # Each worker its own app, engine and connections, as separate processes have. Made here, one
    # after another: Litestar imports its default plugins on first use, which threads would race.
    apps = [create_app(Settings(database_url=demo_db)) for _ in range(WORKERS)]

    def writer(number: int) -> None:
        with TestClient(app=apps[number]) as client:
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
