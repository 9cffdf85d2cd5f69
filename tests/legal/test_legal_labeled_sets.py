"""The classifier against the labeled document sets.

``requests-dev/documents`` is the shared development set (20 documents); ``legal-specimens``
holds our own specimens (different layouts, courts, agencies, OCR noise, truncation,
look-alikes), labeled from NOTES section 10 before the rules were tuned on them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from resguardo.legal import ProcessKind, classify_process

DATA = Path(__file__).resolve().parents[1] / "data"
DEV = DATA / "requests-dev" / "documents"
SPECIMENS = DATA / "legal-specimens"


def _labels(folder: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (folder / "labels.jsonl").read_text().splitlines()]
    return [r for r in rows if r]


def _path(folder: Path, row: dict[str, Any]) -> Path:
    return folder / Path(row["path"]).name


DEV_ROWS = _labels(DEV)
SPECIMEN_ROWS = _labels(SPECIMENS)


def test_the_sets_are_complete() -> None:
    assert len(DEV_ROWS) == 20
    assert len(SPECIMEN_ROWS) >= 25
    for folder, rows in ((DEV, DEV_ROWS), (SPECIMENS, SPECIMEN_ROWS)):
        listed = {_path(folder, r).name for r in rows}
        assert listed == {p.name for p in folder.glob("*.txt")}
        for r in rows:
            ProcessKind(r["expected_kind"])  # every label is a valid kind
            assert r["why"]


@pytest.mark.parametrize("row", DEV_ROWS, ids=lambda r: Path(r["path"]).stem)
def test_dev_document_kind(row: dict[str, Any]) -> None:
    result = classify_process(_path(DEV, row).read_text(encoding="utf-8"))
    assert result.kind == row["expected_kind"], result.evidence


@pytest.mark.parametrize("row", SPECIMEN_ROWS, ids=lambda r: Path(r["path"]).stem)
def test_specimen_kind_form_and_signer(row: dict[str, Any]) -> None:
    result = classify_process(_path(SPECIMENS, row).read_text(encoding="utf-8"))
    assert result.kind == row["expected_kind"], result.evidence
    if "expected_form" in row:
        assert result.form == row["expected_form"]
    if "expected_signed_by" in row:
        assert result.signed_by == row["expected_signed_by"]


@pytest.mark.parametrize("row", DEV_ROWS + SPECIMEN_ROWS, ids=lambda r: Path(r["path"]).stem)
def test_evidence_is_short_and_quotes_no_dates_or_numbers_of_people(row: dict[str, Any]) -> None:
    folder = DEV if row in DEV_ROWS else SPECIMENS
    result = classify_process(_path(folder, row).read_text(encoding="utf-8"))
    assert 1 <= len(result.evidence) <= 8
    for line in result.evidence:
        assert len(line) <= 200
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", line), line  # dates of birth
        assert not re.search(r"\bA ?\d{3}[ -]?\d{3}[ -]?\d{3}\b", line), line  # A-numbers


def test_confidence_separates_clear_documents_from_fail_closed_ones() -> None:
    # Clean, complete documents of a definite kind are classified with confidence; the
    # fail-closed outcomes carry low confidence.
    for folder, rows in ((DEV, DEV_ROWS), (SPECIMENS, SPECIMEN_ROWS)):
        for row in rows:
            result = classify_process(_path(folder, row).read_text(encoding="utf-8"))
            if result.kind is ProcessKind.UNKNOWN:
                assert result.confidence <= 0.4
            elif result.kind is not ProcessKind.NONE:
                assert result.confidence >= 0.45, row["path"]


def test_accuracy_summary() -> None:
    # The per-document tests above say which document fails; this one states the target.
    for folder, rows in ((DEV, DEV_ROWS), (SPECIMENS, SPECIMEN_ROWS)):
        right = sum(
            classify_process(_path(folder, r).read_text(encoding="utf-8")).kind
            == r["expected_kind"]
            for r in rows
        )
        assert right == len(rows), f"{folder.name}: {right}/{len(rows)}"
