"""Alien Registration Numbers (A-numbers): "A" + 8 or 9 digits.

With the "A" attached ("A201-447-583", "A#201553790", "A-087-552-104", "A 204 877 315") the
number speaks for itself and the span includes the prefix. Bare digits are an A-number only
after an A-number label ("A# 098-412-337", "alien number", "número de extranjero"); after
"A# " with a space, the span is the digits alone.
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
from resguardo.detect.identifiers.validators import digits_of
from resguardo.detect.patterns import PatternSpec

__all__ = ["ANumberDetector"]

CATEGORY = "a_number"

_DIGITS = r"(?:\d{9}|\d{8}|\d{3}[- ]\d{3}[- ]\d{3}|\d{2}[- ]\d{3}[- ]\d{3})"
_PREFIXED = re.compile(rf"(?<![\w\-/#])A(?:#|-|#-| )?{_DIGITS}(?![\w\-/]|\.\d)")
_LABELLED = re.compile(rf"(?<![\w\-/])(?:A(?:#|-|#-)?)?{_DIGITS}(?![\w\-/]|\.\d)")


class ANumberDetector:
    """A-numbers with their "A" prefix, and bare ones after an A-number label."""

    id = "identifiers.a_number"
    categories: tuple[str, ...] = (CATEGORY,)

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared context-word patterns (one detector
        per scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """The prefixed shape and the A-number labels."""
        return [
            PatternSpec(
                f"{self.id}.prefixed",
                r"\bA(?:#|-|#-|\s)?(?:\d{8,9}|\d{2,3}[- ]\d{3}[- ]\d{3})\b",
            ),
            *shared_patterns(self._declare),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Prefixed numbers (vetoed by a nearer foreign label) and labelled digits."""
        text = ctx.text
        index = index_of(ctx)
        if not (ctx.hits(f"{self.id}.prefixed") or index.labels_for(CATEGORY)):
            return []
        out = Collector(text, self.id)
        for c in ctx.hits(f"{self.id}.prefixed"):
            m = _PREFIXED.match(text, c.start)
            if m is None or len(digits_of(m.group())) not in (8, 9):
                continue
            lab = label_before(index, c.start, width=50, max_gap=25)
            if lab is not None and not lab.is_for(CATEGORY) and lab.categories - {"street_address"}:
                continue  # "OK lic A123456789" is a license, "Order A12345678" nothing of ours
            labelled = lab is not None and lab.is_for(CATEGORY)
            out.add(
                CATEGORY,
                m.start(),
                m.end(),
                0.95 if labelled else 0.85,
                (lab.key,) if labelled and lab is not None else (),
            )
        headers = HeaderCache(text)
        for lab in label_hits(index, CATEGORY):
            m = value_after(index, lab, _LABELLED, max_gap=20, allow_lines=1)
            if m is not None and not out.has(CATEGORY, m.start(), m.end()):
                out.add(CATEGORY, m.start(), m.end(), 0.9, (lab.key,))
            for m, head in headers.column_values(lab, _LABELLED):
                if not out.has(CATEGORY, m.start(), m.end()):
                    out.add(CATEGORY, m.start(), m.end(), 0.9, (head,))
        return out.findings()
