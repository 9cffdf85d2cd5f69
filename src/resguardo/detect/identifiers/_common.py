"""Shared steps of the identifier detectors: the value patterns several of them read, the
context of a value (the label that reaches it, its table column, the chat question it
answers), values after a label, and the bookkeeping of findings.

Detectors start from *values* wherever a value has a shape of its own (a number, a date, a
street): the prefilter finds the few values in a text, and the context is looked up around
each one, only then. Labels are the starting point only where the values have no shape to
find (plates) or are too common to be candidates (dates); those labels are few and specific.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._index import Index
from resguardo.detect.identifiers._layout import gap_ok, is_blank, line_bounds
from resguardo.detect.identifiers._tables import TableCache, column_cells
from resguardo.detect.identifiers._words import Label, column_categories
from resguardo.detect.patterns import PatternSpec

__all__ = [
    "NUMBER",
    "Collector",
    "answer_to",
    "column_label",
    "column_values",
    "first_value",
    "label_reaching",
    "shared_patterns",
    "value_after",
]

# Long digit runs and grouped numbers, read by the SSN, A-number and license detectors alike
# (one prefilter pattern, one callback per number, whoever reads it).
NUMBER = "identifiers.shared.number"
_NUMBER_RX = r"\b(?:\d{7,10}|\d{3}[- ]\d{3}[- ]\d{3}|\d{2}[- ]\d{3}[- ]\d{3}|\d{2}-\d{3}-\d{4})\b"


def shared_patterns(declare: bool) -> list[PatternSpec]:
    """The shared value patterns when this detector is the one to ``declare`` them.

    One detector per scanner declares them (``identifiers.detectors()`` arranges that); a
    detector built on its own declares them by default, so it also works alone.
    """
    return [PatternSpec(NUMBER, _NUMBER_RX)] if declare else []


# -- a value's context -------------------------------------------------------------------------


def label_reaching(
    index: Index,
    pos: int,
    *,
    width: int = 90,
    max_gap: int = 25,
    allow_lines: int = 1,
) -> Label | None:
    """The label that introduces the value at ``pos``, if one can reach it.

    That is the nearest label before ``pos`` (any category: the caller checks which), at most
    ``width`` characters back, on the value's line or, when only filler lies between
    ("DOB:\\n  03/14/1988"), up to ``allow_lines`` lines above; see :func:`gap_ok`.
    """
    text = index.text
    lo = text.rfind("\n", 0, pos) + 1
    for _ in range(allow_lines):
        if lo == 0 or pos - lo > width:
            break
        lo = text.rfind("\n", 0, lo - 1) + 1
    lab = index.last_label(max(lo, pos - width - 40), pos)
    if lab is None or pos - lab.end > width:
        return None
    return lab if gap_ok(index, lab.end, pos, max_chars=max_gap, allow_lines=allow_lines) else None


def column_label(index: Index, tables: TableCache, pos: int) -> tuple[frozenset[str], str] | None:
    """The categories named by the header of the table column holding ``pos``, with the
    header text (the evidence); None outside a table.

    A header names its column in the lenient way of :func:`column_categories` ("dl_no",
    "Res. Addr"), or holds a label ("Fecha de nacimiento (dd/mm/aaaa)").
    """
    col = tables.column_of(pos)
    if col is None:
        return None
    table, i = col
    a, b = table.cells[i]
    head = index.text[a:b]
    cats = column_categories(head)
    if not cats:
        cats = frozenset(c for lab in index.labels_in(a, b) for c in lab.categories)
    return cats, head


# "[10:42] Ana:", "Ray R.:", "> ", "- ": what may open a chat or list line before its value
_SPEAKER = re.compile(
    r"[ \t>*\-–•]*(?:\[?\(?(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?,?[ \t]*)?"
    r"\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[AaPp]\.?[Mm]\.?)?\)?\]?[ \t\-–]*)?"
    # a speaker by name or by role, often lower-case in transcripts ("booking officer 2:")
    r"(?:[A-Za-z][\w.'’\-]*(?:[ \t]+[\w(][\w.'’()\-]*){0,2}[ \t]*:[ \t]*)?"
    # a short lead-in clause set off by a comma: "he read that too, 052318846"
    r"(?:(?:[^\W\d_]+[ \t]+){0,4}[^\W\d_]+,[ \t]+)?"
    # a few words that only introduce the answer: "its 041597730", "es el 575-555-0138"
    r"(?:(?i:it'?s|it is|that'?s|is|es|es el|el|la|son|ok|okay|sure|claro|sí|si|yes)[ \t,:]+)?"
)
# the answer may end the line, or close its sentence before the speaker goes on ("03/28/1985.
# A#201334781"): the value still answers the question above
_ANSWER_END = re.compile(r"[ \t.,;!)]*(?:\(?(?:thx|thanks|gracias|ty)\)?[ \t.!]*)?|\.[ \t]+\S.*")
# after the label, the rest of a question: "?", "please", or a few short words ("now", "on
# file", "these days"), but no number and no other label (the caller checks it is the last)
_QUESTION_END = re.compile(r"(?:[ \t]+[^\W\d_]{1,10}){0,3}[ \t?:.!]*")


# "505.480.2217 - that's his girlfriend's cell": a comment after the answer, set off
_ASIDE = re.compile(r"[ \t]*(?:[\-–—,(]|\.\.\.)[ \t]*")


def _answer_line(
    index: Index, s: int, e: int, tail: Callable[[Index, int, int], bool] | None = None
) -> tuple[int, int] | None:
    """The bounds of the line holding ``[s, e)`` when the value is all that line says, or,
    with ``tail``, when what follows it is an aside that ``tail`` accepts."""
    text = index.text
    ls, le = line_bounds(text, s)
    if s - ls > 60:
        return None  # more than a time stamp and a speaker before it
    if _SPEAKER.fullmatch(text, ls, s) is None:
        return None
    if _ANSWER_END.fullmatch(text, e, le) is None:
        aside = _ASIDE.match(text, e, le)
        if tail is None or aside is None or not tail(index, aside.end(), le):
            return None
    return ls, le


def answer_to(
    index: Index,
    s: int,
    e: int,
    category: str,
    tail: Callable[[Index, int, int], bool] | None = None,
) -> Label | None:
    """The label of ``category`` in the question that the value ``[s, e)`` answers.

    In chat and text threads the context is often a line above: "what's her NM DL number"
    and then, from the other side, the number alone on its line. The value must be all its
    line says (after a speaker or time stamp), and the label must end the nearest line above
    that is not blank (at most a "?" or "please" after it). ``tail(index, lo, line_end)``
    may accept an aside after the value ("- that's his girlfriend's cell").
    """
    text = index.text
    e = min(e, line_bounds(text, s)[1])  # an address may go on to a city line
    bounds = _answer_line(index, s, e, tail)
    if bounds is None or bounds[0] == 0:
        return None
    ps, pe = line_bounds(text, bounds[0] - 1)
    hops = 0
    while is_blank(text[ps:pe]) and ps > 0 and hops < 2:
        ps, pe = line_bounds(text, ps - 1)
        hops += 1
    lab = index.last_label(max(ps, pe - 160), pe)
    if lab is None or not lab.is_for(category):
        return None
    return lab if _QUESTION_END.fullmatch(text, lab.end, pe) is not None else None


# -- values after a label (label-first detectors) ------------------------------------------

_WORD_START = re.compile(r"\w+")


def first_value(text: str, lo: int, hi: int, value: re.Pattern[str]) -> re.Match[str] | None:
    """The first match of ``value`` in ``text[lo:hi]``.

    Every value pattern starts at a word start ("(?<![\\w...])" then a letter or digit), so
    trying those few places is the same as a search, which would try every character.
    """
    for w in _WORD_START.finditer(text, lo, hi):
        m = value.match(text, w.start(), hi)
        if m is not None:
            return m
    return None


def value_after(
    index: Index,
    label: Label,
    value: re.Pattern[str],
    *,
    max_gap: int = 25,
    allow_lines: int = 1,
    window: int = 90,
) -> re.Match[str] | None:
    """The first ``value`` after ``label`` when the gap between them lets it belong there,
    or, when the label ends a question line, the ``value`` that makes up the answer line."""
    text = index.text
    end = min(len(text), label.end + window)
    m = first_value(text, label.end, end, value)
    if m is not None and m.end() == end < len(text):
        # the window cut the value: re-read it against the real following text
        m = value.match(text, m.start())
    if m is not None and gap_ok(
        index, label.end, m.start(), max_chars=max_gap, allow_lines=allow_lines
    ):
        return m
    return _answer_after(index, label, value)


def _answer_after(index: Index, label: Label, value: re.Pattern[str]) -> re.Match[str] | None:
    text = index.text
    _, le = line_bounds(text, label.end)
    if _QUESTION_END.fullmatch(text, label.end, le) is None or le >= len(text):
        return None
    ns, ne = line_bounds(text, le + 1)
    hops = 0
    while is_blank(text[ns:ne]) and ne < len(text) and hops < 2:
        ns, ne = line_bounds(text, ne + 1)
        hops += 1
    sp = _SPEAKER.match(text, ns, ne)
    start = sp.end() if sp is not None else ns
    m = value.match(text, start, ne)
    if m is None or _ANSWER_END.fullmatch(text, m.end(), ne) is None:
        return None
    return m


def column_values(
    index: Index,
    tables: TableCache,
    pos: int,
    category: str,
    value: re.Pattern[str],
    seen: set[tuple[int, int]],
) -> Iterator[tuple[re.Match[str], str]]:
    """Values of ``value`` heading the cells of the column whose header holds ``pos``, when
    that header names ``category`` (see :func:`column_categories`).

    Yields the match and the header cell text (the evidence). ``seen`` holds the columns
    already read (two labels in one header cell read it once).
    """
    table = tables.header(pos)
    if table is None:
        return
    col = table.column_at(pos)
    if col is None or (table.start, col) in seen:
        return
    seen.add((table.start, col))
    text = index.text
    hs, he = table.cells[col]
    head = text[hs:he]
    cats = column_categories(head) or frozenset(
        c for lab in index.labels_in(hs, he) for c in lab.categories
    )
    if category not in cats:
        return
    for s, e in column_cells(text, table, col):
        m = value.match(text, s, e)
        if m is not None and not text[m.end() : e].strip(" \t.,;*").isalnum():
            yield m, head


# -- findings ------------------------------------------------------------------------------


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
