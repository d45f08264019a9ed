"""The production server (granian) started for a test, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests import log_scan

GRANIAN = str(Path(sys.executable).with_name("granian"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(database_url: str, *, workers: int = 1, timeout: float = 30.0) -> Iterator[str]:
    """Serve the app on a free port until the block ends; yields its base URL."""
    with server_process(database_url, workers=workers, timeout=timeout) as (base, _):
        yield base


@contextmanager
def server_process(
    database_url: str,
    *,
    workers: int = 1,
    respawn: bool = False,
    timeout: float = 30.0,
    environment: dict[str, str] | None = None,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Serve the app on a free port until the block ends; yields its base URL and granian's main process."""
    port = free_port()
    env = {**os.environ, "TRACKER_DATABASE_URL": database_url, **(environment or {})}
    # A file, not a pipe nobody reads while the server runs (a full pipe would stop it).
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed when the server stops
    process = subprocess.Popen(
        [
            GRANIAN,
            "--interface",
            "asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            *(["--respawn-failed-workers", "--respawn-interval", "0.5"] if respawn else []),
            "tracker.app:create_app",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/elections", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read()
                    raise RuntimeError(f"the server did not start:\n{output}") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        log_scan.keep(f"granian serving {database_url}", log.read())
        log.close()
