"""Throwaway PostgreSQL databases and schemas for tests and benchmarks.

Each test run gets its own database (``resguardo_test_<random>``) and each test its own
schema in it, selected through ``search_path`` in the URL, so concurrent runs on one server
(two developers, CI) never see each other's tables, and everything is dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from resguardo.store.engine import normalize_database_url

__all__ = [
    "DEFAULT_PG_TEST_URL",
    "PG_TEST_URL_ENV",
    "pg_test_url",
    "pg_unavailable_reason",
    "running_in_ci",
    "temporary_database",
    "temporary_schema",
]

PG_TEST_URL_ENV = "RESGUARDO_TEST_PG_URL"
DEFAULT_PG_TEST_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_test_url() -> str:
    """The server (and a database on it to connect to) used to create test databases."""
    return normalize_database_url(os.environ.get(PG_TEST_URL_ENV, DEFAULT_PG_TEST_URL))


def running_in_ci() -> bool:
    """True when ``CI`` is set to a true value, as CI services do."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def pg_unavailable_reason(url: str) -> str | None:
    """None if ``url`` accepts a connection (within 5 s), else why not."""
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        return str(orig or exc).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


@contextmanager
def temporary_database(server_url: str) -> Iterator[str]:
    """Create a fresh database on ``server_url``'s server; yield its URL; drop it."""
    name = f"resguardo_test_{secrets.token_hex(6)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                # FORCE: a test that failed may have left a connection open.
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def temporary_schema(database_url: str) -> Iterator[str]:
    """Create a fresh schema; yield a URL whose connections use only it; drop it."""
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()
