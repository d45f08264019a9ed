"""`tracker backup`: an online copy of the SQLite database that gives the same figures once restored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.cli.runner import tracker
from tests.published import PUBLISHED_2023


def figures(database_url: str) -> list[dict[str, object]]:
    answers = []
    # The first and the last published figure: each CLI call is a process of its own.
    for as_of, *_ in (PUBLISHED_2023[0], PUBLISHED_2023[-1]):
        result = tracker(database_url, "tally", "majilis-2023", "--as-of", as_of, "--json")
        assert result.returncode == 0, result.stderr
        answers.append(json.loads(result.stdout))
    return answers


def test_a_restored_backup_gives_the_same_tallies(demo_db: str, tmp_path: Path) -> None:
    if make_url(demo_db).get_backend_name() != "sqlite":
        result = tracker(demo_db, "backup", str(tmp_path / "backup.sqlite3"))
        assert result.returncode == 2
        assert result.stderr.strip().endswith("(see the README)")
        assert "pg_dump" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        return
    backup = tmp_path / "backup.sqlite3"

    result = tracker(demo_db, "backup", str(backup))

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{backup}: ")
    assert not Path(f"{backup}-wal").exists()
    assert list(tmp_path.glob("*.partial")) == []
    # Restored: the file copied into place and the service pointed at it.
    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(backup, restored)
    assert figures(f"sqlite+aiosqlite:///{restored}") == figures(demo_db)


def test_a_backup_that_cannot_be_written_is_one_line_and_exit_code_2(demo_db: str, tmp_path: Path) -> None:
    if make_url(demo_db).get_backend_name() != "sqlite":
        return
    result = tracker(demo_db, "backup", str(tmp_path / "no-such-directory" / "backup.sqlite3"))

    assert result.returncode == 2
    assert result.stderr.strip() == f"tracker: {tmp_path / 'no-such-directory'}: no such directory"

    database = make_url(demo_db).database
    result = tracker(demo_db, "backup", str(database))
    assert result.returncode == 2
    assert "is the database itself" in result.stderr
