"""Rows of cells, read with their column headers: the shared core of CSV and XLSX.

A cell alone rarely says what it holds: ``585201234`` is an SSN because its column is
``SSN``. Each data row is therefore scanned as one text, one line per non-empty cell, each
line prefixed by its column header::

    LAST: CAMPOS
    DL NO: 127703341
    SSN ITIN: 913-82-4407

The header prefixes are glue (never redacted; a finding lying only in them counts for
nothing), and each finding is cut back to the cells it covers. One scan per row rather
than per cell is also much cheaper, and gives the detectors the row as context ("DOB" in
one column, the date in the next). Header punctuation is turned into spaces so ``SSN_ITIN``
reads as the words ``SSN ITIN``. The first row is treated as the header; it is scanned as
well, cell by cell, since a header can itself hold a value (a name as a pivot column).

**Withholding columns** (an option of the CSV and XLSX handlers, off by default; the
review service turns it on when it releases records). A detector that recognises "LPR" in
nine rows of a ``Status`` column can still miss "pending adj." in the tenth, and a scan
that misses a value leaves it in. With the option, a column is treated as what its
recognised cells say it is: every column in which any cell (the header cell included, by
its own scan) held a finding has *every* non-empty data cell replaced whole by one token of
the column's most frequent category, in the session's style. Empty cells stay empty, the
header row is left as the scan left it, and columns without findings are untouched. The
scan decides what counts: the review service's scan drops the released categories, so a
column whose findings were all released is left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from resguardo.redact.session import Session
from resguardo.redact.stitch import Stitcher
from resguardo.redact.text import Span

__all__ = ["ColumnFindings", "header_context", "redact_row", "withhold_cell"]

_PUNCT = re.compile(r"[\W_]+")


def header_context(header: str | None) -> str:
    """The words of a column header, as written before its cells when scanning."""
    if not header:
        return ""
    return _PUNCT.sub(" ", header).strip()


class ColumnFindings:
    """The categories of the findings redacted in each column of one table.

    Filled by :func:`redact_row` as the rows are redacted; :meth:`categories` then says
    which columns to withhold, and as what.
    """

    def __init__(self) -> None:
        self._by_column: dict[int, Counter[str]] = {}

    def add(self, column: int, category: str) -> None:
        """Count one finding of ``category`` in a cell of column ``column`` (an index)."""
        self._by_column.setdefault(column, Counter())[category] += 1

    def categories(self) -> dict[int, str]:
        """Each column that held a finding, with its most frequent category.

        Among equally frequent categories the first one found (in row order) wins, so the
        choice does not depend on anything but the table.
        """
        return {
            column: counts.most_common(1)[0][0]
            for column, counts in sorted(self._by_column.items())
        }


def withhold_cell(session: Session, text: str, category: str) -> str:
    """The whole of ``text`` replaced by one token of ``category`` in the session's style.

    Empty and blank cells are returned as they are: there is nothing in them to withhold,
    and filling them would make a sparse column look full.
    """
    if not text.strip():
        return text
    return session.apply(text, [Span(0, len(text), category, text)])


def redact_row(
    session: Session,
    cells: Sequence[str | None],
    headers: Sequence[str] | None,
    where: Callable[[int], str],
    columns: ColumnFindings | None = None,
) -> dict[int, str]:
    """Redact one row; returns the new text of the cells that changed, by index.

    ``cells`` holds the text of each cell (None for cells that are not text, which are
    skipped). ``headers`` gives each column's context, or None for the header row
    itself. ``where(i)`` names column ``i`` for the summary. ``columns``, if given,
    receives the category of every finding redacted in each cell.
    """
    stitcher: Stitcher[int] = Stitcher()
    for i, cell in enumerate(cells):
        if not cell or not cell.strip():
            continue
        context = header_context(headers[i]) if headers is not None and i < len(headers) else ""
        if context:
            stitcher.glue(f"{context}: ")
        stitcher.add(cell, i)
        stitcher.glue("\n")
    if not stitcher.text:
        return {}
    spans = session.redact_stitched(stitcher, where, token_per_piece=True)
    changed: dict[int, str] = {}
    for i, cell_spans in spans.items():
        cell = cells[i]
        if cell is None:
            continue
        if columns is not None:
            for span in cell_spans:
                columns.add(i, span.category)
        new = session.apply(cell, cell_spans)
        if new != cell:
            changed[i] = new
    return changed
