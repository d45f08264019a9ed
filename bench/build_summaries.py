"""Building the synthetic election's tally summaries from its events, timed, with the peak memory it took.

The build is `tracker.summaries_rebuild.rebuild`: the statements the migration runs for an existing database, a day of
events at a time. It runs in a process of its own (spawned, not forked) so that the process's peak resident
memory is the build's, not the generator's or the other benchmarks'.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import resource
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tracker import models as m
from tracker.db import alchemy_config
from tracker.settings import Settings
from tracker.summaries import dialect_of
from tracker.summaries_rebuild import clustered, rebuild


@dataclass(frozen=True)
class SummariesBuilt:
    seconds: float
    """From the first statement to the commit."""
    peak_rss_mb: float
    """The building process's peak resident memory (SQLite works inside it; PostgreSQL in its server)."""
    rss_before_mb: float
    """The same process's peak before the build began: Python, the project's modules and the engine."""
    rows: int
    """Summary rows of the election afterwards."""

    def line(self, accreditations: int, backend: str) -> str:
        return (
            f"The tally summaries of {accreditations:,} accreditations were built from the events "
            f"(tracker.summaries_rebuild.rebuild, as the migration builds them) in {self.seconds:,.1f} s ({backend}): "
            f"{self.rows:,} summary rows; the process's peak RSS {self.peak_rss_mb:,.0f} MB, "
            f"{self.rss_before_mb:,.0f} MB before the build began."
        )


def build_summaries(database_url: str, slug: str) -> SummariesBuilt:
    """Build the election's summaries again (the same rows as before, when it had them) and commit."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        built: SummariesBuilt = pool.apply(_build, (database_url, slug))
    if make_url(database_url).get_backend_name() == "postgresql":
        asyncio.run(_vacuum(database_url))
    return built


def _peak_rss_mb() -> float:
    """The process's peak resident memory: VmHWM on Linux, which starts afresh in a new program (the rusage
    maximum does not: it keeps the parent's size at the fork)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _build(database_url: str, slug: str) -> SummariesBuilt:
    async def run() -> SummariesBuilt:
        config = alchemy_config(Settings(database_url=database_url))
        try:
            async with config.get_session() as session:
                election_id = await session.scalar(select(m.Election.id).where(m.Election.slug == slug))
                assert election_id is not None
                await session.commit()
                before = _peak_rss_mb()
                start = time.perf_counter()
                await rebuild(session, election_id)
                for statement in clustered(dialect_of(session)):
                    await session.execute(statement)
                await session.commit()
                seconds, peak = time.perf_counter() - start, _peak_rss_mb()
                rows = 0
                for model in (m.MissionSlot, m.BreakdownSlot):
                    rows += (
                        await session.scalar(
                            select(func.count()).select_from(model).where(model.election_id == election_id)
                        )
                        or 0
                    )
                return SummariesBuilt(seconds, peak, before, rows)
        finally:
            await config.get_engine().dispose()

    return asyncio.run(run())


async def _vacuum(database_url: str) -> None:
    """What autovacuum would soon do after the rows were replaced: the dead rows gone, the planner's
    statistics fresh, so that the tallies measured next read the summaries as they will be."""
    import asyncpg

    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("VACUUM ANALYZE tally_mission_slot, tally_breakdown_slot")
    finally:
        await connection.close()
