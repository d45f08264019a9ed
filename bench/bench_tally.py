"""The tally engine on the synthetic election of a million accreditations, against hand-written SQL.

    python -m bench.bench_tally [--accreditations 1000000] [--repetitions 5] [--database-url URL]

Two measurements:

- the tally as of an instant (counts by sender and status, and by role and nationality, with the
  names of the senders), against the same counts written by hand in SQL and run on the database
  driver itself (sqlite3 or asyncpg), the rows added up in a few lines of Python;
- the current tally as the public API serves it, timed inside the app (the ASGI app called directly,
  no network): the first request, which counts, and the median of the requests after it, which the
  app answers from its copy until the data changes; against the raw SQL for the same current counts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import sqlite3
import statistics
import time
import tracemalloc
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench import synthetic
from bench.timing import HEADER, Measurement
from tracker import models as m
from tracker.app import create_app
from tracker.db import alchemy_config
from tracker.settings import Settings
from tracker.tally import tally_as_of

# The evening before voting day: most accreditations are decided, a few are still pending.
INSTANT = dt.datetime.combine(synthetic.VOTING_DAY, dt.time(21, 13), tzinfo=synthetic.ZONE) - dt.timedelta(days=1)

BY_MISSION = """
SELECT e.mission_id, e.status, count(*) FROM status_event e
WHERE e.election_id = {p1} AND e.status IN ('accredited', 'nominated')
  AND e.effective_at <= {p2} AND (e.valid_until IS NULL OR e.valid_until > {p2})
  AND e.accreditation_id NOT IN (SELECT a.id FROM accreditation a WHERE a.election_id = {p1} AND a.is_test)
GROUP BY e.mission_id, e.status
"""
BY_ROLE_AND_NATIONALITY = """
SELECT a.role, p.nationality_code, count(*) FROM status_event e
JOIN accreditation a ON a.id = e.accreditation_id
JOIN person p ON p.id = a.person_id
JOIN mission s ON s.id = e.mission_id
WHERE e.election_id = {p1} AND e.status = 'accredited'
  AND e.effective_at <= {p2} AND (e.valid_until IS NULL OR e.valid_until > {p2})
  AND s.sender_kind IN ('foreign_state', 'international_organization')
  AND e.accreditation_id NOT IN (SELECT t.id FROM accreditation t WHERE t.election_id = {p1} AND t.is_test)
GROUP BY a.role, p.nationality_code
"""
MISSIONS = "SELECT id, sender_kind, country_code, organization_id FROM mission WHERE election_id = {p1}"
COUNTRIES = "SELECT code, name_en, name_ru, name_kk FROM country"
ORGANIZATIONS = "SELECT id, slug, name_en, name_ru, name_kk FROM organization"


def summarize(missions: list[Any], by_mission: list[Any], by_role_nationality: list[Any]) -> dict[str, int]:
    """What the raw side adds up: the same headline numbers the tally gives."""
    kind = {row[0]: row for row in missions}
    observers: dict[tuple[str, Any], int] = {}
    for mission_id, status, n in by_mission:
        sender_kind, country, organization = kind[mission_id][1:]
        if status == "accredited" and sender_kind != "domestic_organization":
            key = (sender_kind, country if sender_kind == "foreign_state" else organization)
            observers[key] = observers.get(key, 0) + n
    return {
        "observers": sum(observers.values()),
        "countries": sum(1 for (k, _), n in observers.items() if k == "foreign_state" and n),
        "organizations": sum(1 for (k, _), n in observers.items() if k != "foreign_state" and n),
        "by_role_and_nationality": sum(n for *_, n in by_role_nationality),
    }


QUERIES = {
    "missions": MISSIONS,
    "by_mission": BY_MISSION,
    "by_role_and_nationality": BY_ROLE_AND_NATIONALITY,
    # The names of the senders and nationalities, as the tally gives them.
    "countries": COUNTRIES,
    "organizations": ORGANIZATIONS,
}


class RawSql:
    """The hand-written side: the database driver and nothing else."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self.sqlite = url.get_backend_name() == "sqlite"
        self.path = url.database or ""
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def counts(self, election_id: int, at: dt.datetime) -> dict[str, int]:
        rows = self._sqlite(election_id, at) if self.sqlite else asyncio.run(self._postgres(election_id, at))
        return summarize(rows["missions"], rows["by_mission"], rows["by_role_and_nationality"])

    def _sqlite(self, election_id: int, at: dt.datetime) -> dict[str, list[Any]]:
        # Stored as advanced-alchemy stores an aware datetime on SQLite: UTC, as text.
        values = {"p1": election_id, "p2": at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")}
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            return {
                name: connection.execute(sql.format(p1=":p1", p2=":p2"), values).fetchall()
                for name, sql in QUERIES.items()
            }

    async def _postgres(self, election_id: int, at: dt.datetime) -> dict[str, list[Any]]:
        import asyncpg

        connection = await asyncpg.connect(self.dsn)
        try:
            rows = {}
            for name, sql in QUERIES.items():
                arguments = [value for key, value in (("p1", election_id), ("p2", at)) if "{" + key + "}" in sql]
                rows[name] = await connection.fetch(sql.format(p1="$1", p2="$2"), *arguments)
            return rows
        finally:
            await connection.close()


def project_counts(database_url: str, at: dt.datetime) -> dict[str, int]:
    async def run() -> dict[str, int]:
        config = alchemy_config(Settings(database_url=database_url))
        try:
            async with config.get_session() as session:
                election = await session.scalar(select(m.Election).where(m.Election.slug == synthetic.SLUG))
                assert election is not None
                tally = await tally_as_of(session, election, at)
        finally:
            await config.get_engine().dispose()
        return {
            "observers": tally.observers,
            "countries": tally.countries,
            "organizations": tally.organizations,
            "by_role_and_nationality": sum(tally.by_role.values()),
        }

    return asyncio.run(run())


def measure_as_of(database_url: str, backend: str, accreditations: int, repetitions: int) -> Measurement:
    raw = RawSql(database_url)
    election_id = _election_id(database_url)
    project_times, raw_times = [], []
    for _ in range(repetitions):
        start = time.perf_counter()
        expected = raw.counts(election_id, INSTANT)
        raw_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        got = project_counts(database_url, INSTANT)
        project_times.append(time.perf_counter() - start)
        if got != expected:
            raise SystemExit(f"the tally and the hand-written SQL disagree: {got} against {expected}")
    # One more run, traced: tracing every allocation slows Python down, so it never runs while timing.
    tracemalloc.start()
    project_counts(database_url, INSTANT)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return Measurement(
        name=f"tally as of an instant, {accreditations:,} accreditations ({backend})",
        baseline="hand-written SQL on the driver, same counts (checked equal)",
        project_seconds=statistics.median(project_times),
        baseline_seconds=statistics.median(raw_times),
        project_peak_mb=peak,
        goal="≤ 1.5×",
    )


def measure_served(database_url: str, backend: str, accreditations: int, requests: int) -> tuple[Measurement, float]:
    """The median of `requests` answers of the API inside the app, and the first answer's seconds."""
    raw = RawSql(database_url)
    election_id = _election_id(database_url)
    start = time.perf_counter()
    raw.counts(election_id, dt.datetime.now(dt.UTC))
    raw_seconds = time.perf_counter() - start
    first, times = asyncio.run(_served(database_url, requests))
    return (
        Measurement(
            name=f"current tally served by the API inside the app, {accreditations:,} ({backend})",
            baseline="the raw SQL of the same current counts",
            project_seconds=statistics.median(times),
            baseline_seconds=raw_seconds,
            project_peak_mb=None,
            goal="≤ 5 ms median",
        ),
        first,
    )


async def _served(database_url: str, requests: int) -> tuple[float, list[float]]:
    app = create_app(Settings(database_url=database_url, public_api_per_minute=10**9))
    path = f"/api/elections/{synthetic.SLUG}/tally"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def one() -> float:
        start = time.perf_counter()
        await app(dict(scope), receive, send)  # type: ignore[arg-type]
        return time.perf_counter() - start

    async with app.lifespan():
        first = await one()
        times = [await one() for _ in range(requests)]
    if set(statuses) != {200}:
        raise SystemExit(f"the tally API answered {sorted(set(statuses))}")
    return first, times


def _election_id(database_url: str) -> int:
    async def run() -> int:
        config = alchemy_config(Settings(database_url=database_url))
        try:
            async with config.get_session() as session:
                return int(await session.scalar(select(m.Election.id).where(m.Election.slug == synthetic.SLUG)) or 0)
        finally:
            await config.get_engine().dispose()

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> list[Measurement]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accreditations", type=int, default=1_000_000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="answers of the API timed after the first")
    parser.add_argument("--database-url", help="PostgreSQL (postgresql+asyncpg://…) or SQLite; default var/bench/")
    arguments = parser.parse_args(argv)
    election = synthetic.ensure(arguments.accreditations, arguments.database_url)
    backend = "PostgreSQL" if make_url(election.database_url).get_backend_name() == "postgresql" else "SQLite"
    as_of = measure_as_of(election.database_url, backend, arguments.accreditations, arguments.repetitions)
    served, first = measure_served(election.database_url, backend, arguments.accreditations, arguments.requests)
    print(HEADER)
    for result in (as_of, served):
        print(result.line())
    print(
        f"\nThe first request to the tally API counted, in {first * 1000:,.0f} ms; the median above is of the "
        f"{arguments.requests} after it, answered from the app's copy until the data changes."
    )
    return [as_of, served]


if __name__ == "__main__":
    main()
