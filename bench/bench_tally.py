"""The tally engine on the synthetic election of a million accreditations, against hand-written SQL over the
status events (bench/raw_sql.py), both measured in the same run.

    python -m bench.bench_tally [--accreditations 1000000] [--database-url URL] [--instants 20] [--repetitions 5]

What is measured, each with the project's median, the raw SQL's, their ratio and the project's peak traced memory:

- a tally as of a random instant inside the window, every cache off (`tally_as_of` called directly), against the
  event-scan SQL at a few of the same instants (counts checked equal);
- the timeline, every day of the window, against the accredited periods scanned and added up per day in Python;
- a tally as of a moment as known at it, a few days before the window closed (it scans the events as recorded
  by then), against the event-scan SQL as of the same instant from today's records;
- the current tally as the public API serves it, inside the app (the ASGI app called directly): the first
  request, which counts, and the requests after it, answered from the app's copy until the data changes;
- writes and the first answers after them (bench/bench_writes.py), on a copy of the election;
- building the summaries from the events, as the migration does (bench/build_summaries.py).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bench import bench_writes, synthetic
from bench.asgi import app_client
from bench.build_summaries import build_summaries
from bench.raw_sql import RawSql, tally_counts
from bench.timing import HEADER, Measurement
from tracker import models as m
from tracker.db import alchemy_config
from tracker.settings import Settings
from tracker.tally import tally_as_of
from tracker.timeline import timeline, timeline_instants

T = TypeVar("T")
SEED = 21
# Instants at which the raw side also counts (it takes seconds at a million).
RAW_INSTANTS = 5
# A tally as known at a moment this long before the window closed: much was recorded after it, so it scans.
KNOWN_BEFORE_CLOSE = dt.timedelta(days=3)
TALLY_API = f"/api/elections/{synthetic.SLUG}/tally"


@dataclass
class TallyRun:
    measurements: list[Measurement] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    """What the table cannot say: the first request's time, the summaries' build."""


class Project:
    """The project's side: one engine, a new session for each tally, only the engine's call timed."""

    def __init__(self, database_url: str) -> None:
        self.config = alchemy_config(Settings(database_url=database_url))
        self.election_id = 0

    async def start(self) -> m.Election:
        async with self.config.get_session() as session:
            election = await session.scalar(select(m.Election).where(m.Election.slug == synthetic.SLUG))
            assert election is not None, "no synthetic election"
            self.election_id = election.id
        # As the app does once started (tracker.app): what the process loaded stays out of the collector's passes.
        if gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()
        return election

    async def timed(self, work: Callable[[AsyncSession, m.Election], Awaitable[T]]) -> tuple[T, float]:
        async with self.config.get_session() as session:
            election = await session.get(m.Election, self.election_id)
            assert election is not None
            start = time.perf_counter()
            result = await work(session, election)
            return result, time.perf_counter() - start

    async def peak_mb(self, work: Callable[[AsyncSession, m.Election], Awaitable[Any]]) -> float:
        """One more run, traced: tracing every allocation slows Python down, so it never runs while timing."""
        tracemalloc.start()
        try:
            await self.timed(work)
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    async def close(self) -> None:
        await self.config.get_engine().dispose()


async def _timed(work: Awaitable[T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = await work
    return result, time.perf_counter() - start


def _disagree(what: str, got: Any, expected: Any) -> None:
    if got != expected:
        raise SystemExit(f"{what}: the project and the hand-written SQL disagree: {got} against {expected}")


async def measure_reads(
    database_url: str, backend: str, size: str, instants: int, repetitions: int, lines: list[str]
) -> list[Measurement]:
    project = Project(database_url)
    try:
        election = await project.start()
        async with RawSql(database_url) as raw:
            return [
                await _as_of_random_instants(project, raw, election, backend, size, instants),
                await _timeline(project, raw, election, backend, size, repetitions),
                await _known_at(project, raw, election, backend, size, repetitions, lines),
            ]
    finally:
        await project.close()


async def _as_of_random_instants(
    project: Project, raw: RawSql, election: m.Election, backend: str, size: str, count: int
) -> Measurement:
    rng = random.Random(SEED)
    window = election.window_closes_at - election.window_opens_at
    instants = [election.window_opens_at + window * rng.random() for _ in range(count)]
    project_times, raw_times = [], []
    for n, instant in enumerate(instants):
        tally, seconds = await project.timed(lambda session, e, at=instant: tally_as_of(session, e, at))
        project_times.append(seconds)
        if n < RAW_INSTANTS:
            expected, seconds = await _timed(raw.counts(election.id, instant))
            raw_times.append(seconds)
            _disagree(f"the tally as of {instant.isoformat()}", tally_counts(tally), expected)
    return Measurement(
        name=f"tally as of an instant, {size} accreditations ({backend})",
        baseline=f"event-scan SQL on the driver, {len(raw_times)} of the {count} random instants (checked equal)",
        project_seconds=statistics.median(project_times),
        baseline_seconds=statistics.median(raw_times),
        project_peak_mb=await project.peak_mb(lambda session, e: tally_as_of(session, e, instants[0])),
        goal="≤ 50 ms and ≤ 0.02×",
    )


async def _timeline(
    project: Project, raw: RawSql, election: m.Election, backend: str, size: str, repetitions: int
) -> Measurement:
    until = election.window_closes_at
    ats = [at for _, at in timeline_instants(election, until)]

    def points(found: Any) -> list[tuple[int, int, int]]:
        return [(point.observers, point.countries, point.organizations) for point in found]

    project_times, raw_times = [], []
    for n in range(max(repetitions, 3)):
        found, seconds = await project.timed(lambda session, e: timeline(session, e, until))
        project_times.append(seconds)
        if n < repetitions:
            expected, seconds = await _timed(raw.timeline(election.id, ats))
            raw_times.append(seconds)
            _disagree("the timeline", points(found), expected)
    return Measurement(
        name=f"timeline, every day of the window ({len(ats)} days), {size} accreditations ({backend})",
        baseline="accredited periods scanned by SQL, added up per day in Python (checked equal)",
        project_seconds=statistics.median(project_times),
        baseline_seconds=statistics.median(raw_times),
        project_peak_mb=await project.peak_mb(lambda session, e: timeline(session, e, until)),
        goal="≤ 100 ms",
    )


async def _known_at(
    project: Project, raw: RawSql, election: m.Election, backend: str, size: str, repetitions: int, lines: list[str]
) -> Measurement:
    known_at = election.window_closes_at - KNOWN_BEFORE_CLOSE

    def tally(session: AsyncSession, e: m.Election) -> Awaitable[Any]:
        return tally_as_of(session, e, known_at, known_at=known_at)

    project_times, raw_times = [], []
    for _ in range(repetitions):
        _, seconds = await _timed(raw.counts(election.id, known_at))
        raw_times.append(seconds)
        found, seconds = await project.timed(tally)
        project_times.append(seconds)
    # Checked against the same SQL over the records known then (not timed); today's records give other counts
    # wherever something was recorded late.
    expected = await raw.counts(election.id, known_at, known_at)
    _disagree(f"the tally known at {known_at.isoformat()}", tally_counts(found), expected)
    today = await raw.counts(election.id, known_at)
    lines.append(
        f"As of {known_at.isoformat()} ({backend}): {expected['observers']:,} international observers and "
        f"{expected['nominated']:,} nominated as known then; {today['observers']:,} and {today['nominated']:,} "
        "from today's records, which hold what was recorded late."
    )
    return Measurement(
        name=f"tally as of a moment as known at it, {KNOWN_BEFORE_CLOSE.days} days before the window closed, "
        f"{size} accreditations ({backend})",
        baseline="event-scan SQL as of the same instant, today's records: the as-of tally before summaries "
        "(counts checked equal to that SQL over the records known then)",
        project_seconds=statistics.median(project_times),
        baseline_seconds=statistics.median(raw_times),
        project_peak_mb=await project.peak_mb(tally),
        goal="≤ 1.5×",
    )


async def measure_served(database_url: str, backend: str, size: str, requests: int) -> tuple[Measurement, float]:
    """The median of `requests` answers of the API inside the app, and the first answer's seconds."""
    project = Project(database_url)
    try:
        election = await project.start()
    finally:
        await project.close()
    async with RawSql(database_url) as raw:
        _, raw_seconds = await _timed(raw.counts(election.id, dt.datetime.now(dt.UTC)))
    async with app_client(database_url) as client:
        first = (await client.ok(TALLY_API)).seconds
        times = [(await client.ok(TALLY_API)).seconds for _ in range(requests)]
    return (
        Measurement(
            name=f"current tally served by the API inside the app, {size} ({backend})",
            baseline="the raw SQL of the same current counts",
            project_seconds=statistics.median(times),
            baseline_seconds=raw_seconds,
            project_peak_mb=None,
            goal="≤ 5 ms median",
        ),
        first,
    )


def run(argv: list[str] | None = None) -> TallyRun:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accreditations", type=int, default=1_000_000)
    parser.add_argument("--instants", type=int, default=20, help="random instants of the tally as of an instant")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200, help="answers of the API timed after the first")
    parser.add_argument("--database-url", help="PostgreSQL (postgresql+asyncpg://…) or SQLite; default var/bench/")
    bench_writes.add_arguments(parser)
    arguments = parser.parse_args(argv)
    election = synthetic.ensure(arguments.accreditations, arguments.database_url)
    url = election.database_url
    backend = "PostgreSQL" if make_url(url).get_backend_name() == "postgresql" else "SQLite"
    size = f"{arguments.accreditations:,}"
    result = TallyRun()
    result.measurements += asyncio.run(
        measure_reads(url, backend, size, arguments.instants, arguments.repetitions, result.lines)
    )
    served, first = asyncio.run(measure_served(url, backend, size, arguments.requests))
    result.measurements.append(served)
    result.lines.append(
        f"The first request to the tally API counted, in {first * 1000:,.0f} ms; the median above is of the "
        f"{arguments.requests} after it, answered from the app's copy until the data changes ({backend})."
    )
    result.measurements += bench_writes.measure(url, backend, size, arguments)
    built = build_summaries(url, synthetic.SLUG)
    result.lines.append(built.line(arguments.accreditations, backend))
    return result


def main(argv: list[str] | None = None) -> list[Measurement]:
    result = run(argv)
    print(HEADER)
    for measurement in result.measurements:
        print(measurement.line())
    print()
    for line in result.lines:
        print(line)
    return result.measurements


if __name__ == "__main__":
    main()
