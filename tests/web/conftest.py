"""Fixtures for the review service: an app on a fresh database (SQLite, and PostgreSQL for
the tests that ask for ``backend_app``), staff accounts for every role, logged-in clients.

PostgreSQL is the ``pg_database`` of ``tests/conftest.py``: when it cannot be reached the
PostgreSQL variants fail in CI (CI=true) and are skipped elsewhere, with the reason.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from webtest_helpers import PASSWORD, USERS, login  # noqa: E402

import resguardo.accounts  # noqa: E402
from resguardo.accounts import Actor, create_user  # noqa: E402
from resguardo.store import Store  # noqa: E402
from resguardo.store.testing import temporary_schema  # noqa: E402
from resguardo.web.app import create_app  # noqa: E402
from resguardo.web.settings import WebSettings, load_web_settings  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 with tiny parameters: the tests log in dozens of times, and the production
    cost (64 MiB, 3 passes) is for attackers, not for this suite."""
    original = resguardo.accounts._hasher
    resguardo.accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    resguardo.accounts._dummy_hash.cache_clear()
    yield
    resguardo.accounts._hasher = original
    resguardo.accounts._dummy_hash.cache_clear()


def _settings(tmp_path: Path, database_url: str, **extra: object) -> WebSettings:
    return load_web_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_key="test-secret-key-0123456789-abcdefghijklmnop",
        pack="nm-sb36-2025",  # explicit: a RESGUARDO_PACK in the shell must not change results
        **extra,
    )


def _make_app(settings: WebSettings) -> FastAPI:
    app = create_app(settings)
    store: Store = app.state.ctx.store
    with store.transaction() as db:
        for username, role in USERS.items():
            create_user(
                db,
                username=username,
                password=PASSWORD,
                role=role,
                actor=Actor.operator("tests"),
                display_name=username.title(),
            )
    return app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    """The app on a fresh SQLite database, with one account per role (and spares)."""
    application = _make_app(_settings(tmp_path, f"sqlite:///{tmp_path / 'data' / 'r.db'}"))
    yield application
    application.state.ctx.store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FastAPI]:
    """Like ``app``, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        application = _make_app(_settings(tmp_path, f"sqlite:///{tmp_path / 'data' / 'r.db'}"))
        yield application
        application.state.ctx.store.dispose()
        return
    with temporary_schema(request.getfixturevalue("pg_database")) as url:
        application = _make_app(_settings(tmp_path, url))
        yield application
        application.state.ctx.store.dispose()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """An anonymous browser."""
    return TestClient(app)


def _logged_in(app: FastAPI, username: str) -> TestClient:
    c = TestClient(app)
    login(c, username)
    return c


@pytest.fixture
def clerk(app: FastAPI) -> TestClient:
    """A browser logged in as the clerk ``ana``."""
    return _logged_in(app, "ana")


@pytest.fixture
def clerk2(app: FastAPI) -> TestClient:
    """Another clerk, ``bruno``."""
    return _logged_in(app, "bruno")


@pytest.fixture
def reviewer(app: FastAPI) -> TestClient:
    """The reviewer ``rita``."""
    return _logged_in(app, "rita")


@pytest.fixture
def auditor(app: FastAPI) -> TestClient:
    """The auditor ``olga``."""
    return _logged_in(app, "olga")


@pytest.fixture
def admin(app: FastAPI) -> TestClient:
    """The administrator ``adam``."""
    return _logged_in(app, "adam")
