"""Where the context words of a text are: labels, organisation words, people, job titles.

Every identifier detector asks the same questions many times: "which label is nearest before
this number?", "is an office named in this sentence?". The words behind the answers (hundreds
of label phrases, organisation words) are common in ordinary mail ("invoice", "office",
"phone"), so finding all of them in every text would cost more than the rest of the scan, and
most texts have no identifier candidate at all. So the index is *lazy*: it is created only when
a detector with a candidate asks (through :meth:`ScanContext.shared`, so all detectors share
it), and it looks for the words only in windows around the candidates: their lines and the
text above them, where the questions will be asked. All those windows are matched in one call
of a small Hyperscan set (the ``re`` fallback where Hyperscan is missing); a question about
text outside them matches that text then. Answers are binary searches over what was found.

The words come in two layers. Labels, organisation words, address negatives and job titles
are asked about for nearly every candidate, so the first layer is matched at once. People
("his", "claimant") are asked about only when nothing stronger has decided, and people words
are everywhere in prose, so the second layer waits for its first question.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.identifiers._words import Label, fold_key, window_alternation, words
from resguardo.detect.patterns import PatternSet, PatternSpec, fold_text

__all__ = ["SHARED", "Index", "Spans", "index_of"]

SHARED = "identifiers.index"
# word lists kept as plain spans, by layer: (name, path in context.yaml)
_MAIN_LISTS: dict[str, tuple[str, ...]] = {
    "org": ("address", "org_words"),
    "addrneg": ("address", "negative_phrases"),
    # job titles mark signature blocks ("Officer", "Caseworker")
    "title": ("signature_titles",),
}
_PEOPLE_LISTS: dict[str, tuple[str, ...]] = {
    # people an address or a phone can belong to ("his", "la señora", "claimant")
    "person": ("address", "person_words"),
}
_MAIN_NAMES = tuple(_MAIN_LISTS)
_PEOPLE_NAMES = tuple(_PEOPLE_LISTS)
# The window copy's separators: one space each, so phrases need only " {1,3}" between words.
# (Applied to the folded window, which is ASCII, so ``str.translate`` takes its fast path.)
_SPACES = str.maketrans("_\t\n\r\f\v", "      ")
# Longest phrase we look for, with room for doubled spaces: a window is matched with this
# margin on each side so that a phrase across its edge is still seen whole.
_MARGIN = 64
# A window grows to whole lines when the line ends are this close: the next question is
# usually about the same line or the one above.
_WIDEN = 200
# How far above a candidate the first pass looks (the line above, a clause, a header).
_ABOVE = 160
# Characters per candidate below which a text is matched whole at the first question: its
# windows would cover nearly all of it anyway. A text this short is matched whole too.
_DENSE = 150
_SHORT = 2000


@cache
def _pattern_set(layer: str) -> PatternSet:
    """The phrases of one layer of ``context.yaml`` as one pattern set."""
    w = words()
    specs = []
    if layer == "main":
        labels = w.raw["labels"].values()
        caseless = sorted({str(p) for entry in labels for p in entry.get("caseless") or []})
        exact = sorted({str(p) for entry in labels for p in entry.get("exact") or []})
        specs += [
            PatternSpec("label", window_alternation(caseless), caseless=True),
            PatternSpec("label_exact", window_alternation(exact)),
        ]
    lists = _MAIN_LISTS if layer == "main" else _PEOPLE_LISTS
    for name, path in lists.items():
        specs.append(PatternSpec(name, window_alternation(w.section(*path)), caseless=True))
    return PatternSet(specs)


# Words whose accent is all that tells them from another, common word ("él" / "el",
# "sí" / "si"): folding makes the prefilter blind to it, so they are checked as written.
_ACCENTED_LEN = 4


@cache
def _accented_only() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for word in words().section("accented_only"):
        out.setdefault(fold_text(word).lower(), set()).add(word.lower())
    return {k: frozenset(v) for k, v in out.items()}


def _as_written(word: str, strict: dict[str, frozenset[str]]) -> bool:
    """Whether ``word`` stands as matched: not a folded twin of an accented-only word."""
    forms = strict.get(fold_text(word).lower())
    return forms is None or word.lower() in forms


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


def _merged(windows: list[tuple[int, int]], slack: int = 0) -> list[tuple[int, int]]:
    """``windows`` sorted, with those that overlap or come within ``slack`` joined."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(windows):
        if out and lo <= out[-1][1] + slack:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


_LABELS: dict[str, tuple[str, frozenset[str]] | None] = {}


def _label(raw: str, s: int, e: int) -> Label | None:
    """The label ``raw`` found at ``[s, e)``, looked up once per spelling."""
    try:
        known = _LABELS[raw]
    except KeyError:
        w = words()
        folded = fold_key(raw)
        cats = w.caseless.get(folded.lower()) or w.exact.get(folded)
        key = " ".join(raw.replace("_", " ").split()).lower()
        known = (key, cats) if cats else None
        if len(_LABELS) < 20_000:  # spellings are few; the bound only guards odd input
            _LABELS[raw] = known
    return None if known is None else Label(s, e, known[0], known[1])


class _Layer:
    """The phrases of one pattern set, matched in the windows asked about so far."""

    def __init__(
        self,
        text: str,
        layer: str,
        lists: tuple[str, ...],
        seed: _Layer | None = None,
        folded: str | None = None,
    ) -> None:
        """``seed``: a layer whose windows this one matches at its first question;
        ``folded``: the folded view of ``text``, when the caller has it already."""
        self.text = text
        self.layer = layer
        self._seed = seed
        self._folded = folded
        # once the whole text is matched, every question is answered without a look
        self.whole = False
        self.labels: list[Label] = []
        self.starts: list[int] = []
        self.lists: dict[str, tuple[list[int], list[int]]] = {n: ([], []) for n in lists}
        # covered windows: sorted, disjoint [start, end) pairs
        self._cov_starts: list[int] = []
        self._cov_ends: list[int] = []

    def ensure(self, lo: int, hi: int) -> None:
        """Make sure every phrase starting in ``[lo, hi)`` has been looked for."""
        if self.whole:
            return
        text = self.text
        n = len(text)
        lo, hi = max(0, lo), min(n, hi)
        cs, ce = self._cov_starts, self._cov_ends
        i = bisect_right(cs, lo) - 1
        if i >= 0 and ce[i] >= hi:
            return
        if not cs and self._seed is not None:
            # the first question of the second layer: match where the first layer did
            seed = self._seed
            self.cover([*zip(seed._cov_starts, seed._cov_ends, strict=True), (lo, hi)])
            return
        # widen to whole lines when they are short, so that nearby questions are answered
        nl = text.rfind("\n", max(0, lo - _WIDEN), lo)
        lo = nl + 1 if nl != -1 else max(0, lo - _WIDEN // 4)
        nl = text.find("\n", hi, min(n, hi + _WIDEN))
        hi = nl if nl != -1 else min(n, hi + _WIDEN // 4)
        self.cover([(lo, hi)])

    def cover(self, windows: list[tuple[int, int]]) -> None:
        """Look for the phrases in every window not yet covered, all in one pass."""
        cs, ce = self._cov_starts, self._cov_ends
        n = len(self.text)
        gaps: list[tuple[int, int]] = []
        clamped = [(max(0, lo), min(n, hi)) for lo, hi in windows if hi > lo]
        for lo, hi in _merged(clamped, slack=2 * _MARGIN):
            # windows overlapping or touching [lo, hi) merge into one
            i = bisect_left(ce, lo)
            j = bisect_right(cs, hi)
            pos = lo
            for k in range(i, j):
                if cs[k] > pos:
                    gaps.append((pos, cs[k]))
                pos = max(pos, ce[k])
            if pos < hi:
                gaps.append((pos, hi))
            new_lo = min(lo, cs[i]) if i < j else lo
            new_hi = max(hi, ce[j - 1]) if i < j else hi
            cs[i:j] = [new_lo]
            ce[i:j] = [new_hi]
        self.whole = len(cs) == 1 and cs[0] == 0 and ce[0] >= n
        if gaps:
            self._scan(gaps)

    def _scan(self, gaps: list[tuple[int, int]]) -> None:
        """Match the phrases starting in each of ``gaps`` (sorted, disjoint) and file them.

        The gaps, each with a margin, are joined by NULs into one string: one Hyperscan call
        however many there are, and no phrase can match across a NUL.
        """
        text = self.text
        n = len(text)
        parts: list[str] = []
        offsets: list[int] = []  # where each part starts in the joined string
        origins: list[int] = []  # ... and in the text
        joined = 0
        # gaps closer than two margins share a part, so that no phrase is cut between parts
        for a, b in _merged([(max(0, g0 - _MARGIN), min(n, g1 + _MARGIN)) for g0, g1 in gaps]):
            offsets.append(joined)
            origins.append(a)
            parts.append(text[a:b])
            joined += b - a + 1
        # "_" as a space: "DL_NO" and "FECHA_NAC" in CSV headers hold the labels "DL", "fecha
        # nac"; every whitespace character as a space too, which the phrases expect
        folded = self._folded
        if folded is None:
            window = fold_text("\0".join(parts)).translate(_SPACES)
        elif len(parts) == 1 and origins[0] == 0 and len(parts[0]) == n:
            window = folded.translate(_SPACES)  # the whole text, folded by the scanner
        else:
            # folding is per character: the folded text's slices are the slices' folds
            window = "\0".join(
                [folded[a : a + len(part)] for a, part in zip(origins, parts, strict=True)]
            ).translate(_SPACES)
        hits = _pattern_set(self.layer).scan_folded(window)  # folded already
        if not hits:
            return
        by_list: dict[str, list[tuple[int, int]]] = {}
        for key, cands in hits.items():
            name = "label" if key == "label_exact" else key
            if len(parts) == 1:
                shift = origins[0]
                spans = [(h0 + shift, h1 + shift) for h0, h1 in cands]
            else:
                spans = []
                for h0, h1 in cands:
                    k = bisect_right(offsets, h0) - 1
                    shift = origins[k] - offsets[k]
                    spans.append((h0 + shift, h1 + shift))
            if name in by_list:
                by_list[name].extend(spans)
            else:
                by_list[name] = spans
        strict = _accented_only()
        g0, g1 = gaps[0] if len(gaps) == 1 else (-1, -1)
        gap_starts = [g[0] for g in gaps] if g0 < 0 else []
        for name, spans in by_list.items():
            # of the spans matched in a margin, keep those starting in a gap
            kept = []
            for s, e in _non_overlapping(spans) if len(spans) > 1 else spans:
                if e - s <= _ACCENTED_LEN and not _as_written(text[s:e], strict):
                    continue  # "el" is an article; only "él" is the pronoun
                if g0 >= 0:
                    if g0 <= s < g1:
                        kept.append((s, e))
                else:
                    k = bisect_right(gap_starts, s) - 1
                    if k >= 0 and s < gaps[k][1]:
                        kept.append((s, e))
            if kept:
                self._file(name, kept)

    def _file(self, name: str, kept: list[tuple[int, int]]) -> None:
        """Add the spans found of one list (sorted, new) to what is known."""
        if name == "label":
            text = self.text
            new = [lab for s, e in kept if (lab := _label(text[s:e], s, e)) is not None]
            if new:
                if self.starts and self.starts[-1] > new[0].start:
                    self.labels.extend(new)
                    self.labels.sort(key=lambda lab: lab.start)
                    self.starts = [lab.start for lab in self.labels]
                else:  # the usual case: a window after the ones matched before
                    self.labels.extend(new)
                    self.starts.extend([lab.start for lab in new])
            return
        starts, ends = self.lists[name]
        if starts and starts[-1] > kept[0][0]:
            merged = sorted([*zip(starts, ends, strict=True), *kept])
            self.lists[name] = ([s for s, _ in merged], [e for _, e in merged])
        else:
            starts.extend([s for s, _ in kept])
            ends.extend([e for _, e in kept])


class Spans:
    """The spans of one word list (``org``, ``person``...), found on demand."""

    __slots__ = ("_layer", "_name")

    def __init__(self, layer: _Layer, name: str) -> None:
        self._layer = layer
        self._name = name

    def last_in(self, lo: int, hi: int) -> tuple[int, int] | None:
        """The last span wholly inside ``[lo, hi)``."""
        if hi <= lo:
            return None
        self._layer.ensure(lo, hi)
        starts, ends = self._layer.lists[self._name]
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

    def __init__(self, text: str, folded: str | None = None) -> None:
        """``folded``: the folded view of ``text`` (:attr:`ScanContext.folded`), if known."""
        self.text = text
        self._folded = folded
        self._main = _Layer(text, "main", _MAIN_NAMES, folded=folded)
        # made at its first question; even in a text matched whole, people words are asked
        # about too rarely to pay for matching them everywhere
        self._people: _Layer | None = None

    def cover(self, windows: list[tuple[int, int]]) -> None:
        """Match the first layer in all of ``windows`` at once (see :func:`index_of`)."""
        self._main.cover(windows)

    def ensure(self, lo: int, hi: int) -> None:
        """Make sure every label and first-layer word starting in ``[lo, hi)`` is known."""
        self._main.ensure(lo, hi)

    def labels_in(self, lo: int, hi: int) -> list[Label]:
        """Labels wholly inside ``[lo, hi)``, left to right."""
        if hi <= lo:
            return []
        m = self._main
        m.ensure(lo, hi)
        i = bisect_left(m.starts, lo)
        j = bisect_left(m.starts, hi)
        return [lab for lab in m.labels[i:j] if lab.end <= hi]

    def last_label(self, lo: int, hi: int) -> Label | None:
        """The last label wholly inside ``[lo, hi)``."""
        if hi <= lo:
            return None
        m = self._main
        m.ensure(lo, hi)
        labels = m.labels
        j = bisect_left(m.starts, hi) - 1
        while j >= 0 and labels[j].start >= lo:
            if labels[j].end <= hi:
                return labels[j]
            j -= 1
        return None

    def label_at(self, start: int, end: int, category: str) -> Label | None:
        """The label of ``category`` that starts in ``[start, end)`` (a prefilter hit on a
        label), as the index reads it: "license plate" there is not a license label."""
        m = self._main
        m.ensure(start, end)
        i = bisect_left(m.starts, start)
        while i < len(m.labels) and m.labels[i].start < end:
            if m.labels[i].is_for(category):
                return m.labels[i]
            i += 1
        return None

    def label_ending(self, end: int, category: str) -> Label | None:
        """The label of ``category`` that ends at ``end`` (or one character before: the
        prefilter's match may take in a trailing "_"), as the index reads it."""
        m = self._main
        m.ensure(end - 1, end)
        i = bisect_left(m.starts, end) - 1
        while i >= 0 and m.labels[i].start > end - _MARGIN:
            lab = m.labels[i]
            if end - 1 <= lab.end <= end and lab.is_for(category):
                return lab
            i -= 1
        return None

    def last_end(self, names: tuple[str, ...], lo: int, hi: int) -> int:
        """The furthest end of the last span of each first-layer list in ``names`` that lies
        wholly inside ``[lo, hi)`` (-1 when there is none): one question for several lists."""
        if hi <= lo:
            return -1
        m = self._main
        m.ensure(lo, hi)
        best = -1
        for name in names:
            starts, ends = m.lists[name]
            i = bisect_right(starts, hi) - 1
            while i >= 0 and starts[i] >= lo:
                if ends[i] <= hi:
                    best = max(best, ends[i])
                    break
                i -= 1
        return best

    def words(self, name: str) -> Spans:
        """Spans of one word list: ``org``, ``addrneg``, ``title`` or ``person``."""
        if name in self._main.lists:
            return Spans(self._main, name)
        if self._people is None:
            self._people = _Layer(
                self.text, "people", _PEOPLE_NAMES, seed=self._main, folded=self._folded
            )
        return Spans(self._people, name)


def _build(ctx: ScanContext) -> Index:
    text = ctx.text
    groups = [v for k, v in ctx.candidates.items() if k.startswith("identifiers.")]
    index = Index(text, ctx.folded)
    if len(text) <= _SHORT or sum(map(len, groups)) * _DENSE > len(text):
        # a short message, a record dump or a table: the windows would cover most of it and
        # the questions the rest, one window at a time; one pass over it all costs less
        index.cover([(0, len(text))])
        return index
    # the questions to come are about the candidates: the text above them and their lines
    windows: list[tuple[int, int]] = []
    line_end = -1
    # candidates are (start, end) tuples: sorted as they are
    for start, end in sorted([c for hits in groups for c in hits]):
        if end <= line_end:
            continue  # on the line of the window just made
        nl = text.find("\n", end, end + _WIDEN)
        line_end = nl if nl != -1 else end + 40
        # from the start of the line above (a label there, the header of a table)
        above = text.rfind("\n", max(0, start - _ABOVE), start)
        above = text.rfind("\n", max(0, above - _ABOVE), above) if above > 0 else -1
        windows.append((max(above + 1, start - _ABOVE), line_end))
    index.cover(windows)
    return index


def index_of(ctx: ScanContext) -> Index:
    """The index of ``ctx``: created on the first question, shared by every detector."""
    return ctx.shared(SHARED, _build)
