"""Excel ``.xlsx``/``.xlsm`` files, read with openpyxl in read-only (streaming) mode.

One document per worksheet, local part ``"sheet:<name>"``, hidden sheets included (metadata
``sheet_state``). Each row is a line with its cells separated by tabs; empty trailing cells
are dropped, empty rows are empty lines (so line N is row N). Cells show their value as
stored, except that whole numbers with a digit-placeholder format such as ``000-00-0000``
(SSNs) or ``00000`` (ZIP codes) are shown formatted: the leading zeros and dashes are what a
reader of the sheet sees, and what the scanner looks for. Formulas show their cached result.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

from resguardo.extract._base import Context, Item
from resguardo.extract._zip import embedded_note, ooxml_problem

__all__ = ["extract_xlsx", "format_cell"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Digit placeholders and the literal punctuation of "special" number formats.
_PLACEHOLDER_FORMAT = re.compile(r'^(?:[0#]|\\.|"[^"]*"|[-() ])+$')
_FORMAT_TOKEN = re.compile(r'\\(.)|"([^"]*)"|([0#])|(.)')


def extract_xlsx(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """One document per worksheet."""
    problem = ooxml_problem(data, ctx.limits, "XLSX", "xl/workbook.xml")
    if problem:
        yield ctx.error(None, problem)
        return
    import openpyxl  # slow to import; only pay for it when a workbook comes

    try:
        wb = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises assorted errors on a damaged workbook
        yield ctx.error(None, f"not a readable XLSX file: {type(exc).__name__}: {exc}")
        return
    try:
        for ws in wb.worksheets:
            yield from _sheet(ws, ctx)
    finally:
        wb.close()
    note = embedded_note(data, "xl/embeddings/")
    if note:
        yield ctx.error(None, note)


def _sheet(ws: Any, ctx: Context) -> Iterator[Item]:
    name = f"sheet:{ws.title}"
    meta = {"sheet_state": str(getattr(ws, "sheet_state", "visible"))}
    # The stored dimension is written by whatever made the file and may be wrong or huge
    # (A1:XFD1048576); without it rows are as long as their last cell and no longer.
    ws.reset_dimensions()
    limit = ctx.limits.max_text_chars
    lines: list[str] = []
    size = 0
    cut = False
    try:
        for row in ws.iter_rows():
            values = [format_cell(c.value, getattr(c, "number_format", None)) for c in row]
            while values and not values[-1]:
                values.pop()
            line = "\t".join(values)
            lines.append(line)
            size += len(line) + 1
            if size > limit:
                cut = True
                break
    except Exception as exc:  # a damaged sheet: keep the rows read so far
        yield from ctx.document(name, "\n".join(lines), XLSX, meta)
        yield ctx.error(name, f"sheet could not be read to the end: {type(exc).__name__}: {exc}")
        return
    yield from ctx.document(name, "\n".join(lines), XLSX, meta)
    if cut:
        yield ctx.error(name, f"only the first {len(lines):,} rows were read (max_text_chars)")


def format_cell(value: Any, number_format: str | None = None) -> str:
    """A cell value as text, on one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if number_format:
            formatted = _placeholder_format(value, number_format)
            if formatted is not None:
                return formatted
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return format_cell(int(value), number_format)
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    # One row per line: a line break or tab inside a cell would split the row.
    return " ".join(text.split()) if any(c in text for c in "\t\r\n") else text


def _placeholder_format(value: int, fmt: str) -> str | None:
    """``value`` laid out by a digit-placeholder format (``000-00-0000``), if ``fmt`` is one."""
    if value < 0 or not _PLACEHOLDER_FORMAT.match(fmt) or "0" not in fmt:
        return None
    tokens: list[tuple[str, str]] = []  # ("d", "0" | "#") or ("l", literal)
    for m in _FORMAT_TOKEN.finditer(fmt):
        escaped, quoted, digit, other = m.groups()
        if digit:
            tokens.append(("d", digit))
        else:
            tokens.append(("l", escaped or quoted or other or ""))
    digits = str(value)
    out: list[str] = []
    i = len(digits)
    first_digit = next(k for k, t in enumerate(tokens) if t[0] == "d")
    for k in range(len(tokens) - 1, -1, -1):
        kind, tok = tokens[k]
        if kind == "l":
            out.append(tok)
            continue
        if k == first_digit:
            # The leftmost placeholder takes every digit that is left.
            rest = digits[:i] if i > 0 else ("0" if tok == "0" else "")
            out.append(rest)
            i = 0
        elif i > 0:
            out.append(digits[i - 1])
            i -= 1
        elif tok == "0":
            out.append("0")
    return "".join(reversed(out))
