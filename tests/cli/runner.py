"""The `tracker` command run in this process, as a user's shell would run it: its output, errors and exit code.

Each run reads its settings afresh (TRACKER_DATABASE_URL among them) and builds its own app, as a new process
would; only what must be a process of its own (a command killed half-way, the installed entry point) starts one."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from litestar.cli.main import litestar_group

from tracker.__main__ import APP, run
from tracker.settings import get_settings

TRACKER = str(Path(sys.executable).with_name("tracker"))


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def tracker(database_url: str, *args: str, stdin: str | None = None) -> Ran:
    runner = CliRunner()
    with runner.isolation(input=stdin, env={"TRACKER_DATABASE_URL": database_url, "LITESTAR_APP": APP}) as (
        out,
        err,
        _,
    ):
        get_settings.cache_clear()
        # Litestar's CLI loads the app (and its commands) once per process: a new process would load it again.
        litestar_group._prepare_done = False  # type: ignore[attr-defined]
        try:
            code = run(args)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            get_settings.cache_clear()
        sys.stdout.flush()
        sys.stderr.flush()
    return Ran(code, out.getvalue().decode(), err.getvalue().decode())
