"""``resguardo evaluate``: score the scanner on a labeled corpus (LABELING.md format)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from resguardo.detect import Finding, Scanner
from resguardo.evaluation import (
    DocumentScores,
    LabeledSpan,
    document_scores,
    span_recall,
)
from resguardo.extract import Document, extract_path

__all__ = ["CorpusReport", "evaluate_corpus", "register"]


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """Scores on one labeled corpus: texts, messages and both together."""

    texts: DocumentScores
    messages: DocumentScores | None
    combined: DocumentScores
    span_recall: dict[str, tuple[int, int]]
    n_texts: int
    n_messages: int
    errors: list[str]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""

        def per(scores: DocumentScores) -> dict[str, Any]:
            return {
                "macro_f1": round(scores.macro_f1, 4),
                "categories": {
                    c: {
                        "precision": round(s.precision, 4),
                        "recall": round(s.recall, 4),
                        "f1": round(s.f1, 4),
                        "tp": s.tp,
                        "fp": s.fp,
                        "fn": s.fn,
                    }
                    for c, s in scores.per_category.items()
                },
            }

        hit = sum(h for h, _ in self.span_recall.values())
        total = sum(t for _, t in self.span_recall.values())
        return {
            "documents": self.n_texts,
            "messages": self.n_messages,
            "texts": per(self.texts),
            "messages_scores": per(self.messages) if self.messages else None,
            "combined": per(self.combined),
            "identifier_span_recall": {
                "overall": round(hit / total, 4) if total else 1.0,
                "categories": {
                    c: {"found": h, "total": t, "recall": round(h / t, 4) if t else 1.0}
                    for c, (h, t) in self.span_recall.items()
                },
            },
            "errors": self.errors,
        }


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return rows


def evaluate_corpus(corpus: Path, scanner: Scanner, *, min_confidence: float = 0.0) -> CorpusReport:
    """Scan every labeled text (``labels.jsonl``) and message (``eml/`` + ``eml-labels.jsonl``)."""
    labels = corpus / "labels.jsonl"
    if not labels.is_file():
        raise FileNotFoundError(f"{corpus}: no labels.jsonl here")
    rows = _read_jsonl(labels)
    gold_t: list[list[str]] = []
    pred_t: list[set[str]] = []
    gold_spans: list[list[LabeledSpan]] = []
    found: list[list[Finding]] = []
    for row in rows:
        findings = scanner.scan(row["text"], min_confidence=min_confidence)
        gold_t.append(list(row["categories"]))
        pred_t.append({f.category for f in findings})
        gold_spans.append([LabeledSpan(s["category"], s["start"], s["end"]) for s in row["spans"]])
        found.append(findings)
    texts = document_scores(gold_t, pred_t)

    errors: list[str] = []
    gold_m: list[list[str]] = []
    pred_m: list[set[str]] = []
    eml_labels = corpus / "eml-labels.jsonl"
    if eml_labels.is_file():
        for row in _read_jsonl(eml_labels):
            cats: set[str] = set()
            for item in extract_path(corpus / "eml" / row["file"]):
                if isinstance(item, Document):
                    cats.update(
                        f.category for f in scanner.scan(item.text, min_confidence=min_confidence)
                    )
                else:
                    errors.append(str(item))
            gold_m.append(list(row["categories"]))
            pred_m.append(cats)
    messages = document_scores(gold_m, pred_m) if gold_m else None
    return CorpusReport(
        texts=texts,
        messages=messages,
        combined=document_scores(gold_t + gold_m, [*pred_t, *pred_m]),
        span_recall=span_recall(gold_spans, found),
        n_texts=len(rows),
        n_messages=len(gold_m),
        errors=errors,
    )


def register(app: typer.Typer) -> None:
    """Add ``resguardo evaluate`` to the application."""

    @app.command("evaluate")
    def evaluate(
        corpus: Annotated[
            Path,
            typer.Argument(
                help="A labeled corpus folder: labels.jsonl, optionally eml/ and eml-labels.jsonl.",
                exists=True,
                file_okay=False,
            ),
        ],
        output_format: Annotated[
            str, typer.Option("--format", help="table or json.", case_sensitive=False)
        ] = "table",
        min_confidence: Annotated[
            float, typer.Option(min=0.0, max=1.0, help="Ignore findings below this confidence.")
        ] = 0.0,
        lexicon: Annotated[
            list[Path] | None,
            typer.Option(help="Extra user lexicon (YAML); may be repeated.", exists=True),
        ] = None,
    ) -> None:
        """Score the scanner on a labeled corpus (LABELING.md format).

        Prints document-level precision, recall and F1 per category, the macro-F1, and how
        many labeled identifier spans a finding of their category covers.
        """
        if output_format not in ("table", "json"):
            raise typer.BadParameter("use table or json", param_hint="--format")
        scanner = Scanner.default(lexicon or [])
        try:
            report = evaluate_corpus(corpus, scanner, min_confidence=min_confidence)
        except (OSError, ValueError, KeyError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        if output_format == "json":
            typer.echo(json.dumps(report.to_dict(), indent=2))
            return
        _print_report(report)

    _ = evaluate


def _print_report(report: CorpusReport) -> None:
    console = Console()
    table = Table(title="Document-level scores (texts + messages)")
    for col in ("category", "P", "R", "F1", "tp", "fp", "fn", "span recall"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for c, s in report.combined.per_category.items():
        hit, total = report.span_recall.get(c, (0, 0))
        table.add_row(
            c,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.tp),
            str(s.fp),
            str(s.fn),
            f"{hit}/{total}" if total else "",
        )
    console.print(table)
    hit = sum(h for h, _ in report.span_recall.values())
    total = sum(t for _, t in report.span_recall.values())
    console.print(
        f"texts: {report.n_texts}, macro-F1 {report.texts.macro_f1:.4f}   "
        f"messages: {report.n_messages}"
        + (f", macro-F1 {report.messages.macro_f1:.4f}" if report.messages else "")
    )
    console.print(
        f"combined macro-F1 [bold]{report.combined.macro_f1:.4f}[/]   "
        f"identifier span recall [bold]{hit / total if total else 1.0:.4f}[/] ({hit}/{total})"
    )
    for e in report.errors:
        console.print(f"[red]error:[/] {e}")
