"""Where the context words of a text are: labels, organisation words, address negatives.

Every identifier detector asks the same questions many times: "which label is nearest before
this number?", "is an office named in this sentence?". The words behind the answers (hundreds
of label phrases, organisation words) are common in ordinary mail ("invoice", "office",
"phone"), so finding all of them in every text would cost more than the rest of the scan, and
most texts have no identifier candidate at all. So the index is *lazy*: it is created only when
a detector with a candidate asks (through :meth:`ScanContext.shared`, so all detectors share
it), and it looks for the words only in the windows that questions are asked about, a few lines
around candidates. Each window is matched once, in one pass of a small Hyperscan set (the
``re`` fallback where Hyperscan is missing); answers are binary searches over what was found.

A text dense with candidates (a pasted table, a record dump) is matched whole at once: one pass
costs less than many small ones.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.identifiers._words import Label, fold_key, window_alternation, words
from resguardo.detect.patterns import PatternSet, PatternSpec

__all__ = ["SHARED", "Index", "Spans", "index_of"]

SHARED = "identifiers.index"
# word lists kept as plain spans: (name, path in context.yaml)
_SPAN_LISTS: dict[str, tuple[str, ...]] = {
    "org": ("address", "org_words"),
    "addrneg": ("address", "negative_phrases"),
}
# Longest label or list phrase we look for, with room for doubled spaces: a window is matched
# with this margin on each side so that a phrase across its edge is still seen whole.
_MARGIN = 64
# A window grows to whole lines when the line ends are this close: the next question is
# usually about the same line or the one above.
_WIDEN = 200
# Candidates per character above which a text is matched whole at once.
_DENSE = 1 / 250


@cache
def _window_set() -> PatternSet:
    """The phrases of ``context.yaml`` as one pattern set, for windows of text."""
    w = words()
    labels = w.raw["labels"].values()
    caseless = sorted({str(p) for entry in labels for p in entry.get("caseless") or []})
    exact = sorted({str(p) for entry in labels for p in entry.get("exact") or []})
    specs = [
        PatternSpec("label", window_alternation(caseless), caseless=True),
        PatternSpec("label_exact", window_alternation(exact)),
    ]
    for name, path in _SPAN_LISTS.items():
        specs.append(PatternSpec(name, window_alternation(w.section(*path)), caseless=True))
    return PatternSet(specs)


def _boundary_ok(text: str, s: int, e: int) -> bool:
    # the prefilter's \b is ASCII; confirm Unicode word edges here ("añoDL" is no "DL")
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    return not (text[s].isalnum() and before.isalnum()) and not (
        text[e - 1].isalnum() and after.isalnum()
    )


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


class Spans:
    """The spans of one word list (``org``, ``addrneg``), found on demand."""

    __slots__ = ("_index", "_name")

    def __init__(self, index: Index, name: str) -> None:
        self._index = index
        self._name = name

    def last_in(self, lo: int, hi: int) -> tuple[int, int] | None:
        """The last span wholly inside ``[lo, hi)``."""
        if hi <= lo:
            return None
        self._index.ensure(lo, hi)
        starts, ends = self._index._lists[self._name]
        i = bisect_right(starts, hi) - 1
        while i >= 0 and starts[i] >= lo:
            if ends[i] <= hi:
                return starts[i], ends[i]
            i -= 1
        return None

    def any_in(self, lo: int, hi: int) -> bool:
        """Whether a span lies wholly inside ``[lo, hi)``."""
        return self.last_in(lo, hi) is not None


class Index:
    """Context words of one text, found window by window as questions need them.

    Use :func:`index_of` to get the one shared by all detectors scanning a text.
    """

    def __init__(self, text: str, *, dense: bool = False) -> None:
        """``dense``: match the whole text at the first question."""
        self.text = text
        self._labels: list[Label] = []
        self._starts: list[int] = []
        self._lists: dict[str, tuple[list[int], list[int]]] = {n: ([], []) for n in _SPAN_LISTS}
        # covered windows: sorted, disjoint [start, end) pairs
        self._cov_starts: list[int] = []
        self._cov_ends: list[int] = []
        self._dense = dense

    # -- questions ---------------------------------------------------------------------------

    def labels_in(self, lo: int, hi: int) -> list[Label]:
        """Labels wholly inside ``[lo, hi)``, left to right."""
        if hi <= lo:
            return []
        self.ensure(lo, hi)
        i = bisect_left(self._starts, lo)
        j = bisect_left(self._starts, hi)
        return [lab for lab in self._labels[i:j] if lab.end <= hi]

    def last_label(self, lo: int, hi: int) -> Label | None:
        """The last label wholly inside ``[lo, hi)``."""
        if hi <= lo:
            return None
        self.ensure(lo, hi)
        j = bisect_left(self._starts, hi) - 1
        while j >= 0 and self._labels[j].start >= lo:
            if self._labels[j].end <= hi:
                return self._labels[j]
            j -= 1
        return None

    def label_at(self, start: int, end: int, category: str) -> Label | None:
        """The label of ``category`` that starts in ``[start, end)`` (a prefilter hit on a
        label), as the index reads it: "license plate" there is not a license label."""
        for lab in self.labels_in(max(0, start - _MARGIN), end + _MARGIN):
            if start <= lab.start < end and lab.is_for(category):
                return lab
        return None

    def label_ending(self, end: int, category: str) -> Label | None:
        """The label of ``category`` that ends at ``end`` (or one character before: the
        prefilter's match may take in a trailing "_"), as the index reads it."""
        for lab in reversed(self.labels_in(max(0, end - _MARGIN), end)):
            if end - 1 <= lab.end and lab.is_for(category):
                return lab
        return None

    def words(self, name: str) -> Spans:
        """Spans of one word list: ``org`` or ``addrneg``."""
        return Spans(self, name)

    # -- lazy matching -----------------------------------------------------------------------

    def ensure(self, lo: int, hi: int) -> None:
        """Make sure every phrase starting in ``[lo, hi)`` has been looked for."""
        text = self.text
        n = len(text)
        if self._dense:
            self._dense = False
            self._scan_gaps(0, n)
            return
        lo, hi = max(0, lo), min(n, hi)
        cs, ce = self._cov_starts, self._cov_ends
        i = bisect_right(cs, lo) - 1
        if i >= 0 and ce[i] >= hi:
            return
        # widen to whole lines when they are short, so that nearby questions are answered
        nl = text.rfind("\n", max(0, lo - _WIDEN), lo)
        lo = nl + 1 if nl != -1 else max(0, lo - _WIDEN // 4)
        nl = text.find("\n", hi, min(n, hi + _WIDEN))
        hi = nl if nl != -1 else min(n, hi + _WIDEN // 4)
        self._scan_gaps(lo, hi)

    def _scan_gaps(self, lo: int, hi: int) -> None:
        cs, ce = self._cov_starts, self._cov_ends
        # windows overlapping or touching [lo, hi) merge into one
        i = bisect_left(ce, lo)
        j = bisect_right(cs, hi)
        pos = lo
        for k in range(i, j):
            if cs[k] > pos:
                self._scan(pos, cs[k])
            pos = max(pos, ce[k])
        if pos < hi:
            self._scan(pos, hi)
        new_lo = min(lo, cs[i]) if i < j else lo
        new_hi = max(hi, ce[j - 1]) if i < j else hi
        cs[i:j] = [new_lo]
        ce[i:j] = [new_hi]

    def _scan(self, g0: int, g1: int) -> None:
        """Match the phrases starting in ``[g0, g1)`` and file them in order."""
        text = self.text
        a, b = max(0, g0 - _MARGIN), min(len(text), g1 + _MARGIN)
        # "_" as a space: "DL_NO" and "FECHA_NAC" in CSV headers hold the labels "DL", "fecha nac"
        hits = _window_set().scan(text[a:b].replace("_", " "))
        found: list[tuple[int, int]] = []
        for key in ("label", "label_exact"):
            for h in hits.get(key, ()):
                s, e = a + h.start, a + h.end
                if _boundary_ok(text, s, e):
                    found.append((s, e))
        if found:
            w = words()
            caseless, exact = w.caseless, w.exact
            new: list[Label] = []
            for s, e in _non_overlapping(found):
                if not g0 <= s < g1:
                    continue
                raw = text[s:e]
                folded = fold_key(raw)
                cats = caseless.get(folded.lower()) or exact.get(folded)
                if cats:
                    key = " ".join(raw.replace("_", " ").split()).lower()
                    new.append(Label(s, e, key, cats))
            if new:
                k = bisect_left(self._starts, g0)
                self._labels[k:k] = new
                self._starts[k:k] = [lab.start for lab in new]
        for name in _SPAN_LISTS:
            spans = [
                (a + h.start, a + h.end)
                for h in hits.get(name, ())
                if _boundary_ok(text, a + h.start, a + h.end)
            ]
            kept = [(s, e) for s, e in _non_overlapping(spans) if g0 <= s < g1]
            if kept:
                starts, ends = self._lists[name]
                k = bisect_left(starts, g0)
                starts[k:k] = [s for s, _ in kept]
                ends[k:k] = [e for _, e in kept]


def _build(ctx: ScanContext) -> Index:
    n = sum(len(v) for k, v in ctx.candidates.items() if k.startswith("identifiers."))
    return Index(ctx.text, dense=n > len(ctx.text) * _DENSE)


def index_of(ctx: ScanContext) -> Index:
    """The index of ``ctx``: created on the first question, shared by every detector."""
    return ctx.shared(SHARED, _build)
