"""Load on ``POST /api/v1/decisions`` from a separate process: throughput, p50/p99 latency
and failures, against ``resguardo serve --workers 2`` on PostgreSQL.

    .venv/bin/python benchmarks/api_decisions_load.py [--requests 20000] [--seconds 20]
        [--connections 16] [--workers 2] [--audit both|on|off] [--sqlite]

A PostgreSQL database is created for the run and dropped after (RESGUARDO_TEST_PG_URL,
default postgres@127.0.0.1:5432/test). The server runs in a subprocess on 127.0.0.1; this
process drives it over several concurrent keep-alive connections. The
stream is bounded by ``--requests`` and ``--seconds``. With the audit setting ``on`` (the
default of RESGUARDO_AUDIT_API_CHECKS) every decision is also an audit log entry, a durable
write; ``off`` shows the engine and HTTP alone. Target: >= 1,000 decisions/s with
p99 < 50 ms on a 2-core machine and no request failed; the figures printed are what it is.
Note the load driver shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from api_server import LoadResult, database, drive, make_token, serve

REQUEST = {
    "requester": {"name": "Agent Example", "agency": "ICE ERO", "kind": "federal_immigration"},
    "purpose": "immigration_enforcement",
    "legal_process": [{"kind": "administrative_subpoena", "document": "I-138"}],
    "scope": "individual",
    "record_system": "motor_vehicles",
    "categories": ["street_address", "drivers_license", "immigration_status"],
}
TARGET_RATE = 1000
TARGET_P99_MS = 50


def _run(args: argparse.Namespace, database_url: str, audit: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="resguardo-bench-") as folder:
        data_dir = Path(folder)
        secret = make_token(data_dir, database_url, "decisions")
        env = {"RESGUARDO_AUDIT_API_CHECKS": "true" if audit else "false"}
        with serve(data_dir, database_url, workers=args.workers, env=env) as server:

            def run(count: int, seconds: float) -> LoadResult:
                return drive(
                    server,
                    secret,
                    method="POST",
                    path="/api/v1/decisions",
                    body=lambda _n: REQUEST,
                    expect=200,
                    count=count,
                    seconds=seconds,
                    connections=args.connections,
                )

            run(args.warmup, 30)
            result = run(args.requests, args.seconds)
    setting = env["RESGUARDO_AUDIT_API_CHECKS"]
    label = (
        f"audit of API checks {'ON ' if audit else 'OFF'} (RESGUARDO_AUDIT_API_CHECKS={setting})"
    )
    print(result.report(label, "decisions"))
    met = (
        result.rate >= TARGET_RATE and result.percentile(99) < TARGET_P99_MS and result.failed == 0
    )
    print(
        f"    target >= {TARGET_RATE:,}/s, p99 < {TARGET_P99_MS} ms, no failure: "
        + ("met" if met else "NOT met")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000, help="at most this many")
    parser.add_argument("--seconds", type=float, default=20.0, help="and at most this long")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--connections", type=int, default=16, help="concurrent client connections")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--audit", choices=("both", "on", "off"), default="both")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead (1 worker)")
    args = parser.parse_args()
    if args.sqlite:
        args.workers = 1
    kind = "sqlite" if args.sqlite else "postgresql"
    print(
        f"POST /api/v1/decisions: resguardo serve --workers {args.workers} on {kind}, "
        f"{args.connections} client connections, at most {args.requests:,} requests or "
        f"{args.seconds:g} s per setting, {os.cpu_count()} CPUs"
    )
    settings = {"both": (True, False), "on": (True,), "off": (False,)}[args.audit]
    for audit in settings:
        started = time.perf_counter()
        with database(kind) as url:
            _run(args, url, audit)
        print(f"    (run with setup and teardown: {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
