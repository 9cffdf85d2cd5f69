"""Text preparation for the legal-process classifier: folding, cells, reading order, context.

Scanned and exported forms put a signature block beside the date, a case number beside the
caption, a title in the middle of a line. Reading such text line by line splits phrases
("Supervisory Detention and ... /s/ L. A. ... Deportation Officer"), so besides the text as
given we build a *view* in which each line is cut into cells (runs of text separated by three
or more spaces or a tab) and the cells of a multi-column block are read column by column.
Markers are matched on both texts; every match is mapped back to the cells it touches, which
is what the scorer asks about: is the match in running prose, quoted, in a heading near the
top, next to a signature line, or on an unticked checkbox line.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

__all__ = ["Cell", "Layout", "Piece", "fold", "normalize"]

# Typographic variants that OCR, word processors and mail clients produce for the same mark.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u0060": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\u200b": "",
        "\ufeff": "",
        "\u00ad": "",
        "\u2610": "[ ]",
        "\u2611": "[X]",
        "\u2612": "[X]",
        "\u25a1": "[ ]",
        "\u25a0": "[X]",
    }
)

_FUNCTION_WORDS = frozenset(
    [
        *("a", "an", "the", "is", "are", "was", "were", "be", "been", "being", "to", "of"),
        *("in", "on", "for", "if", "that", "this", "these", "those", "it", "its", "you"),
        *("your", "we", "our", "they", "their", "he", "she", "his", "her", "not", "no", "do"),
        *("does", "did", "can", "may", "must", "should", "will", "would", "with", "by"),
        *("from", "as", "at", "or", "and", "but", "than", "when", "which", "who", "what"),
        *("how", "has", "have", "had", "any", "all", "only", "there", "here", "also", "such"),
        *("into", "about", "because", "so", "then"),
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_CELL = re.compile(r"[^\t ]+(?:[ ]{1,2}[^\t ]+)*")
_UNTICKED = re.compile(r"^(?:\[\s*\]|\(\s\)|_{1,3}\s)")
_TICKED = re.compile(r"^(?:\[\s*[xX✓✔*]\s*\]|\(\s*[xX]\s*\))")
_QUOTES = "\"'"


def normalize(text: str) -> str:
    """Canonical form of ``text``: NFC, one kind of newline, typographic marks made plain.

    Control characters other than tab and newline become spaces, so that binary junk or a
    stray form feed cannot glue two words together or split a line unexpectedly.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.translate(_TRANSLATE)
    return "".join(c if (c >= " " or c in "\t\n") else " " for c in text)


def _fold_char(c: str) -> str:
    if c.isascii():
        return c
    decomposed = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Keep the text the same length so that offsets in the folded text index the original.
    return base if len(base) == 1 else c


def fold(text: str) -> str:
    """``text`` with accents removed (``ó`` → ``o``), one character for one character."""
    if text.isascii():
        return text
    return "".join(_fold_char(c) for c in text)


@dataclass(frozen=True, slots=True)
class Cell:
    """A run of text on one line, separated from its neighbours by wide gaps.

    ``start``/``end`` index the normalized text; ``line`` counts from 0; ``col`` is the
    column of its first character; ``order`` is its place in reading order (the view).
    """

    start: int
    end: int
    line: int
    col: int
    order: int
    text: str
    unticked: bool
    ticked: bool


@dataclass(frozen=True, slots=True)
class _WordStats:
    """Word starts of a cell, with running counts of words and of function words."""

    starts: list[int]
    words: list[int]
    function: list[int]


@dataclass(frozen=True, slots=True)
class Piece:
    """The part of a match that lies in one cell: an interval of the normalized text."""

    cell: int
    start: int
    end: int


class Layout:
    """Cells of a text in reading order, with the view built from them.

    ``text`` is the normalized text, ``folded`` the same with accents removed (what patterns
    are matched against), ``view`` the folded cells joined by newlines in reading order.
    """

    def __init__(self, text: str) -> None:
        self.text = normalize(text)
        self.folded = fold(self.text)
        cells: list[Cell] = []
        # Per line: cells of that line, as (start, end, col, unticked, ticked).
        raw_lines: list[list[tuple[int, int, int, bool, bool]]] = []
        offset = 0
        unticked_indent: int | None = None
        for line in self.folded.split("\n"):
            found: list[tuple[int, int, int, bool, bool]] = []
            for m in _CELL.finditer(line):
                col = len(line[: m.start()].expandtabs(8))
                body = m.group()
                unt = bool(_UNTICKED.match(body))
                tick = bool(_TICKED.match(body))
                found.append((offset + m.start(), offset + m.end(), col, unt, tick))
            # An unticked option continues onto more-indented lines that do not start a new
            # option: "[ ] a United States District or\n      Magistrate Court Judge".
            if found:
                first_col = found[0][2]
                if found[0][3]:
                    unticked_indent = first_col
                elif (
                    unticked_indent is not None and first_col > unticked_indent and not found[0][4]
                ):
                    found = [(s, e, c, True, t) for (s, e, c, _u, t) in found]
                else:
                    unticked_indent = None
            else:
                unticked_indent = None
            raw_lines.append(found)
            offset += len(line) + 1

        # Reading order: single-cell lines flow in order; the second and later cells of a
        # multi-cell line wait in per-column buffers that are emitted before the next
        # single-cell line or blank line, so a column's text stays together and stays close
        # to where it was on the page.
        order: list[tuple[int, int, int, int, bool, bool]] = []
        pending: dict[int, list[tuple[int, int, int, int, bool, bool]]] = {}

        def flush() -> None:
            for key in sorted(pending):
                order.extend(pending[key])
            pending.clear()

        for lineno, found in enumerate(raw_lines):
            if len(found) <= 1:
                flush()
                for s, e, c, u, t in found:
                    order.append((s, e, lineno, c, u, t))
                continue
            s, e, c, u, t = found[0]
            order.append((s, e, lineno, c, u, t))
            for s, e, c, u, t in found[1:]:
                key = next((k for k in pending if abs(k - c) <= 6), c)
                pending.setdefault(key, []).append((s, e, lineno, c, u, t))
        flush()

        view_parts: list[str] = []
        view_starts: list[int] = []
        pos = 0
        for i, (s, e, lineno, c, u, t) in enumerate(order):
            cells.append(Cell(s, e, lineno, c, i, self.text[s:e], u, t))
            view_starts.append(pos)
            view_parts.append(self.folded[s:e])
            pos += e - s + 1
        self.cells: tuple[Cell, ...] = tuple(cells)
        self.view = "\n".join(view_parts)
        self._view_starts = view_starts
        by_start = sorted(range(len(cells)), key=lambda i: cells[i].start)
        self._orig_sorted = by_start
        self._orig_starts = [cells[i].start for i in by_start]
        self.line_count = len(raw_lines)
        nonempty = sorted({c.line for c in cells})
        self._nonempty_lines = nonempty
        self._stats: dict[int, _WordStats] = {}
        self.has_columns = any(len(found) > 1 for found in raw_lines)

    # -- mapping matches to cells -------------------------------------------------------------

    def pieces_in_view(self, start: int, end: int) -> tuple[Piece, ...]:
        """The cells a match ``[start, end)`` of :attr:`view` covers, as normalized-text pieces."""
        out: list[Piece] = []
        i = max(0, bisect.bisect_right(self._view_starts, start) - 1)
        while i < len(self.cells) and self._view_starts[i] < end:
            cell = self.cells[i]
            vs = self._view_starts[i]
            a = max(start, vs) - vs
            b = min(end, vs + (cell.end - cell.start)) - vs
            if b > a:
                out.append(Piece(i, cell.start + a, cell.start + b))
            i += 1
        return tuple(out)

    def pieces_in_text(self, start: int, end: int) -> tuple[Piece, ...]:
        """The cells a match ``[start, end)`` of :attr:`folded` covers, as pieces."""
        out: list[Piece] = []
        j = max(0, bisect.bisect_right(self._orig_starts, start) - 1)
        while j < len(self._orig_sorted) and self._orig_starts[j] < end:
            idx = self._orig_sorted[j]
            cell = self.cells[idx]
            a, b = max(start, cell.start), min(end, cell.end)
            if b > a:
                out.append(Piece(idx, a, b))
            j += 1
        return tuple(out)

    # -- context --------------------------------------------------------------------------------

    def is_prose(self, pieces: tuple[Piece, ...], min_function_words: int = 3) -> bool:
        """Whether the match sits in running prose rather than a heading, label or field.

        The cells it touches, minus the match itself, are counted for function words ("a",
        "the", "if", "is"...) written in lower or title case; headings in capitals do not
        count. A sentence mentioning "an immigration detainer (DHS Form I-247A)" is prose, a
        footer "DHS Form I-247A" or a title line "IMMIGRATION DETAINER" is not.
        """
        words = function = 0
        for cell_idx in {p.cell for p in pieces}:
            stats = self._word_stats(cell_idx)
            words += stats.words[-1]
            function += stats.function[-1]
            for p in pieces:
                if p.cell == cell_idx:
                    # Words starting inside the match are the match's own, not its context.
                    a = bisect.bisect_left(stats.starts, p.start)
                    b = bisect.bisect_left(stats.starts, p.end)
                    words -= stats.words[b] - stats.words[a]
                    function -= stats.function[b] - stats.function[a]
        return function >= min_function_words and words >= min_function_words + 2

    def _word_stats(self, cell_idx: int) -> _WordStats:
        stats = self._stats.get(cell_idx)
        if stats is None:
            cell = self.cells[cell_idx]
            starts: list[int] = []
            words = [0]
            function = [0]
            for m in _WORD.finditer(self.text, cell.start, cell.end):
                w = m.group()
                starts.append(m.start())
                words.append(words[-1] + 1)
                is_function = not w.isupper() and w.lower() in _FUNCTION_WORDS
                function.append(function[-1] + int(is_function))
            stats = _WordStats(starts, words, function)
            self._stats[cell_idx] = stats
        return stats

    def is_quoted(self, pieces: tuple[Piece, ...]) -> bool:
        """Whether the match is in quotation marks: a mention ("YOU ARE COMMANDED"), not a use."""
        first, last = pieces[0], pieces[-1]
        before = self.text[self.cells[first.cell].start : first.start].rstrip()
        after = self.text[last.end : self.cells[last.cell].end].lstrip()
        opens = (
            bool(before)
            and before[-1] in _QUOTES
            and (len(before) == 1 or not before[-2].isalnum())
        )
        closes = bool(after) and after[0] in _QUOTES and (len(after) == 1 or not after[1].isalnum())
        return opens or closes

    def is_unticked(self, pieces: tuple[Piece, ...]) -> bool:
        """Whether every cell of the match belongs to an unticked checkbox option."""
        return all(self.cells[p.cell].unticked for p in pieces)

    def line_rank(self, line: int) -> tuple[int, int]:
        """(non-empty lines before ``line``, non-empty lines after it)."""
        i = bisect.bisect_left(self._nonempty_lines, line)
        return i, len(self._nonempty_lines) - i - 1

    def cell_text(self, index: int) -> str:
        """The normalized text of cell ``index`` (reading order)."""
        return self.cells[index].text

    @cached_property
    def folded_cells(self) -> tuple[str, ...]:
        """Each cell's folded text, in reading order."""
        return tuple(self.folded[c.start : c.end] for c in self.cells)
