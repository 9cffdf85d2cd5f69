"""``resguardo evaluate`` on the development corpus: the scanner keeps the accuracy the
scanner issue asks for, and ordinary mail stays silent on the status categories."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from resguardo.cli.app import app
from resguardo.detect import Scanner
from resguardo.taxonomy import Group, categories

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


def test_dev_corpus_meets_the_scanner_targets() -> None:
    result = runner.invoke(app, ["evaluate", str(DATA / "spi-dev"), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 160 and report["messages"] == 40
    assert report["errors"] == []
    # The floor (document-level macro-F1 >= 0.95 over the 21 categories, >= 98 % of
    # labeled identifier spans found); the corpus is tuned on, so it sits at 1.0 today.
    assert report["combined"]["macro_f1"] >= 0.95
    assert report["identifier_span_recall"]["overall"] >= 0.98
    assert len(report["combined"]["categories"]) == 21


def test_ordinary_mail_raises_no_status_finding() -> None:
    statuses = {c.id for c in categories().values() if c.group is Group.STATUS}
    scanner = Scanner.default()
    mail = sorted(p for p in (DATA / "ordinary-mail").iterdir() if p.suffix == ".txt")
    assert len(mail) >= 20
    found = {
        p.name: sorted({f.category for f in scanner.scan(p.read_text(encoding="utf-8"))} & statuses)
        for p in mail
    }
    assert {name: cats for name, cats in found.items() if cats} == {}
