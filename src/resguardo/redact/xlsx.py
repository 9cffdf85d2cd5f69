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
- **Withheld columns** (``withhold_columns=True``; see :mod:`resguardo.redact.tables`),
  per sheet: below the sheet's header row, every non-empty cell of a column that held a
  finding becomes a text cell holding one token. Booleans count as values (a ``TRUE``
  under "Undocumented" says as much as the word). A withheld cell's hyperlink is dropped
  (its target and display text copy the value), and so are the autofilter criteria on a
  withheld column (a filter lists the values it keeps).

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
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter, range_boundaries

from resguardo.redact.session import (
    RedactedFile,
    ScanFn,
    Session,
    UnreadableFileError,
    WithheldColumn,
    run_two_pass,
)
from resguardo.redact.tables import ColumnFindings, redact_row, withhold_cell
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
    data: bytes,
    *,
    scan: ScanFn,
    style: RedactionStyle,
    propagate: bool = True,
    withhold_columns: bool = False,
) -> RedactedFile:
    """Redact an ``.xlsx`` workbook.

    ``withhold_columns`` also replaces, sheet by sheet, every data cell of each column in
    which some cell held a finding (see :mod:`resguardo.redact.tables`); the summary's
    ``withheld_columns`` lists them. Raises
    :class:`~resguardo.redact.session.UnreadableFileError` for a file openpyxl cannot open
    (not a zip, encrypted, corrupt).
    """
    out, session = run_two_pass(
        lambda s: redact_xlsx_bytes(s, data, withhold_columns=withhold_columns),
        scan,
        style,
        propagate=propagate,
    )
    return RedactedFile(out, session.summary("xlsx"))


def redact_xlsx_bytes(
    session: Session, data: bytes, where: str = "", *, withhold_columns: bool = False
) -> bytes:
    """Redact workbook bytes within an existing session (e.g. an email attachment).

    ``withhold_columns`` is as for :func:`redact_xlsx`.
    """
    try:
        # keep_links=False drops external-link parts, whose caches copy another workbook.
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_links=False, rich_text=False)
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors alike
        raise UnreadableFileError(f"not a readable .xlsx workbook ({exc})") from exc
    for ws in wb.worksheets:
        _redact_sheet(session, ws, where, withhold_columns)
    for cs in wb.chartsheets:
        if cs._charts:
            session.removed(f"{where}chart sheet {cs.title!r}: charts copy cell values")
            cs._charts = []
    _redact_workbook_parts(session, wb, where)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _redact_sheet(session: Session, ws: Any, where: str, withhold_columns: bool) -> None:
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
    # What the header row says once redacted: withheld columns are named by it, so a
    # header that held a value is not named by that value.
    header_out: list[str] = []
    columns = ColumnFindings() if withhold_columns else None
    data_rows: list[tuple[Any, ...]] = []
    for row in ws.iter_rows():
        texts = [_cell_text(c) for c in row]
        if headers is None and not any(texts):
            continue

        # Columns are named in the summary by the header as written out (a header cell
        # that held a value must not put that value into the summary), by letter alone
        # on the header row itself.
        def name(
            i: int,
            cols: list[str] | None = header_out if headers is not None else None,
            row: tuple[Any, ...] = row,
        ) -> str:
            letter = get_column_letter(row[i].column) if i < len(row) else str(i + 1)
            label = (cols[i] if cols is not None and i < len(cols) else "").strip()
            return f"{here} column {letter}" + (f" ({label})" if label else "")

        changed = redact_row(session, texts, headers, name, columns)
        for i, new in changed.items():
            _set_text(row[i], new)
        if headers is None:
            headers = [t or "" for t in texts]
            header_out = [changed.get(i, t or "") for i, t in enumerate(texts)]
        elif columns is not None:
            data_rows.append(row)
        _redact_cell_extras(session, row, here)

    withheld = _withhold(session, ws, columns, data_rows, header_out) if columns is not None else []
    _sync_tables(ws)
    _redact_sheet_parts(session, ws, here)
    new_title = session.redact(title, f"{here} title")
    if new_title != title:
        ws.title = _valid_sheet_title(new_title, ws.parent.sheetnames)
    for column, category, cells in withheld:
        session.withheld_column(WithheldColumn(column, category, cells, sheet=ws.title))


def _withhold(
    session: Session,
    ws: Any,
    columns: ColumnFindings,
    data_rows: list[tuple[Any, ...]],
    header_out: list[str],
) -> list[tuple[str, str, int]]:
    """Withhold the data cells of every column that held a finding; returns each withheld
    column's name, category and number of cells replaced."""
    out: list[tuple[str, str, int]] = []
    numbers: set[int] = set()
    for i, category in columns.categories().items():
        cells = 0
        number: int | None = None
        for row in data_rows:
            if i >= len(row):
                continue
            cell = row[i]
            number = cell.column
            # A merged cell's value lives in the range's first cell, withheld on its own row.
            if isinstance(cell, MergedCell) or cell.value is None:
                continue
            text = _cell_text(cell)
            if text is None:
                text = str(cell.value)  # a boolean: TRUE under "Undocumented" is a value too
            if not text.strip():
                continue
            _set_text(cell, withhold_cell(session, text, category))
            # The link's target and display text copy the value the cell no longer shows.
            cell.hyperlink = None
            cells += 1
        if cells and number is not None:
            numbers.add(number)
            label = header_out[i].strip() if i < len(header_out) else ""
            out.append((label or get_column_letter(number), category, cells))
    _clear_filters(ws, numbers)
    return out


def _clear_filters(ws: Any, numbers: set[int]) -> None:
    """Drop the autofilter criteria on the withheld columns (sheet column numbers): a
    filter's criteria list the very values the column no longer holds."""
    if not numbers:
        return
    filters = [ws.auto_filter] + [t.autoFilter for t in ws.tables.values() if t.autoFilter]
    for af in filters:
        if not af.ref:
            continue
        first_col = range_boundaries(af.ref)[0]
        af.filterColumn = [fc for fc in af.filterColumn if first_col + fc.colId not in numbers]


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
