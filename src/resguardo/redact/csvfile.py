"""CSV (and TSV): redact cell by cell, with each column's header as context.

The dialect (delimiter, quote character, quote doubling) is sniffed from the text. Only rows
with a redaction are rewritten, with the dialect, that row's own line ending, and quoting
of every field if the row had every field quoted; every other row is copied through
character for character. So the output parses with the same dialect to the same cells,
except the redacted ones. If the text does not parse as CSV at all, it is redacted as
plain text instead (which still scans every character) and a note says so.

With ``withhold_columns``, every data row (every row after the first) is read before any is
written, since a finding in the last row can withhold a column's first cell; each row a
withheld cell lands in is rewritten as above.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from resguardo.redact.encoding import decode_bytes, encode_text
from resguardo.redact.session import (
    RedactedFile,
    ScanFn,
    Session,
    WithheldColumn,
    run_two_pass,
)
from resguardo.redact.tables import ColumnFindings, redact_row, withhold_cell
from resguardo.redact.text import RedactionStyle

__all__ = ["redact_csv", "redact_csv_text"]

_DELIMITERS = ",;\t|"


def redact_csv(
    data: bytes,
    *,
    scan: ScanFn,
    style: RedactionStyle,
    propagate: bool = True,
    delimiter: str | None = None,
    withhold_columns: bool = False,
) -> RedactedFile:
    """Redact a CSV file (``delimiter`` forces one, e.g. a tab for ``.tsv``).

    ``withhold_columns`` also replaces every data cell of each column in which some cell
    held a finding (see :mod:`resguardo.redact.tables`); the summary's
    ``withheld_columns`` lists them. Encoding is handled as for ``.txt`` (kept when
    possible, else UTF-8 with a BOM if the input had one, noted in the summary).
    """
    decoded = decode_bytes(data)

    def work(session: Session) -> bytes:
        redacted = redact_csv_text(
            session, decoded.text, delimiter=delimiter, withhold_columns=withhold_columns
        )
        if redacted == decoded.text:
            return data
        out, used = encode_text(redacted, decoded.encoding)
        if used != decoded.encoding:
            session.note(f"output written as {used}: {decoded.encoding} cannot hold the mask")
        return out

    out, session = run_two_pass(work, scan, style, propagate=propagate)
    return RedactedFile(out, session.summary("csv"))


def redact_csv_text(
    session: Session,
    text: str,
    *,
    where: str = "",
    delimiter: str | None = None,
    withhold_columns: bool = False,
) -> str:
    """Redact CSV ``text``; ``where`` prefixes the column names in the summary.

    ``withhold_columns`` is as for :func:`redact_csv`.
    """
    dialect = _sniff(text, delimiter)
    lines = io.StringIO(text, newline="").readlines()
    try:
        return _redact_rows(session, lines, dialect, where, withhold_columns)
    except csv.Error as exc:
        session.note(f"{where}not valid CSV ({exc}); redacted as plain text")
        return session.redact(text, f"{where}text")


def _sniff(text: str, delimiter: str | None) -> type[csv.Dialect]:
    """The delimiter, sniffed; the quote character is ``"`` and quotes inside fields are doubled.

    The sniffer's other guesses are unreliable: it takes apostrophes (``O'Brien``) for the
    quote character, reports ``doublequote`` False for a file whose only quoted quote ends
    a field, and ``skipinitialspace`` for a row with ", " in it, each time misreading the
    file. RFC 4180 quoting is what every spreadsheet writes; a single-quote dialect is
    believed only when the text holds no double quote at all, and spaces are kept (a field
    read with its leading space is still scanned, and written back as it was).
    """

    class Sniffed(csv.excel):
        pass

    try:
        found = csv.Sniffer().sniff(text[:65536], delimiters=delimiter or _DELIMITERS)
        Sniffed.delimiter = found.delimiter
        if found.quotechar == "'" and '"' not in text:
            Sniffed.quotechar = "'"
    except csv.Error:
        Sniffed.delimiter = delimiter or ","
    return Sniffed


def _redact_rows(
    session: Session,
    lines: list[str],
    dialect: type[csv.Dialect],
    where: str,
    withhold_columns: bool,
) -> str:
    reader = csv.reader(lines, dialect)
    # Each row as read (its raw text and cells) with the new text of its changed cells.
    rows: list[tuple[str, list[str], dict[int, str]]] = []
    headers: list[str] | None = None
    # The header row as written out: columns are named by it in the summary, so a header
    # cell that held a value does not put that value into the summary. The header row's
    # own cells are named by position.
    header_out: list[str] | None = None
    columns = ColumnFindings() if withhold_columns else None
    consumed = 0
    for row in reader:
        raw = "".join(lines[consumed : reader.line_num])
        consumed = reader.line_num

        def name(i: int, cols: Sequence[str] | None = header_out) -> str:
            label = cols[i].strip() if cols is not None and i < len(cols) else ""
            return f"{where}column {label}" if label else f"{where}column {i + 1}"

        changed = redact_row(session, row, headers, name, columns)
        if headers is None:
            headers = list(row)
            header_out = [changed.get(i, cell) for i, cell in enumerate(row)]
        rows.append((raw, row, changed))
    if columns is not None and rows:
        _withhold(session, rows, columns)
    out: list[str] = []
    for raw, row, changed in rows:
        if not changed:
            out.append(raw)
            continue
        new_row = [changed.get(i, cell) for i, cell in enumerate(row)]
        out.append(_write_row(new_row, raw, row, dialect))
    # Text after the last complete row (only whitespace can be left) is kept as it was.
    out.extend(lines[consumed:])
    return "".join(out)


def _withhold(
    session: Session,
    rows: list[tuple[str, list[str], dict[int, str]]],
    columns: ColumnFindings,
) -> None:
    """Withhold, in place in ``rows``' changes, every data cell of each column that held a
    finding, and record the columns withheld."""
    _, header, header_changed = rows[0]
    for i, category in columns.categories().items():
        cells = 0
        for _, row, changed in rows[1:]:
            if i < len(row) and row[i].strip():
                changed[i] = withhold_cell(session, row[i], category)
                cells += 1
        if cells:
            # Named by the header as written out: a header that held a value is not named
            # by that value.
            label = header_changed.get(i, header[i] if i < len(header) else "").strip()
            session.withheld_column(WithheldColumn(label or f"column {i + 1}", category, cells))


def _write_row(new_row: list[str], raw: str, old_row: list[str], dialect: type[csv.Dialect]) -> str:
    body = raw.rstrip("\r\n")
    ending = raw[len(body) :]
    q = dialect.quotechar or '"'
    all_quoted = body == dialect.delimiter.join(q + f.replace(q, q + q) + q for f in old_row)
    buf = io.StringIO()
    writer = csv.writer(
        buf,
        dialect,
        lineterminator=ending or "\n",
        quoting=csv.QUOTE_ALL if all_quoted and old_row else csv.QUOTE_MINIMAL,
    )
    writer.writerow(new_row)
    written = buf.getvalue()
    return written if ending else written[: -len("\n")]
