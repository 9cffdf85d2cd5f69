"""Social Security numbers and ITINs: one family, told apart by their number ranges.

A 3-2-4 number is an ITIN if it is ITIN-valid (9XX with an ITIN group), else an SSN if it
passes the SSA rules, else nothing: an ITIN in an "SSN" field is still an ITIN, and 666-..,
000-.., 9XX-41-.. stay unmarked whatever the text calls them, as do example numbers
(123-45-6789). Dashed numbers stand on their own; spaced and bare 9-digit numbers need an
SSN/ITIN label, column or question. A nearer label of something else ("Order 585-20-1234",
"ticket") vetoes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import (
    NUMBER,
    Collector,
    answer_to,
    column_label,
    label_reaching,
    shared_patterns,
)
from resguardo.detect.identifiers._index import Index, index_of
from resguardo.detect.identifiers._tables import TableCache, tables_of
from resguardo.detect.identifiers.validators import (
    digits_of,
    is_placeholder_number,
    is_valid_itin,
    is_valid_ssn,
)
from resguardo.detect.patterns import PatternSpec

__all__ = ["SsnItinDetector", "classify"]

_LABELLED = frozenset({"ssn", "itin"})
_VALUE = re.compile(r"(?<![\w\-/.])(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9})(?![\w\-/]|\.\d)")


def classify(number: str) -> str | None:
    """``"itin"``, ``"ssn"`` or None for a 9-digit number (separators allowed)."""
    digits = digits_of(number)  # once: the checks below take the bare digits fastest
    if is_placeholder_number(digits):
        return None
    if is_valid_itin(digits):
        return "itin"
    if is_valid_ssn(digits):
        return "ssn"
    return None


class SsnItinDetector:
    """SSNs and ITINs, validated, by shape and by label."""

    id = "identifiers.ssn_itin"
    categories: tuple[str, ...] = ("ssn", "itin")
    _grouped_key = id + ".grouped"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared value patterns (one detector per
        scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """3-2-4 numbers (dashes or spaces); bare 9-digit numbers come from the shared set."""
        return [
            PatternSpec(f"{self.id}.grouped", r"\b\d{3}[- ]\d{2}[- ]\d{4}\b"),
            *shared_patterns(self._declare),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Validated numbers; labels raise confidence, other labels veto."""
        grouped = ctx.hits(self._grouped_key)
        bare = [c for c in ctx.hits(NUMBER) if c.end - c.start == 9]
        if not grouped and not bare:
            return []
        text = ctx.text
        index = index_of(ctx)
        tables = tables_of(ctx)
        out = Collector(text, self.id)
        for c in grouped:
            self._read(index, tables, out, c.start, c.end, dashed=True)
        for c in bare:
            self._read(index, tables, out, c.start, c.end, dashed=False)
        return out.findings()

    @staticmethod
    def _read(
        index: Index, tables: TableCache, out: Collector, s: int, e: int, *, dashed: bool
    ) -> None:
        text = index.text
        # match without an end bound, so the look-ahead sees the real next character
        m = _VALUE.match(text, s)
        if m is None or m.end() != e:
            return
        value = m.group()
        if dashed and value[3] != value[6]:
            return  # "585-28 1163": mixed separators
        category = classify(value)
        if category is None:
            return
        evidence: tuple[str, ...] = ()
        conf = 0.85 if category == "itin" else 0.8
        lab = label_reaching(index, s, width=90, max_gap=30, allow_lines=1)
        if lab is not None and lab.categories & _LABELLED:
            evidence, conf = (lab.key,), 0.95
        elif lab is not None and "negative" in lab.categories:
            return
        elif (col := column_label(index, tables, s)) is not None and (
            col[0] & _LABELLED or "negative" in col[0]
        ):
            if "negative" in col[0]:
                return  # an "Order #" or "Case no." column
            evidence, conf = (col[1],), 0.9
        elif value[3] == "-":
            pass  # a dashed number stands on its own
        elif (q := answer_to(index, s, e, "ssn")) is not None or (
            q := answer_to(index, s, e, "itin")
        ) is not None:
            evidence, conf = (q.key,), 0.85
        else:
            return  # "585 28 1163" and "585281163" are SSNs only when the text says so
        out.add(category, s, e, conf, evidence)
