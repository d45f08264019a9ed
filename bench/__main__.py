"""Every benchmark in one run, each against its raw baseline, written to bench/results/latest.md with
the machine and the package versions they ran on.

    python -m bench [--postgres postgresql+asyncpg://…] [--out bench/results/latest.md] [--tiny]

The tally and the public site run on the SQLite synthetic election, and on PostgreSQL as well when a
URL is given (an empty database, or one holding this generator's election of the same size). `--tiny`
runs every benchmark once on tiny data: what `make test` does so that none of them can rot.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import bench_badges, bench_bulletin, bench_import, bench_public, bench_roster, bench_tally, timing
from tracker.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results" / "latest.md"
PACKAGES = (
    "litestar",
    "advanced-alchemy",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "granian",
    "jinja2",
    "msgspec",
    "openpyxl",
    "reportlab",
    "babel",
)


@dataclass
class Run:
    measurements: list[timing.Measurement] = field(default_factory=list)
    throughputs: list[bench_public.Throughput] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_all(postgres: str | None, tiny: bool, scratch: Path) -> Run:
    run = Run()
    sizes = _tiny_arguments(scratch) if tiny else {}
    run.measurements.append(bench_import.main(sizes.get("import", [])))
    run.measurements.append(bench_roster.main(sizes.get("roster", [])))
    run.measurements.append(bench_bulletin.main(sizes.get("bulletin", [])))
    run.measurements.append(bench_badges.main(sizes.get("badges", [])))
    databases: list[list[str]] = [sizes.get("database", [])]
    if postgres:
        databases.append(["--database-url", postgres])
    for database in databases:
        tally = bench_tally.run([*sizes.get("tally", []), *database])
        run.measurements.extend(tally.measurements)
        run.notes.extend(tally.lines)
        run.throughputs.extend(bench_public.main([*sizes.get("public", []), *database]))
    run.notes.append(
        f"The public site's project server ran with TRACKER_PUBLIC_API_PER_MINUTE={bench_public.RATE_LIMIT}: "
        "all the load comes from 127.0.0.1, which the limit per address would otherwise answer with 429."
    )
    return run


def _tiny_arguments(scratch: Path) -> dict[str, list[str]]:
    return {
        "import": ["--rows", "40", "--repetitions", "1"],
        "roster": ["--rows", "50", "--repetitions", "1"],
        "bulletin": ["--senders", "5", "--repetitions", "1"],
        "badges": ["--cards", "4", "--repetitions", "1"],
        "database": ["--database-url", f"sqlite+aiosqlite:///{scratch / 'synthetic.sqlite3'}"],
        "tally": [
            *("--accreditations", "200", "--instants", "3", "--repetitions", "1", "--requests", "5"),
            *("--writes", "1", "--decided", "5", "--imported", "20", "--imported-cost", "40"),
        ],
        "public": ["--accreditations", "200", "--seconds", "1", "--rounds", "1", "--warmup", "0"],
    }


def machine(postgres: str | None) -> list[str]:
    lines = [
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores seen by Python",
        f"- memory: {_memory_gb():.1f} GB",
        f"- system: {platform.platform()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- load generator: {'wrk' if Path(bench_public.WRK).exists() else 'the asyncio client in bench_public'}",
    ]
    if postgres:
        lines.append(f"- PostgreSQL: {_postgres_version(postgres)}")
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    lines.append(f"- packages: {versions}")
    return lines


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _postgres_version(url: str) -> str:
    import asyncio

    import asyncpg
    from sqlalchemy.engine import make_url

    async def ask() -> str:
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            return str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()

    return asyncio.run(ask())


def code_version() -> str:
    """The commit the run starts from (the code it imports then), and whether the code differed from it."""
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    changed = _git("status", "--porcelain", "--", "tracker", "bench", "templates", "reports", ":!bench/results")
    return f"commit {commit}{' with uncommitted changes' if changed else ''}"


def _git(*arguments: str) -> str:
    found = subprocess.run(["git", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    return found.stdout.strip()


def report(run: Run, postgres: str | None, command: str, seconds: float, code: str) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "# Benchmark results",
        "",
        f"`{command}`, {when}, {code}, {seconds / 60:.0f} min in all.",
        "Each project path and its raw baseline ran in the same process run, alternating; times are medians.",
        "",
        "## Machine",
        "",
        *machine(postgres),
        "",
        "## Times",
        "",
        timing.HEADER,
        *(measurement.line() for measurement in run.measurements),
        "",
        "## Requests per second, granian with two workers",
        "",
        bench_public.HEADER,
        *(throughput.line() for throughput in run.throughputs),
        "",
        *(f"{note}\n" for note in run.notes),
    ]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="also run the tally and the public site on this PostgreSQL database")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--tiny", action="store_true", help="every benchmark once, on tiny data")
    arguments = parser.parse_args(argv)
    start, code = time.perf_counter(), code_version()
    with tempfile.TemporaryDirectory() as scratch:
        run = run_all(arguments.postgres, arguments.tiny, Path(scratch))
    command = (
        "python -m bench" + (" --postgres URL" if arguments.postgres else "") + (" --tiny" if arguments.tiny else "")
    )
    text = report(run, arguments.postgres, command, time.perf_counter() - start, code)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(text, encoding="utf-8")
    print(f"\n{text}\nWritten to {arguments.out}", file=sys.stdout)
    return arguments.out


if __name__ == "__main__":
    # A stop request runs the clean-up too: the benchmark's servers are ended.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
