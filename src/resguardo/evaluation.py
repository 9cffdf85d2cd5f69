"""Scoring a scanner against labeled documents: document-level F1 and span recall.

Pure functions over labels and findings; the scripts under ``benchmarks/`` and the accuracy
tests feed them files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from resguardo.detect.finding import Finding
from resguardo.taxonomy import CATEGORY_IDS, Group, categories

__all__ = ["CategoryScore", "DocumentScores", "LabeledSpan", "document_scores", "span_recall"]


@dataclass(frozen=True, slots=True)
class LabeledSpan:
    """A gold span: ``category`` at ``[start, end)``."""

    category: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """Counts and rates for one category."""

    category: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class DocumentScores:
    """Per-category document-level scores and their macro average."""

    per_category: dict[str, CategoryScore]

    @property
    def macro_f1(self) -> float:
        """Unweighted mean of the per-category F1."""
        scores = list(self.per_category.values())
        return sum(s.f1 for s in scores) / len(scores) if scores else 0.0


def document_scores(
    gold: Sequence[Iterable[str]],
    predicted: Sequence[Iterable[str]],
    category_ids: Sequence[str] = CATEGORY_IDS,
) -> DocumentScores:
    """Compare per-document category sets (gold and predicted, aligned by index)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predictions")
    counts = {c: [0, 0, 0] for c in category_ids}
    for g_raw, p_raw in zip(gold, predicted, strict=True):
        g, p = set(g_raw), set(p_raw)
        for c in category_ids:
            if c in g and c in p:
                counts[c][0] += 1
            elif c in p:
                counts[c][1] += 1
            elif c in g:
                counts[c][2] += 1
    return DocumentScores({c: CategoryScore(c, *v) for c, v in counts.items()})


IDENTIFIER_IDS: tuple[str, ...] = tuple(
    c.id for c in categories().values() if c.group is Group.IDENTIFIER
)


def span_recall(
    gold: Sequence[Sequence[LabeledSpan]],
    found: Sequence[Sequence[Finding]],
    category_ids: Sequence[str] = IDENTIFIER_IDS,
) -> dict[str, tuple[int, int]]:
    """Per category, (gold spans hit by an overlapping finding of that category, gold spans)."""
    out = {c: [0, 0] for c in category_ids}
    for spans, findings in zip(gold, found, strict=True):
        for s in spans:
            if s.category not in out:
                continue
            out[s.category][1] += 1
            if any(
                f.category == s.category and f.start < s.end and s.start < f.end for f in findings
            ):
                out[s.category][0] += 1
    return {c: (hit, total) for c, (hit, total) in out.items()}
