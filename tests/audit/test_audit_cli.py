"""``resguardo audit verify|head|export`` through Typer's test runner, on both databases."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from audit_tamper import delete_entry, edit_actor, swap_entries
from typer.testing import CliRunner, Result

from resguardo.audit.log import append_event
from resguardo.cli.audit_cmd import register
from resguardo.store import Store

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def fill(store: Store, n: int) -> None:
    with store.transaction() as session:
        for i in range(n):
            append_event(
                session,
                actor="user:rev",
                action="review",
                object_type="request",
                object_id=i,
                details={"n": i, "nota": "revisión"},
                now=T0 + timedelta(hours=i),
            )


def audit(db_url: str, *args: str) -> Result:
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, ["audit", *args, "--database-url", db_url])


def test_verify_intact_log_exits_0(store: Store, db_url: str) -> None:
    fill(store, 20)
    result = audit(db_url, "verify")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 20 entries")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda s: edit_actor(s, 17), "entry 17: hash does not match its content (changed)"),
        (lambda s: delete_entry(s, 17), "seq gap 16 → 18 (entry 17 is missing)"),
        (
            lambda s: swap_entries(s, 17, 18),
            "entry 17: previous hash does not match entry 16 (an entry was removed or reordered",
        ),
    ],
    ids=["edited", "deleted", "swapped"],
)
def test_verify_names_the_first_tampered_entry_and_exits_1(
    store: Store, db_url: str, tamper: Callable[[Store], None], expected: str
) -> None:
    fill(store, 20)
    tamper(store)
    result = audit(db_url, "verify")
    assert result.exit_code == 1, result.output
    first_line = result.output.splitlines()[0]
    assert first_line.startswith("TAMPERED: " + expected)


def test_head_and_anchor(store: Store, db_url: str) -> None:
    fill(store, 5)
    head = audit(db_url, "head")
    assert head.exit_code == 0, head.output
    anchor = head.output.strip()
    assert anchor.startswith("5:") and len(anchor) == 2 + 64
    assert audit(db_url, "verify", "--anchor", anchor).exit_code == 0
    wrong = "5:" + "0" * 64
    result = audit(db_url, "verify", "--anchor", wrong)
    assert result.exit_code == 1
    assert "entry 5: hash" in result.output
    assert audit(db_url, "verify", "--anchor", "five").exit_code == 2


def test_export_formats(store: Store, db_url: str) -> None:
    fill(store, 6)
    as_json = audit(db_url, "export", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    records = json.loads(as_json.stdout)
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert records[0]["details"] == {"n": 0, "nota": "revisión"}
    assert records[0]["ts"] == "2025-03-01T00:00:00.000000Z"

    as_csv = audit(db_url, "export", "--format", "csv", "--since", "2025-03-01T03:00:00Z")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["seq"] for r in rows] == ["4", "5", "6"]
    assert rows[0]["hash"] == records[3]["hash"]

    as_jsonl = audit(db_url, "export", "--format", "jsonl", "--until", "2025-03-01T02:00")
    assert [json.loads(line)["seq"] for line in as_jsonl.stdout.splitlines()] == [1, 2]


def test_exported_file_verifies_offline_and_tampering_shows(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    fill(store, 8)
    out = tmp_path / "log.jsonl"
    assert audit(db_url, "export", "-f", "jsonl", "-o", str(out)).exit_code == 0
    assert audit(db_url, "verify", "--file", str(out)).exit_code == 0

    lines = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    record["details"]["nota"] = "cambiada"
    lines[2] = json.dumps(record, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = audit(db_url, "verify", "--file", str(out))
    assert result.exit_code == 1
    assert "entry 3: hash does not match its content (changed)" in result.output


def test_verify_on_an_empty_database_is_an_error_not_ok(db_url: str) -> None:
    result = audit(db_url, "verify")
    assert result.exit_code == 1
    assert "cannot read the audit log" in result.output
