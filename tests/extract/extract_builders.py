"""Builders for extraction test fixtures: files made in code, in tmp_path."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from resguardo.extract import Document, ExtractError, Limits, extract_path
from resguardo.extract.limits import DEFAULT_LIMITS


def collect(
    path: Path, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Document], list[ExtractError]]:
    """Documents and errors of ``path``, checking that nothing else comes out."""
    docs: list[Document] = []
    errors: list[ExtractError] = []
    for item in extract_path(path, limits=limits):
        if isinstance(item, Document):
            docs.append(item)
        else:
            assert isinstance(item, ExtractError), item
            assert "\n" not in item.reason
            errors.append(item)
    return docs, errors


def by_part(docs: Iterable[Document]) -> dict[str | None, Document]:
    """Documents keyed by part id (which must be unique)."""
    out: dict[str | None, Document] = {}
    for d in docs:
        assert d.part not in out, f"duplicate part id {d.part!r}"
        out[d.part] = d
    return out


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``tmp_path/name``."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- PDF -------------------------------------------------------------------------------


def make_pdf(pages: Sequence[str | None]) -> bytes:
    """A small PDF; each page shows its string in Helvetica (``None``: an image-only page)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    )
    kids: list[int] = []
    for text in pages:
        if text is None:
            content = b"q 100 0 0 100 72 600 cm /Im1 Do Q"
        else:
            lines = []
            for i, line in enumerate(text.split("\n")):
                escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                lines.append(
                    b"1 0 0 1 72 %d Tm (%s) Tj" % (720 - 14 * i, escaped.encode("latin-1"))
                )
            content = b"BT /F1 12 Tf " + b" ".join(lines) + b" ET"
        stream = zlib.compress(content)
        content_obj = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_obj, content_obj, font, image)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


# --- Office --------------------------------------------------------------------------


def make_docx(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """A .docx with ``paragraphs``, then ``table`` (rows of cells)."""
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_xlsx(sheets: dict[str, Sequence[Sequence[object]]], hidden: Sequence[str] = ()) -> bytes:
    """An .xlsx with one sheet per entry; values as given (numbers stay numbers)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
        if title in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
