"""Shared by the API benchmarks: a throwaway database, ``resguardo serve`` on it in a
subprocess on 127.0.0.1, an API token, and a bounded closed-loop HTTP load driver (asyncio,
one process, many keep-alive connections).

Not a benchmark itself; ``api_decisions_load.py`` and ``api_intake_audit.py`` use it.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from resguardo.store.testing import pg_test_url, pg_unavailable_reason, temporary_database
from resguardo.web.testing import Served, ServerStartError, make_api_token, serve_subprocess

SECRET_KEY = "benchmark-secret-key-0123456789-abcdefghijklmnop"
PACK = "nm-sb36-2025"
STARTUP_SECONDS = 120


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A database for this run: a new PostgreSQL database (dropped after), or a SQLite file
    in a temporary folder."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="resguardo-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'resguardo.db'}"
        return
    server = pg_test_url()
    reason = pg_unavailable_reason(server)
    if reason is not None:
        raise SystemExit(f"PostgreSQL at {server} is unreachable: {reason}")
    with temporary_database(server) as url:
        yield url


def make_token(data_dir: Path, database_url: str, *scopes: str) -> str:
    """Create the schema and an API token with ``scopes``; the token's secret."""
    return make_api_token(
        data_dir, database_url, secret_key=SECRET_KEY, pack=PACK, name="benchmark", scopes=scopes
    )


@contextmanager
def serve(
    data_dir: Path, database_url: str, *, workers: int, env: dict[str, str] | None = None
) -> Iterator[Served]:
    """``resguardo serve`` on a free port of 127.0.0.1: its base URL and process id.
    Stopped after."""
    try:
        with serve_subprocess(
            data_dir,
            database_url,
            secret_key=SECRET_KEY,
            pack=PACK,
            log=data_dir / "server.log",
            workers=workers,
            env=env,
            startup_seconds=STARTUP_SECONDS,
        ) as served:
            yield served
    except ServerStartError as exc:
        raise SystemExit(str(exc)) from None


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process, from /proc (0 where unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process readable in /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, _, tail = (entry / "stat").read_text().rpartition(")")
                name = head.split("(", 1)[1]
                found.append((int(entry.name), int(tail.split()[1]), name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def cpu_snapshot(server_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the server (its process tree) and by PostgreSQL's
    processes. Differences of two snapshots show what a run cost the machine, which the
    wall-clock rate on a shared, noisy machine does not."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, ppid, _ in table:
        children.setdefault(ppid, []).append(pid)
    tree, todo = set(), [server_pid]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(children.get(pid, []))
    server = sum(_process_cpu(pid) for pid in tree)
    database = sum(_process_cpu(pid) for pid, _, name in table if name.startswith("postgres"))
    return server, database


@dataclass
class LoadResult:
    """What a load run measured."""

    sent: int = 0
    ok: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    database_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    def fail(self, reason: str) -> None:
        """Count one failed request."""
        self.failed += 1
        self.sent += 1
        self.errors[reason] = self.errors.get(reason, 0) + 1

    def report(self, label: str, unit: str) -> str:
        lines = [
            f"  {label}",
            f"    {self.ok:,} {unit} in {self.elapsed:.2f} s: {self.rate:,.0f} {unit}/s",
            f"    latency p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms, "
            f"max {max(self.latencies, default=0) * 1000:.1f} ms",
            f"    failed: {self.failed} of {self.sent}"
            + (f" {dict(sorted(self.errors.items()))}" if self.errors else ""),
            f"    load driver CPU: {self.client_cpu:.2f} s "
            f"({self.client_cpu / self.elapsed if self.elapsed else 0:.0%} of one core)",
        ]
        if self.ok:
            per = 1000 / self.ok
            lines.append(
                f"    CPU per request: server {self.server_cpu * per:.2f} ms, PostgreSQL "
                f"{self.database_cpu * per:.2f} ms, load driver {self.client_cpu * per:.2f} ms"
            )
        return "\n".join(lines)


class _Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol for the
    benchmark: a request with a JSON body out, status and body (Content-Length) back.

    Written by hand rather than with httpx because the driver shares the machine's two
    cores with the server: httpx spends several times more CPU per request than this, and
    that CPU would be taken from the server being measured.
    """

    def __init__(self, host: str, port: int, head: bytes) -> None:
        self.host, self.port, self.head = host, port, head
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, body: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.head + str(len(body)).encode() + b"\r\n\r\n" + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed by the server")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        close = False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def drive(
    server: Served,
    secret: str,
    *,
    method: str,
    path: str,
    body: Callable[[int], Any],
    expect: int,
    count: int,
    seconds: float,
    connections: int,
    on_ok: Callable[[int, bytes], None] | None = None,
) -> LoadResult:
    """Send up to ``count`` requests (stopping after ``seconds`` in any case) over
    ``connections`` concurrent keep-alive connections; time each one.

    Closed-loop: each connection sends its next request when the answer to the last one
    has arrived, so ``connections`` is the number of requests in flight.
    """
    parsed = httpx.URL(server.url)
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {parsed.host}:{parsed.port}\r\n"
        f"Authorization: Bearer {secret}\r\nContent-Type: application/json\r\n"
        "Content-Length: "
    ).encode()
    result = LoadResult()
    numbers = iter(range(count))

    async def worker(stop_at: float) -> None:
        conn = _Connection(parsed.host, parsed.port or 80, head)
        try:
            while time.perf_counter() < stop_at:
                n = next(numbers, None)
                if n is None:
                    break
                payload = json.dumps(body(n)).encode()
                start = time.perf_counter()
                try:
                    status, answer = await conn.request(payload)
                except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                    conn.close()
                    result.fail(type(exc).__name__)
                    continue
                result.latencies.append(time.perf_counter() - start)
                if status == expect:
                    result.ok += 1
                    result.sent += 1
                    if on_ok is not None:
                        on_ok(n, answer)
                else:
                    result.fail(str(status))
        finally:
            conn.close()

    async def run() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(worker(stop_at) for _ in range(connections)))

    cpu = time.process_time()
    server_cpu, database_cpu = cpu_snapshot(server.pid)
    start = time.perf_counter()
    asyncio.run(run())
    result.elapsed = time.perf_counter() - start
    result.client_cpu = time.process_time() - cpu
    server_after, database_after = cpu_snapshot(server.pid)
    result.server_cpu = server_after - server_cpu
    result.database_cpu = database_after - database_cpu
    return result
