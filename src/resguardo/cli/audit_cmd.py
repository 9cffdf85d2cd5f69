"""``resguardo audit``: verify the hash-chained audit log, show its head, export it."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from resguardo.audit.chain import ChainVerifier, VerifyResult
from resguardo.audit.log import (
    AuditError,
    ExportFormat,
    chain_head,
    export_log,
    read_export,
    verify_log,
)
from resguardo.cli.common import fail
from resguardo.cli.user_cmd import ConfigOption, DatabaseUrlOption
from resguardo.config import ConfigError, load_settings
from resguardo.store import Store

__all__ = ["parse_anchor", "parse_when", "register"]

# How many problems verify prints after the first; the first is the one that matters.
_MAX_PROBLEMS_SHOWN = 20
_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def parse_when(value: str) -> datetime:
    """``2025-03-01`` (midnight UTC) or an ISO 8601 time; no zone means UTC."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (2025-03-01) or time (2025-03-01T14:00:00Z)"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_anchor(value: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed by ``resguardo audit head``."""
    match = _ANCHOR.match(value.strip().lower())
    if not match:
        raise typer.BadParameter(f"{value!r} is not SEQ:HASH (64 hex digits)")
    return int(match.group(1)), match.group(2)


@contextmanager
def _read_session(database_url: str | None, config: Path | None) -> Iterator[Session]:
    try:
        settings = load_settings(config, database_url=database_url)
    except ConfigError as exc:
        raise fail(str(exc)) from exc
    # No migration here: verifying or exporting must not change the database it reads.
    store = Store(settings.database_url)
    try:
        with store.read_session() as session:
            yield session
    except AuditError as exc:
        raise fail(str(exc), 1) from exc
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        message = str(orig or exc).strip().splitlines()[0]
        raise fail(f"cannot read the audit log: {message}", 1) from exc
    finally:
        store.dispose()


def _report(result: VerifyResult, source: str) -> None:
    if result.ok:
        head = f"; head {result.last_seq}:{result.last_hash}" if result.last_hash else ""
        typer.echo(f"ok: {result.entries} entries in {source}, chain intact{head}")
        return
    first = result.problems[0]
    typer.echo(f"TAMPERED: {first.message}")
    for problem in result.problems[1:_MAX_PROBLEMS_SHOWN]:
        typer.echo(f"  also: {problem.message}")
    hidden = len(result.problems) - _MAX_PROBLEMS_SHOWN
    if hidden > 0:
        typer.echo(f"  … and {hidden} more")
    typer.echo(f"{result.entries} entries checked, {len(result.problems)} problem(s)")


def register(app: typer.Typer) -> None:
    """Add ``resguardo audit`` to the application."""
    audit_app = typer.Typer(
        name="audit",
        help="Check and export the tamper-evident audit log.",
        no_args_is_help=True,
    )
    app.add_typer(audit_app, name="audit")

    @audit_app.command("verify")
    def verify(
        anchors: Annotated[
            list[str] | None,
            typer.Option(
                "--anchor",
                help="SEQ:HASH kept outside the database (from `audit head`); the entry must "
                "still have that hash. Repeatable.",
            ),
        ] = None,
        file: Annotated[
            Path | None,
            typer.Option(
                "--file",
                exists=True,
                dir_okay=False,
                help="Verify an export file instead of the database.",
            ),
        ] = None,
        file_format: Annotated[
            ExportFormat | None,
            typer.Option("--format", help="Format of --file (default: from its extension)."),
        ] = None,
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Check every entry's hash and link; exit 0 if intact, 1 if not.

        Names the first entry that was changed, removed or reordered.
        """
        anchor_map = dict(parse_anchor(a) for a in anchors or [])
        if file is not None:
            fmt = file_format or _format_from_suffix(file)
            try:
                with file.open(encoding="utf-8", newline="") as stream:
                    verifier = ChainVerifier(partial=True, anchors=anchor_map)
                    for entry in read_export(stream, fmt):
                        verifier.feed(entry)
            except (OSError, ValueError, KeyError) as exc:
                raise fail(f"cannot read {file}: {exc}", 1) from exc
            result = verifier.finish()
            _report(result, str(file))
        else:
            with _read_session(database_url, config) as session:
                result = verify_log(session, anchors=anchor_map)
            _report(result, "the database")
        if not result.ok:
            raise typer.Exit(1)

    @audit_app.command("head")
    def head(
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Print SEQ:HASH of the last entry. Keep it somewhere the database's administrators
        cannot write; `verify --anchor` then proves nothing up to it was rewritten or cut."""
        with _read_session(database_url, config) as session:
            current = chain_head(session)
        if current is None:
            raise fail("the chain head row is missing", 1)
        typer.echo(f"{current[0]}:{current[1]}")

    @audit_app.command("export")
    def export(
        output_format: Annotated[
            ExportFormat,
            typer.Option("--format", "-f", help="csv, json (one array) or jsonl."),
        ] = ExportFormat.JSONL,
        since: Annotated[
            str | None,
            typer.Option(help="Only entries at or after this UTC date/time."),
        ] = None,
        until: Annotated[
            str | None,
            typer.Option(help="Only entries before this UTC date/time."),
        ] = None,
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Write here instead of standard output."),
        ] = None,
        database_url: DatabaseUrlOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Stream the log, oldest first, with everything needed to verify it elsewhere."""
        since_dt = parse_when(since) if since else None
        until_dt = parse_when(until) if until else None
        with _read_session(database_url, config) as session:
            if output is None:
                count = export_log(
                    session, sys.stdout, output_format, since=since_dt, until=until_dt
                )
            else:
                with output.open("w", encoding="utf-8", newline="") as stream:
                    count = export_log(
                        session, stream, output_format, since=since_dt, until=until_dt
                    )
        typer.echo(f"exported {count} entries", err=True)


def _format_from_suffix(path: Path) -> ExportFormat:
    suffix = path.suffix.lower().lstrip(".")
    try:
        return ExportFormat(suffix)
    except ValueError:
        raise fail(f"cannot tell the format of {path}; pass --format csv|json|jsonl") from None
