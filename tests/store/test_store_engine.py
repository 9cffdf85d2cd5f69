"""Engine and session set-up: SQLite pragmas and locking, PostgreSQL read-only reads."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from resguardo.store import Store, make_engine, normalize_database_url


def _sqlite_path(store: Store) -> str:
    database = store.engine.url.database
    assert database is not None
    return database


def test_sqlite_connections_use_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with store.session() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    finally:
        store.dispose()


def test_sqlite_foreign_keys_are_enforced(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with store.engine.begin() as conn:
            conn.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
            conn.execute(text("CREATE TABLE child (id INTEGER, pid INTEGER REFERENCES parent)"))
        with pytest.raises(DBAPIError, match="FOREIGN KEY"), store.engine.begin() as conn:
            conn.execute(text("INSERT INTO child VALUES (1, 99)"))
    finally:
        store.dispose()


def test_sqlite_write_sessions_hold_the_write_lock_from_begin(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with store.engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
        other = sqlite3.connect(_sqlite_path(store), timeout=0, isolation_level=None)
        try:
            # A write session that has only read still holds the lock (BEGIN IMMEDIATE) ...
            with store.session() as session, session.begin():
                session.execute(text("SELECT count(*) FROM t"))
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            # ... a read session does not (BEGIN DEFERRED), and is not blocked by a writer.
            with store.read_session() as session, session.begin():
                session.execute(text("SELECT count(*) FROM t"))
                other.execute("BEGIN IMMEDIATE")
                other.execute("INSERT INTO t VALUES (1)")
                assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0
                other.execute("COMMIT")
        finally:
            other.close()
    finally:
        store.dispose()


def test_sqlite_data_folder_is_created_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    engine = make_engine(f"sqlite:///{folder / 'resguardo.db'}")
    try:
        assert folder.is_dir()
        assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    finally:
        engine.dispose()


def test_read_sessions_cannot_write_on_postgresql(pg_store: Store) -> None:
    store = pg_store
    with store.read_session() as session:
        assert session.execute(text("SHOW transaction_read_only")).scalar() == "on"
        with pytest.raises(DBAPIError, match="read-only"):
            session.execute(text("CREATE TABLE nope (x int)"))
    with store.session() as session:
        assert session.execute(text("SHOW transaction_read_only")).scalar() == "off"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_plain_postgresql_urls_use_psycopg3(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected
