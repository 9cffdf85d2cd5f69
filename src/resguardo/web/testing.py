"""``resguardo serve`` in a subprocess, for tests and benchmarks that need a real server
(a kill -9, several workers, load from another process).

The server is started exactly as an operator would start it (the console entry point,
settings through options and the environment), on a free port of 127.0.0.1, and is ready
once ``/healthz`` answers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx

from resguardo.accounts import Actor, create_api_token
from resguardo.store import open_store
from resguardo.web.settings import load_web_settings

__all__ = ["Served", "ServerStartError", "free_port", "make_api_token", "serve_subprocess"]


class ServerStartError(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log."""


class Served(NamedTuple):
    """A running server."""

    url: str
    pid: int


def free_port() -> int:
    """A TCP port of 127.0.0.1 free at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_api_token(
    data_dir: Path,
    database_url: str,
    *,
    secret_key: str,
    pack: str,
    name: str,
    scopes: Iterable[str],
) -> str:
    """Create the schema (if new) and an API token with ``scopes``; the token's secret."""
    settings = load_web_settings(
        data_dir=data_dir, database_url=database_url, secret_key=secret_key, pack=pack
    )
    store = open_store(settings)
    try:
        with store.transaction() as db:
            return create_api_token(
                db, name=name, scopes=list(scopes), actor=Actor.operator(name)
            ).secret
    finally:
        store.dispose()


@contextmanager
def serve_subprocess(
    data_dir: Path,
    database_url: str,
    *,
    secret_key: str,
    pack: str,
    log: Path,
    workers: int = 1,
    env: dict[str, str] | None = None,
    startup_seconds: float = 120.0,
) -> Iterator[Served]:
    """``resguardo serve`` on a free port; its URL and pid. The server's output is
    appended to ``log``. Stopped after (SIGTERM, then SIGKILL), unless already dead."""
    port = free_port()
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("RESGUARDO_")}
    child_env["RESGUARDO_SECRET_KEY"] = secret_key
    child_env.update(env or {})
    command = [
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
        pack,
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=child_env
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                raise ServerStartError(
                    f"resguardo serve did not start (exit {proc.poll()}):\n{tail}"
                )
            time.sleep(0.1)
        yield Served(url, proc.pid)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        proc.wait()
