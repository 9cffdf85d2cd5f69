"""Where the context words of a text are, from the scanner's single prefilter pass.

Every identifier detector asks the same questions many times: "which label is nearest before
this number?", "is an office named in this sentence?". Answering with a Python regex per
candidate is too slow for megabytes of mail, so the words are matched once, by the prefilter,
and kept here as sorted positions; each question is then a binary search.

The patterns behind the index are declared once per scanner (see :func:`shared_specs`); the
index for a text is built on first use and shared by all detectors scanning that text.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from resguardo.detect.context import ScanContext
from resguardo.detect.identifiers._words import Label, fold_key, hs_alternation, words
from resguardo.detect.patterns import PatternSpec

__all__ = ["SHARED", "Index", "Spans", "index_of", "shared_specs"]

SHARED = "identifiers.words"
# word lists kept as plain spans: (key suffix, path in context.yaml)
_SPAN_LISTS: dict[str, tuple[str, ...]] = {
    "org": ("address", "org_words"),
    "addrneg": ("address", "negative_phrases"),
}


def shared_specs() -> list[PatternSpec]:
    """The prefilter patterns behind :class:`Index`: every label and the context word lists."""
    w = words()
    labels = w.raw["labels"].values()
    caseless = sorted({str(p) for entry in labels for p in entry.get("caseless") or []})
    exact = sorted({str(p) for entry in labels for p in entry.get("exact") or []})
    specs = [
        PatternSpec(f"{SHARED}.label", hs_alternation(caseless, caseless=True), caseless=True),
        PatternSpec(f"{SHARED}.label_exact", hs_alternation(exact, caseless=False)),
    ]
    for name, path in _SPAN_LISTS.items():
        specs.append(
            PatternSpec(
                f"{SHARED}.{name}", hs_alternation(w.section(*path), caseless=True), caseless=True
            )
        )
    return specs


def _boundary_ok(text: str, s: int, e: int) -> bool:
    # the prefilter's \b is ASCII and lets "_" through; confirm Unicode word edges here
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    return not (text[s].isalnum() and before.isalnum()) and not (
        text[e - 1].isalnum() and after.isalnum()
    )


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    if text[s] != "_" and text[e - 1] != "_":
        return s, e
    while s < e and text[s] == "_":
        s += 1
    while e > s and text[e - 1] == "_":
        e -= 1
    return s, e


class Spans:
    """Sorted, non-overlapping spans of one word list, with range queries."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def last_in(self, lo: int, hi: int) -> tuple[int, int] | None:
        """The last span wholly inside ``[lo, hi)``."""
        i = bisect_right(self.starts, hi) - 1
        while i >= 0 and self.starts[i] >= lo:
            if self.ends[i] <= hi:
                return self.starts[i], self.ends[i]
            i -= 1
        return None

    def any_in(self, lo: int, hi: int) -> bool:
        """Whether a span lies wholly inside ``[lo, hi)``."""
        return self.last_in(lo, hi) is not None


def _non_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # a span inside an earlier one is no match ("plate" in "license plate"); of two that
    # overlap in part, the longer is the more specific ("su número" / "número de extranjero")
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans, key=lambda p: (p[0], -p[1])):
        if out and s < out[-1][1]:
            ps, pe = out[-1]
            if e > pe and e - s > pe - ps:
                out[-1] = (s, e)
            continue
        out.append((s, e))
    return out


@dataclass
class Index:
    """Context words of one text. Built by :func:`index_of`."""

    text: str
    labels: list[Label]
    label_starts: list[int]
    lists: dict[str, Spans]
    by_category: dict[str, list[Label]]

    def labels_in(self, lo: int, hi: int) -> list[Label]:
        """Labels wholly inside ``[lo, hi)``, left to right."""
        i = bisect_left(self.label_starts, lo)
        j = bisect_left(self.label_starts, hi)
        return [lab for lab in self.labels[i:j] if lab.end <= hi]

    def last_label(self, lo: int, hi: int) -> Label | None:
        """The last label wholly inside ``[lo, hi)``."""
        j = bisect_left(self.label_starts, hi) - 1
        while j >= 0 and self.labels[j].start >= lo:
            if self.labels[j].end <= hi:
                return self.labels[j]
            j -= 1
        return None

    def labels_for(self, category: str) -> list[Label]:
        """Every label of ``category`` in the text."""
        return self.by_category.get(category, [])

    def words(self, name: str) -> Spans:
        """Spans of one word list: ``org`` or ``addrneg``."""
        return self.lists[name]


def _build(ctx: ScanContext) -> Index:
    text = ctx.text
    if not any(ctx.hits(f"{SHARED}.{k}") for k in ("label", "label_exact", *_SPAN_LISTS)):
        return _empty_index(text)
    w = words()
    found: list[tuple[int, int]] = []
    for suffix in ("label", "label_exact"):
        for hit in ctx.hits(f"{SHARED}.{suffix}"):
            s, e = _trim(text, hit.start, hit.end)
            if e > s and _boundary_ok(text, s, e):
                found.append((s, e))
    labels = []
    by_category: dict[str, list[Label]] = {}
    caseless, exact = w.caseless, w.exact
    for s, e in _non_overlapping(found):
        raw = text[s:e]
        folded = fold_key(raw)
        cats = caseless.get(folded.lower()) or exact.get(folded)
        if cats:
            lab = Label(s, e, " ".join(raw.replace("_", " ").split()).lower(), cats)
            labels.append(lab)
            for c in cats:
                by_category.setdefault(c, []).append(lab)
    lists = {}
    for name in _SPAN_LISTS:
        spans = []
        for hit in ctx.hits(f"{SHARED}.{name}"):
            s, e = _trim(text, hit.start, hit.end)
            if e > s and _boundary_ok(text, s, e):
                spans.append((s, e))
        lists[name] = Spans(_non_overlapping(spans))
    return Index(text, labels, [lab.start for lab in labels], lists, by_category)


def _empty_index(text: str) -> Index:
    return Index(text, [], [], {name: Spans([]) for name in _SPAN_LISTS}, {})


_last: tuple[weakref.ref[ScanContext], Index] | None = None


def index_of(ctx: ScanContext) -> Index:
    """The index of ``ctx``, built once and reused by the next detector on the same text."""
    global _last
    if _last is not None and _last[0]() is ctx:
        return _last[1]
    idx = _build(ctx)
    _last = (weakref.ref(ctx), idx)
    return idx
