"""One redaction run over one file: the scan function, the style, and what was done.

A :class:`Session` wraps the caller's ``scan`` with three things every handler needs:

- **validation**: a finding whose offsets do not fit the scanned text raises, since
  redacting at wrong offsets would leave the value in place;
- **a tally** of what was redacted where, which becomes the :class:`RedactionSummary`;
- **propagation** (on by default): an identifier found anywhere in the file is redacted
  wherever else it occurs in that file. Detectors need context ("SSN", "DOB", "A#") that
  one copy of a value often lacks: the column header is in another part, the subject line
  repeats the bare number, a spreadsheet stores it as an integer. :func:`run_two_pass`
  scans the whole file once to learn the values, then redacts with them. Only the
  identifier group propagates: a status phrase such as "DACA" is sensitive in "he is
  DACA" and not in a policy paragraph of the same message.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from resguardo.detect.finding import Finding
from resguardo.redact.stitch import Stitcher
from resguardo.redact.text import RedactionStyle, Span, redact_spans
from resguardo.taxonomy import Group, categories

__all__ = [
    "RedactedFile",
    "RedactionSummary",
    "ScanFn",
    "Session",
    "UnreadableFileError",
    "WithheldColumn",
    "run_two_pass",
]

ScanFn = Callable[[str], Sequence[Finding]]
"""What the handlers call to find SPI: e.g. ``Scanner.scan`` or ``scan_text``."""

T = TypeVar("T")
Origin = TypeVar("Origin", bound=Hashable)

_IDENTIFIER_IDS = frozenset(c.id for c in categories().values() if c.group is Group.IDENTIFIER)


class UnreadableFileError(ValueError):
    """The file is not what its extension says (a corrupt or encrypted workbook, say)."""


@dataclass(frozen=True)
class WithheldColumn:
    """A table column withheld whole (see :mod:`resguardo.redact.tables`).

    ``column`` is the column's header as written in the output (so a header that was itself
    redacted is named by its token, never by its value), or ``column N`` (CSV, from 1) or
    its letter (XLSX) when that is empty. ``sheet`` is the worksheet's title in the output,
    None for CSV. ``category`` is the category its cells were withheld as, ``cells`` how
    many data cells were replaced.
    """

    column: str
    category: str
    cells: int
    sheet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form; ``sheet`` only for workbooks."""
        out: dict[str, Any] = {"column": self.column, "category": self.category}
        if self.sheet is not None:
            out["sheet"] = self.sheet
        out["cells"] = self.cells
        return out


@dataclass(frozen=True)
class RedactionSummary:
    """What a handler did to one file.

    ``counts``: findings redacted per category id. ``parts``: where redactions were made,
    coarse and human-readable ("header Subject", "2 text/csv column SSN"). ``removed``:
    things withheld whole because they cannot be checked (email attachments of other
    types, images and charts in workbooks). ``notes``: lossy changes worth telling the
    user, such as an output encoding that had to change. ``withheld_columns``: table
    columns replaced whole because some of their cells held a finding (only when a table
    handler was asked to withhold columns); their cells are not in ``counts``, which
    counts findings.
    """

    format: str
    counts: Mapping[str, int] = field(default_factory=dict)
    parts: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    withheld_columns: tuple[WithheldColumn, ...] = ()

    @property
    def total(self) -> int:
        """The number of findings redacted."""
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, with categories in a stable order."""
        return {
            "format": self.format,
            "counts": dict(sorted(self.counts.items())),
            "total": self.total,
            "parts": list(self.parts),
            "removed": list(self.removed),
            "notes": list(self.notes),
            "withheld_columns": [c.to_dict() for c in self.withheld_columns],
        }


@dataclass(frozen=True)
class RedactedFile:
    """The redacted bytes of a file and the summary of what was done to it."""

    data: bytes
    summary: RedactionSummary


_TOKEN = re.compile(r"[^\W_]+")
# Runs of letters and digits joined by at most one separator character: where a number-like
# value can hide with its separators changed ("585-20-1234", "585 20 1234", "585201234").
_RUN = re.compile(r"[^\W_]+(?:[\s\-./#][^\W_]+)*")
_WORDY = re.compile(r"[^\W\d_]{2,}")


class _KnownValues:
    """Identifier values seen in a first pass, found again with their separators changed.

    Number-like values (SSNs, A-numbers, plates, VINs, dates) are keyed by their letters and
    digits in upper case and found as any sequence of whole tokens, in a run of tokens joined
    by single separators, that spells the key: ``585-20-1234`` also finds ``585201234`` and
    ``585 20 1234``. Values with three or more words, two of them letters (addresses), are
    keyed by their case-folded words and found as the same words with any punctuation
    between. Values too short to be safe to match anywhere (under 6 letters and digits, or 8
    for wordy ones) are left to the scan. Lookups are set membership per token, so the cost
    does not grow with the number of values.
    """

    def __init__(self, values: Mapping[str, str]) -> None:
        self._numbers: dict[str, str] = {}
        self._phrases: dict[tuple[str, ...], str] = {}
        for value, category in values.items():
            words = _TOKEN.findall(value)
            alnum = "".join(words)
            if _WORDY.search(value) and len(words) > 2:
                if len(alnum) >= 8:
                    self._phrases.setdefault(tuple(w.casefold() for w in words), category)
            elif len(alnum) >= 6:
                self._numbers.setdefault(alnum.upper(), category)
        self._max_number = max((len(k) for k in self._numbers), default=0)
        self._phrase_lengths = sorted({len(k) for k in self._phrases}, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._numbers or self._phrases)

    def find(self, text: str) -> list[Finding]:
        out: list[Finding] = []
        if self._numbers:
            for run in _RUN.finditer(text):
                tokens = list(_TOKEN.finditer(run.group()))
                base = run.start()
                for i, first in enumerate(tokens):
                    key, best = "", None
                    for tok in tokens[i:]:
                        key += tok.group().upper()
                        if len(key) > self._max_number:
                            break
                        if key in self._numbers:
                            best = (tok.end(), self._numbers[key])
                    if best is not None:
                        start, end = base + first.start(), base + best[0]
                        out.append(Finding(best[1], start, end, text[start:end], 1.0, "propagated"))
        if self._phrases:
            words = list(_TOKEN.finditer(text))
            folded = [w.group().casefold() for w in words]
            for i in range(len(words)):
                for n in self._phrase_lengths:
                    if i + n > len(words):
                        continue
                    category = self._phrases.get(tuple(folded[i : i + n]))
                    if category is not None:
                        start, end = words[i].start(), words[i + n - 1].end()
                        out.append(
                            Finding(category, start, end, text[start:end], 1.0, "propagated")
                        )
                        break
        return out


class _Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.parts: dict[str, None] = {}
        self.removed: list[str] = []
        self.notes: dict[str, None] = {}
        self.withheld: list[WithheldColumn] = []

    def summary(self, fmt: str) -> RedactionSummary:
        return RedactionSummary(
            format=fmt,
            counts=dict(self.counts),
            parts=tuple(self.parts),
            removed=tuple(self.removed),
            notes=tuple(self.notes),
            withheld_columns=tuple(self.withheld),
        )


class Session:
    """The scan, style and tally of one run; handlers call its methods for every text."""

    def __init__(
        self,
        scan: ScanFn,
        style: RedactionStyle,
        *,
        cache: dict[str, list[Finding]] | None = None,
        known: Mapping[str, str] | None = None,
    ) -> None:
        self.style = style
        self._scan = scan
        self._cache: dict[str, list[Finding]] = {} if cache is None else cache
        self._known = _KnownValues(known or {})
        self._tally = _Tally()
        # Identifier values seen by this session's scans (for the second pass).
        self.seen: dict[str, str] = {}

    # --- finding -----------------------------------------------------------------------

    def find(self, text: str) -> list[Finding]:
        """Findings in ``text``: the scan's (validated) plus other copies of known values."""
        if not text.strip():
            return []
        base = self._cache.get(text)
        if base is None:
            # An empty finding redacts nothing; drop it rather than fail on it.
            base = [f for f in self._scan(text) if f.end != f.start]
            for f in base:
                if not 0 <= f.start < f.end <= len(text) or text[f.start : f.end] != f.text:
                    raise ValueError(
                        f"scan returned {f.category} [{f.start}:{f.end}] {f.text!r}, which "
                        "does not match the scanned text"
                    )
            self._cache[text] = base
        for f in base:
            if f.category in _IDENTIFIER_IDS:
                self.seen.setdefault(f.text, f.category)
        if not self._known:
            return base
        have = {(f.start, f.end) for f in base}
        extra = [f for f in self._known.find(text) if (f.start, f.end) not in have]
        return base + extra if extra else base

    # --- redacting ---------------------------------------------------------------------

    def redact(self, text: str, where: str) -> str:
        """``text`` with every finding redacted; records the findings under ``where``."""
        findings = self.find(text)
        if not findings:
            return text
        self.record(findings, where)
        return redact_spans(
            text, [Span(f.start, f.end, f.category, f.text) for f in findings], self.style
        )

    def redact_stitched(
        self,
        stitcher: Stitcher[Origin],
        where: str | Callable[[Origin], str],
        *,
        token_per_piece: bool = False,
    ) -> dict[Origin, list[Span]]:
        """Scan a stitched text and return the spans to redact per origin.

        Each finding is recorded under ``where``, or ``where(origin)`` of the first origin
        it touched.
        """
        findings = self.find(stitcher.text)
        if not findings:
            return {}
        spans, used = stitcher.locate(findings, token_per_piece=token_per_piece)
        for f, origin in used:
            self.record((f,), where if isinstance(where, str) else where(origin))
        return spans

    def apply(self, text: str, spans: Sequence[Span]) -> str:
        """``text`` with ``spans`` replaced in this session's style."""
        return redact_spans(text, spans, self.style) if spans else text

    # --- tally -------------------------------------------------------------------------

    def record(self, findings: Iterable[Finding], where: str) -> None:
        """Count ``findings`` as redacted, at ``where``."""
        n = 0
        for f in findings:
            self._tally.counts[f.category] += 1
            n += 1
        if n:
            self._tally.parts.setdefault(where, None)

    def removed(self, what: str) -> None:
        """Record something withheld whole."""
        self._tally.removed.append(what)

    def withheld_column(self, column: WithheldColumn) -> None:
        """Record a table column withheld whole."""
        self._tally.withheld.append(column)

    def note(self, text: str) -> None:
        """Record a lossy change worth telling the user about (deduplicated)."""
        self._tally.notes.setdefault(text, None)

    def summary(self, fmt: str) -> RedactionSummary:
        """The summary of everything recorded so far."""
        return self._tally.summary(fmt)


def run_two_pass(
    work: Callable[[Session], T], scan: ScanFn, style: RedactionStyle, *, propagate: bool
) -> tuple[T, Session]:
    """Run ``work`` once, or twice with the identifiers of the first run propagated.

    ``work`` must not mutate shared state: it is called on the original input each time.
    Scan results are cached between the runs, so the second costs little more than the
    pattern search for the known values.
    """
    cache: dict[str, list[Finding]] = {}
    first = Session(scan, style, cache=cache)
    result = work(first)
    if not propagate or not first.seen:
        return result, first
    second = Session(scan, style, cache=cache, known=first.seen)
    return work(second), second
