"""Engines and sessions: SQLite (the default, one file) or PostgreSQL, set up the same way.

SQLite is opened in WAL mode (readers never wait for the writer) with foreign keys on and
``synchronous=FULL`` (a committed audit entry survives a power cut). Python's sqlite3
driver starts transactions lazily and only before data changes; we switch that off and
begin every transaction ourselves. Write sessions begin ``IMMEDIATE``: they take SQLite's
single write lock at BEGIN and queue on it (up to the busy timeout). A deferred transaction
that reads and then writes instead fails at once with "database is locked" if another
writer got in between, which busy timeouts cannot help. Read sessions begin ``DEFERRED`` so
long reads (verify, export) never hold the write lock.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "SQLITE_BEGIN_INFO_KEY",
    "Store",
    "make_engine",
    "normalize_database_url",
]

# Execution option read by the BEGIN hook, and the connection.info key where the hook notes
# how the current transaction began (audit.log checks it before appending).
SQLITE_BEGIN_OPTION = "resguardo_sqlite_begin"
SQLITE_BEGIN_INFO_KEY = "resguardo_sqlite_begin"
SQLITE_BUSY_TIMEOUT_S = 30.0


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` / ``postgres://`` URLs (psycopg2 is not a
    dependency)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _enable_wal(cursor: Any) -> None:
    # Turning a new database's journal into WAL needs a moment of exclusive access, and
    # SQLite does not wait for it through the busy handler: several workers opening a fresh
    # database at once would fail with "database is locked". Retry for the busy timeout.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            message = str(exc).lower()
            if ("locked" not in message and "busy" not in message) or (time.monotonic() > deadline):
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # None = the driver never issues BEGIN itself; the "begin" hook below does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _enable_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
    if mode not in ("IMMEDIATE", "DEFERRED"):
        raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
    conn.exec_driver_sql(f"BEGIN {mode}")
    conn.info[SQLITE_BEGIN_INFO_KEY] = mode


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with Resguardo's connection settings (see the module docstring).

    For a SQLite file the parent folder is created (mode 0700: the database holds personal
    information and password hashes).
    """
    url = normalize_database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    # pre_ping: a web worker idle overnight must not fail its first request on a connection
    # the server closed.
    return create_engine(url, echo=echo, pool_pre_ping=True)


class Store:
    """An engine and its two session factories: ``session()`` for work that writes,
    ``read_session()`` for reads that must not block writers (and cannot write on
    PostgreSQL, where the transaction is READ ONLY)."""

    def __init__(self, engine_or_url: Engine | str, *, echo: bool = False) -> None:
        if isinstance(engine_or_url, str):
            self.engine = make_engine(engine_or_url, echo=echo)
        else:
            self.engine = engine_or_url
        self.session = sessionmaker(self.engine, expire_on_commit=False)
        read_engine: Engine
        if self.engine.dialect.name == "sqlite":
            read_engine = self.engine.execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
        elif self.engine.dialect.name == "postgresql":
            read_engine = self.engine.execution_options(postgresql_readonly=True)
        else:
            read_engine = self.engine
        self.read_session = sessionmaker(read_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session whose transaction commits on success and rolls back on error."""
        with self.session() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
