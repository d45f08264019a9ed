"""The public tally (JSON) and the election page of a synthetic election of a million accreditations,
served by granian as in production (ASGI, two workers), against a bare Litestar app serving a JSON
answer and a Jinja page of the same shape (`bench/bare_app.py`), loaded alike on 127.0.0.1.

    python -m bench.bench_public [--accreditations 1000000] [--seconds 10] [--rounds 3]
                                 [--connections 32] [--database-url postgresql+asyncpg://…]

The load comes from wrk when /usr/bin/wrk exists, otherwise from a small asyncio client with
keep-alive connections. Each measurement is a fixed time at a fixed number of connections, after one
request alone (which fills a response cache that has expired, and shows what a miss costs): baseline
and project alternate, and the table shows the medians. A request still unanswered when the time is up
does not count; a server left working on such requests is restarted before the next measurement, so
that it cannot slow down the next one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from bench import synthetic
from bench.timing import ratio_text
from tracker.settings import PROJECT_ROOT

GRANIAN = str(Path(sys.executable).with_name("granian"))
WRK = "/usr/bin/wrk"
WORKERS = 2
GOAL = 0.6
# Every request comes from 127.0.0.1: the public API's limit per address would answer 429 within a second.
RATE_LIMIT = 1_000_000_000
# Straight to 127.0.0.1, whatever proxy the environment names.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
WRK_STATUSES = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do io.write(string.format("status %d %d\\n", status, count)) end
  end
  io.write(string.format("socket errors %d\\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Load:
    """What one fixed-time load got: answers by status, and connections that failed."""

    seconds: float
    statuses: dict[int, int]
    errors: int

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_second(self) -> float:
        return self.statuses.get(200, 0) / self.seconds


@dataclass(frozen=True)
class Throughput:
    name: str
    baseline: str
    project_per_second: float
    baseline_per_second: float
    project_answered: int
    baseline_answered: int
    seconds: float
    project_unexpected: dict[int | str, int] = field(default_factory=dict)
    baseline_unexpected: dict[int | str, int] = field(default_factory=dict)
    goal: str = f"≥ {GOAL}×"

    @property
    def ratio(self) -> float:
        return self.project_per_second / self.baseline_per_second if self.baseline_per_second else 0.0

    def line(self) -> str:
        unexpected = f"{sum(self.project_unexpected.values())} / {sum(self.baseline_unexpected.values())}"
        # None answered in the time: the ratio is below what one answer would have made it.
        if self.project_per_second or not self.baseline_per_second:
            ratio = ratio_text(self.ratio)
        else:
            ratio = f"< {ratio_text(1 / self.seconds / self.baseline_per_second)}"
        return (
            f"| {self.name} | {self.baseline} | {_rate(self.project_per_second)} | "
            f"{_rate(self.baseline_per_second)} | {ratio} | {unexpected} | {self.goal} |"
        )


HEADER = (
    "| measurement | baseline | project (median) | baseline (median) | ratio | not 200 (project / baseline) | goal |\n"
    "| --- | --- | --- | --- | --- | --- | --- |"
)


def _rate(per_second: float) -> str:
    if per_second == 0:
        return "none in time"
    return f"{per_second:,.0f} req/s" if per_second >= 100 else f"{per_second:,.2f} req/s"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """granian serving one app on a free port of 127.0.0.1, in its own process group."""

    def __init__(
        self, name: str, target: str, probe: str, env: dict[str, str], database: PostgresQueries | None = None
    ) -> None:
        self.name, self.target, self.probe, self.env, self.database = name, target, probe, env, database
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""
        # Kept open while the server runs (and across restarts); `serving` closes it.
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.restarts = 0

    def start(self, timeout: float = 120.0) -> None:
        port = free_port()
        # As in production (and tests/servers.py): the app factory, ASGI, granian's defaults otherwise.
        command = [GRANIAN, "--interface", "asgi", "--factory", "--host", "127.0.0.1", "--port", str(port)]
        self.process = subprocess.Popen(
            [*command, "--workers", str(WORKERS), self.target],
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                with DIRECT.open(self.base + self.probe, timeout=30) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                output = self.log.read().decode(errors="replace")[-4000:]
                self.stop()
                raise SystemExit(f"{self.name} did not start ({' '.join(command)} {self.target}):\n{output}")
            time.sleep(0.2)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def cpu_seconds(self) -> float:
        """CPU time of every process in the server's group (the workers and their threads)."""
        if self.process is None:
            return 0.0
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == self.process.pid:
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def settle(self, timeout: float) -> None:
        """Wait until the server (and its database server) is idle; restart it if it is still busy with
        requests nobody waits for."""
        deadline = time.monotonic() + timeout
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            now = self.cpu_seconds()
            if now - before < 0.05 and not (self.database and self.database.busy()):
                return
            before = now
        print(f"  {self.name} still busy with abandoned requests {timeout:.0f} s later: restarted", flush=True)
        self.stop()
        if self.database:
            self.database.cancel_queries()
        self.restarts += 1
        self.start()


class PostgresQueries:
    """The queries running in the benchmark's PostgreSQL database, which outlive a stopped server."""

    def __init__(self, database_url: str) -> None:
        self.dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def _run(self, sql: str) -> int:
        import asyncpg

        connection = await asyncpg.connect(self.dsn)
        try:
            return int(await connection.fetchval(sql) or 0)
        finally:
            await connection.close()

    def busy(self) -> bool:
        return asyncio.run(self._run(ACTIVE_QUERIES.format(what="count(*)"))) > 0

    def cancel_queries(self) -> None:
        asyncio.run(self._run(ACTIVE_QUERIES.format(what="count(pg_cancel_backend(pid))")))


ACTIVE_QUERIES = (
    "SELECT {what} FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND state = 'active'"
)


@contextlib.contextmanager
def serving(*servers: Server) -> Iterator[None]:
    try:
        for server in servers:
            server.start()
        yield
    finally:
        for server in servers:
            server.stop()
            server.log.close()


def load(url: str, connections: int, seconds: float) -> Load:
    if Path(WRK).exists():
        return wrk_load(url, connections, seconds)
    return python_load(url, connections, seconds)


def wrk_load(url: str, connections: int, seconds: float) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_STATUSES)
        script.flush()
        duration = max(1, round(seconds))
        # One thread: wrk's C loop keeps up with either server and leaves the rest of the machine to them.
        command = [WRK, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "-s", script.name, url]
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=duration + 120).stdout
    statuses: Counter[int] = Counter()
    errors = 0
    for line in output.splitlines():
        words = line.split()
        if line.startswith("status "):
            statuses[int(words[1])] += int(words[2])
        elif line.startswith("socket errors "):
            errors = int(words[2])
    return Load(float(duration), dict(statuses), errors)


def python_load(url: str, connections: int, seconds: float) -> Load:
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:
        runner = asyncio.Runner()
    with runner:
        return runner.run(_python_load(url, connections, seconds))


async def _python_load(url: str, connections: int, seconds: float) -> Load:
    """`connections` keep-alive HTTP/1.1 clients asking for `url` one request after another."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: bench\r\n\r\n".encode()
    statuses: Counter[int] = Counter()
    errors = 0

    async def client() -> None:
        nonlocal errors
        writer: asyncio.StreamWriter | None = None
        try:
            while True:
                try:
                    if writer is None:
                        reader, writer = await asyncio.open_connection(host, port)
                    writer.write(request)
                    status, keep_alive = await _read_response(reader)
                    statuses[status] += 1
                    if not keep_alive:
                        writer.close()
                        writer = None
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                    errors += 1
                    if writer is not None:
                        writer.close()
                    writer = None
                    await asyncio.sleep(0.05)
        finally:
            if writer is not None:
                writer.close()

    clients = [asyncio.create_task(client()) for _ in range(connections)]
    start = time.perf_counter()
    await asyncio.sleep(seconds)
    # Answers counted so far; requests still in flight are abandoned.
    counted, elapsed = Counter(statuses), time.perf_counter() - start
    for task in clients:
        task.cancel()
    await asyncio.gather(*clients, return_exceptions=True)
    return Load(elapsed, dict(counted), errors)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif "chunked" in headers.get("transfer-encoding", ""):
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    return status, headers.get("connection") != "close"


def fetch(url: str) -> tuple[int, int, float]:
    """One request: its status, its body's size and how long it took."""
    start = time.perf_counter()
    try:
        with DIRECT.open(url, timeout=600) as answer:
            return answer.status, len(answer.read()), time.perf_counter() - start
    except urllib.error.HTTPError as error:
        return error.code, len(error.read()), time.perf_counter() - start


@dataclass
class Pair:
    name: str
    baseline: str
    project_path: str
    baseline_path: str
    project: list[Load] = field(default_factory=list)
    baselines: list[Load] = field(default_factory=list)

    def result(self) -> Throughput:
        return Throughput(
            name=self.name,
            baseline=self.baseline,
            project_per_second=statistics.median(load.per_second for load in self.project),
            baseline_per_second=statistics.median(load.per_second for load in self.baselines),
            project_answered=sum(load.answered for load in self.project),
            baseline_answered=sum(load.answered for load in self.baselines),
            seconds=statistics.median(load.seconds for load in self.project),
            project_unexpected=_unexpected(self.project),
            baseline_unexpected=_unexpected(self.baselines),
        )


def _unexpected(loads: list[Load]) -> dict[int | str, int]:
    found: Counter[int | str] = Counter()
    for one in loads:
        found.update({status: n for status, n in one.statuses.items() if status != 200})
        if one.errors:
            found["connection errors"] += one.errors
    return dict(found)


def measure(
    accreditations: int, seconds: float, rounds: int, connections: int, database_url: str | None, warmup: float
) -> list[Throughput]:
    election = synthetic.ensure(accreditations, database_url)
    backend = "PostgreSQL" if make_url(election.database_url).get_backend_name() == "postgresql" else "SQLite"
    slug = election.slug
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    project = Server(
        "project",
        "tracker.app:create_app",
        f"/api/elections/{slug}",
        {
            **environment,
            "TRACKER_DATABASE_URL": election.database_url,
            "TRACKER_PUBLIC_API_PER_MINUTE": str(RATE_LIMIT),
        },
        PostgresQueries(election.database_url) if backend == "PostgreSQL" else None,
    )
    bare = Server("bare app", "bench.bare_app:create_app", "/tally", environment)
    pairs = [
        Pair(
            f"public tally JSON, {accreditations:,} accreditations ({backend})",
            "bare Litestar, JSON of the same shape",
            f"/api/elections/{slug}/tally",
            "/tally",
        ),
        Pair(
            f"election page, {accreditations:,} accreditations ({backend})",
            "bare Litestar + Jinja page of the same shape",
            f"/elections/{slug}",
            "/page",
        ),
    ]
    generator = "wrk (1 thread)" if Path(WRK).exists() else "an asyncio client"
    print(
        f"{connections} keep-alive connections from {generator}, {seconds:g} s per measurement, {rounds} rounds; "
        f"granian --interface asgi --factory --workers {WORKERS}",
        flush=True,
    )
    with serving(project, bare):
        sizes = {}
        for pair in pairs:
            for server, path in ((bare, pair.baseline_path), (project, pair.project_path)):
                status, size, took = fetch(server.base + path)
                sizes[server.name, pair.name] = size
                print(
                    f"  one request, {server.name} {path}: {status}, {size:,} bytes, {took * 1000:,.0f} ms", flush=True
                )
                if status != 200:
                    raise SystemExit(f"{server.name} answered {status} to {path}")
                deadline = time.perf_counter() + warmup
                while time.perf_counter() < deadline:
                    fetch(server.base + path)
            pair.baseline += (
                f" ({sizes['bare app', pair.name] / 1024:,.0f} KB vs {sizes['project', pair.name] / 1024:,.0f} KB)"
            )
        for number in range(1, rounds + 1):
            for pair in pairs:
                for server, path, loads in (
                    (bare, pair.baseline_path, pair.baselines),
                    (project, pair.project_path, pair.project),
                ):
                    # One request alone first: a response cache that expired (or was never filled) is filled by
                    # it, so the load measures the steady state, and the cost of a miss is shown once.
                    status, _, took = fetch(server.base + path)
                    if took > 1 or status != 200:
                        print(f"  round {number}, {server.name} {path}: one request alone, {status} in {took:,.1f} s")
                    got = load(server.base + path, connections, seconds)
                    loads.append(got)
                    other = {status: n for status, n in got.statuses.items() if status != 200}
                    print(
                        f"  round {number}, {server.name} {path}: {_rate(got.per_second)}"
                        f"{f', not 200: {other}' if other else ''}{f', errors: {got.errors}' if got.errors else ''}",
                        flush=True,
                    )
                    server.settle(timeout=max(5.0, seconds))
    results = [pair.result() for pair in pairs]
    print(HEADER)
    for result in results:
        print(result.line())
    print(
        f"\nThe project ran with TRACKER_PUBLIC_API_PER_MINUTE={RATE_LIMIT}: all the load comes from one address "
        "(127.0.0.1), which the public API's rate limit would otherwise answer with 429 within a second."
    )
    for result in results:
        for side, unexpected in (("project", result.project_unexpected), ("baseline", result.baseline_unexpected)):
            if unexpected:
                print(f"{result.name}, {side}: answers other than 200: {unexpected}")
                if 429 in unexpected:
                    print("  429: the rate limit interfered, despite the setting above")
    for server in (project, bare):
        if server.restarts:
            print(f"The {server.name} was restarted {server.restarts} times to drop requests nobody waited for.")
    return results


def main(argv: list[str] | None = None) -> list[Throughput]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accreditations", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of requests one at a time, per page")
    parser.add_argument("--database-url", help="PostgreSQL (postgresql+asyncpg://…) or SQLite; default var/bench/")
    arguments = parser.parse_args(argv)
    if not Path(GRANIAN).exists() and shutil.which("granian") is None:
        raise SystemExit("granian is not installed")
    return measure(
        arguments.accreditations,
        arguments.seconds,
        arguments.rounds,
        arguments.connections,
        arguments.database_url,
        arguments.warmup,
    )


if __name__ == "__main__":
    # A stop request runs the clean-up too: the servers' process groups are ended.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
