"""Which reader reads what: by file extension for files; for attachments by filename, then
declared content type, then the first bytes.

Files are recognized by extension only (an unknown extension is reported as unsupported);
attachments also by content type and content, since mail software often sends
``application/octet-stream`` or a name with no extension.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path, PurePath

from resguardo.extract._base import Context, Handler, Item, guarded, human_size
from resguardo.extract._zip import OLE_MAGIC
from resguardo.extract.csv_file import extract_csv
from resguardo.extract.document import ExtractError
from resguardo.extract.docx import extract_docx
from resguardo.extract.email_message import extract_email
from resguardo.extract.html import extract_html
from resguardo.extract.limits import DEFAULT_LIMITS, Limits
from resguardo.extract.mbox import extract_mbox, iter_mbox
from resguardo.extract.msg import extract_msg_file
from resguardo.extract.pdf import extract_pdf
from resguardo.extract.text import extract_text
from resguardo.extract.xlsx import extract_xlsx

__all__ = [
    "EXTENSIONS",
    "Format",
    "extract_bytes",
    "extract_path",
    "format_for_attachment",
    "format_for_file",
    "supported",
]


@dataclass(frozen=True, slots=True)
class Format:
    """A file format and its reader."""

    name: str
    #: What to call it in an error message: "could not read <label>".
    label: str
    read: Handler
    #: A text format: zero bytes is an empty text, not a broken file.
    text: bool = False


TEXT = Format("text", "text file", extract_text, text=True)
CSV = Format("csv", "CSV file", extract_csv, text=True)
HTML = Format("html", "HTML file", extract_html, text=True)
EMAIL = Format("email", "email message", extract_email)
MBOX = Format("mbox", "mbox file", extract_mbox)
MSG = Format("msg", "Outlook .msg file", extract_msg_file)
PDF = Format("pdf", "PDF file", extract_pdf)
DOCX = Format("docx", "DOCX file", extract_docx)
XLSX = Format("xlsx", "XLSX file", extract_xlsx)

#: Supported file extensions (lower case, with the dot).
EXTENSIONS: dict[str, Format] = {
    ".txt": TEXT, ".text": TEXT, ".log": TEXT, ".md": TEXT,
    ".csv": CSV, ".tsv": CSV,
    ".html": HTML, ".htm": HTML, ".xhtml": HTML,
    ".eml": EMAIL,
    ".mbox": MBOX, ".mbx": MBOX,
    ".msg": MSG,
    ".pdf": PDF,
    ".docx": DOCX, ".docm": DOCX,
    ".xlsx": XLSX, ".xlsm": XLSX,
}  # fmt: skip

_CONTENT_TYPES: dict[str, Format] = {
    "text/plain": TEXT,
    "text/csv": CSV, "text/comma-separated-values": CSV, "application/csv": CSV,
    "text/tab-separated-values": CSV,
    "text/html": HTML, "application/xhtml+xml": HTML,
    "message/rfc822": EMAIL, "message/global": EMAIL,
    "application/mbox": MBOX,
    "application/vnd.ms-outlook": MSG,
    "application/pdf": PDF, "application/x-pdf": PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
    "application/vnd.ms-word.document.macroenabled.12": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": XLSX,
    "application/vnd.ms-excel.sheet.macroenabled.12": XLSX,
}  # fmt: skip


def format_for_file(name: str) -> Format | None:
    """The format of a file called ``name``, by its extension."""
    return EXTENSIONS.get(PurePath(name).suffix.lower())


def supported(path: str | PathLike[str]) -> bool:
    """Whether a file at ``path`` is of a supported type (judged by its extension)."""
    return format_for_file(PurePath(path).name) is not None


def format_for_attachment(
    filename: str | None, content_type: str | None, data: bytes
) -> Format | None:
    """The format of an attachment: by filename, else content type, else its first bytes."""
    if filename:
        fmt = format_for_file(filename)
        if fmt is not None:
            return fmt
    ctype = (content_type or "").lower()
    fmt = _CONTENT_TYPES.get(ctype)
    if fmt is not None:
        return fmt
    sniffed = _sniff(data)
    if sniffed is not None:
        return sniffed
    if ctype.startswith("text/"):
        return TEXT
    return None


def _sniff(data: bytes) -> Format | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(OLE_MAGIC):
        return MSG  # or an old .doc/.xls; the .msg reader then says it is not a message
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, EOFError):
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def _describe(filename: str | None, content_type: str | None) -> str:
    ctype = content_type or "unknown type"
    if filename and PurePath(filename).suffix:
        return f"{ctype}, {PurePath(filename).suffix.lower()}"
    return ctype


def extract_bytes(
    data: bytes,
    ctx: Context,
    *,
    filename: str | None,
    content_type: str | None,
    charset: str | None = None,
) -> Iterator[Item]:
    """The documents in ``data``, an attachment or embedded file, placed at ``ctx``."""
    fmt = format_for_attachment(filename, content_type, data)
    if fmt is None:
        reason = f"unsupported attachment type ({_describe(filename, content_type)})"
        if (content_type or "").startswith("image/"):
            reason += ": images are not read (no OCR)"
        yield ctx.error(None, reason + "; no text extracted")
        return
    if not data and not fmt.text:
        yield ctx.error(None, f"empty attachment (0 bytes); not a valid {fmt.label}")
        return
    yield from guarded(fmt.read(data, ctx, charset), ctx, fmt.label)


def extract_path(
    path: Path, *, limits: Limits = DEFAULT_LIMITS, display: str | None = None
) -> Iterator[Item]:
    """The documents of the file at ``path`` (or errors saying why it could not be read).

    ``display`` is the ``source`` to report (default ``str(path)``); mbox messages get
    ``#N`` appended. Never raises for a problem with the file: every problem is an
    :class:`ExtractError` with a one-line reason, and whatever could be read is yielded.
    """
    path = Path(path)  # a str is accepted too
    source = display if display is not None else str(path)
    ctx = Context.top(source, limits)
    try:
        st = path.stat()
    except FileNotFoundError:
        yield ExtractError(source, None, "file not found")
        return
    except OSError as exc:
        yield ExtractError(source, None, f"cannot open: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(st.st_mode):
        yield ExtractError(source, None, "is a folder, not a file (use iter_files to walk it)")
        return
    if not stat.S_ISREG(st.st_mode):
        # Never open a FIFO or a device: reading it could block forever.
        yield ExtractError(source, None, "not a regular file (a pipe, socket or device)")
        return
    fmt = format_for_file(path.name)
    if fmt is None:
        suffix = path.suffix.lower()
        what = f"'{suffix}'" if suffix else "(no extension)"
        yield ExtractError(source, None, f"unsupported file type {what}")
        return
    if fmt is MBOX:
        yield from guarded(iter_mbox(path, source, limits), ctx, fmt.label)
        return
    max_bytes, limit_name = limits.max_file_bytes, "max_file_bytes"
    if fmt is EMAIL and limits.max_message_bytes < max_bytes:
        max_bytes, limit_name = limits.max_message_bytes, "max_message_bytes"
    if st.st_size > max_bytes:
        yield ExtractError(
            source,
            None,
            f"file is {human_size(st.st_size)}, over the {human_size(max_bytes)} "
            f"limit ({limit_name}); not read",
        )
        return
    try:
        with path.open("rb") as f:
            # Read one byte past the limit: the file may have grown since stat().
            data = f.read(max_bytes + 1)
    except OSError as exc:
        yield ExtractError(source, None, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:
        yield ExtractError(source, None, f"file grew past the {limit_name} limit while read")
        return
    if not data and not fmt.text:
        yield ExtractError(source, None, f"empty file (0 bytes); not a valid {fmt.label}")
        return
    yield from guarded(fmt.read(data, ctx, None), ctx, fmt.label)
