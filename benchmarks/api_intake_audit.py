"""Intake through the API, then the audit chain: log 10,000 requests with
``POST /api/v1/requests`` against ``resguardo serve``, then verify the whole audit chain.

    .venv/bin/python benchmarks/api_intake_audit.py [--requests 10000] [--seconds 600]
        [--connections 16] [--workers 2] [--sqlite]

PostgreSQL by default (a database created for the run and dropped after;
RESGUARDO_TEST_PG_URL, default postgres@127.0.0.1:5432/test), ``--sqlite`` for a SQLite
file (one worker). The server runs in a subprocess on 127.0.0.1; this process drives it
over several concurrent connections. Each request is logged, decided and audited
(``request.create`` and ``decision`` entries, one transaction). Afterwards every
acknowledged request is checked to have its audit entry, and the chain is verified from its
first entry (timed).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from api_server import PACK, SECRET_KEY, database, drive, make_token, serve
from resguardo.audit.log import verify_log
from resguardo.store import open_store
from resguardo.store.models import AuditEvent
from resguardo.web.settings import load_web_settings


def _body(n: int) -> dict[str, object]:
    return {
        "request": {
            "requester": {
                "name": f"Agent Bench {n}",
                "agency": "ICE ERO",
                "kind": "federal_immigration",
            },
            "purpose": "immigration_enforcement",
            "legal_process": [{"kind": "administrative_subpoena", "document": f"I-138 {n}"}],
            "scope": "individual",
            "record_system": ("motor_vehicles", "human_services")[n % 2],
            "categories": ["street_address", "drivers_license", "immigration_status"],
        }
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=600.0, help="stop after this long")
    parser.add_argument("--connections", type=int, default=16, help="concurrent client connections")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead (1 worker)")
    args = parser.parse_args()
    if args.sqlite:
        args.workers = 1
    kind = "sqlite" if args.sqlite else "postgresql"
    print(
        f"POST /api/v1/requests x {args.requests:,}: resguardo serve --workers {args.workers} "
        f"on {kind}, {args.connections} client connections"
    )
    acked: list[int] = []

    def keep(_n: int, answer: bytes) -> None:
        acked.append(int(json.loads(answer)["id"]))

    with database(kind) as url, tempfile.TemporaryDirectory(prefix="resguardo-bench-") as tmp:
        data_dir = Path(tmp)
        secret = make_token(data_dir, url, "requests:write", "requests:read")
        with serve(data_dir, url, workers=args.workers) as server:
            result = drive(
                server,
                secret,
                method="POST",
                path="/api/v1/requests",
                body=_body,
                expect=201,
                count=args.requests,
                seconds=args.seconds,
                connections=args.connections,
                on_ok=keep,
            )
        print(result.report("intake", "requests"))

        settings = load_web_settings(
            data_dir=data_dir, database_url=url, secret_key=SECRET_KEY, pack=PACK
        )
        store = open_store(settings, migrate=False)
        try:
            with store.read_session() as db:
                entries = db.scalar(select(func.count()).select_from(AuditEvent)) or 0
                logged = set(
                    db.scalars(
                        select(AuditEvent.object_id).where(AuditEvent.action == "request.create")
                    )
                )
            started = time.perf_counter()
            with store.read_session() as db:
                verified = verify_log(db)
            elapsed = time.perf_counter() - started
        finally:
            store.dispose()
    missing = [i for i in acked if str(i) not in logged]
    print(
        f"  audit log: {entries:,} entries; acknowledged requests without their entry: "
        f"{len(missing)}"
    )
    print(
        f"  verify: {'ok' if verified.ok else 'BROKEN'} in {elapsed:.2f} s "
        f"({entries / elapsed:,.0f} entries/s)"
    )
    if not verified.ok or missing or result.failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
