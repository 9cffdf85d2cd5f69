"""A crash in the middle of intake loses nothing that was acknowledged.

``resguardo serve`` runs in a subprocess on a file database (SQLite in WAL mode, and
PostgreSQL). Several threads log requests through ``POST /api/v1/requests``; once enough
have been acknowledged the server is killed with SIGKILL while requests are still in
flight. After a restart on the same database every request whose 201 reached its caller
is there, with what was sent and its ``request.create`` audit entry, every stateless
decision that was answered has its (group-committed) ``decision.check`` entry, the audit
chain verifies, and intake works again.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from resguardo.audit.log import verify_log
from resguardo.store import open_store
from resguardo.store.models import AuditEvent
from resguardo.store.testing import temporary_schema
from resguardo.web.settings import load_web_settings
from resguardo.web.testing import ServerStartError, make_api_token, serve_subprocess

THREADS = 4
KILL_AFTER = 40  # acknowledged requests before the kill
MAX_ATTEMPTS = 2_000  # a bound on the stream, whatever happens
STARTUP_SECONDS = 90
SECRET_KEY = "crash-secret-key-0123456789-abcdefghijklmnop"
PACK = "nm-sb36-2025"


def _body(n: int) -> dict[str, object]:
    return {
        "request": {
            "requester": {
                "name": f"Agent Crash {n}",
                "agency": "ICE ERO",
                "kind": "federal_immigration",
            },
            "purpose": "immigration_enforcement",
            "legal_process": [],
            "scope": "individual",
            "record_system": "motor_vehicles",
            "categories": ["street_address", "drivers_license"],
        }
    }


@contextmanager
def _server(data_dir: Path, database_url: str, log: Path) -> Iterator[tuple[str, int]]:
    """``resguardo serve`` on a free port; yields its base URL and pid; SIGTERM after."""
    try:
        with serve_subprocess(
            data_dir,
            database_url,
            secret_key=SECRET_KEY,
            pack=PACK,
            log=log,
            startup_seconds=STARTUP_SECONDS,
        ) as served:
            yield served.url, served.pid
    except ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)


def _token(data_dir: Path, database_url: str) -> str:
    return make_api_token(
        data_dir,
        database_url,
        secret_key=SECRET_KEY,
        pack=PACK,
        name="crash-test",
        scopes=["requests:read", "requests:write", "decisions"],
    )


def _stream_until_killed(url: str, pid: int, secret: str) -> tuple[dict[int, int], int, int]:
    """Log requests and ask for stateless decisions (every fourth call) from several
    threads; SIGKILL the server after KILL_AFTER acknowledged requests. The acknowledged
    requests as {case id: request number}, how many decisions were answered, and how many
    calls were sent."""
    acked: dict[int, int] = {}
    decided = 0
    lock = threading.Lock()
    counter = iter(range(MAX_ATTEMPTS))
    killed = threading.Event()

    def worker() -> None:
        nonlocal decided
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=10
        ) as client:
            while not killed.is_set():
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                decision = n % 4 == 3
                try:
                    if decision:
                        r = client.post("/api/v1/decisions", json=_body(n)["request"])
                    else:
                        r = client.post("/api/v1/requests", json=_body(n))
                except httpx.HTTPError:
                    if killed.is_set():
                        return
                    raise
                assert r.status_code == (200 if decision else 201), r.text[:500]
                with lock:
                    if decision:
                        decided += 1
                        continue
                    acked[int(r.json()["id"])] = n
                    if len(acked) >= KILL_AFTER and not killed.is_set():
                        # Requests of the other threads are in flight right now.
                        os.kill(pid, signal.SIGKILL)
                        killed.set()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert killed.is_set(), "the server was never killed"
    sent = next(counter, MAX_ATTEMPTS)
    return acked, decided, sent


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'resguardo.db'}"
        return
    with temporary_schema(request.getfixturevalue("pg_database")) as url:
        yield url


def test_kill_9_during_intake_loses_nothing_acknowledged(database_url: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    log = tmp_path / "server.log"
    secret = _token(data_dir, database_url)

    with _server(data_dir, database_url, log) as (url, pid):
        acked, decided, sent = _stream_until_killed(url, pid, secret)
    assert len(acked) >= KILL_AFTER
    assert decided > 0
    assert sent > len(acked) or sent == MAX_ATTEMPTS

    with (
        _server(data_dir, database_url, log) as (url, _pid),
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=10
        ) as client,
    ):
        for case_id, n in sorted(acked.items()):
            r = client.get(f"/api/v1/requests/{case_id}")
            assert r.status_code == 200, (case_id, r.text[:300])
            assert r.json()["requester"]["name"] == f"Agent Crash {n}"
        # Intake works after the restart.
        after = client.post("/api/v1/requests", json=_body(MAX_ATTEMPTS))
        assert after.status_code == 201, after.text[:500]

    settings = load_web_settings(
        data_dir=data_dir, database_url=database_url, secret_key=SECRET_KEY, pack=PACK
    )
    store = open_store(settings, migrate=False)
    try:
        with store.read_session() as db:
            result = verify_log(db)
            assert result.ok, result
            logged = set(
                db.scalars(
                    select(AuditEvent.object_id).where(AuditEvent.action == "request.create")
                )
            )
            checks = len(
                db.scalars(
                    select(AuditEvent.seq).where(AuditEvent.action == "decision.check")
                ).all()
            )
    finally:
        store.dispose()
    missing = {str(i) for i in acked} - logged
    assert not missing, f"acknowledged requests without their audit entry: {sorted(missing)}"
    # Decisions carry no id of their own; an answered one must have been logged, so the
    # log holds at least as many checks as answers (more if killed between the two).
    assert checks >= decided, (checks, decided)
