"""``resguardo user``: local accounts (add, disable, enable, reset, role, list) and API tokens.

Passwords are read from a hidden prompt (typed twice) or, for scripts, from the first line
of standard input with ``--password-stdin``; never from the command line, where other
users could read them in the process list and they would stay in shell history.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from resguardo.accounts import (
    AccountError,
    Actor,
    create_api_token,
    create_user,
    disable_user,
    enable_user,
    generate_password,
    list_api_tokens,
    list_users,
    reset_password,
    revoke_api_token,
    set_role,
)
from resguardo.audit.chain import format_timestamp
from resguardo.audit.log import AuditError
from resguardo.cli.common import fail
from resguardo.config import ConfigError, load_settings
from resguardo.store import Role, Scope, open_store
from resguardo.store.types import utcnow

__all__ = ["ConfigOption", "DatabaseUrlOption", "register", "store_session"]

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="RESGUARDO_DATABASE_URL",
        help="Database URL (default: SQLite in the data folder).",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar="RESGUARDO_CONFIG",
        help="TOML settings file.",
        show_default=False,
        dir_okay=False,
    ),
]


@contextmanager
def store_session(
    database_url: str | None, config: Path | None, *, migrate: bool = True
) -> Iterator[Session]:
    """A write session on the configured database that commits if the block succeeds.

    Configuration, database and account errors end the command with a one-line message.
    """
    try:
        settings = load_settings(config, database_url=database_url)
    except ConfigError as exc:
        raise fail(str(exc)) from exc
    try:
        store = open_store(settings, migrate=migrate)
    except SQLAlchemyError as exc:
        raise fail(f"cannot open the database: {_db_error(exc)}", 1) from exc
    try:
        with store.transaction() as session:
            yield session
    except (AccountError, AuditError) as exc:
        raise fail(str(exc), 1) from exc
    except SQLAlchemyError as exc:
        raise fail(f"database error: {_db_error(exc)}", 1) from exc
    finally:
        store.dispose()


def _db_error(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0]


def _read_password(password_stdin: bool, prompt: str = "Password") -> str:
    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise fail("--password-stdin: nothing on standard input")
        return line.rstrip("\r\n")
    value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return value


def _when(value: datetime | None) -> str:
    return format_timestamp(value)[:19].replace("T", " ") if value else "—"


class ListFormat(StrEnum):
    """Output of ``list`` commands."""

    TABLE = "table"
    JSON = "json"


def register(app: typer.Typer) -> None:
    """Add ``resguardo user`` (and ``resguardo user token``) to the application."""
    user_app = typer.Typer(
        name="user",
        help="Manage local accounts and API tokens.",
        no_args_is_help=True,
    )
    token_app = typer.Typer(
        name="token",
        help="API tokens for integrations (shown once, stored hashed).",
        no_args_is_help=True,
    )
    user_app.add_typer(token_app, name="token")
    app.add_typer(user_app, name="user")

    @user_app.command("add")
    def add(
        username: Annotated[str, typer.Argument(help="Login name (a-z 0-9 . _ @ -).")],
        role: Annotated[
            Role, typer.Option("--role", "-r", help="clerk, reviewer, auditor or admin.")
        ],
        display_name: Annotated[
            str, typer.Option("--display-name", "-n", help="Full name shown in the web.")
        ] = "",
        must_change: Annotated[
            bool,
            typer.Option(
                "--must-change/--no-must-change",
                help="Make the person choose a new password at first login.",
            ),
        ] = False,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the password from stdin.")
        ] = False,
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Create an account."""
        password = _read_password(password_stdin)
        with store_session(database_url, config) as session:
            user = create_user(
                session,
                username=username,
                password=password,
                role=role,
                actor=Actor.operator(),
                display_name=display_name,
                must_change_password=must_change,
            )
        typer.echo(f"created {user.username} ({user.role.value})")

    @user_app.command("disable")
    def disable(
        username: Annotated[str, typer.Argument(help="The account to disable.")],
        reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")] = "",
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Disable an account: no more logins, current sessions end."""
        with store_session(database_url, config) as session:
            user = disable_user(session, username, actor=Actor.operator(), reason=reason)
        typer.echo(f"disabled {user.username}")

    @user_app.command("enable")
    def enable(
        username: Annotated[str, typer.Argument(help="The account to enable again.")],
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Enable a disabled account."""
        with store_session(database_url, config) as session:
            user = enable_user(session, username, actor=Actor.operator())
        typer.echo(f"enabled {user.username}")

    @user_app.command("reset")
    def reset(
        username: Annotated[str, typer.Argument(help="The account whose password to reset.")],
        generate: Annotated[
            bool,
            typer.Option("--generate", help="Generate a temporary password and print it once."),
        ] = False,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the new password from stdin.")
        ] = False,
        require_change: Annotated[
            bool,
            typer.Option(
                "--require-change/--no-require-change",
                help="Make the person choose their own password at next login.",
            ),
        ] = True,
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Set a new password; the person's sessions end."""
        if generate and password_stdin:
            raise fail("use either --generate or --password-stdin")
        password = generate_password() if generate else _read_password(password_stdin)
        with store_session(database_url, config) as session:
            user = reset_password(
                session,
                username,
                password,
                actor=Actor.operator(),
                require_change=require_change,
            )
        typer.echo(f"password reset for {user.username}")
        if generate:
            typer.echo(f"temporary password: {password}")

    @user_app.command("role")
    def role_cmd(
        username: Annotated[str, typer.Argument(help="The account.")],
        role: Annotated[Role, typer.Argument(help="clerk, reviewer, auditor or admin.")],
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Change an account's role."""
        with store_session(database_url, config) as session:
            user = set_role(session, username, role, actor=Actor.operator())
        typer.echo(f"{user.username} is now {user.role.value}")

    @user_app.command("list")
    def list_cmd(
        active_only: Annotated[
            bool, typer.Option("--active-only", help="Leave out disabled accounts.")
        ] = False,
        output_format: Annotated[
            ListFormat, typer.Option("--format", "-f", help="table or json.")
        ] = ListFormat.TABLE,
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """List accounts."""
        with store_session(database_url, config) as session:
            users = list_users(session, include_disabled=not active_only)
            rows = [
                {
                    "username": u.username,
                    "display_name": u.display_name,
                    "role": u.role.value,
                    "active": u.is_active,
                    "must_change_password": u.must_change_password,
                    "created_at": format_timestamp(u.created_at),
                    "last_login_at": format_timestamp(u.last_login_at) if u.last_login_at else None,
                }
                for u in users
            ]
        if output_format is ListFormat.JSON:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table("username", "name", "role", "status", "last login", "created")
        for u in users:
            status = "active" if u.is_active else "disabled"
            if u.is_active and u.must_change_password:
                status += " (must change password)"
            table.add_row(
                u.username,
                u.display_name,
                u.role.value,
                status,
                _when(u.last_login_at),
                _when(u.created_at),
            )
        Console().print(table)

    @token_app.command("create")
    def token_create(
        name: Annotated[str, typer.Argument(help="What the token is for, e.g. dmv-gateway.")],
        scopes: Annotated[
            list[Scope],
            typer.Option("--scope", "-s", help="Repeat for several scopes."),
        ],
        expires_days: Annotated[
            int | None,
            typer.Option("--expires-days", min=1, help="Expire after this many days."),
        ] = None,
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Create an API token and print it once."""
        expires_at = None
        if expires_days is not None:
            expires_at = utcnow() + timedelta(days=expires_days)
        with store_session(database_url, config) as session:
            new = create_api_token(
                session, name=name, scopes=scopes, actor=Actor.operator(), expires_at=expires_at
            )
            token_id = new.token.id
        typer.echo(f"token {token_id} ({name}) created; it is shown only this once:", err=True)
        typer.echo(new.secret)

    @token_app.command("list")
    def token_list(
        include_revoked: Annotated[
            bool, typer.Option("--all", help="Include revoked tokens.")
        ] = False,
        output_format: Annotated[
            ListFormat, typer.Option("--format", "-f", help="table or json.")
        ] = ListFormat.TABLE,
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """List API tokens (never their secrets)."""
        with store_session(database_url, config) as session:
            tokens = list_api_tokens(session, include_revoked=include_revoked)
        if output_format is ListFormat.JSON:
            rows = [
                {
                    "id": t.id,
                    "name": t.name,
                    "prefix": t.token_prefix,
                    "scopes": t.scopes.split(),
                    "created_by": t.created_by,
                    "created_at": format_timestamp(t.created_at),
                    "expires_at": format_timestamp(t.expires_at) if t.expires_at else None,
                    "last_used_at": format_timestamp(t.last_used_at) if t.last_used_at else None,
                    "revoked_at": format_timestamp(t.revoked_at) if t.revoked_at else None,
                }
                for t in tokens
            ]
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = Table("id", "name", "prefix", "scopes", "created", "last used", "status")
        for t in tokens:
            status = "revoked" if t.revoked_at else "active"
            if t.expires_at is not None and not t.revoked_at:
                status = f"expires {_when(t.expires_at)}"
            table.add_row(
                str(t.id),
                t.name,
                t.token_prefix + "…",
                t.scopes,
                _when(t.created_at),
                _when(t.last_used_at),
                status,
            )
        Console().print(table)

    @token_app.command("revoke")
    def token_revoke(
        token_id: Annotated[int, typer.Argument(help="The token's id (see `token list`).")],
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Revoke an API token for good."""
        with store_session(database_url, config) as session:
            token = revoke_api_token(session, token_id, actor=Actor.operator())
        typer.echo(f"revoked token {token.id} ({token.name})")
