"""Alembic environment, run by `tracker database upgrade` (advanced-alchemy's database commands)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from advanced_alchemy.base import metadata_registry
from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import AsyncEngine, async_engine_from_config

import tracker.models  # noqa: F401  (registers the tables)

if TYPE_CHECKING:
    from advanced_alchemy.alembic.commands import AlembicCommandConfig
    from sqlalchemy.engine import Connection

config = cast("AlembicCommandConfig", context.config)


def _options() -> dict[str, object]:
    return {
        "target_metadata": metadata_registry.get(config.bind_key),
        "compare_type": config.compare_type,
        "version_table": config.version_table_name,
        "version_table_schema": config.version_table_schema,
        "version_table_pk": config.version_table_pk,
        "user_module_prefix": config.user_module_prefix,
        # SQLite alters tables by copying them; batch mode does that for us.
        "render_as_batch": config.render_as_batch,
    }


def run_offline() -> None:
    context.configure(url=config.db_url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **_options())
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, **_options())
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    section = config.get_section(config.config_ini_section) or {}
    section["sqlalchemy.url"] = config.db_url
    engine = cast(
        "AsyncEngine",
        config.engine or async_engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool),
    )
    async with engine.connect() as connection:
        await connection.run_sync(_run)


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
