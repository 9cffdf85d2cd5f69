"""Word ``.docx`` files (python-docx opens the package; the text is walked from its XML).

Documents, by local part id:

* ``None`` — the body: paragraphs and tables in document order. A table row is one line with
  its cells separated by tabs (the paragraphs of one cell joined by spaces); text boxes
  follow the paragraph they are anchored in. Tracked deletions are included: they are
  still in the file, and Word shows them to whoever opens it.
* ``"headers-footers"``, ``"notes"`` (footnotes and endnotes), ``"comments"`` — only when
  present and not empty.

Files embedded in the document (``word/embeddings/``: an attached spreadsheet, say) are not
read; their presence is reported.

Walking the XML (rather than python-docx's ``paragraphs``/``tables``) is what finds text
boxes, content controls and nested tables, which python-docx's objects skip.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from resguardo.extract._base import Context, Item
from resguardo.extract._zip import embedded_note, ooxml_problem

__all__ = ["extract_docx"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Inside a paragraph: elements whose text is not document text, or is a duplicate
# (mc:Fallback repeats mc:Choice for older readers).
_INLINE_SKIP = frozenset(
    {_W + "pPr", _W + "rPr", _W + "instrText", _W + "fldData", _MC + "Fallback", _W + "tabs"}
)
_EXTRA_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("headers-footers", ("header", "footer")),
    ("notes", ("footnotes", "endnotes")),
    ("comments", ("comments",)),
)


def extract_docx(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """The body text of a .docx, then its headers/footers, notes and comments if any."""
    problem = ooxml_problem(data, ctx.limits, "DOCX", "word/document.xml")
    if problem:
        yield ctx.error(None, problem)
        return
    import docx  # python-docx is slow to import; only pay for it when a .docx comes

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises assorted errors on a damaged package
        yield ctx.error(None, f"not a readable DOCX file: {type(exc).__name__}: {exc}")
        return
    yield from ctx.document(None, _text(document.element.body), DOCX)

    rels = [r for r in document.part.rels.values() if not r.is_external]
    for name, kinds in _EXTRA_PARTS:
        # Headers before footers, footnotes before endnotes; then by part name (header1...).
        found = sorted(
            (kinds.index(kind), str(r.target_part.partname), r.target_part)
            for r in rels
            if (kind := r.reltype.rsplit("/", 1)[-1]) in kinds
        )
        texts = [t for t in (_text(_element(part)) for _, _, part in found) if t.strip()]
        if texts:
            yield from ctx.document(name, "\n".join(texts), DOCX)
    note = embedded_note(data, "word/embeddings/")
    if note:
        yield ctx.error(None, note)


def _element(part: Any) -> Any:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml.parser import parse_xml

    return parse_xml(part.blob)


def _text(container: Any) -> str:
    lines: list[str] = []
    _blocks(container, lines)
    return "\n".join(lines)


def _blocks(container: Any, lines: list[str]) -> None:
    for el in container:
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            continue
        if tag == _W + "p":
            text, boxes = _paragraph(el)
            lines.append(text)
            for box in boxes:
                _blocks(box, lines)
        elif tag == _W + "tbl":
            for row in _rows(el):
                lines.append("\t".join(_cell(tc) for tc in _cells(row)))
        elif tag == _W + "sectPr":
            continue
        else:
            # w:sdt/w:sdtContent, w:customXml, w:ins and the like wrap more blocks.
            _blocks(el, lines)


def _rows(tbl: Any) -> Iterator[Any]:
    for el in tbl:
        if el.tag == _W + "tr":
            yield el
        elif isinstance(el.tag, str) and el.tag != _W + "tblPr" and el.tag != _W + "tblGrid":
            yield from _rows(el)  # rows wrapped in content controls


def _cells(tr: Any) -> Iterator[Any]:
    for el in tr:
        if el.tag == _W + "tc":
            yield el
        elif isinstance(el.tag, str) and el.tag != _W + "trPr":
            yield from _cells(el)


def _cell(tc: Any) -> str:
    inner: list[str] = []
    _blocks(tc, inner)
    return " ".join(" ".join(line.split("\t")) for line in inner if line.strip())


def _paragraph(p: Any) -> tuple[str, list[Any]]:
    out: list[str] = []
    boxes: list[Any] = []
    stack = list(reversed(p))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _INLINE_SKIP:
            continue
        if tag == _W + "t" or tag == _W + "delText":
            out.append(el.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag == _W + "br" or tag == _W + "cr":
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "txbxContent":
            boxes.append(el)
        else:
            stack.extend(reversed(el))
    return "".join(out), boxes
