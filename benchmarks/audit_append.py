"""Audit log throughput: appends per second and the time to verify 10,000 entries.

    .venv/bin/python benchmarks/audit_append.py [--appends 2000] [--entries 10000]

Runs on a SQLite file in a temporary folder and on a throwaway PostgreSQL database
(RESGUARDO_TEST_PG_URL, default postgres@127.0.0.1:5432/test; skipped if unreachable).
"One per commit" is the realistic case (each recorded change is its own transaction, so
each append waits for a durable commit); "batched" shows the cost of the chain itself.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from resguardo.audit.log import append_event, verify_log
from resguardo.store import Store, upgrade
from resguardo.store.testing import (
    pg_test_url,
    pg_unavailable_reason,
    temporary_database,
    temporary_schema,
)

DETAILS = {
    "request": "req-2025-000123",
    "verdict": "release_redacted",
    "categories": ["street_address", "immigration_status"],
    "rule": "nm.dmv.federal-immigration.no-warrant",
    "pack_version": "2025.03.1",
}


def _append(store: Store, n: int, per_transaction: int, worker: int = 0) -> None:
    done = 0
    while done < n:
        with store.transaction() as session:
            for _ in range(min(per_transaction, n - done)):
                append_event(
                    session,
                    actor=f"user:reviewer{worker}",
                    action="decision",
                    object_type="request",
                    object_id=done,
                    details=DETAILS,
                )
                done += 1


def _rate(label: str, n: int, run: Callable[[], None]) -> None:
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    print(f"  {label:<34} {n / elapsed:>9,.0f} appends/s  ({n:,} in {elapsed:.2f} s)")


def bench(url: str, name: str, appends: int, entries: int) -> None:
    """Print the figures for one database."""
    print(f"{name}:")
    store = Store(url)
    try:
        upgrade(store.engine)
        _rate("one per commit, 1 writer", appends, lambda: _append(store, appends, 1))

        threads_n = 4
        per_thread = appends // threads_n

        def parallel() -> None:
            threads = [
                threading.Thread(target=_append, args=(store, per_thread, 1, k))
                for k in range(threads_n)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        _rate(f"one per commit, {threads_n} writers", per_thread * threads_n, parallel)
        _rate("batched, 500 per commit", appends, lambda: _append(store, appends, 500))

        with store.read_session() as session:
            have = verify_log(session).entries
        if have < entries:
            _append(store, entries - have, 1000)
        with store.read_session() as session:
            start = time.perf_counter()
            result = verify_log(session)
            elapsed = time.perf_counter() - start
        assert result.ok, result.problems[:3]
        print(
            f"  verify {result.entries:,} entries{'':<17} {elapsed:>9.3f} s"
            f"  ({result.entries / elapsed:,.0f} entries/s)"
        )
    finally:
        store.dispose()


def main() -> None:
    """Run both databases."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        bench(
            f"sqlite:///{Path(folder) / 'bench.db'}",
            "SQLite (WAL, synchronous=FULL)",
            args.appends,
            args.entries,
        )

    server = pg_test_url()
    reason = pg_unavailable_reason(server)
    if reason is not None:
        print(f"PostgreSQL: skipped ({reason})")
        return
    with temporary_database(server) as db, temporary_schema(db) as url:
        bench(url, "PostgreSQL", args.appends, args.entries)


if __name__ == "__main__":
    main()
