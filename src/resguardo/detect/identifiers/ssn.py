"""Social Security numbers and ITINs: one family, told apart by their number ranges.

A 3-2-4 number is an ITIN if it is ITIN-valid (9XX with an ITIN group), else an SSN if it
passes the SSA rules, else nothing: an ITIN in an "SSN" field is still an ITIN, and 666-..,
000-.., 9XX-41-.. stay unmarked whatever the text calls them. Dashed numbers stand on their
own; spaced and bare 9-digit numbers need an SSN/ITIN label or column. A nearer label of
something else ("Order 585-20-1234", "ticket") vetoes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import (
    Collector,
    HeaderCache,
    label_hits,
    shared_patterns,
    value_after,
)
from resguardo.detect.identifiers._index import index_of
from resguardo.detect.identifiers._layout import label_before
from resguardo.detect.identifiers.validators import is_valid_itin, is_valid_ssn
from resguardo.detect.patterns import PatternSpec

__all__ = ["SsnItinDetector", "classify"]

_LABELLED = ("ssn", "itin")
_VALUE = re.compile(r"(?<![\w\-/.])(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9})(?![\w\-/]|\.\d)")


def classify(number: str) -> str | None:
    """``"itin"``, ``"ssn"`` or None for a 9-digit number (separators allowed)."""
    if is_valid_itin(number):
        return "itin"
    if is_valid_ssn(number):
        return "ssn"
    return None


class SsnItinDetector:
    """SSNs and ITINs, validated, by shape and by label."""

    id = "identifiers.ssn_itin"
    categories: tuple[str, ...] = ("ssn", "itin")

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared context-word patterns (one detector
        per scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """3-2-4 numbers (dashes or spaces) and the SSN/ITIN labels."""
        return [
            PatternSpec(f"{self.id}.grouped", r"\b\d{3}[- ]\d{2}[- ]\d{4}\b"),
            *shared_patterns(self._declare),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Validated numbers; labels raise confidence, other labels veto."""
        text = ctx.text
        index = index_of(ctx)
        if not (
            ctx.hits(f"{self.id}.grouped") or index.labels_for("ssn") or index.labels_for("itin")
        ):
            return []
        out = Collector(text, self.id)
        for c in ctx.hits(f"{self.id}.grouped"):
            # match without an end bound, so the look-ahead sees the real next character
            m = _VALUE.match(text, c.start)
            if m is None or m.end() != c.end:
                continue
            value = m.group()
            if value[3] != value[6]:
                continue  # "585-28 1163": mixed separators
            category = classify(value)
            if category is None:
                continue
            lab = label_before(index, c.start, width=60, max_gap=30)
            if lab is not None and not lab.categories & set(_LABELLED):
                if "negative" in lab.categories:
                    continue
                lab = None
            if lab is None and value[3] == " ":
                continue  # "585 28 1163" is only an SSN when the text says so
            conf = 0.95 if lab is not None else (0.85 if category == "itin" else 0.8)
            out.add(category, c.start, c.end, conf, (lab.key,) if lab is not None else ())
        headers = HeaderCache(text)
        for label_cat in _LABELLED:
            for lab in label_hits(index, label_cat):
                m = value_after(index, lab, _VALUE, max_gap=30, allow_lines=1)
                if m is not None and (category := classify(m.group())) is not None:
                    out.add(category, m.start(), m.end(), 0.9, (lab.key,))
                for m, head in headers.column_values(lab, _VALUE):
                    if (category := classify(m.group())) is not None:
                        out.add(category, m.start(), m.end(), 0.9, (head,))
        return out.findings()
