"""Shared by the API benchmarks: a throwaway database, ``resguardo serve`` on it in a
subprocess on 127.0.0.1, an API token, and a bounded multi-threaded HTTP load driver.

Not a benchmark itself; ``api_decisions_load.py`` and ``api_intake_audit.py`` use it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from resguardo.accounts import Actor, create_api_token
from resguardo.store import open_store
from resguardo.store.testing import pg_test_url, pg_unavailable_reason, temporary_database
from resguardo.web.settings import load_web_settings

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
    settings = load_web_settings(
        data_dir=data_dir, database_url=database_url, secret_key=SECRET_KEY, pack=PACK
    )
    store = open_store(settings)
    try:
        with store.transaction() as db:
            return create_api_token(
                db, name="benchmark", scopes=list(scopes), actor=Actor.operator("benchmark")
            ).secret
    finally:
        store.dispose()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(
    data_dir: Path, database_url: str, *, workers: int, env: dict[str, str] | None = None
) -> Iterator[str]:
    """``resguardo serve`` on a free port of 127.0.0.1; its base URL. Stopped after."""
    port = _free_port()
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("RESGUARDO_")}
    child_env["RESGUARDO_SECRET_KEY"] = SECRET_KEY
    child_env.update(env or {})
    log = data_dir / "server.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from resguardo.cli.app import main; main()",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--data-dir",
                str(data_dir),
                "--database-url",
                database_url,
                "--pack",
                PACK,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=child_env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise SystemExit(f"resguardo serve did not start (exit {proc.poll()}):\n{tail}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class LoadResult:
    """What a load run measured."""

    sent: int = 0
    ok: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

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

    def report(self, label: str, unit: str) -> str:
        lines = [
            f"  {label}",
            f"    {self.ok:,} {unit} in {self.elapsed:.2f} s: {self.rate:,.0f} {unit}/s",
            f"    latency p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms, "
            f"max {max(self.latencies, default=0) * 1000:.1f} ms",
            f"    failed: {self.failed} of {self.sent}"
            + (f" {dict(sorted(self.errors.items()))}" if self.errors else ""),
        ]
        return "\n".join(lines)


def drive(
    url: str,
    secret: str,
    *,
    method: str,
    path: str,
    body: Callable[[int], Any],
    expect: int,
    count: int,
    seconds: float,
    threads: int,
    on_ok: Callable[[int, httpx.Response], None] | None = None,
) -> LoadResult:
    """Send up to ``count`` requests (stopping after ``seconds`` in any case) from
    ``threads`` threads, each with its own keep-alive connection; time each one."""
    result = LoadResult()
    lock = threading.Lock()
    numbers = iter(range(count))
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        latencies: list[float] = []
        ok = failed = 0
        errors: dict[str, int] = {}
        with httpx.Client(
            base_url=url,
            headers={"Authorization": f"Bearer {secret}"},
            timeout=30,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        ) as client:
            while time.perf_counter() < stop_at:
                with lock:
                    n = next(numbers, None)
                if n is None:
                    break
                start = time.perf_counter()
                try:
                    r = client.request(method, path, json=body(n))
                except httpx.HTTPError as exc:
                    failed += 1
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append(time.perf_counter() - start)
                if r.status_code == expect:
                    ok += 1
                    if on_ok is not None:
                        on_ok(n, r)
                else:
                    failed += 1
                    errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
        with lock:
            result.latencies.extend(latencies)
            result.ok += ok
            result.failed += failed
            result.sent += ok + failed
            for key, value in errors.items():
                result.errors[key] = result.errors.get(key, 0) + value

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    result.elapsed = time.perf_counter() - start
    return result
