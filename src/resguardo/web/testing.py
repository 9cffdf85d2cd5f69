"""``resguardo serve`` in a subprocess, for tests and benchmarks that need a real server
(a kill -9, several workers, load from another process).

The server is started exactly as an operator would start it (the console entry point,
settings through options and the environment), on a free port of 127.0.0.1, and is ready
once ``/healthz`` answers.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
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
def resguardo_subprocess(
    args: Sequence[str],
    *,
    url: str,
    stdout: Path,
    stderr: Path | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    startup_seconds: float = 120.0,
) -> Iterator[int]:
    """``resguardo ARGS`` (a command that serves ``url``) in a subprocess; its pid once
    ``url``/healthz answers. Output is appended to ``stdout`` (and ``stderr``, else the same
    file); no ``RESGUARDO_*`` variable of this process leaks in but those in ``env``. Stopped
    after (SIGTERM, then SIGKILL), unless already dead."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("RESGUARDO_")}
    child_env.update(env or {})
    command = [sys.executable, "-c", "from resguardo.cli.app import main; main()", *args]
    with contextlib.ExitStack() as files:
        out = files.enter_context(stdout.open("ab"))
        err = files.enter_context(stderr.open("ab")) if stderr is not None else subprocess.STDOUT
        proc = subprocess.Popen(
            command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=child_env, cwd=cwd
        )
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (stderr or stdout).read_text(errors="replace")[-3000:]
                raise ServerStartError(
                    f"resguardo {args[0] if args else ''} did not come up on {url} "
                    f"(exit {proc.poll()}):\n{tail}"
                )
            time.sleep(0.1)
        yield proc.pid
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        proc.wait()


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
    url = f"http://127.0.0.1:{port}"
    args = [
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
    with resguardo_subprocess(
        args,
        url=url,
        stdout=log,
        env={"RESGUARDO_SECRET_KEY": secret_key, **(env or {})},
        startup_seconds=startup_seconds,
    ) as pid:
        yield Served(url, pid)
