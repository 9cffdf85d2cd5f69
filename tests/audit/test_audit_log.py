"""The audit log in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import itertools
import threading
from datetime import UTC, datetime, timedelta

import pytest
from audit_tamper import delete_entry, edit_actor, swap_entries, tamper
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from resguardo.audit.chain import GENESIS_HASH, ProblemKind, verify_chain
from resguardo.audit.log import (
    AuditError,
    ExportFormat,
    append_event,
    chain_head,
    export_log,
    iter_entries,
    read_export,
    verify_log,
)
from resguardo.store import AuditEvent, Role, Store, User

T0 = datetime(2025, 3, 1, 12, 0, 0, 500, tzinfo=UTC)


def fill(store: Store, n: int, *, start: datetime = T0) -> None:
    with store.transaction() as session:
        for i in range(n):
            append_event(
                session,
                actor=f"user:u{i % 4}",
                action="decision",
                object_type="request",
                object_id=i,
                details={"i": i, "verdict": "release_redacted", "categories": ["ssn"]},
                now=start + timedelta(minutes=i),
            )


def verify(store: Store) -> list[str]:
    with store.read_session() as session:
        return [p.message for p in verify_log(session).problems]


def test_appended_entries_read_back_exactly(store: Store) -> None:
    details = {
        "ñandú": "año — «quoted» 漢字 🙂",
        "big": 10**30,
        "neg": -(2**63),
        "nested": {"list": [1, None, True, False, "", {"k": []}]},
        "empty": {},
    }
    with store.transaction() as session:
        written = append_event(
            session,
            actor="user:ana",
            action="release",
            object_type="request",
            object_id=42,
            details=details,
            now=T0,
        )
    with store.read_session() as session:
        (read,) = list(iter_entries(session))
        head = chain_head(session)
    assert read == written
    assert read.ts == T0  # microseconds and zone survive
    assert read.details == details
    assert read.object_id == "42"
    assert head == (1, written.hash)
    assert written.prev_hash == GENESIS_HASH


def test_intact_log_verifies(store: Store) -> None:
    fill(store, 30)
    with store.read_session() as session:
        result = verify_log(session)
    assert result.ok, result.problems
    assert result.entries == 30
    assert result.last_seq == 30


def test_empty_log_verifies(store: Store) -> None:
    with store.read_session() as session:
        result = verify_log(session)
    assert result.ok
    assert result.entries == 0


def test_entry_commits_and_rolls_back_with_the_change_it_records(store: Store) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), store.transaction() as session:
        session.add(User(username="ana", role=Role.CLERK, password_hash="x"))
        append_event(session, actor="cli:test", action="user.create", object_id="ana")
        raise Boom
    with store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
        assert chain_head(session) == (0, GENESIS_HASH)

    with store.transaction() as session:
        session.add(User(username="ana", role=Role.CLERK, password_hash="x"))
        append_event(session, actor="cli:test", action="user.create", object_id="ana")
    with store.read_session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
        assert [e.object_id for e in iter_entries(session)] == ["ana"]
    assert verify(store) == []


def test_append_refuses_bad_input(store: Store) -> None:
    with store.transaction() as session:
        with pytest.raises(AuditError, match="float"):
            append_event(session, actor="a", action="b", details={"x": 0.5})
        with pytest.raises(AuditError, match="actor"):
            append_event(session, actor="", action="b")
        with pytest.raises(AuditError, match="object_type"):
            append_event(session, actor="a", action="b", object_type="")
        with pytest.raises(AuditError, match="longer"):
            append_event(session, actor="a" * 201, action="b")


def test_append_needs_a_write_session(store: Store) -> None:
    # SQLite: refused before anything is written; PostgreSQL: the READ ONLY transaction
    # refuses the lock.
    with store.read_session() as session, pytest.raises((AuditError, DBAPIError)):
        append_event(session, actor="a", action="b")


def test_concurrent_appends_never_fork_the_chain(store: Store) -> None:
    threads_n, per_thread = 6, 25
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with store.transaction() as session:
                    # A read before the append widens the window in which a writer without
                    # the lock would build on a stale head.
                    session.execute(select(func.count()).select_from(AuditEvent))
                    append_event(session, actor=f"worker:{k}", action="ping", details={"i": i})
        except BaseException as exc:  # reported below, with the thread's traceback lost
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "deadlocked"
    assert errors == []
    with store.read_session() as session:
        entries = list(iter_entries(session))
    assert [e.seq for e in entries] == list(range(1, threads_n * per_thread + 1))
    assert verify(store) == []
    # Timestamps are taken under the lock, so they follow seq order.
    assert all(a.ts <= b.ts for a, b in itertools.pairwise(entries))


# --- the database refuses changes while its guards are on ------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 3",
        "DELETE FROM audit_chain_head",
        "UPDATE audit_chain_head SET seq = 1",
        "INSERT INTO audit_events (seq, occurred_at, actor, action, details, prev_hash, hash) "
        "VALUES (4, '2025-01-01 00:00:00', 'x', 'y', '{}', 'forged', 'forged')",
    ],
)
def test_triggers_refuse_changes_to_the_log(store: Store, statement: str) -> None:
    fill(store, 3)
    with pytest.raises(DBAPIError), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert verify(store) == []


@pytest.mark.parametrize("table", ["audit_events", "audit_chain_head"])
def test_truncate_is_refused_on_postgresql(pg_store: Store, table: str) -> None:
    fill(pg_store, 2)
    with pytest.raises(DBAPIError, match="append-only"), pg_store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {table}"))


# --- tampering with the guards off is found by verify ----------------------------------------


def test_verify_names_an_edited_entry(store: Store) -> None:
    fill(store, 20)
    edit_actor(store, 17)
    assert verify(store)[0] == "entry 17: hash does not match its content (changed)"


def test_verify_names_an_edited_timestamp(store: Store) -> None:
    fill(store, 5)
    tamper(
        store,
        "UPDATE audit_events SET occurred_at = :ts WHERE seq = 4",
        ts=T0 + timedelta(days=1),
    )
    assert verify(store)[0] == "entry 4: hash does not match its content (changed)"


def test_verify_names_a_deleted_entry(store: Store) -> None:
    fill(store, 20)
    delete_entry(store, 17)
    assert verify(store)[0] == "seq gap 16 → 18 (entry 17 is missing)"


def test_verify_names_swapped_entries(store: Store) -> None:
    fill(store, 20)
    swap_entries(store, 17, 18)
    assert verify(store)[0].startswith(
        "entry 17: previous hash does not match entry 16 (an entry was removed or reordered"
    )


def test_verify_names_a_removed_tail(store: Store) -> None:
    fill(store, 10)
    delete_entry(store, 10)
    problems = verify(store)
    assert problems[0] == (
        "seq gap 9 → end: the chain head records entry 10, entry 10 is missing "
        "(removed from the end)"
    )


def test_anchor_catches_a_cut_that_also_rewound_the_head(store: Store) -> None:
    fill(store, 10)
    with store.read_session() as session:
        anchor = chain_head(session)
    assert anchor is not None
    with store.read_session() as session:
        nine_hash = next(e.hash for e in iter_entries(session) if e.seq == 9)
    tamper(
        store,
        "DELETE FROM audit_events WHERE seq = 10",
        "UPDATE audit_chain_head SET seq = 9, hash = :h",
        h=nine_hash,
    )
    assert verify(store) == []  # consistent on its own: only the outside copy can tell
    with store.read_session() as session:
        result = verify_log(session, anchors={anchor[0]: anchor[1]})
    assert [p.kind for p in result.problems] == [ProblemKind.ANCHOR]


def test_verify_reports_a_missing_head_row(store: Store) -> None:
    fill(store, 3)
    tamper(store, "DELETE FROM audit_chain_head")
    assert "chain head row is missing" in verify(store)[0]


def test_verify_on_a_database_without_the_log_is_an_error(db_url: str) -> None:
    bare = Store(db_url)
    try:
        with bare.read_session() as session, pytest.raises(AuditError):
            verify_log(session)
    finally:
        bare.dispose()


# --- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_reads_back_and_verifies_on_its_own(store: Store, fmt: ExportFormat) -> None:
    fill(store, 12)
    with store.transaction() as session:
        append_event(session, actor="user:ana", action="login", details={"ip": "10.0.0.1"})
    out = io.StringIO()
    with store.read_session() as session:
        assert export_log(session, out, fmt) == 13
        stored = list(iter_entries(session))
    out.seek(0)
    exported = list(read_export(out, fmt))
    assert exported == stored
    assert verify_chain(exported, head=(stored[-1].seq, stored[-1].hash)).ok


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_since_is_a_verifiable_slice(store: Store, fmt: ExportFormat) -> None:
    fill(store, 10)  # one entry a minute from T0
    out = io.StringIO()
    with store.read_session() as session:
        count = export_log(
            session,
            out,
            fmt,
            since=T0 + timedelta(minutes=4),
            until=T0 + timedelta(minutes=8),
        )
    assert count == 4
    out.seek(0)
    sliced = list(read_export(out, fmt))
    assert [e.seq for e in sliced] == [5, 6, 7, 8]
    assert verify_chain(sliced, partial=True).ok


def test_export_of_an_empty_log_is_valid_json(store: Store) -> None:
    out = io.StringIO()
    with store.read_session() as session:
        assert export_log(session, out, ExportFormat.JSON) == 0
    out.seek(0)
    assert list(read_export(out, ExportFormat.JSON)) == []
