"""``resguardo scan``: find sensitive personal information in files and folders."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from resguardo.cli.common import fail, parse_categories
from resguardo.detect import Finding, Scanner
from resguardo.extract import Document, ExtractError, extract_path, iter_files

__all__ = ["document_record", "register"]

# Below this many files a progress bar is more noise than help.
_PROGRESS_MIN_FILES = 5


class OutputFormat(StrEnum):
    """How ``scan`` prints its results."""

    TABLE = "table"
    JSONL = "jsonl"
    JSON = "json"


def document_record(doc: Document, findings: list[Finding]) -> dict[str, Any]:
    """The ``--format jsonl`` contract: one object per document."""
    return {
        "source": doc.source,
        "part": doc.part,
        "text_length": len(doc.text),
        "categories": sorted({f.category for f in findings}),
        "findings": [f.to_dict() for f in findings],
    }


def register(app: typer.Typer) -> None:
    """Add ``resguardo scan`` to the application."""

    @app.command("scan")
    def scan(
        paths: Annotated[
            list[Path],
            typer.Argument(
                help="Files or folders (walked recursively): .txt .eml .mbox .msg .pdf .docx "
                ".xlsx .csv .html",
                show_default=False,
            ),
        ],
        output_format: Annotated[
            OutputFormat,
            typer.Option(
                "--format",
                "-f",
                help="table (for people), jsonl (one JSON object per document), or json.",
                case_sensitive=False,
            ),
        ] = OutputFormat.TABLE,
        min_confidence: Annotated[
            float,
            typer.Option(min=0.0, max=1.0, help="Report only findings at least this confident."),
        ] = 0.0,
        categories: Annotated[
            list[str] | None,
            typer.Option(
                "--categories",
                "-c",
                help="Only these category ids (comma-separated or repeated), e.g. ssn,itin.",
            ),
        ] = None,
        lexicon: Annotated[
            list[Path] | None,
            typer.Option(
                help="A user lexicon (YAML: an agency's shelter or program names); repeatable.",
                exists=True,
                dir_okay=False,
            ),
        ] = None,
        progress: Annotated[
            bool, typer.Option(help="Show a progress bar on a terminal for many files.")
        ] = True,
    ) -> None:
        """Find sensitive personal information in documents, emails and record exports.

        Exit status: 0 when every file was read, 1 when some could not be (each is named on
        stderr, and the scan goes on with the rest), 2 for a usage error.
        """
        wanted = parse_categories(categories)
        try:
            scanner = Scanner.default(lexicon or [])
        except ValueError as exc:
            raise fail(str(exc)) from None
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise fail(f"no such file or folder: {', '.join(map(str, missing))}")
        files = list(iter_files(paths))
        errors = _run(
            files,
            scanner,
            output_format=output_format,
            wanted=wanted,
            min_confidence=min_confidence,
            show_progress=progress and sys.stderr.isatty() and len(files) >= _PROGRESS_MIN_FILES,
        )
        if errors:
            typer.echo(f"{errors} file(s) or part(s) could not be read; see above.", err=True)
            raise typer.Exit(1)

    _ = scan


def _documents(files: list[Path], progress: Progress | None) -> Iterator[Document | ExtractError]:
    task = progress.add_task("scanning", total=len(files)) if progress else None
    for path in files:
        if progress is not None and task is not None:
            progress.update(task, description=_short(path))
        yield from extract_path(path)
        if progress is not None and task is not None:
            progress.advance(task)


def _short(path: Path, width: int = 40) -> str:
    s = str(path)
    return s if len(s) <= width else "…" + s[-(width - 1) :]


def _run(
    files: list[Path],
    scanner: Scanner,
    *,
    output_format: OutputFormat,
    wanted: frozenset[str] | None,
    min_confidence: float,
    show_progress: bool,
) -> int:
    err_console = Console(stderr=True)
    progress = (
        Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        )
        if show_progress
        else None
    )
    out: IO[str] = sys.stdout
    errors = 0
    records: list[dict[str, Any]] = []
    error_records: list[dict[str, Any]] = []
    table_rows: list[tuple[Document, Finding]] = []
    n_docs = 0
    with progress if progress is not None else nullcontext():
        for item in _documents(files, progress):
            if isinstance(item, ExtractError):
                errors += 1
                err_console.print(f"[red]error:[/] {item}", highlight=False, soft_wrap=True)
                error_records.append(
                    {"source": item.source, "part": item.part, "reason": item.reason}
                )
                continue
            n_docs += 1
            findings = scanner.scan(item.text, categories=wanted, min_confidence=min_confidence)
            if output_format is OutputFormat.JSONL:
                out.write(json.dumps(document_record(item, findings), ensure_ascii=False) + "\n")
            elif output_format is OutputFormat.JSON:
                records.append(document_record(item, findings))
            else:
                table_rows.extend((item, f) for f in findings)
    if output_format is OutputFormat.JSON:
        json.dump(
            {"documents": records, "errors": error_records}, out, ensure_ascii=False, indent=2
        )
        out.write("\n")
    elif output_format is OutputFormat.TABLE:
        _print_table(table_rows, n_docs, errors)
    out.flush()
    return errors


def _print_table(rows: list[tuple[Document, Finding]], n_docs: int, errors: int) -> None:
    console = Console()
    if rows:
        table = Table(show_lines=False, header_style="bold")
        for col in ("source", "part", "category", "text", "conf.", "detector"):
            table.add_column(col, overflow="fold")
        for doc, f in rows:
            table.add_row(
                doc.source,
                doc.part or "",
                f.category,
                f.text.replace("\n", " "),
                f"{f.confidence:.2f}",
                f.detector,
            )
        console.print(table)
    n_find = len(rows)
    cats = sorted({f.category for _, f in rows})
    console.print(
        f"{n_docs} document(s), {n_find} finding(s)"
        + (f" in {len(cats)} categor{'y' if len(cats) == 1 else 'ies'}" if cats else "")
        + (f", {errors} unreadable" if errors else ""),
        highlight=False,
    )
