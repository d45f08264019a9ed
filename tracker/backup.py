"""A copy of an SQLite database taken while the service runs, with SQLite's own online backup.

The copy is one consistent moment: each step copies a batch of pages, and a write between steps makes
the backup start again from that moment (SQLite's rule), so a busy database is copied in small steps
that let writers through. It is written next to OUTPUT first and renamed at the end, so a backup that
fails half-way leaves no file that looks complete.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024


class BackupError(Exception):
    """What stopped a backup, in one line."""


def backup_sqlite(database_url: str, output: Path) -> int:
    """Back the database at `database_url` up to `output`; the number of pages copied."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            f"{url.get_backend_name()}: back a database server up with its own tool, "
            "e.g. pg_dump --format=custom --file=OUTPUT DATABASE (see the README)"
        )
    source_path = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source_path.is_file():
        raise BackupError(f"{url.database or '(none)'}: no such database file")
    if output.resolve() == source_path.resolve():
        raise BackupError(f"{output}: is the database itself")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent}: no such directory")
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(source_path)) as source:
            source.execute("PRAGMA busy_timeout=15000")
            with contextlib.closing(sqlite3.connect(partial)) as target:
                source.backup(target, pages=PAGES_PER_STEP)
                # The copy stands alone: one file, no write-ahead log beside it.
                target.execute("PRAGMA journal_mode=DELETE")
                pages = int(target.execute("PRAGMA page_count").fetchone()[0])
                check = target.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{output}: the copy failed its check ({check})")
        os.replace(partial, output)
    except sqlite3.Error as error:
        raise BackupError(f"{output}: {error}") from None
    except OSError as error:
        raise BackupError(f"{output}: {error.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)
    return pages
