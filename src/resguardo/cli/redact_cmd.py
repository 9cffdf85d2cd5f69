"""``resguardo redact``: write a copy of a file with every finding replaced."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from resguardo.cli.common import fail, parse_categories
from resguardo.detect import Finding, Scanner
from resguardo.redact import (
    SUPPORTED_SUFFIXES,
    RedactionStyle,
    RedactionSummary,
    UndecodableError,
    UnsupportedFormatError,
    redact_file,
)

__all__ = ["register"]

KEY_ENV = "RESGUARDO_REDACT_KEY"


class Style(StrEnum):
    """Redaction styles offered on the command line."""

    LABEL = "label"
    MASK = "mask"
    HASH = "hash"


def _style(style: Style, key_file: Path | None) -> RedactionStyle:
    if style is Style.LABEL:
        return RedactionStyle.label()
    if style is Style.MASK:
        return RedactionStyle.mask()
    if key_file is not None:
        key = key_file.read_bytes().strip()
    elif os.environ.get(KEY_ENV):
        key = os.environ[KEY_ENV].encode()
    else:
        raise fail(f"--style hash needs a secret key: --key-file FILE or ${KEY_ENV}")
    try:
        return RedactionStyle.hashed(key)
    except ValueError as exc:
        raise fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    """Add ``resguardo redact`` to the application."""

    @app.command("redact")
    def redact(
        file: Annotated[
            Path,
            typer.Argument(
                help=f"The file to redact ({' '.join(SUPPORTED_SUFFIXES)}).",
                exists=True,
                dir_okay=False,
                readable=True,
            ),
        ],
        output: Annotated[
            Path, typer.Option("--output", "-o", help="Where to write the redacted copy.")
        ],
        style: Annotated[
            Style,
            typer.Option(
                help="label: [SSN]; mask: ██████ (keeps layout); hash: a keyed token, equal "
                "values give equal tokens.",
                case_sensitive=False,
            ),
        ] = Style.LABEL,
        key_file: Annotated[
            Path | None,
            typer.Option(
                help=f"Secret key for --style hash (or set ${KEY_ENV}).",
                exists=True,
                dir_okay=False,
            ),
        ] = None,
        min_confidence: Annotated[
            float,
            typer.Option(
                min=0.0, max=1.0, help="Redact findings at least this confident (default: all)."
            ),
        ] = 0.0,
        categories: Annotated[
            list[str] | None,
            typer.Option(
                "--categories",
                "-c",
                help="Only these category ids (comma-separated or repeated). Default: all.",
            ),
        ] = None,
        lexicon: Annotated[
            list[Path] | None,
            typer.Option(help="A user lexicon (YAML); repeatable.", exists=True, dir_okay=False),
        ] = None,
        withhold_columns: Annotated[
            bool,
            typer.Option(
                "--withhold-columns",
                help="In .csv, .tsv and .xlsx files, also replace every cell of a column in "
                "which any cell held a finding (fail closed: what the scan missed in one row "
                "goes with its column).",
            ),
        ] = False,
        force: Annotated[bool, typer.Option(help="Overwrite OUTPUT if it exists.")] = False,
        json_summary: Annotated[
            bool, typer.Option("--json", help="Print the summary as JSON.")
        ] = False,
    ) -> None:
        """Write a redacted copy of a .txt, .eml, .csv or .xlsx file (and .tsv, .html).

        In email, every copy of the text is redacted: plain and HTML alternatives, every
        transfer encoding, attachments and headers. Attachments that cannot be checked
        (PDF, images, unknown types) are removed and replaced by a note.
        """
        wanted = parse_categories(categories)
        if output.exists() and not force:
            raise fail(f"{output} exists; use --force to overwrite it")
        if output.resolve() == file.resolve() and not force:
            raise fail("OUTPUT is the input file; use --force to redact in place")
        redaction = _style(style, key_file)
        try:
            scanner = Scanner.default(lexicon or [])
        except ValueError as exc:
            raise fail(str(exc)) from None

        def scan(text: str) -> list[Finding]:
            return scanner.scan(text, categories=wanted, min_confidence=min_confidence)

        try:
            summary = redact_file(
                file, output, style=redaction, scan=scan, withhold_columns=withhold_columns
            )
        except UnsupportedFormatError as exc:
            raise fail(f"{file}: {exc}") from None
        except UndecodableError as exc:
            raise fail(f"{file}: {exc}", 1) from None
        except (OSError, ValueError) as exc:
            raise fail(f"{file}: could not redact: {exc}", 1) from None
        if json_summary:
            typer.echo(json.dumps({"input": str(file), "output": str(output), **summary.to_dict()}))
        else:
            _print_summary(file, output, summary)

    _ = redact


def _print_summary(src: Path, dst: Path, summary: RedactionSummary) -> None:
    console = Console(highlight=False)
    counts = ", ".join(f"{c} {n}" for c, n in sorted(summary.counts.items())) or "nothing found"
    console.print(f"{src} → {dst}: {summary.total} redaction(s) ({counts})")
    for removed in summary.removed:
        console.print(f"  removed: {removed}")
    for column in summary.withheld_columns:
        sheet = f"sheet {column.sheet!r} " if column.sheet is not None else ""
        # Headers come from the file: escaped so "[red]" is printed, not read as markup.
        console.print(
            escape(
                f"  withheld column: {sheet}{column.column!r} as {column.category} "
                f"({column.cells} cell(s))"
            )
        )
    for note in summary.notes:
        console.print(f"  note: {note}")
