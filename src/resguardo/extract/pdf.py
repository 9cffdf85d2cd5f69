"""PDF files: the text layer, read with pypdf. No OCR.

One document (local part ``None``) per PDF; pages are separated by a form feed (``\\f``), as
``pdftotext`` does, so the page of a finding is the number of ``\\f`` before it plus one.
Metadata ``pages`` gives the page count. A PDF with no text at all yields an error saying it
has no text layer; pages that have images but no text (scanned pages inside a PDF that
otherwise has text) are reported as not read.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from resguardo.extract._base import Context, Item

__all__ = ["extract_pdf"]

PDF = "application/pdf"

# pypdf logs every oddity of a damaged file as a warning (to stderr, when logging is not
# configured); a scan report needs one line per file, which the errors below give.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def extract_pdf(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """The text layer of a PDF, or an error saying why there is none."""
    if b"%PDF-" not in data[:1024]:  # readers allow junk before the header
        yield ctx.error(None, "not a PDF file (no %PDF header)")
        return
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            yield ctx.error(None, "PDF is encrypted with a password; not read")
            return
        pages = reader.pages
        count = len(pages)
    except FileNotDecryptedError:
        yield ctx.error(None, "PDF is encrypted with a password; not read")
        return
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        yield ctx.error(None, f"not a readable PDF: {exc}")
        return

    limit = ctx.limits.max_text_chars
    texts: list[str] = []
    size = 0
    image_only: list[int] = []
    failed: list[int] = []
    cut = False
    for number in range(1, count + 1):
        try:
            page = pages[number - 1]
            text = page.extract_text() or ""
        except Exception:  # pypdf raises many kinds of errors on damaged pages
            failed.append(number)
            text = ""
            page = None
        if not text.strip() and page is not None and _has_images(page):
            image_only.append(number)
        texts.append(text)
        size += len(text) + 1
        if size > limit:
            cut = number < count
            break

    if not any(t.strip() for t in texts):
        if failed and len(failed) == count:
            yield ctx.error(None, "no page of this PDF could be read")
        else:
            yield ctx.error(None, "PDF has no text layer (scanned image?); OCR is not done")
        return
    yield from ctx.document(None, "\f".join(texts), PDF, {"pages": str(count)})
    if cut:
        yield ctx.error(None, f"only the first {len(texts)} of {count} pages were read")
    if image_only:
        yield ctx.error(
            None,
            f"page(s) {_ranges(image_only)} have images but no text layer (scanned?); "
            "OCR is not done, so they were not read",
        )
    if failed:
        yield ctx.error(None, f"page(s) {_ranges(failed)} could not be read")


def _has_images(page: Any) -> bool:
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return False
        xobjects = xobjects.get_object()
        return any(xobjects[k].get_object().get("/Subtype") == "/Image" for k in xobjects)
    except Exception:  # a damaged resource dictionary only means we cannot tell
        return False


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)
