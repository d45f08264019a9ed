"""The production server under load, with a worker killed in the middle: nothing acknowledged is lost.

granian serves the app with two workers (and respawns a failed one, as the README's deployment
does). For a bounded time, readers ask for the public pages and API while registrars nominate and
accredit observers through the API; half-way, one worker is killed with SIGKILL. Afterwards every
write that was answered 2xx is in the database, the tally equals a recount made in plain SQL, and no
answer was a 5xx (a connection cut by the killed worker is not an answer).
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from tests.conftest import ARTIFACTS, PASSWORD, RITA, read
from tests.servers import server_process
from tests.web.api_helpers import new_person

SECONDS = 16
READERS = 4
WRITERS = 3
READS = [
    "/",
    "/elections/majilis-2023",
    "/api/elections/majilis-2023/tally",
    "/api/elections/majilis-2023/tally.csv",
    "/api/elections/majilis-2023/senders",
    "/api/bulletins",
]
RECOUNT = text(
    """
    SELECT count(*) FROM status_event e
    JOIN mission s ON s.id = e.mission_id
    JOIN accreditation a ON a.id = e.accreditation_id
    JOIN election l ON l.id = e.election_id
    WHERE l.slug = 'majilis-2023' AND e.valid_until IS NULL AND e.status = 'accredited'
      AND s.sender_kind IN ('foreign_state', 'international_organization') AND NOT a.is_test
    """
)


@dataclass
class Record:
    statuses: Counter[int | str] = field(default_factory=Counter)
    nominated: list[int] = field(default_factory=list)
    accredited: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, status: int | str) -> None:
        with self.lock:
            self.statuses[status] += 1


def workers_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30, trust_env=False)
    client.get("/staff/sign-in")
    answer = client.post(
        "/api/session",
        json={"email": RITA, "password": PASSWORD},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )
    assert answer.status_code == 200, answer.text
    return client


def writer(base: str, number: int, until: float, record: Record) -> None:
    client = signed_in(base)
    counter = itertools.count()
    try:
        while time.monotonic() < until:
            n = next(counter)
            person = new_person(f"Load Writer{number} N{n}", document_number=f"LW{number}N{n:05d}")
            body = {"mission": "odihr", "role": "short_term_observer", "person": person}
            body["effective_at"] = "2023-03-10T10:00:00+06:00"
            try:
                created = client.post(
                    "/api/elections/majilis-2023/accreditations",
                    json=body,
                    headers={"x-csrftoken": client.cookies["csrftoken"]},
                )
            except httpx.TransportError:
                record.answered("connection error")
                continue
            record.answered(created.status_code)
            if created.status_code != 201:
                continue
            accreditation = created.json()
            with record.lock:
                record.nominated.append(accreditation["id"])
            try:
                done = client.post(
                    f"/api/accreditations/{accreditation['id']}/transitions",
                    json={
                        "status": "accredited",
                        "version": accreditation["version"],
                        "effective_at": "2023-03-11T12:00:00+06:00",
                        "decision_ref": f"CEC-LOAD-{number}-{n}",
                    },
                    headers={"x-csrftoken": client.cookies["csrftoken"]},
                )
            except httpx.TransportError:
                record.answered("connection error")
                continue
            record.answered(done.status_code)
            if done.status_code == 201:
                with record.lock:
                    record.accredited.append(accreditation["id"])
    finally:
        client.close()


def reader(base: str, until: float, record: Record, seed: int) -> None:
    pick = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30, trust_env=False) as client:
        while time.monotonic() < until:
            try:
                answer = client.get(pick.choice(READS), headers={"Accept-Language": pick.choice(["en", "ru", "kk"])})
            except httpx.TransportError:
                record.answered("connection error")
                continue
            record.answered(answer.status_code)


def guarded(work: Any, record: Record, *args: Any) -> threading.Thread:
    """A thread whose failure is recorded, so that a client that stopped early fails the test."""

    def run() -> None:
        try:
            work(*args)
        except Exception as error:
            record.failures.append(f"{work.__name__}: {error!r}")

    return threading.Thread(target=run)


def test_a_worker_killed_under_load_loses_no_acknowledged_write(demo_db: str) -> None:
    record = Record()
    # All the readers share 127.0.0.1: the public API's limit per address would soon answer them 429.
    unlimited = {"TRACKER_PUBLIC_API_PER_MINUTE": "1000000"}
    with server_process(demo_db, workers=2, respawn=True, environment=unlimited) as (base, server):
        before = httpx.get(f"{base}/api/elections/majilis-2023/tally", trust_env=False).json()["observers"]
        start = time.monotonic()
        until = start + SECONDS
        threads = [guarded(writer, record, base, n, until, record) for n in range(WRITERS)]
        threads += [guarded(reader, record, base, until, record, n) for n in range(READERS)]
        for thread in threads:
            thread.start()
        time.sleep(SECONDS / 2)
        workers = workers_of(server.pid)
        assert len(workers) >= 2, workers
        os.kill(workers[0], signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=SECONDS + 60)
        elapsed = time.monotonic() - start
        after = httpx.get(f"{base}/api/elections/majilis-2023/tally", trust_env=False).json()["observers"]

    kept = read(demo_db, text("SELECT id FROM accreditation"))
    accredited_now = read(
        demo_db, text("SELECT accreditation_id FROM status_event WHERE valid_until IS NULL AND status = 'accredited'")
    )
    lost_nominations = set(record.nominated) - {row[0] for row in kept}
    lost_accreditations = set(record.accredited) - {row[0] for row in accredited_now}
    server_errors = {status: n for status, n in record.statuses.items() if isinstance(status, int) and status >= 500}
    summary = (
        f"load with faults ({demo_db.split(':')[0]}): {elapsed:.1f} s, {READERS} readers, {WRITERS} writers, "
        f"one of two workers killed at {SECONDS / 2:.0f} s; answers {dict(record.statuses)}; "
        f"writes acknowledged: {len(record.nominated)} nominations, {len(record.accredited)} accreditations; "
        f"lost: {len(lost_nominations) + len(lost_accreditations)}; tally {before} -> {after}\n"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "load-with-faults.txt").open("a", encoding="utf-8") as out:
        out.write(summary)
    print(summary)

    assert record.failures == []
    assert server_errors == {}
    assert lost_nominations == set()
    assert lost_accreditations == set()
    assert len(record.accredited) > 0
    assert sum(n for status, n in record.statuses.items() if status == 200) > 100
    # The public figure, through the app, equals a count of the rows in plain SQL.
    assert after == read(demo_db, RECOUNT)[0][0]
    assert after >= before + len(record.accredited)
