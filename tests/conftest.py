"""Database fixtures shared by every test folder: storage tests run on SQLite and PostgreSQL.

PostgreSQL comes from RESGUARDO_TEST_PG_URL (default: postgres@127.0.0.1:5432/test). If it
cannot be reached the PostgreSQL variants fail in CI (CI=true) and are skipped elsewhere,
with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from resguardo.store import Store, upgrade
from resguardo.store.testing import (
    pg_test_url,
    pg_unavailable_reason,
    running_in_ci,
    temporary_database,
    temporary_schema,
)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database created for this test run and dropped after it."""
    server = pg_test_url()
    reason = pg_unavailable_reason(server)
    if reason is not None:
        message = f"PostgreSQL at {server} is unreachable: {reason}"
        if running_in_ci():
            pytest.fail(message + " (required in CI)", pytrace=False)
        pytest.skip(message + " (set RESGUARDO_TEST_PG_URL to test it)")
    with temporary_database(server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'resguardo.db'}"
        return
    with temporary_schema(request.getfixturevalue("pg_database")) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store on an empty database upgraded to the newest schema."""
    s = Store(db_url)
    upgrade(s.engine)
    yield s
    s.dispose()


@pytest.fixture
def pg_store(pg_database: str) -> Iterator[Store]:
    """A store on a fresh PostgreSQL schema, for behaviour only PostgreSQL has."""
    with temporary_schema(pg_database) as url:
        s = Store(url)
        upgrade(s.engine)
        yield s
        s.dispose()
