"""Alien Registration Numbers (A-numbers): "A" + 8 or 9 digits.

With the "A" attached ("A201-447-583", "A#201553790", "A-087-552-104", "A 204 877 315") the
number speaks for itself and the span includes the prefix. Bare digits are an A-number only
when the text says so: an A-number label before them ("A# 098-412-337", "alien number",
"número de extranjero"; after "A# " with a space, the span is the digits alone), an A-number
column, or a question about one on the line above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

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
from resguardo.detect.identifiers._index import index_of
from resguardo.detect.identifiers._layout import label_before
from resguardo.detect.identifiers._tables import tables_of
from resguardo.detect.identifiers._words import phrase_regex, words
from resguardo.detect.identifiers.validators import digits_of
from resguardo.detect.patterns import PatternSpec

__all__ = ["ANumberDetector"]

CATEGORY = "a_number"

_DIGITS = r"(?:\d{9}|\d{8}|\d{3}[- ]\d{3}[- ]\d{3}|\d{2}[- ]\d{3}[- ]\d{3})"
_PREFIXED = re.compile(rf"(?<![\w\-/#])A(?:#|-|#-| )?{_DIGITS}(?![\w\-/]|\.\d)")
# Labels whose values never start with a letter: "su número es A-096-123-450" is no phone,
# and an address label does not own the A-number written after the address.
_CANNOT_OWN = frozenset({"street_address", "phone_number"})
_BARE = re.compile(rf"(?<![\w\-/]){_DIGITS}(?![\w\-/]|\.\d)")


@cache
def _example_re() -> re.Pattern[str]:
    """Phrases that end right before an example number ("look like", "e.g.")."""
    return re.compile(phrase_regex(words().section("example_phrases")) + r"[\s:,]*$")


def _placeholder(value: str) -> bool:
    """Whether the digits are one repeated digit: a form's or a slide's stand-in value."""
    return len(set(digits_of(value))) == 1


class ANumberDetector:
    """A-numbers with their "A" prefix, and bare ones the text calls A-numbers."""

    id = "identifiers.a_number"
    categories: tuple[str, ...] = (CATEGORY,)
    _prefixed_key = id + ".prefixed"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared value patterns (one detector per
        scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """The prefixed shape; bare numbers come from the shared set."""
        return [
            PatternSpec(
                f"{self.id}.prefixed",
                r"\bA(?:#|-|#-|\s)?(?:\d{8,9}|\d{2,3}[- ]\d{3}[- ]\d{3})\b",
            ),
            *shared_patterns(self._declare),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Prefixed numbers (vetoed by a nearer foreign label) and labelled digits."""
        prefixed = ctx.hits(self._prefixed_key)
        numbers = ctx.hits(NUMBER)
        if not prefixed and not numbers:
            return []
        text = ctx.text
        index = index_of(ctx)
        out = Collector(text, self.id)
        for c in prefixed:
            m = _PREFIXED.match(text, c.start)
            if m is None or len(digits_of(m.group())) not in (8, 9):
                continue
            if _placeholder(m.group()):
                continue  # "A-000-000-000": a template's blank, no one's number
            lab = label_before(index, c.start, width=50, max_gap=25)
            if lab is not None and not lab.is_for(CATEGORY) and lab.categories - _CANNOT_OWN:
                continue  # "OK lic A123456789" is a license, "Order A12345678" nothing of ours
            labelled = lab is not None and lab.is_for(CATEGORY)
            if _example_re().search(text, max(0, c.start - 30), c.start):
                continue  # "A-numbers look like A-123-456-789": what one looks like
            out.add(
                CATEGORY,
                m.start(),
                m.end(),
                0.95 if labelled else 0.85,
                (lab.key,) if labelled and lab is not None else (),
            )
        tables = tables_of(ctx) if numbers else None
        for c in numbers:
            if out.has(CATEGORY, c.start, c.end):
                continue
            m = _BARE.match(text, c.start)
            if m is None or m.end() != c.end:
                continue
            # "A-Number: A-087-552-104" was read above; "A# 098-412-337" is read here
            lab = label_reaching(index, c.start, width=90, max_gap=20, allow_lines=1)
            if lab is not None:
                if lab.is_for(CATEGORY):
                    out.add(CATEGORY, m.start(), m.end(), 0.9, (lab.key,))
                continue
            assert tables is not None
            col = column_label(index, tables, c.start)
            if col is not None and CATEGORY in col[0]:
                out.add(CATEGORY, m.start(), m.end(), 0.9, (col[1],))
            elif (q := answer_to(index, c.start, c.end, CATEGORY)) is not None:
                out.add(CATEGORY, m.start(), m.end(), 0.8, (q.key,))
        return out.findings()
