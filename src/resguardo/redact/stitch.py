"""Scan many small pieces of text as one, and map what is found back to the pieces.

A value is often split over pieces that a document keeps apart: HTML text nodes
(``585-<b>20</b>-1234``), the two lines of a soft-wrapped ``format=flowed`` paragraph,
the cells of a CSV row read with their column headers. Scanning each piece alone misses
such values and loses context ("SSN" is in the header, the number in the cell). So the
pieces are stitched into one string, with optional unmapped glue (a header prefix, a line
break between blocks), scanned once, and each finding is cut back into the pieces it covers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from resguardo.detect.finding import Finding
from resguardo.redact.text import Span

__all__ = ["Stitcher"]

Origin = TypeVar("Origin", bound=Hashable)


@dataclass(frozen=True, slots=True)
class _Segment(Generic[Origin]):
    start: int  # in the stitched text
    end: int
    origin: Origin
    offset: int  # where the segment starts in its origin's own text


class Stitcher(Generic[Origin]):
    """Builds a stitched text from mapped pieces and unmapped glue.

    >>> s: Stitcher[str] = Stitcher()
    >>> s.glue("SSN: ")
    >>> s.add("585-20-1234", origin="cell")
    >>> s.text
    'SSN: 585-20-1234'
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._segments: list[_Segment[Origin]] = []
        self._starts: list[int] = []
        self._length = 0

    def add(self, piece: str, origin: Origin, offset: int = 0) -> None:
        """Append ``piece``, which is ``origin``'s text from ``offset`` on."""
        if piece:
            seg = _Segment(self._length, self._length + len(piece), origin, offset)
            self._segments.append(seg)
            self._starts.append(seg.start)
        self._append(piece)

    def glue(self, piece: str) -> None:
        """Append text that belongs to no origin (context or a separator)."""
        self._append(piece)

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)

    @property
    def text(self) -> str:
        """The stitched text."""
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def locate(
        self, findings: Sequence[Finding], *, token_per_piece: bool = False
    ) -> tuple[dict[Origin, list[Span]], list[tuple[Finding, Origin]]]:
        """Cut ``findings`` (offsets into :attr:`text`) back into spans per origin.

        Within one origin a finding becomes a single span from its first to its last
        mapped character, so glue removed between two segments of the same origin (a soft
        line break) is redacted with the value. Across origins, only the first piece is a
        ``lead`` unless ``token_per_piece`` (table cells, where each cell should say what it
        held). Returns the spans, and each finding that touched at least one origin with the
        first origin it touched (a finding lying wholly in glue, such as a column header,
        redacts nothing and is not counted).
        """
        stitched = self.text
        spans: dict[Origin, list[Span]] = {}
        used: list[tuple[Finding, Origin]] = []
        for f in findings:
            pieces: dict[Origin, tuple[int, int]] = {}
            value_parts: list[str] = []
            i = max(bisect_right(self._starts, f.start) - 1, 0)
            while i < len(self._segments) and self._segments[i].start < f.end:
                seg = self._segments[i]
                i += 1
                lo, hi = max(f.start, seg.start), min(f.end, seg.end)
                if lo >= hi:
                    continue
                value_parts.append(stitched[lo:hi])
                a = lo - seg.start + seg.offset
                b = hi - seg.start + seg.offset
                prev = pieces.get(seg.origin)
                pieces[seg.origin] = (min(prev[0], a), max(prev[1], b)) if prev else (a, b)
            if not pieces:
                continue
            used.append((f, next(iter(pieces))))
            value = "".join(value_parts)
            for n, (origin, (a, b)) in enumerate(pieces.items()):
                lead = token_per_piece or n == 0
                spans.setdefault(origin, []).append(Span(a, b, f.category, value, lead))
        return spans, used
