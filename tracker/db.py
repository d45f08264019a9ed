"""Database configuration: advanced-alchemy's config, SQLite made safe for several writers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from sqlalchemy import event
from sqlalchemy.engine import make_url

from tracker.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


# How a transaction begins on SQLite: the driver sends BEGIN only before the first write, so a request's reads
# run outside it and a writer never has to upgrade a read transaction (which SQLite refuses under concurrent
# writers, "database is locked", however long the busy timeout). Two consequences: a request's reads before its
# first write are not one snapshot with it, and a savepoint (`begin_nested`) opened before the first write is
# the whole transaction, committed when it is released. Services check before they write instead of undoing
# with savepoints; the one savepoint (an import's rows) holds the request's last write.
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside one writer; the busy timeout makes a second writer wait instead
    # of failing with "database is locked"; SQLite enforces foreign keys only when asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alchemy_config(settings: Settings) -> SQLAlchemyAsyncConfig:
    url = make_url(settings.database_url)
    # An SQL error that reaches a log names the statement, never the values (names, documents, dates).
    engine_options: dict[str, Any] = {"echo": settings.echo_sql, "hide_parameters": True}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        engine_options |= {
            "pool_pre_ping": True,
            "pool_size": 10,
            "max_overflow": 10,
            # PostgreSQL compiles a query costed as large to machine code first, which takes longer (seconds for
            # a timeline's hundreds of lookups) than the few thousand index rows it then reads: never worth it here.
            "connect_args": {"server_settings": {"jit": "off"}},
        }
    config = SQLAlchemyAsyncConfig(
        connection_string=settings.database_url,
        # Commit on 2xx and on the redirect that follows a successful form; roll back on errors.
        before_send_handler="autocommit_include_redirects",
        session_config=AsyncSessionConfig(expire_on_commit=False),
        engine_config=EngineConfig(**engine_options),
        alembic_config=AlembicAsyncConfig(
            script_location=str(MIGRATIONS),
            version_table_name="alembic_version",
            render_as_batch=True,
        ),
    )
    engine = config.get_engine()
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return config
