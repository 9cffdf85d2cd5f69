"""Tables pasted into mail: pipe tables, CSV rows, tab-separated rows (HTML tables and
spreadsheets as extracted) and fixed-width screen prints.

In a table the label ("DOB", "PLATE", "Domicilio") sits in the header, far from the value.
These helpers find the header of the table a position is in, and the cells of a column.
They look at one table at a time and cap the rows they read, so cost stays bounded.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from resguardo.detect.context import ScanContext
from resguardo.detect.identifiers._layout import is_blank, line_bounds

__all__ = ["Table", "TableCache", "column_cells", "header_table", "tables_of"]

_MAX_ROWS = 2000
_MAX_SKIPPED = 2  # non-row lines tolerated inside a table, e.g. "(out of state - AZ)"
_INTERRUPTIBLE = ("pipe", "tsv")  # kinds whose rows are recognisable after such a line
_PIPE_SEPARATOR = re.compile(r"[\s|:+\-=>]*")
_WIDE_GAP = re.compile(r"\S+(?: \S+)*")  # chunks of a fixed-width line: split on 2+ spaces
# A header cell names its column: words, maybe with "#", "(mm/dd/yyyy)", "Last, First"...
_HEADER_CELL = re.compile(r"[#*]?[ \t]*[^\W\d_][\w /#.&()'’_\-,:?*+]{0,39}")
# ...or is a bare row-number column: "#", "No.", "N°", or nothing at all
_NUMBER_CELL = re.compile(r"(?:#|[Nn][oOº°]?\.?|[Rr]ow|[Ll]ine)?")
_QUOTE_MARKS = re.compile(r"[ \t]*>[ \t>]*")
_LONG_DIGITS = re.compile(r"\d{3}")
_QUOTED = re.compile(r'"[^"\n]*"')

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Table:
    """A table header: its kind, its line, and the (absolute) spans of its cells."""

    kind: str  # "pipe", "tsv", "csv" or "fixed"
    start: int
    end: int
    cells: tuple[Span, ...]

    def column_at(self, pos: int) -> int | None:
        """Index of the header cell holding ``pos``."""
        for i, (s, e) in enumerate(self.cells):
            if s <= pos < e:
                return i
        return None


def _strip(text: str, s: int, e: int, chars: str = " \t\r\"'") -> Span:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _skip_quote(text: str, s: int, e: int) -> int:
    # a table quoted in a reply ("> NAME | DOB | ..."): the markers are not part of a cell
    if s < e and text[s] in " \t>":
        m = _QUOTE_MARKS.match(text, s, e)
        if m is not None:
            return m.end()
    return s


def _pipe_cells(text: str, s: int, e: int) -> list[Span]:
    bounds = [s - 1]
    i = text.find("|", s, e)
    while i != -1:
        bounds.append(i)
        i = text.find("|", i + 1, e)
    bounds.append(e)
    cells = [_strip(text, a + 1, b) for a, b in itertools.pairwise(bounds)]
    # "| a | b |": the empty cells outside the first and last bar are not columns
    if cells and cells[0][0] == cells[0][1] and text[s:e].lstrip().startswith("|"):
        cells = cells[1:]
    if cells and cells[-1][0] == cells[-1][1] and text[s:e].rstrip().endswith("|"):
        cells = cells[:-1]
    return cells


def _tsv_cells(text: str, s: int, e: int) -> list[Span]:
    # tables from HTML, spreadsheets and TSV files: one tab between cells
    out: list[Span] = []
    start = s
    i = text.find("\t", s, e)
    while i != -1:
        out.append(_strip(text, start, i))
        start = i + 1
        i = text.find("\t", start, e)
    out.append(_strip(text, start, e))
    return out


def _csv_cells(text: str, s: int, e: int) -> list[Span]:
    # jump from separator to separator with str.find (C), stepping over quoted cells
    out: list[Span] = []
    pos = s
    while True:
        q = pos
        while q < e and text[q] in " \t":
            q += 1
        if q < e and text[q] == '"':
            close = text.find('"', q + 1, e)
            comma = text.find(",", close + 1, e) if close != -1 else -1
        else:
            comma = text.find(",", pos, e)
        stop = e if comma == -1 else comma
        out.append(_strip(text, pos, stop))
        if comma == -1:
            return out
        pos = comma + 1


def _fixed_cells(text: str, s: int, e: int) -> list[Span]:
    return [(s + m.start(), s + m.end()) for m in _WIDE_GAP.finditer(text[s:e])]


def _is_header_cell(cell: str) -> bool:
    return bool(_HEADER_CELL.fullmatch(cell)) and not _LONG_DIGITS.search(cell)


def _header_cells_ok(texts: list[str], need: int) -> bool:
    """Every cell names a column or numbers the rows, and at least ``need`` name one."""
    named = 0
    for c in texts:
        if _is_header_cell(c):
            named += 1
        elif not _NUMBER_CELL.fullmatch(c):
            return False
    return named >= need


def _cells(kind: str, text: str, s: int, e: int) -> list[Span]:
    s = _skip_quote(text, s, e)
    if kind == "pipe":
        return _pipe_cells(text, s, e)
    if kind == "csv":
        return _csv_cells(text, s, e)
    if kind == "tsv":
        return _tsv_cells(text, s, e)
    return _fixed_cells(text, s, e)


def _kind_of(line: str) -> str:
    if "|" in line:
        return "pipe"
    if "\t" in line and "\t" in line.strip(" \t\r"):
        return "tsv"
    if line.count(",") < 2:
        return "fixed"
    # CSV rows quote cells that hold ", " (addresses); prose has ", " between its words
    unquoted = _QUOTED.sub("", line) if '"' in line else line
    if unquoted.count(",") >= 2 and ", " not in unquoted:
        return "csv"
    return "fixed"


def _row_like(kind: str, line: str) -> bool:
    """Whether ``line`` can be a body row of a table of ``kind`` (a cheap first test)."""
    if kind == "pipe":
        return "|" in line
    if kind == "tsv":
        return "\t" in line
    if kind == "csv":
        return line.count(",") >= 2
    return "  " in line.strip()


def _next_line(text: str, end: int) -> Span | None:
    if end >= len(text):
        return None
    return line_bounds(text, end + 1)


def header_table(text: str, s: int, e: int) -> Table | None:
    """The line ``text[s:e]`` read as a table header, if it looks like one.

    A header has at least two (pipe) or three (CSV, fixed-width) short cells of words, no
    long digit runs, and a next line shaped like a row of the same table.
    """
    line = text[s:e]
    if not line.strip() or len(line) > 400 or _LONG_DIGITS.search(line):
        return None  # a header names its columns; three digits in a row are a value
    kind = _kind_of(line)
    if kind == "fixed" and line.strip().count("  ") < 2:
        return None  # three columns need two wide gaps
    cells = _cells(kind, text, s, e)
    need = 2 if kind in ("pipe", "tsv") else 3
    if len(cells) < need or not _header_cells_ok([text[a:b] for a, b in cells], need):
        return None
    nxt = _next_line(text, e)
    if kind == "pipe":
        while nxt is not None and _PIPE_SEPARATOR.fullmatch(text[nxt[0] : nxt[1]]):
            if "|" not in text[nxt[0] : nxt[1]] and "-" not in text[nxt[0] : nxt[1]]:
                return None
            nxt = _next_line(text, nxt[1])
        if nxt is None or "|" not in text[nxt[0] : nxt[1]]:
            return None
    elif kind == "csv":
        if nxt is None or len(_cells("csv", text, *nxt)) != len(cells):
            return None
    elif kind == "tsv":
        if nxt is None or "\t" not in text[nxt[0] : nxt[1]]:
            return None
    else:
        if nxt is None or is_blank(text[nxt[0] : nxt[1]]):
            return None
        row_starts = {a - nxt[0] for a, _ in _cells("fixed", text, *nxt)}
        aligned = sum(1 for a, _ in cells if any(abs((a - s) - r) <= 2 for r in row_starts))
        if aligned < 2:
            return None
    return Table(kind, s, e, tuple(cells))


def rows(text: str, table: Table) -> Iterator[Span]:
    """The body lines of ``table``, top to bottom."""
    pos, skipped, n = table.end, 0, 0
    while n < _MAX_ROWS:
        nxt = _next_line(text, pos)
        if nxt is None:
            return
        s, e = nxt
        pos = e
        line = text[s:e]
        if is_blank(line):
            return
        n += 1
        if table.kind in _INTERRUPTIBLE:
            if not _row_like(table.kind, line):
                skipped += 1
                if skipped > _MAX_SKIPPED:
                    return
                continue
            skipped = 0
            if table.kind == "pipe" and _PIPE_SEPARATOR.fullmatch(line):
                continue
        elif table.kind == "csv" and len(_cells("csv", text, s, e)) != len(table.cells):
            return
        yield s, e


def cell(text: str, table: Table, row: Span, column: int) -> Span | None:
    """The span of column ``column`` in the body line ``row`` (None when it is missing)."""
    s, e = row
    if table.kind == "fixed":
        want = table.cells[column][0] - table.start
        for a, b in _fixed_cells(text, s, e):
            if abs((a - s) - want) <= 2:
                return a, b
        return None
    cells = _cells(table.kind, text, s, e)
    if column >= len(cells):
        return None
    a, b = cells[column]
    return (a, b) if b > a else None


def column_cells(text: str, table: Table, column: int) -> Iterator[Span]:
    """Non-empty cells of one column, top to bottom."""
    for row in rows(text, table):
        c = cell(text, table, row, column)
        if c is not None:
            yield c


class TableCache:
    """Table headers of one text, remembered by line. Use :func:`tables_of` to share one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._by_line: dict[int, Table | None] = {}
        self._headers: dict[int, Table | None] = {}
        self._row_cells: dict[int, list[Span]] = {}

    def header(self, pos: int) -> Table | None:
        """The line holding ``pos`` read as a table header (None if it is not one)."""
        s, e = line_bounds(self.text, pos)
        if s not in self._headers:
            self._headers[s] = header_table(self.text, s, e)
        return self._headers[s]

    def header_above(self, pos: int) -> Table | None:
        """The header of the table whose body holds ``pos`` (None outside any table)."""
        text = self.text
        s, e = line_bounds(text, pos)
        if s in self._by_line:
            return self._by_line[s]
        kind = _kind_of(text[s:e])
        if not _row_like(kind, text[s:e]):
            self._by_line[s] = None
            return None
        found: Table | None = None
        visited = [s]
        cur, skipped = s, 0
        for _ in range(_MAX_ROWS):
            if cur == 0:
                break
            ps, pe = line_bounds(text, cur - 1)
            line = text[ps:pe]
            if is_blank(line):
                break
            if ps in self._by_line:
                found = self._by_line[ps]
                break
            t = self.header(ps)
            if t is not None and t.kind == kind and t.end < pos:
                found = t
                break
            if not _row_like(kind, line):
                skipped += 1
                if kind not in _INTERRUPTIBLE or skipped > _MAX_SKIPPED:
                    break
            visited.append(ps)
            cur = ps
        for v in visited:
            self._by_line[v] = found
        return found

    def column_of(self, pos: int) -> tuple[Table, int] | None:
        """The header and column index for a value at ``pos`` inside a table body."""
        s, e = line_bounds(self.text, pos)
        line = self.text[s:e]
        if "|" not in line and "\t" not in line and "," not in line and "  " not in line:
            return None  # prose: no cell separator, no table (the common case, decided fast)
        table = self.header_above(pos)
        if table is None:
            return None
        if table.kind == "fixed":
            for i, (a, _) in enumerate(table.cells):
                want = a - table.start
                nxt = table.cells[i + 1][0] - table.start if i + 1 < len(table.cells) else 10**9
                if want - 2 <= pos - s < nxt - 2:
                    return table, i
            return None
        cells = self._row_cells.get(s)
        if cells is None:  # one parse per row, however many values it holds
            cells = self._row_cells[s] = _cells(table.kind, self.text, s, e)
        for i, (a, b) in enumerate(cells):
            if a <= pos < max(b, a + 1):
                return table, i
        return None


def tables_of(ctx: ScanContext) -> TableCache:
    """The table cache of ``ctx``, shared by every detector scanning it."""
    return ctx.shared("identifiers.tables", lambda c: TableCache(c.text))
