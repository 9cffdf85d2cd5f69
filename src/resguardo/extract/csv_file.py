"""CSV/TSV files: one document holding the decoded file text, verbatim (like ``.txt``).

The text is not re-serialized, so offsets index the file's own text and a redaction can be
written back cell by cell. The delimiter guessed by :class:`csv.Sniffer` from the first lines
is given as metadata ``delimiter`` for whoever needs the columns.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from resguardo.extract._base import Context, Item
from resguardo.extract.encoding import decode_text, is_binary

__all__ = ["extract_csv"]

# The sniffer's regular expressions backtrack on long lines, so it only sees a few lines.
_SNIFF_CHARS = 4096
_SNIFF_LINES = 20


def extract_csv(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """One document (local part ``None``) with the CSV text; ``charset`` if declared."""
    decoded = decode_text(data, charset)
    if is_binary(data, decoded):
        yield ctx.error(None, "not a CSV file: the content is binary data")
        return
    meta = decoded.metadata()
    delimiter = _delimiter(decoded.text)
    if delimiter is not None:
        meta["delimiter"] = delimiter
    yield from ctx.document(None, decoded.text, "text/csv", meta)


def _delimiter(text: str) -> str | None:
    lines = text[:_SNIFF_CHARS].splitlines()[:_SNIFF_LINES]
    if len(lines) > 1 and len(text) > _SNIFF_CHARS:
        lines = lines[:-1]  # the last one may be cut short
    sample = "\n".join(lines)
    if not sample.strip():
        return None
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return None
