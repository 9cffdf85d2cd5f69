"""Scoring arithmetic."""

from __future__ import annotations

import pytest

from resguardo.detect import Finding
from resguardo.evaluation import LabeledSpan, document_scores, span_recall


def test_document_scores() -> None:
    gold = [["ssn"], ["ssn", "vin"], []]
    pred = [["ssn"], ["vin"], ["ssn"]]
    s = document_scores(gold, pred, ["ssn", "vin"])
    assert (s.per_category["ssn"].tp, s.per_category["ssn"].fp, s.per_category["ssn"].fn) == (
        1,
        1,
        1,
    )
    assert s.per_category["ssn"].f1 == pytest.approx(0.5)
    assert s.per_category["vin"].f1 == 1.0
    assert s.macro_f1 == pytest.approx(0.75)


def test_misaligned_inputs_rejected() -> None:
    with pytest.raises(ValueError):
        document_scores([[]], [])


def test_span_recall_needs_overlap_and_category() -> None:
    gold = [[LabeledSpan("ssn", 4, 15), LabeledSpan("vin", 20, 37)]]
    found = [[Finding("ssn", 10, 12, "xx", 0.9, "t"), Finding("itin", 20, 37, "y", 0.9, "t")]]
    r = span_recall(gold, found, ["ssn", "vin"])
    assert r == {"ssn": (1, 1), "vin": (0, 1)}
