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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from resguardo.redact.session import Session
from resguardo.redact.stitch import Stitcher

__all__ = ["header_context", "redact_row"]

_PUNCT = re.compile(r"[\W_]+")


def header_context(header: str | None) -> str:
    """The words of a column header, as written before its cells when scanning."""
    if not header:
        return ""
    return _PUNCT.sub(" ", header).strip()


def redact_row(
    session: Session,
    cells: Sequence[str | None],
    headers: Sequence[str] | None,
    where: Callable[[int], str],
) -> dict[int, str]:
    """Redact one row; returns the new text of the cells that changed, by index.

    ``cells`` holds the text of each cell (None for cells that are not text, which are
    skipped). ``headers`` gives each column's context, or None for the header row
    itself. ``where(i)`` names column ``i`` for the summary.
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
        new = session.apply(cell, cell_spans)
        if new != cell:
            changed[i] = new
    return changed
