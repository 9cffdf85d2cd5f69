"""``resguardo user ...`` through Typer's test runner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import typer
from typer.testing import CliRunner, Result

from resguardo.accounts import authenticate, authenticate_token
from resguardo.audit.log import iter_entries, verify_log
from resguardo.cli.user_cmd import register
from resguardo.store import Store

PW = "correct horse battery staple"


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


Run = Callable[..., Result]


@pytest.fixture
def run(app: typer.Typer, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run("add", "ana", ..., input=...)`` invokes ``user add ana ...`` on the test database."""
    monkeypatch.delenv("RESGUARDO_CONFIG", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["user", *args, "--database-url", db_url], input=input)

    return invoke


def _login_ok(db_url: str, username: str, password: str) -> bool:
    store = Store(db_url)
    try:
        with store.transaction() as s:
            return authenticate(s, username, password).ok
    finally:
        store.dispose()


def test_add_with_prompt_list_disable(run: Run, db_url: str) -> None:
    result = run("add", "Ana", "--role", "admin", "-n", "Ana Pérez", input=f"{PW}\n{PW}\n")
    assert result.exit_code == 0, result.output
    assert "created ana (admin)" in result.output
    assert PW not in result.output  # the prompt does not echo
    assert _login_ok(db_url, "ana", PW)

    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["username"] == "ana" and row["role"] == "admin" and row["active"] is True

    result = run("disable", "ana", "--reason", "left")
    assert result.exit_code == 0, result.output
    assert not _login_ok(db_url, "ana", PW)
    table = run("list").output
    assert "ana" in table and "disabled" in table
    assert run("enable", "ana").exit_code == 0
    assert _login_ok(db_url, "ana", PW)


def test_prompt_confirmation_must_match(run: Run, db_url: str) -> None:
    result = run(
        "add", "bob", "--role", "clerk", input=f"{PW}\n{PW}x\n{PW}\n{PW}\n"
    )  # click asks again after a mismatch
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert _login_ok(db_url, "bob", PW)


def test_password_from_stdin_and_policy_errors(run: Run, db_url: str) -> None:
    result = run("add", "carl", "--role", "reviewer", "--password-stdin", input=f"{PW}\n")
    assert result.exit_code == 0, result.output
    assert _login_ok(db_url, "carl", PW)

    result = run("add", "dora", "--role", "clerk", "--password-stdin", input="short\n")
    assert result.exit_code == 1
    assert "at least 12" in result.output

    result = run("add", "carl", "--role", "clerk", "--password-stdin", input=f"{PW}\n")
    assert result.exit_code == 1
    assert "already exists" in result.output

    result = run("add", "eve", "--role", "root", "--password-stdin", input=f"{PW}\n")
    assert result.exit_code == 2  # usage error: not a role


def test_there_is_no_password_option(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["user", "add", "x", "--role", "clerk", "--password", PW])
    assert result.exit_code == 2


def test_reset_with_generated_password(run: Run, db_url: str) -> None:
    run("add", "ana", "--role", "clerk", "--password-stdin", input=f"{PW}\n")
    result = run("reset", "ana", "--generate")
    assert result.exit_code == 0, result.output
    temporary = result.output.split("temporary password: ")[1].strip()
    assert not _login_ok(db_url, "ana", PW)
    assert _login_ok(db_url, "ana", temporary)

    result = run("reset", "ana", "--password-stdin", "--no-require-change", input=f"{PW}\n")
    assert result.exit_code == 0, result.output
    assert _login_ok(db_url, "ana", PW)

    assert run("reset", "nobody", "--generate").exit_code == 1
    assert "no user named" in run("reset", "nobody", "--generate").output


def test_role_change(run: Run) -> None:
    run("add", "ana", "--role", "clerk", "--password-stdin", input=f"{PW}\n")
    result = run("role", "ana", "auditor")
    assert result.exit_code == 0, result.output
    assert "ana is now auditor" in result.output


def test_tokens(run: Run, db_url: str) -> None:
    result = run("token", "create", "dmv-gateway", "-s", "scan", "-s", "requests:read")
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("rsg_")
    store = Store(db_url)
    try:
        with store.transaction() as s:
            token = authenticate_token(s, secret)
            assert token is not None
            token_id = token.id
    finally:
        store.dispose()

    listing = run("token", "list", "--format", "json").output
    assert secret not in listing
    (row,) = json.loads(listing)
    assert row["name"] == "dmv-gateway"
    assert row["scopes"] == ["requests:read", "scan"]
    assert row["last_used_at"] is not None
    assert secret not in run("token", "list").output

    result = run("token", "revoke", str(token_id))
    assert result.exit_code == 0, result.output
    store = Store(db_url)
    try:
        with store.transaction() as s:
            assert authenticate_token(s, secret) is None
        with store.read_session() as s:
            assert verify_log(s).ok
            assert [e.action for e in iter_entries(s)] == ["token.create", "token.revoke"]
    finally:
        store.dispose()
    assert json.loads(run("token", "list", "--format", "json").output) == []
    assert run("token", "create", "x", "-s", "everything").exit_code == 2


def test_a_bad_database_url_is_a_clean_error(app: typer.Typer) -> None:
    result = CliRunner().invoke(
        app,
        [
            "user",
            "list",
            "--database-url",
            "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
        ],
    )
    assert result.exit_code == 1
    assert "cannot open the database" in result.output
