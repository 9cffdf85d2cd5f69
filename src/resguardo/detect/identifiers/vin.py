"""Vehicle identification numbers: 17 characters, no I/O/Q, check digit at position 9.

The check digit makes a VIN self-identifying: a random 17-character reference passes it one
time in eleven, and references with I, O or Q never do. A "VIN"/"NIV" label or column only
raises confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import Collector
from resguardo.detect.identifiers._index import index_of
from resguardo.detect.identifiers._layout import label_before, line_bounds
from resguardo.detect.identifiers._words import phrase_regex, words
from resguardo.detect.identifiers.validators import is_valid_vin
from resguardo.detect.patterns import PatternSpec

__all__ = ["VinDetector"]

CATEGORY = "vin"
_VALUE = re.compile(r"(?<![\w\-])[A-HJ-NPR-Z0-9]{17}(?![\w\-])", re.IGNORECASE)


@cache
def _org_vehicle_re() -> re.Pattern[str]:
    """Words that make the vehicle on a line an agency's own ("county vehicle")."""
    return re.compile(phrase_regex(words().section("org_vehicle_words")))


class VinDetector:
    """17-character VINs with a valid check digit."""

    id = "identifiers.vin"
    categories: tuple[str, ...] = (CATEGORY,)
    _value_key = id + ".value"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared`` is accepted for a uniform constructor; this detector reads no
        shared value pattern."""
        del declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """17 VIN characters as one word."""
        return [
            PatternSpec(f"{self.id}.value", r"\b[A-HJ-NPR-Z0-9]{17}\b", caseless=True),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Check-digit-valid VINs that hold letters as well as digits."""
        if not ctx.hits(self._value_key):
            return []
        text = ctx.text
        index = index_of(ctx)
        out = Collector(text, self.id)
        for c in ctx.hits(self._value_key):
            m = _VALUE.match(text, c.start)
            if m is None or m.end() != c.end:
                continue
            v = m.group()
            # every real VIN has letters (manufacturer code); 17 bare digits are an account
            if not any(ch.isalpha() for ch in v) or not is_valid_vin(v):
                continue
            lab = label_before(index, c.start, width=40)
            if lab is not None and "negative" in lab.categories:
                continue
            ls, le = line_bounds(text, c.start)
            if _org_vehicle_re().search(text, ls, le):
                continue  # "2018 Ford F-150 (county vehicle), VIN ...": the agency's own
            labelled = lab is not None and lab.is_for(CATEGORY)
            out.add(
                CATEGORY,
                c.start,
                c.end,
                0.97 if labelled else 0.9,
                (lab.key,) if labelled and lab is not None else (),
            )
        return out.findings()
