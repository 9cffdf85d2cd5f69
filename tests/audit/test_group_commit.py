"""Group commit of audit events, on SQLite and PostgreSQL: every acknowledged event is in
the chain, failures reach every waiting caller, and nothing is acknowledged early."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from resguardo.audit.group_commit import GroupCommitter
from resguardo.audit.log import AuditError, Event, append_event, append_events, verify_log
from resguardo.store import AuditEvent, Store


def _event(i: int) -> Event:
    return Event.checked(
        actor=f"token:1:gateway-{i % 3}",
        action="decision.check",
        object_type="pack",
        object_id="nm-sb36-2025",
        details={"i": i, "outcome": "deny"},
    )


def _count(store: Store) -> int:
    with store.read_session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_events_from_many_threads_all_land_in_one_valid_chain(store: Store) -> None:
    writer = GroupCommitter(store, max_batch=16)
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            entries = list(pool.map(lambda i: writer.append(_event(i), timeout=60), range(300)))
    finally:
        writer.close()
    assert sorted(e.seq for e in entries) == list(range(1, 301))
    assert sorted(e.details["i"] for e in entries) == list(range(300))  # type: ignore[type-var]
    assert _count(store) == 300
    with store.read_session() as session:
        result = verify_log(session)
    assert result.ok, result.problems


def test_group_commit_interleaves_with_ordinary_appends(store: Store) -> None:
    writer = GroupCommitter(store)
    stop = threading.Event()

    def ordinary() -> int:
        n = 0
        while not stop.is_set() and n < 50:
            with store.transaction() as session:
                append_event(session, actor="user:ana", action="login")
            n += 1
        return n

    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            direct = pool.submit(ordinary)
            grouped = list(pool.map(lambda i: writer.append(_event(i), timeout=60), range(100)))
            stop.set()
            written = direct.result()
    finally:
        writer.close()
    assert len(grouped) == 100
    assert _count(store) == 100 + written
    with store.read_session() as session:
        assert verify_log(session).ok


def test_a_failed_batch_fails_every_caller_in_it_and_nothing_is_written(store: Store) -> None:
    # Drop the chain head: appending must fail inside the transaction.
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_chain_head"))
    writer = GroupCommitter(store)
    try:
        futures = [writer.submit(_event(i)) for i in range(5)]
        for future in futures:
            with pytest.raises(AuditError, match="could not be written"):
                future.result(timeout=60)
    finally:
        writer.close()
    assert _count(store) == 0


def test_the_writer_recovers_after_a_failed_batch(store: Store) -> None:
    writer = GroupCommitter(store)
    try:
        broken = Event("user:ana", "x", None, None, {"bad": 1.5})  # type: ignore[dict-item]
        with pytest.raises(AuditError):
            writer.append(broken, timeout=60)
        entry = writer.append(_event(1), timeout=60)
    finally:
        writer.close()
    assert entry.seq == 1
    assert _count(store) == 1


def test_checked_events_refuse_what_the_log_cannot_hold() -> None:
    with pytest.raises(AuditError, match="actor"):
        Event.checked(actor="", action="x")
    with pytest.raises(AuditError):
        Event.checked(actor="user:ana", action="x", details={"f": 0.5})  # type: ignore[dict-item]
    with pytest.raises(AuditError, match="NUL"):
        Event.checked(actor="user:ana", action="x", object_id="a\x00b")


def test_close_writes_what_was_queued_and_a_later_event_starts_a_new_writer(
    store: Store,
) -> None:
    writer = GroupCommitter(store)
    futures = [writer.submit(_event(i)) for i in range(40)]
    writer.close()
    assert all(f.done() for f in futures)
    assert all(f.result().seq >= 1 for f in futures)
    assert _count(store) == 40
    try:
        assert writer.append(_event(99), timeout=60).seq == 41
    finally:
        writer.close()
    writer.close()  # closing twice is harmless


def test_append_events_links_a_batch_in_order(store: Store) -> None:
    with store.transaction() as session:
        entries = append_events(session, [_event(i) for i in range(5)])
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    with store.read_session() as session:
        assert verify_log(session).ok


def test_max_batch_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError):
        GroupCommitter(store, max_batch=0)


def _backends(store: Store) -> set[int]:
    with store.engine.connect() as conn:
        return set(
            conn.execute(
                text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
        )


def test_the_writer_reconnects_when_the_database_dropped_its_connection(pg_store: Store) -> None:
    before = _backends(pg_store)
    writer = GroupCommitter(pg_store)
    try:
        assert writer.append(_event(1), timeout=60).seq == 1
        mine = _backends(pg_store) - before
        assert mine, "the writer's connection was not found"
        with pg_store.engine.connect() as conn:
            for pid in mine:  # as a database restart or an idle timeout would
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # The first attempt meets the dead connection; the batch is retried on a new one.
        assert writer.append(_event(2), timeout=60).seq == 2
    finally:
        writer.close()
    assert _count(pg_store) == 2
    with pg_store.read_session() as session:
        assert verify_log(session).ok
