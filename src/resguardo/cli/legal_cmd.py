"""``resguardo classify-process FILE``: what kind of legal process is this document?

A thin shell around :func:`resguardo.legal.classify_process`. The file is read with
:func:`resguardo.extract.extract_path`; an e-mail gives several texts (body, HTML version,
each attachment, attachments of forwarded messages), each is classified, and the strongest
legal document found is reported. ``--format json`` prints exactly the six keys of
:meth:`ProcessClassification.to_dict`, a contract other tools parse.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from resguardo.cli.common import fail
from resguardo.extract import Document, ExtractError, extract_path
from resguardo.extract.encoding import decode_text, is_binary
from resguardo.legal import ProcessClassification, ProcessKind, classify_process

__all__ = ["classify_documents", "register"]

# Read a file of an unknown extension as text only up to this size.
_MAX_PLAIN_BYTES = 20 * 1024 * 1024

_KIND_STYLE = {
    ProcessKind.JUDICIAL_WARRANT: "bold green",
    ProcessKind.COURT_ORDER: "bold green",
    ProcessKind.GRAND_JURY_SUBPOENA: "bold green",
    ProcessKind.COURT_SUBPOENA: "bold green",
    ProcessKind.WRITTEN_CONSENT: "bold cyan",
    ProcessKind.ADMINISTRATIVE_SUBPOENA: "bold red",
    ProcessKind.ADMINISTRATIVE_WARRANT: "bold red",
    ProcessKind.DETAINER: "bold red",
    ProcessKind.NONE: "bold",
    ProcessKind.UNKNOWN: "bold magenta",
}
_KIND_NOTE = {
    ProcessKind.JUDICIAL_WARRANT: "issued by a court and signed by a judge",
    ProcessKind.COURT_ORDER: "an order of a court, signed by a judge",
    ProcessKind.GRAND_JURY_SUBPOENA: "issued by a court's clerk for a grand jury",
    ProcessKind.COURT_SUBPOENA: "issued by a court's clerk or an attorney, not reviewed by a judge",
    ProcessKind.ADMINISTRATIVE_SUBPOENA: "issued by an agency: only a court order can compel",
    ProcessKind.ADMINISTRATIVE_WARRANT: "issued by an immigration officer, not a judge",
    ProcessKind.DETAINER: "a request from DHS, not an order",
    ProcessKind.WRITTEN_CONSENT: "signed by the person the records are about",
    ProcessKind.NONE: "not legal process for a disclosure",
    ProcessKind.UNKNOWN: "could not tell: escalate",
}


class OutputFormat(StrEnum):
    """How ``classify-process`` prints its result."""

    TEXT = "text"
    JSON = "json"


def _rank(item: tuple[str | None, ProcessClassification]) -> tuple[int, int, int, float]:
    part, result = item
    # A message's headers (its subject line) are the last place to report from.
    body = 0 if (part or "").startswith("header:") else 1
    if result.kind not in (ProcessKind.NONE, ProcessKind.UNKNOWN):
        return (3, 1, body, result.confidence)
    if result.kind is ProcessKind.UNKNOWN:
        return (2, 1, body, result.confidence)
    # Among texts that are not process, report the one that is a document of its own (a
    # Notice to Appear attached to an e-mail) rather than the message around it.
    return (1, 1 if result.form or result.issuer else 0, body, result.confidence)


def classify_documents(
    documents: list[Document],
) -> tuple[str | None, ProcessClassification] | None:
    """The strongest legal document among ``documents``, with the part it came from.

    A definite kind beats ``unknown``, which beats ``none``; ties go to the higher
    confidence. ``None`` when there is no document with text.
    """
    results = [(d.part, classify_process(d.text)) for d in documents if d.text.strip()]
    if not results:
        return None
    return max(results, key=_rank)


def _read(path: Path) -> tuple[list[Document], list[ExtractError]]:
    docs: list[Document] = []
    errors: list[ExtractError] = []
    for item in extract_path(path):
        if isinstance(item, Document):
            docs.append(item)
        else:
            errors.append(item)
    if docs or not errors or not errors[0].reason.startswith("unsupported file type"):
        return docs, errors
    # A file with no extension or an unusual one ("warrant", "notice.asc"): read it as text
    # if it is text.
    try:
        data = path.read_bytes()[:_MAX_PLAIN_BYTES]
    except OSError:
        return docs, errors
    decoded = decode_text(data)
    if is_binary(data, decoded):
        return docs, [ExtractError(str(path), None, "not text: the content is binary data")]
    return [Document(str(path), None, decoded.text)], []


def _print_text(path: Path, part: str | None, result: ProcessClassification) -> None:
    console = Console()
    style = _KIND_STYLE[result.kind]
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="dim")
    table.add_column()
    table.add_row("file", escape(str(path)) + (f"  [dim]({escape(part)})[/dim]" if part else ""))
    table.add_row(
        "kind",
        f"[{style}]{result.kind.value}[/{style}]  [dim]{escape(_KIND_NOTE[result.kind])}[/dim]",
    )
    table.add_row("confidence", f"{result.confidence:.2f}")
    table.add_row("form", escape(result.form or "-"))
    table.add_row("issuer", escape(result.issuer or "-"))
    table.add_row("signed by", escape(result.signed_by or "-"))
    console.print(table)
    if result.evidence:
        console.print("[dim]evidence[/dim]")
        for line in result.evidence:
            console.print(f"  • {escape(line)}")


def register(app: typer.Typer) -> None:
    """Add ``resguardo classify-process`` to the application."""

    @app.command("classify-process")
    def classify_process_cmd(
        file: Annotated[
            Path,
            typer.Argument(
                help="A document or message: .txt, .pdf, .eml, .msg, .docx, .html ...",
                show_default=False,
            ),
        ],
        output_format: Annotated[
            OutputFormat,
            typer.Option(
                "--format",
                "-f",
                case_sensitive=False,
                help="text: a readable summary; json: {kind, confidence, evidence, form, "
                "issuer, signed_by}.",
            ),
        ] = OutputFormat.TEXT,
    ) -> None:
        """Say what kind of legal process a document is: judicial warrant, court order, grand
        jury or court subpoena, administrative subpoena or warrant, detainer, written consent,
        none, or unknown (escalate). For an e-mail, the strongest document in it."""
        docs, errors = _read(file)
        found = classify_documents(docs)
        if found is None:
            if errors:
                raise fail(str(errors[0]))
            raise fail(f"{file}: empty: there is no text to classify")
        part, result = found
        if output_format is OutputFormat.JSON:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            _print_text(file, part, result)
