"""XLSX workbooks (openpyxl): every cell of every sheet, and the places that copy values.

Handled:

- **Cells** of every worksheet, hidden ones included, read row by row with the header
  row as context (:mod:`resguardo.redact.tables`). Strings, formulas (their text: a
  formula can hold a literal value), and numbers and dates too: an SSN typed as the
  integer ``585201234`` or a phone as ``5055551234`` is scanned as its digits, or as its
  display text when the cell has a simple digit format such as Excel's SSN format
  ``000-00-0000``; a date cell is scanned as ``YYYY-MM-DD``. A redacted number or date
  becomes a text cell holding the token.
- **Comments** (text and author), **hyperlinks** (target, tooltip, display text),
  **headers and footers**, **data-validation** prompts, messages and list formulas,
  **sheet titles** (rewritten to Excel's allowed characters; formulas that name a
  renamed sheet are not rewritten), **document properties**
  (title, subject, author, keywords, description, ...) and **custom properties**.
- **Defined names** whose formula text holds a finding are deleted (a name is a formula;
  rewriting it could leave a broken reference).
- **Table headers**: when a header cell is redacted, the table's column name follows,
  since Excel rejects a table whose column names differ from its header cells.

Removed whole, because they hold copies of values or content that cannot be checked:
**images** (screenshots), **charts** (their caches copy cell values), **pivot tables**
(their caches copy the source rows) and **links to external workbooks** (they cache the
other workbook's values). Formulas keep their text, but openpyxl does not write cached
results, so a formula's old result cannot leak; Excel recalculates on opening.

The workbook is always rewritten through openpyxl, even with nothing to redact: parts
openpyxl does not read (threaded comments, text boxes, custom XML, VBA) are then
dropped instead of passed through unchecked. Not handled: conditional-formatting
formulas, and the text inside shapes (dropped, as just said). ``.xlsm`` and ``.xls`` are
not accepted.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from urllib.parse import unquote

import openpyxl
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, range_boundaries

from resguardo.redact.session import (
    RedactedFile,
    ScanFn,
    Session,
    UnreadableFileError,
    run_two_pass,
)
from resguardo.redact.tables import redact_row
from resguardo.redact.text import RedactionStyle

__all__ = ["redact_xlsx", "redact_xlsx_bytes"]

_PROPERTIES = (
    "title",
    "subject",
    "creator",
    "keywords",
    "description",
    "lastModifiedBy",
    "category",
    "contentStatus",
    "identifier",
    "language",
    "version",
)
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# A number format made only of digit placeholders and literal separators, e.g. Excel's
# SSN format 000\-00\-0000 or a ZIP+4 00000\-0000.
_DIGIT_FORMAT = re.compile(r'^(?:[0#]|\\.|"[^"]*"|[\s\-()./])+$')


def redact_xlsx(
    data: bytes, *, scan: ScanFn, style: RedactionStyle, propagate: bool = True
) -> RedactedFile:
    """Redact an ``.xlsx`` workbook.

    Raises :class:`~resguardo.redact.session.UnreadableFileError` for a file openpyxl
    cannot open (not a zip, encrypted, corrupt).
    """
    out, session = run_two_pass(
        lambda s: redact_xlsx_bytes(s, data), scan, style, propagate=propagate
    )
    return RedactedFile(out, session.summary("xlsx"))


def redact_xlsx_bytes(session: Session, data: bytes, where: str = "") -> bytes:
    """Redact workbook bytes within an existing session (e.g. an email attachment)."""
    try:
        # keep_links=False drops external-link parts, whose caches copy another workbook.
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_links=False, rich_text=False)
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors alike
        raise UnreadableFileError(f"not a readable .xlsx workbook ({exc})") from exc
    for ws in wb.worksheets:
        _redact_sheet(session, ws, where)
    for cs in wb.chartsheets:
        if cs._charts:
            session.removed(f"{where}chart sheet {cs.title!r}: charts copy cell values")
            cs._charts = []
    _redact_workbook_parts(session, wb, where)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _redact_sheet(session: Session, ws: Any, where: str) -> None:
    title: str = ws.title
    here = f"{where}sheet {title!r}"
    removed = [
        (ws._images, "images"),
        (ws._charts, "charts (they cache cell values)"),
        (ws._pivots, "pivot tables (their caches copy the source rows)"),
    ]
    for items, what in removed:
        if items:
            session.removed(f"{here}: {len(items)} {what}")
    ws._images, ws._charts, ws._pivots = [], [], []

    headers: list[str] | None = None
    for row in ws.iter_rows():
        texts = [_cell_text(c) for c in row]
        if headers is None and not any(texts):
            continue

        def name(i: int, cols: list[str] | None = headers, row: tuple[Any, ...] = row) -> str:
            letter = get_column_letter(row[i].column) if i < len(row) else str(i + 1)
            label = (cols[i] if cols is not None and i < len(cols) else "").strip()
            return f"{here} column {letter}" + (f" ({label})" if label else "")

        changed = redact_row(session, texts, headers, name)
        for i, new in changed.items():
            _set_text(row[i], new)
        if headers is None:
            headers = [t or "" for t in texts]
        _redact_cell_extras(session, row, here)

    _sync_tables(ws)
    _redact_sheet_parts(session, ws, here)
    new_title = session.redact(title, f"{here} title")
    if new_title != title:
        ws.title = _valid_sheet_title(new_title, ws.parent.sheetnames)


def _cell_text(cell: Any) -> str | None:
    value = cell.value
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return _number_text(value, str(cell.number_format or "General"))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = getattr(value, "text", None)  # ArrayFormula
    return text if isinstance(text, str) else None


def _number_text(value: int | float, number_format: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        return repr(value)
    n = int(value)
    fmt = number_format.split(";", 1)[0]
    if n < 0 or not _DIGIT_FORMAT.match(fmt):
        return str(n)
    tokens = re.findall(r'[0#]|\\.|"[^"]*"|.', fmt)
    slots = sum(1 for t in tokens if t in "0#")
    digits = str(n)
    if len(digits) > slots:
        return digits
    zeros_from = next((i for i, t in enumerate(t for t in tokens if t in "0#") if t == "0"), slots)
    padded = digits.rjust(slots, "\0")
    out: list[str] = []
    slot = 0
    for t in tokens:
        if t in "0#":
            d = padded[slot]
            if d == "\0":
                d = "0" if slot >= zeros_from else ""
            out.append(d)
            slot += 1
        elif t.startswith("\\"):
            out.append(t[1:])
        elif t.startswith('"'):
            out.append(t[1:-1])
        else:
            out.append(t)
    return "".join(out)


def _set_text(cell: Any, text: str) -> None:
    was_text = isinstance(cell.value, str) and cell.data_type != "f"
    cell.value = text
    # A redacted formula stays text: its "=" must not turn it back into a formula.
    cell.data_type = "s"
    if not was_text:
        cell.number_format = "General"


def _redact_cell_extras(session: Session, row: tuple[Any, ...], here: str) -> None:
    for cell in row:
        coord = getattr(cell, "coordinate", None)
        comment = getattr(cell, "comment", None)
        if comment is not None:
            text = session.redact(comment.text or "", f"{here} comments")
            author = session.redact(comment.author or "", f"{here} comments")
            if text != comment.text or author != (comment.author or ""):
                cell.comment = Comment(text, author)
        link = getattr(cell, "hyperlink", None)
        if link is not None and coord is not None:
            for attr in ("target", "tooltip", "display", "location"):
                value = getattr(link, attr, None)
                if isinstance(value, str) and value:
                    plain = unquote(value) if attr == "target" else value
                    new = session.redact(plain, f"{here} hyperlinks")
                    if new != plain:
                        setattr(link, attr, new)


def _redact_sheet_parts(session: Session, ws: Any, here: str) -> None:
    for hf_name in (
        "oddHeader",
        "oddFooter",
        "evenHeader",
        "evenFooter",
        "firstHeader",
        "firstFooter",
    ):
        item = getattr(ws, hf_name)
        for part_name in ("left", "center", "right"):
            part = getattr(item, part_name)
            if part is not None and part.text:
                part.text = session.redact(part.text, f"{here} header/footer")
    for dv in ws.data_validations.dataValidation:
        for attr in ("prompt", "error", "promptTitle", "errorTitle", "formula1", "formula2"):
            value = getattr(dv, attr, None)
            if isinstance(value, str) and value:
                new = session.redact(value, f"{here} data validation")
                if new != value:
                    setattr(dv, attr, new)
    _drop_names(session, ws.defined_names, here)


def _redact_workbook_parts(session: Session, wb: Any, where: str) -> None:
    props = wb.properties
    for attr in _PROPERTIES:
        value = getattr(props, attr, None)
        if isinstance(value, str) and value:
            new = session.redact(value, f"{where}document properties")
            if new != value:
                setattr(props, attr, new)
    custom = wb.custom_doc_props
    keep = []
    for prop in list(custom.props):
        value = getattr(prop, "value", None)
        text = value if isinstance(value, str) else None if value is None else str(value)
        name_text = str(getattr(prop, "name", "") or "")
        new_name = session.redact(name_text, f"{where}custom properties")
        if new_name != name_text:
            continue  # a property named after a value goes entirely
        if text is not None:
            new = session.redact(text, f"{where}custom properties")
            if new != text:
                if not isinstance(value, str):
                    continue
                prop.value = new
        keep.append(prop)
    if len(keep) != len(custom.props):
        custom.props = keep
    _drop_names(session, wb.defined_names, f"{where}workbook")


def _drop_names(session: Session, names: Any, here: str) -> None:
    for key in list(names):
        text = str(getattr(names[key], "attr_text", "") or "")
        found = session.find(text)
        if found:
            session.record(found, f"{here} defined names")
            del names[key]


def _sync_tables(ws: Any) -> None:
    for table in ws.tables.values():
        if table.headerRowCount == 0:
            continue
        first_col, header_row, _, _ = range_boundaries(table.ref)
        for offset, column in enumerate(table.tableColumns):
            value = ws.cell(row=header_row, column=first_col + offset).value
            if isinstance(value, str) and value != column.name:
                column.name = value


def _valid_sheet_title(title: str, taken: list[str]) -> str:
    base = _SHEET_TITLE_FORBIDDEN.sub("_", title).strip("'")[:31] or "Sheet"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate
