"""Builders for extraction test fixtures: files made in code, in tmp_path."""

from __future__ import annotations

import io
import struct
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


# --- Outlook .msg (written with extract-msg's own OLE writer) ------------------------


def _props(entries: Sequence[tuple[int, bytes]], header: bytes) -> bytes:
    return header + b"".join(struct.pack("<II", tag, 6) + value for tag, value in entries)


def _string_prop(pid: int, text: str) -> tuple[int, bytes]:
    return (pid << 16 | 0x001F, struct.pack("<II", len(text.encode("utf-16-le")) + 2, 0))


def make_msg(
    subject: str,
    body: str,
    html: bytes | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    embedded: tuple[str, str] | None = None,
) -> bytes:
    """An Outlook message (IPM.Note) with Unicode string properties.

    ``attachments`` are (filename, bytes) attached by value; ``embedded`` is the
    (subject, body) of an attached message.
    """
    from extract_msg.ole_writer import OleWriter

    w = OleWriter()

    def string(prefix: str, pid: int, text: str) -> tuple[int, bytes]:
        w.addEntry(f"{prefix}__substg1.0_{pid:04X}001F", text.encode("utf-16-le"))
        return _string_prop(pid, text)

    top = [string("", 0x001A, "IPM.Note"), string("", 0x0037, subject), string("", 0x1000, body)]
    if html is not None:
        w.addEntry("__substg1.0_10130102", html)
        top.append((0x1013 << 16 | 0x0102, struct.pack("<II", len(html), 0)))
    count = len(attachments) + (1 if embedded else 0)
    for i, (name, data) in enumerate(attachments):
        d = f"__attach_version1.0_#{i:08X}"
        w.addEntry(d, storage=True)
        w.addEntry(f"{d}/__substg1.0_37010102", data)
        entries = [
            (0x3705 << 16 | 0x0003, struct.pack("<II", 1, 0)),  # attach by value
            string(f"{d}/", 0x3707, name),
            (0x3701 << 16 | 0x0102, struct.pack("<II", len(data), 0)),
        ]
        w.addEntry(f"{d}/__properties_version1.0", _props(entries, b"\0" * 8))
    if embedded:
        d = f"__attach_version1.0_#{len(attachments):08X}"
        w.addEntry(d, storage=True)
        entries = [
            (0x3705 << 16 | 0x0003, struct.pack("<II", 5, 0)),  # embedded message
            string(f"{d}/", 0x3707, "forwarded.msg"),
        ]
        w.addEntry(f"{d}/__properties_version1.0", _props(entries, b"\0" * 8))
        e = f"{d}/__substg1.0_3701000D"
        w.addEntry(e, storage=True)
        inner = [
            string(f"{e}/", 0x001A, "IPM.Note"),
            string(f"{e}/", 0x0037, embedded[0]),
            string(f"{e}/", 0x1000, embedded[1]),
        ]
        w.addEntry(
            f"{e}/__properties_version1.0", _props(inner, struct.pack("<8xIIII", 0, 0, 0, 0))
        )
    w.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        w.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    header = struct.pack("<8xIIII8x", 0, count, 0, count)
    w.addEntry("__properties_version1.0", _props(top, header))
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()
