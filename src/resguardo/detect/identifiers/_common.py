"""Shared steps of the identifier detectors: labels from the prefilter, values after labels,
values in table columns, and the bookkeeping of findings.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterator
from dataclasses import dataclass, field

from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._index import Index, shared_specs
from resguardo.detect.identifiers._layout import gap_ok, line_bounds
from resguardo.detect.identifiers._tables import Table, column_cells, header_table
from resguardo.detect.identifiers._words import Label
from resguardo.detect.patterns import PatternSpec

__all__ = ["Collector", "HeaderCache", "label_hits", "shared_patterns", "value_after"]


def shared_patterns(declare: bool) -> list[PatternSpec]:
    """The shared context-word patterns when this detector is the one to ``declare`` them.

    One detector per scanner declares them (``identifiers.detectors()`` arranges that); a
    detector built on its own declares them by default, so it also works alone.
    """
    return shared_specs() if declare else []


def label_hits(index: Index, category: str) -> list[Label]:
    """Labels of ``category`` in the text, from the shared index.

    Where a longer label of another category covers the same words ("license plate" for
    "license"), the longer one was kept, so it does not count here.
    """
    return index.labels_for(category)


def value_after(
    index: Index,
    label: Label,
    value: re.Pattern[str],
    *,
    max_gap: int = 25,
    allow_lines: int = 1,
    window: int = 90,
) -> re.Match[str] | None:
    """The first ``value`` after ``label`` when the gap between them lets it belong there."""
    text = index.text
    end = min(len(text), label.end + window)
    m = value.search(text, label.end, end)
    if m is None:
        return None
    if m.end() == end < len(text):
        # the window cut the value: re-read it against the real following text
        m = value.match(text, m.start())
        if m is None:
            return None
    if not gap_ok(index, label.end, m.start(), max_chars=max_gap, allow_lines=allow_lines):
        return None
    return m


class HeaderCache:
    """Table headers by line, so that labels sharing a header line parse it once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[int, Table | None] = {}

    def header(self, pos: int) -> Table | None:
        """The line holding ``pos`` read as a table header (None if it is not one)."""
        s, e = line_bounds(self.text, pos)
        if s not in self._cache:
            self._cache[s] = header_table(self.text, s, e)
        return self._cache[s]

    def column_values(
        self, label: Label, value: re.Pattern[str]
    ) -> Iterator[tuple[re.Match[str], str]]:
        """Values of ``value`` heading the cells below ``label`` when it is a column header.

        Yields the match and the header cell text (the evidence).
        """
        table = self.header(label.start)
        if table is None:
            return
        col = table.column_at(label.start)
        if col is None:
            return
        hs, he = table.cells[col]
        head = self.text[hs:he]
        for s, e in column_cells(self.text, table, col):
            m = value.match(self.text, s, e)
            if m is not None and not self.text[m.end() : e].strip(" \t.,;*").isalnum():
                yield m, head


@dataclass
class Collector:
    """Findings of one detector over one text, one per span (the most confident kept)."""

    text: str
    detector: str
    found: dict[tuple[str, int, int], tuple[float, tuple[str, ...]]] = field(default_factory=dict)
    _spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def add(
        self,
        category: str,
        start: int,
        end: int,
        confidence: float,
        evidence: tuple[str, ...] = (),
    ) -> None:
        """Record ``text[start:end]`` as ``category``."""
        if end <= start:
            return
        key = (category, start, end)
        old = self.found.get(key)
        if old is None:
            insort(self._spans.setdefault(category, []), (start, end))
        elif old[0] >= confidence:
            return
        self.found[key] = (max(0.0, min(1.0, confidence)), evidence)

    def has(self, category: str, start: int, end: int) -> bool:
        """Whether a finding of ``category`` overlaps ``[start, end)``."""
        spans = self._spans.get(category, [])
        i = bisect_left(spans, (start, start))
        # neighbours only: spans of one category rarely nest, and never by much
        return any(s < end and start < e for s, e in spans[max(0, i - 2) : i + 2])

    def starts(self) -> list[int]:
        """Start offsets of the findings so far (any order)."""
        return [s for _, s, _ in self.found]

    def findings(self) -> list[Finding]:
        """The findings, by position."""
        text, det = self.text, self.detector
        return [
            Finding(cat, s, e, text[s:e], conf, det, ev)
            for (cat, s, e), (conf, ev) in sorted(self.found.items(), key=lambda kv: kv[0][1:])
        ]
