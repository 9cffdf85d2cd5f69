"""The scanner: every detector over one text, in one prefilter pass."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from operator import attrgetter
from pathlib import Path

from resguardo.detect.base import Detector
from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.patterns import PatternSet, PatternSpec, fold_text
from resguardo.taxonomy import Group, categories

__all__ = ["Scanner", "default_scanner", "scan_text"]


class Scanner:
    """Runs a fixed set of detectors. Build it once and reuse it: compiling costs, scanning not.

    >>> scanner = Scanner.default()
    >>> [f.category for f in scanner.scan("SSN 585-20-1234")]
    ['ssn']
    """

    def __init__(self, detectors: Sequence[Detector], *, use_hyperscan: bool | None = None) -> None:
        """``use_hyperscan=False`` forces the ``re`` backend (None: Hyperscan where available)."""
        self.detectors: tuple[Detector, ...] = tuple(detectors)
        specs: list[PatternSpec] = []
        for d in self.detectors:
            specs.extend(d.patterns())
        self.patterns = PatternSet(specs, use_hyperscan=use_hyperscan)

    @classmethod
    def default(cls, lexicon_files: Sequence[Path] = ()) -> Scanner:
        """Every built-in detector, plus the user lexicons in ``lexicon_files`` (YAML)."""
        from resguardo.detect.registry import default_detectors

        return cls(default_detectors(lexicon_files))

    def scan(
        self,
        text: str,
        *,
        categories: Iterable[str] | None = None,
        min_confidence: float = 0.0,
    ) -> list[Finding]:
        """Findings in ``text`` by position, optionally limited by category and confidence."""
        wanted = frozenset(categories) if categories is not None else None
        folded = fold_text(text)
        ctx = ScanContext(text, self.patterns.scan_folded(folded))
        ctx.folded = folded  # computed once: the word index reads it too
        found: list[Finding] = []
        if wanted is None:
            for d in self.detectors:
                found.extend(d.detect(ctx))
        else:
            for d in self.detectors:
                if not wanted.isdisjoint(d.categories):
                    found.extend(d.detect(ctx))
        # one pass over the findings, not a test per finding as each detector yields it
        if wanted is not None:
            found = [f for f in found if f.category in wanted and f.confidence >= min_confidence]
        elif found and min_confidence > min(map(_confidence, found)):
            found = [f for f in found if f.confidence >= min_confidence]
        return resolve_overlaps(found)


_IDENTIFIERS = frozenset(c.id for c in categories().values() if c.group is Group.IDENTIFIER)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop exact duplicates, and of overlapping identifier findings keep the strongest.

    One number is one identifier: a 9-digit string cannot be both an SSN and a license
    number. Statuses and locating phrases may overlap each other and identifiers (a shelter
    address is both an address and a homeless status), so they are kept.
    """
    if len(findings) < 2:
        return list(findings)  # nothing to order or to drop
    # by start, longest first, then most confident: two sorts on C-level keys (the sort is
    # stable, also in reverse) cost less than one on a Python key function
    findings.sort(key=_end_confidence, reverse=True)
    findings.sort(key=_start)
    out: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    kept_ids: list[Finding] = []
    identifiers = _IDENTIFIERS
    for f in findings:
        key = (f.category, f.start, f.end)
        if key in seen:
            continue
        if f.category in identifiers:
            # the last few identifiers kept: findings come by start, and one never spans many
            clash = None
            for i in range(len(kept_ids) - 1, max(-1, len(kept_ids) - 9), -1):
                k = kept_ids[i]
                if k.start < f.end and f.start < k.end:
                    clash = k
                    break
            if clash is not None:
                if _strength(f) <= _strength(clash):
                    continue
                out.remove(clash)
                kept_ids.remove(clash)
            kept_ids.append(f)
        seen.add(key)
        out.append(f)
    out.sort(key=_position)
    return out


_start = attrgetter("start")
_end_confidence = attrgetter("end", "confidence")
_position = attrgetter("start", "end")
_confidence = attrgetter("confidence")


def _strength(f: Finding) -> tuple[float, int]:
    return (f.confidence, f.end - f.start)


@cache
def default_scanner() -> Scanner:
    """A shared scanner with every built-in detector and no user lexicon."""
    return Scanner.default()


def scan_text(
    text: str, *, categories: Iterable[str] | None = None, min_confidence: float = 0.0
) -> list[Finding]:
    """Scan ``text`` with the default scanner. See :meth:`Scanner.scan`."""
    return default_scanner().scan(text, categories=categories, min_confidence=min_confidence)
