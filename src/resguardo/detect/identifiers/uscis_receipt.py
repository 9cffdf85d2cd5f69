"""USCIS receipt numbers: a service-center code and 10 digits ("EAC1990187345").

The center codes live in ``context.yaml``. The shape is specific enough to need no context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import Collector
from resguardo.detect.identifiers._index import index_of
from resguardo.detect.identifiers._layout import label_before
from resguardo.detect.identifiers._words import words
from resguardo.detect.identifiers.validators import digits_of
from resguardo.detect.patterns import PatternSpec

__all__ = ["UscisReceiptDetector"]

CATEGORY = "uscis_receipt"


@cache
def _centers() -> str:
    return "|".join(sorted(re.escape(c) for c in words().section("uscis_receipt", "centers")))


@cache
def _value() -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w\-])(?:{_centers()})(?:\d{{10}}|[- ]?\d{{2}}[- ]?\d{{3}}[- ]?\d{{5}})(?![\w\-])"
    )


class UscisReceiptDetector:
    """Receipt numbers of the known USCIS centers."""

    id = "identifiers.uscis_receipt"
    categories: tuple[str, ...] = (CATEGORY,)
    _value_key = id + ".value"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared`` is accepted for a uniform constructor; this detector reads no
        shared value pattern."""
        del declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """Center code, optional separators, 10 digits."""
        return [
            PatternSpec(
                f"{self.id}.value",
                rf"\b(?:{_centers()})[- ]?\d{{2}}[- ]?\d{{3}}[- ]?\d{{5}}\b",
            ),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Every receipt-shaped value with exactly 10 digits."""
        if not ctx.hits(self._value_key):
            return []
        text = ctx.text
        index = index_of(ctx)
        out = Collector(text, self.id)
        for c in ctx.hits(self._value_key):
            m = _value().match(text, c.start)
            if m is None or len(digits_of(m.group())) != 10:
                continue
            lab = label_before(index, c.start, width=40)
            if lab is not None and "negative" in lab.categories:
                continue
            labelled = lab is not None and lab.is_for(CATEGORY)
            out.add(
                CATEGORY,
                m.start(),
                m.end(),
                0.97 if labelled else 0.93,
                (lab.key,) if labelled and lab is not None else (),
            )
        return out.findings()
