"""A large import killed while it writes: afterwards the whole file is in, or none of it is."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.cli.runner import TRACKER
from tests.cli.test_import import kg_accreditations
from tests.conftest import count_rows
from tests.lists import observers, xlsx
from tracker import models as m

ROWS = 4000


def test_an_import_killed_while_it_writes_leaves_nothing_behind(demo_db: str, tmp_path: Path) -> None:
    listing = tmp_path / "kg.xlsx"
    listing.write_bytes(xlsx(observers(ROWS)))
    before = (kg_accreditations(demo_db), count_rows(demo_db, m.Person), count_rows(demo_db, m.ImportBatch))
    process = subprocess.Popen(
        [TRACKER, "import", "majilis-2023", "--mission", "kg", str(listing)],
        env={**os.environ, "TRACKER_DATABASE_URL": demo_db},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    try:
        # Every row is checked first; "importing" starts the writing, which takes half a second or more for 4,000
        # rows on this machine (it once took less than the 0.5 s this waited, and committed before the kill).
        deadline = time.monotonic() + 120
        while "importing" not in (line := process.stderr.readline()):
            assert line, "the import ended before it began writing"
            assert time.monotonic() < deadline
        time.sleep(0.2)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)

    assert process.returncode == -signal.SIGKILL, "the import finished before it was killed: give it more rows"
    after = (kg_accreditations(demo_db), count_rows(demo_db, m.Person), count_rows(demo_db, m.ImportBatch))
    assert after == before

    # The same file imports whole afterwards: nothing half-written stands in its way.
    again = subprocess.run(
        [TRACKER, "import", "majilis-2023", "--mission", "kg", str(listing)],
        env={**os.environ, "TRACKER_DATABASE_URL": demo_db},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert kg_accreditations(demo_db) == before[0] + ROWS
