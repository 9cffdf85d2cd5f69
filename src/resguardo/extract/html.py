"""HTML → plain text (selectolax), for ``.html``/``.htm`` files and HTML mail bodies.

Layout kept for the scanner and for people reading a finding in context: block elements
(paragraphs, headings, list items, blockquotes, divs) end a line, ``<br>`` is a line break,
table rows are lines and the cells of a row are separated by tabs. Whitespace in text is
collapsed as a browser would (except in ``<pre>``), and non-breaking spaces become spaces so
that patterns written with a plain space match. Script, style, template and ``<head>`` content
is dropped; text hidden with CSS is kept, since hidden text can still be disclosed.

HTML5 tree building takes time proportional to (nesting depth) x (number of block start
tags), so tens of thousands of nested elements take minutes. Markup nested deeper than
:data:`MAX_NESTING` is therefore not parsed: its tags are stripped with a linear scan (block
tags still end lines, cells are still tab-separated), and the loss of layout is reported.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from resguardo.extract._base import Context, Item
from resguardo.extract.encoding import Decoded, decode_text

__all__ = ["MAX_NESTING", "convert_html", "decode_html", "extract_html", "html_to_text"]

#: Deepest element nesting handed to the HTML5 parser (see the module docstring).
MAX_NESTING = 512

_SKIP = frozenset({"script", "style", "template", "head", "noscript", "svg", "math", "-comment"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


class _Writer:
    """Accumulates text, deciding lazily which separator goes between two pieces of text."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pending: str | None = None  # " " or "\n", emitted before the next text
        self.line_empty = True  # nothing (not even a cell separator) on the current line
        self.cell_empty = True  # no text yet in the current cell or line

    def text(self, s: str) -> None:
        if self.pending == "\n" and not self.line_empty:
            self.out.append("\n")
            self.line_empty = True
        elif self.pending == " " and not self.cell_empty:
            self.out.append(" ")
        self.pending = None
        self.out.append(s)
        self.line_empty = self.cell_empty = False

    def space(self) -> None:
        if self.pending is None:
            self.pending = " "

    def block(self) -> None:
        self.pending = "\n"

    def newline(self) -> None:
        self.out.append("\n")
        self.pending = None
        self.line_empty = self.cell_empty = True

    def row_start(self) -> None:
        if not self.line_empty:
            self.newline()
        self.pending = None

    def cell_start(self, first: bool) -> None:
        if not first:
            self.out.append("\t")
            self.pending = None
            self.line_empty = False
        self.cell_empty = True

    def result(self) -> str:
        text = "".join(self.out)
        lines = [line.rstrip(" ") for line in text.split("\n")]
        return "\n".join(lines).strip("\n")


def html_to_text(html: str) -> str:
    """The text of ``html`` laid out as described in the module docstring."""
    return convert_html(html)[0]


def convert_html(html: str) -> tuple[str, str | None]:
    """The text of ``html``, and a note when it had to be read without its layout."""
    depth = html_nesting(html, MAX_NESTING)
    if depth > MAX_NESTING:
        note = f"HTML is nested more than {MAX_NESTING} levels deep; read without its layout"
        return _flat_text(html), note
    return _parse_to_text(html), None


def _parse_to_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    root = tree.root
    if root is None:
        return ""
    w = _Writer()
    pre = 0
    cells: list[int] = []  # cells seen so far in each open table row
    # An explicit stack rather than recursion: nesting depth is up to the sender.
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag: str = node.tag
        if leaving:
            if tag == "pre":
                pre -= 1
            if tag == "tr":
                cells.pop()
                w.block()
            elif tag in _BLOCK:
                w.block()
            continue
        if tag == "-text":
            _text(w, node.text_content or "", pre > 0)
            continue
        if tag in _SKIP:
            continue
        if tag == "br":
            w.newline()
            continue
        if tag == "tr":
            w.row_start()
            cells.append(0)
        elif tag in _CELL:
            if cells:
                w.cell_start(cells[-1] == 0)
                cells[-1] += 1
            else:
                w.space()
        elif tag in _BLOCK:
            w.block()
        if tag == "pre":
            pre += 1
        stack.append((node, True))
        children = list(node.iter(include_text=True))
        children.reverse()
        stack.extend((c, False) for c in children)
    return w.result().replace("\xa0", " ")


def _text(w: _Writer, s: str, pre: bool) -> None:
    if not s:
        return
    if pre:
        lines = s.split("\n")
        for i, line in enumerate(lines):
            if i:
                w.newline()
            if line:
                w.text(line)
        return
    if s[0] in " \t\n\r\f\v":
        w.space()
    body = " ".join(s.split())
    if body:
        w.text(body)
        if s[-1] in " \t\n\r\f\v":
            w.space()


# Elements that never stay open around what follows them: void elements, and those the
# parser closes by itself when the next one starts.
_FLAT = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
        "optgroup", "rb", "rt", "rp", "rtc", "tbody", "thead", "tfoot", "colgroup", "caption",
        "html", "head", "body",
    }
)  # fmt: skip
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})[^<>]{0,4000}>|<!--|<!|<\?")
_LINE_TAGS = _BLOCK | {"br", "tr", "p", "li", "dt", "dd"}
_RAW_TEXT = {"script": "</script", "style": "</style", "template": "</template"}


def _tokens(html: str) -> Iterator[tuple[int, int, bool, str]]:
    """``(start, end, closing, name)`` of each tag, in one linear pass.

    Comments, doctypes and the content of script/style/template are skipped, so markup
    inside them does not count.
    """
    lower: str | None = None
    pos = 0
    n = len(html)
    while pos < n:
        m = _ANY_TAG.search(html, pos)
        if m is None:
            return
        token = m.group(0)
        if token == "<!--":
            end = html.find("-->", m.end())
            pos = n if end < 0 else end + 3
            yield m.start(), pos, False, "!"
            continue
        if token in ("<!", "<?"):
            end = html.find(">", m.end())
            pos = n if end < 0 else end + 1
            yield m.start(), pos, False, "!"
            continue
        closing, name = bool(m.group(1)), m.group(2).lower()
        pos = m.end()
        if not closing and name in _RAW_TEXT:
            if lower is None:
                lower = html.lower()
            end = lower.find(_RAW_TEXT[name], pos)
            pos = n if end < 0 else end
            yield m.start(), pos, False, "!"
            continue
        yield m.start(), pos, closing, name


def html_nesting(html: str, cap: int) -> int:
    """An estimate of how deeply the elements of ``html`` nest (stops counting past ``cap``)."""
    if html.count("<") <= cap:
        return 0  # each level needs a tag: there are too few to go deeper than cap
    depth = deepest = 0
    for _, _, closing, name in _tokens(html):
        if name in _FLAT or name == "!":
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > cap:
                    break
    return deepest


def _flat_text(html: str) -> str:
    """Text of ``html`` by stripping tags, in time linear in its length."""
    out: list[str] = []
    pos = 0
    for start, end, closing, name in _tokens(html):
        out.append(html[pos:start])
        pos = end
        if name in _CELL and not closing:
            out.append("\t")
        elif name in _LINE_TAGS:
            out.append("\n")
    out.append(html[pos:])
    text = html_lib.unescape("".join(out)).replace("\xa0", " ")
    lines = ("\t".join(" ".join(c.split()) for c in line.split("\t")) for line in text.split("\n"))
    return "\n".join(line.strip("\t") for line in lines if line.strip(" \t"))


def decode_html(data: bytes, declared: str | None = None) -> Decoded:
    """Decode HTML bytes: the declared charset, else a ``<meta charset>``, else detection."""
    if not declared:
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", errors="replace")
    return decode_text(data, declared)


def extract_html(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """HTML: one document (local part ``None``) with the page's text."""
    yield from html_document(ctx, None, decode_html(data, charset))


def html_document(ctx: Context, name: str | None, decoded: Decoded) -> Iterator[Item]:
    """The document for decoded HTML at local part ``name``, and a note if layout was lost."""
    text, note = convert_html(decoded.text)
    yield from ctx.document(name, text, "text/html", decoded.metadata())
    if note:
        yield ctx.error(name, note)
