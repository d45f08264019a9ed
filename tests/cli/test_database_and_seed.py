"""`tracker database upgrade` builds the schema from empty; `tracker seed` adds the demo once."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.cli.runner import tracker
from tests.conftest import Backend, in_thread, read
from tracker import models as m
from tracker.summaries import KEYS, LATEST, checkpoint_of

TABLES = [m.Country, m.Organization, m.Election, m.Mission, m.Person, m.Accreditation, m.StatusEvent, m.NewsItem]


def row_counts(url: str) -> dict[str, int]:
    async def count() -> dict[str, int]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return {
                    model.__tablename__: await connection.scalar(select(func.count()).select_from(model))
                    for model in TABLES
                }
        finally:
            await engine.dispose()

    return in_thread(lambda: asyncio.run(count()))


def table_names(url: str) -> set[str]:
    async def names() -> set[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        finally:
            await engine.dispose()

    return in_thread(lambda: asyncio.run(names()))


def test_upgrade_builds_the_schema_from_empty_then_seed_loads_once(backend: Backend) -> None:
    url = backend.empty()
    try:
        upgrade = tracker(url, "database", "upgrade", "--no-prompt")
        assert upgrade.returncode == 0, upgrade.stderr
        assert {model.__tablename__ for model in TABLES} | {"mission_news", "alembic_version"} <= table_names(url)

        first = tracker(url, "seed")
        assert first.returncode == 0, first.stderr
        # The 2023 record's 213 and the fictional election's 32.
        assert "accreditations: 245" in first.stdout
        after_first = row_counts(url)
        assert after_first["country"] >= 249
        assert after_first["election"] == 2

        second = tracker(url, "seed")
        assert second.returncode == 0, second.stderr
        assert "nothing to add" in second.stdout
        assert row_counts(url) == after_first

        again = tracker(url, "database", "upgrade", "--no-prompt")
        assert again.returncode == 0, again.stderr
    finally:
        backend.drop(url)


def rows_at(url: str, slot: int) -> int:
    """The missions' summary rows at `slot`, in every election."""
    [(count,)] = read(url, select(func.count()).where(m.MissionSlot.slot == slot))
    return int(count)


def checkpoints(url: str) -> int:
    [(count,)] = read(url, select(func.count()).select_from(m.TallyCheckpoint))
    return int(count)


def test_the_upgrades_since_the_summaries_make_their_rows_at_latest_and_at_checkpoints(backend: Backend) -> None:
    """A database summarised in blocks of hours (revision 0016, as it left them) gets the rows per slot, at LATEST
    and at checkpoints: `tracker check` then finds every count as the events make it, and a row at every checkpoint
    after each key's first change."""
    url = backend.empty()
    try:
        for command in (("database", "upgrade", "--no-prompt"), ("seed",)):
            done = tracker(url, *command)
            assert done.returncode == 0, done.stderr
        keys = rows_at(url, KEYS)
        assert keys > 0
        assert rows_at(url, LATEST) == keys
        assert checkpoints(url) > 0

        # Back to 0016, whose summaries were blocks of hours: each revision since builds on what the one before left.
        down = tracker(url, "database", "downgrade", "e7b2d4f6a8c1", "--no-prompt")
        assert down.returncode == 0, down.stderr
        up = tracker(url, "database", "upgrade", "--no-prompt")
        assert up.returncode == 0, up.stderr

        assert rows_at(url, LATEST) == keys
        # One in every hour with a change, at its last slot, in each election.
        slots = [
            read(url, select(model.election_id, model.slot).where(model.slot.between(0, LATEST - 1)))
            for model in (m.MissionSlot, m.BreakdownSlot)
        ]
        starts = {(election_id, checkpoint_of(slot)) for rows in slots for election_id, slot in rows}
        assert checkpoints(url) == len(starts)
        for election in ("majilis-2023", "demo-fictional"):
            checked = tracker(url, "check", election)
            assert checked.returncode == 0, checked.stdout
            assert checked.stdout.endswith(": no disagreement\n")
    finally:
        backend.drop(url)
