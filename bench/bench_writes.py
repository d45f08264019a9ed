"""Writes on the synthetic election, and the first public answers after them, on a copy of it (the cached election
stays as generated, so that every run measures the same data).

For each write (a transition, a decision, an import) through the project's services, committed:
- the first tally of the public API and the first election page after it, inside the app (the write moves the
  data version, so neither is answered from a copy), against the event-scan SQL of the same current counts;
- the write's own time, against the same write less its time in `tracker.summaries.record_moves` (timed by
  wrapping it in this process only): what keeping the summaries adds to a write.
Each write takes accreditations nobody wrote to before in the run: the highest-numbered accredited one, the
first nominated ones, new people for an import.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

import tracker.services.decisions
import tracker.services.transitions
from bench import synthetic
from bench.asgi import AppClient, app_client
from bench.bench_import import make_list
from bench.raw_sql import RawSql
from bench.timing import Measurement
from tracker import models as m
from tracker.db import alchemy_config
from tracker.instants import utc_now
from tracker.services.accreditations import AccreditationService, TransitionData
from tracker.services.audit import SYSTEM
from tracker.services.decisions import DecisionData, DecisionService
from tracker.services.imports import ImportService
from tracker.settings import Settings

TALLY_API = f"/api/elections/{synthetic.SLUG}/tally"
PAGE = f"/elections/{synthetic.SLUG}"
S = m.Status
# Where the services call record_moves from (each imported it by name).
CALLERS = (tracker.services.transitions, tracker.services.decisions)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--decided", type=int, default=50, help="accreditations in each decision")
    parser.add_argument("--imported", type=int, default=1_000, help="rows of the import read after")
    parser.add_argument("--imported-cost", type=int, default=10_000, help="rows of the import whose cost is timed")
    parser.add_argument("--writes", type=int, default=5, help="repetitions of each write")


class SummariesTimer:
    """The seconds spent in tracker.summaries.record_moves, by wrapping it where the services call it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._originals = [module.record_moves for module in CALLERS]

    def __enter__(self) -> SummariesTimer:
        original = self._originals[0]

        async def timed(*args: Any, **kwargs: Any) -> None:
            start = time.perf_counter()
            try:
                await original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        for module in CALLERS:
            module.record_moves = timed  # type: ignore[attr-defined]
        return self

    def __exit__(self, *_: object) -> None:
        for module, original in zip(CALLERS, self._originals, strict=True):
            module.record_moves = original  # type: ignore[attr-defined]


Write = Callable[[AsyncSession, m.Election], Awaitable[None]]


class Writes:
    """The writes, each prepared (its accreditations or file chosen) outside the time it returns."""

    def __init__(self, database_url: str, decided: int) -> None:
        self.config = alchemy_config(Settings(database_url=database_url))
        self.decided = decided
        self.imports = 0
        self.decisions = 0

    async def timed(self, prepare: Callable[[AsyncSession, m.Election], Awaitable[Write]]) -> tuple[float, float]:
        """Seconds of the write to its commit, and of those in record_moves."""
        async with self.config.get_session() as session:
            election = await session.scalar(select(m.Election).where(m.Election.slug == synthetic.SLUG))
            assert election is not None
            write = await prepare(session, election)
            await session.commit()
            with SummariesTimer() as timer:
                start = time.perf_counter()
                await write(session, election)
                await session.commit()
                return time.perf_counter() - start, timer.seconds

    async def transition(self, session: AsyncSession, election: m.Election) -> Write:
        event = m.StatusEvent
        accreditation_id = await session.scalar(
            select(event.accreditation_id)
            .where(event.election_id == election.id, event.current(), event.status == S.ACCREDITED)
            .order_by(event.accreditation_id.desc())
            .limit(1)
        )
        assert accreditation_id is not None
        version = await session.scalar(select(m.Accreditation.version).where(m.Accreditation.id == accreditation_id))
        data = TransitionData(status=S.WITHDRAWN, version=int(version or 0), reason="Could not come (benchmark)")

        async def write(session: AsyncSession, _: m.Election) -> None:
            await AccreditationService(session=session).transition(accreditation_id, data, SYSTEM)

        return write

    async def decision(self, session: AsyncSession, election: m.Election) -> Write:
        event = m.StatusEvent
        ids = list(
            await session.scalars(
                select(event.accreditation_id)
                .where(event.election_id == election.id, event.current(), event.status == S.NOMINATED)
                .order_by(event.accreditation_id)
                .limit(self.decided)
            )
        )
        if len(ids) < self.decided:
            raise SystemExit(f"{len(ids)} nominated accreditations left for a decision of {self.decided}")
        self.decisions += 1
        data = DecisionData(
            accreditation_ids=ids,
            reference=f"BENCH/{self.decisions}",
            decided_on=election.local(utc_now()).date(),
            outcome="accredited",
            override_reason="Benchmark: accredited after the window closed",
        )

        async def write(session: AsyncSession, election: m.Election) -> None:
            await DecisionService(session).decide(election, data, SYSTEM)

        return write

    def importing(self, rows: int) -> Callable[[AsyncSession, m.Election], Awaitable[Write]]:
        """An upload of a list of `rows` new people to a mission no import wrote to before; the write is the
        import itself (its check and its rows), as the registrar's "import" button runs it."""

        async def prepare(session: AsyncSession, election: m.Election) -> Write:
            mission = await session.scalar(
                select(m.Mission)
                .where(m.Mission.election_id == election.id)
                .order_by(m.Mission.id.desc())
                .offset(self.imports)
                .limit(1)
            )
            assert mission is not None
            content = make_list(rows, batch=1 + self.imports)
            self.imports += 1
            service = ImportService(session)
            batch = await service.upload(election, mission, "list.xlsx", content, SYSTEM)

            async def write(session: AsyncSession, _: m.Election) -> None:
                done = await ImportService(session).commit(batch, SYSTEM)
                if done.rows_created != rows:
                    raise SystemExit(f"the import created {done.rows_created} of {rows} rows")

            return write

        return prepare

    async def close(self) -> None:
        await self.config.get_engine().dispose()


async def _reads_after(
    writes: Writes,
    client: AppClient,
    raw: RawSql,
    prepare: Callable[[AsyncSession, m.Election], Awaitable[Write]],
    count: int,
) -> tuple[list[float], list[float], list[float], float, float]:
    """The first tally and page after each of `count` writes, the raw SQL's current counts after each, and the
    peak traced memory of a tally and a page after one more write."""
    tallies, pages, raws = [], [], []
    election_id = await _election_id(writes)
    for _ in range(count + 1):
        before = (await client.ok(TALLY_API)).headers.get(b"etag")
        await client.ok(PAGE)
        await writes.timed(prepare)
        if len(tallies) == count:
            peaks = [await _traced(client.ok(path)) for path in (TALLY_API, PAGE)]
            return tallies, pages, raws, peaks[0], peaks[1]
        tally = await client.ok(TALLY_API)
        if tally.headers.get(b"etag") == before:
            raise SystemExit("the tally after a write was answered from before it")
        tallies.append(tally.seconds)
        pages.append((await client.ok(PAGE)).seconds)
        start = time.perf_counter()
        await raw.counts(election_id, dt.datetime.now(dt.UTC))
        raws.append(time.perf_counter() - start)
    raise AssertionError("unreachable")


async def _traced(work: Awaitable[Any]) -> float:
    tracemalloc.start()
    try:
        await work
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


async def _election_id(writes: Writes) -> int:
    async with writes.config.get_session() as session:
        return int(await session.scalar(select(m.Election.id).where(m.Election.slug == synthetic.SLUG)) or 0)


async def _costs(
    writes: Writes, prepare: Callable[[AsyncSession, m.Election], Awaitable[Write]], count: int
) -> tuple[list[float], list[float], float]:
    """Each write's seconds, the same less its record_moves, and one more write's peak traced memory."""
    totals, without = [], []
    for _ in range(count):
        total, summaries = await writes.timed(prepare)
        totals.append(total)
        without.append(total - summaries)
    return totals, without, await _traced(writes.timed(prepare))


async def _measure(database_url: str, backend: str, size: str, arguments: argparse.Namespace) -> list[Measurement]:
    writes = Writes(database_url, arguments.decided)
    count = arguments.writes
    kinds = [
        ("a transition (accredited → withdrawn, AccreditationService)", writes.transition),
        (f"a decision of {arguments.decided} (DecisionService)", writes.decision),
    ]
    imported = f"an import of {arguments.imported:,} rows (ImportService: upload, then the import)"
    costly = f"an import of {arguments.imported_cost:,} rows (ImportService)"
    found: list[Measurement] = []
    reads: dict[str, list[Measurement]] = {}
    try:
        async with app_client(database_url) as client, RawSql(database_url) as raw:
            # The import first: the people it nominates are there for the decisions to take, however small the
            # election.
            for name, prepare in [(imported, writes.importing(arguments.imported)), *kinds]:
                tallies, pages, raws, tally_peak, page_peak = await _reads_after(writes, client, raw, prepare, count)
                for what, times, peak, goal in (
                    ("tally of the API", tallies, tally_peak, "≤ 50 ms"),
                    ("election page", pages, page_peak, "≤ 150 ms"),
                ):
                    reads.setdefault(name, []).append(
                        Measurement(
                            name=f"first {what} after {name}, {size} accreditations ({backend})",
                            baseline="event-scan SQL of the same current counts",
                            project_seconds=statistics.median(times),
                            baseline_seconds=statistics.median(raws),
                            project_peak_mb=peak,
                            goal=goal,
                        )
                    )
        found += [measurement for name, _ in [*kinds, (imported, None)] for measurement in reads[name]]
        for name, prepare, repetitions in (
            *((name, prepare, count) for name, prepare in kinds),
            (costly, writes.importing(arguments.imported_cost), max(1, min(count, 3))),
        ):
            totals, without, peak = await _costs(writes, prepare, repetitions)
            found.append(
                Measurement(
                    name=f"write: {name}, to its commit, {size} accreditations ({backend})",
                    baseline="the same write less its time in tracker.summaries.record_moves",
                    project_seconds=statistics.median(totals),
                    baseline_seconds=statistics.median(without),
                    project_peak_mb=peak,
                    goal="≤ 2×",
                )
            )
    finally:
        await writes.close()
    return found


def measure(database_url: str, backend: str, size: str, arguments: argparse.Namespace) -> list[Measurement]:
    with copied(database_url) as copy:
        return asyncio.run(_measure(copy, backend, size, arguments))


@contextlib.contextmanager
def copied(database_url: str) -> Iterator[str]:
    """A copy of the database for the writes, dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        # Named for this process: two runs at once each write to their own copy.
        copy = path.with_name(f"{path.stem}-writes-{os.getpid()}{path.suffix}")
        files = [Path(f"{copy}{suffix}") for suffix in ("", "-wal", "-shm")]
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for file in files:
            file.unlink(missing_ok=True)
        shutil.copyfile(path, copy)
        try:
            yield synthetic.sqlite_url(copy)
        finally:
            for file in files:
                file.unlink(missing_ok=True)
        return
    name = url.database or ""
    copy_name = f"{name}_writes_{os.getpid()}"
    asyncio.run(
        _admin(
            database_url,
            f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)',
            f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}" STRATEGY FILE_COPY',
        )
    )
    try:
        yield url.set(database=copy_name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(database_url, f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)'))


async def _admin(database_url: str, *statements: str) -> None:
    import asyncpg

    dsn = make_url(database_url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()
