"""HTML: redact what a reader can see or copy without breaking the markup.

Approach: parse with selectolax (lexbor, an HTML5-conformant parser, so the tree is the
one a mail client builds), change the tree, serialize it again.

- **Text nodes** are stitched into one text per document, with a line break wherever a
  block element (paragraph, cell, ``<br>``...) separates them and nothing between inline
  ones, so ``585-<b>20</b>-1234`` is seen whole. The parser has already decoded character
  references, so ``585&#45;20&#45;1234`` is seen as ``585-20-1234``. Each finding is cut
  back into the nodes it covers; the first gets the token, the others are emptied (mask:
  each keeps its own length of ``█``).
- **Attribute values**, all of them (``title``, ``alt``, ``href="mailto:...?subject=..."``,
  ``value``...), also stitched and scanned as one text; a value with ``%`` escapes is
  scanned URL-decoded, and written back re-encoded.
- **Comments** holding a finding are deleted; ``<template>`` elements (inert content the
  DOM walk cannot reach, and never shown in mail) are deleted.
- **Embedded ``data:`` URLs** (inline images, or base64-packed documents) are emptied:
  their content cannot be checked.
- A last pass scans the serialized markup itself, with character references decoded,
  and redacts any finding that contains no markup character, for anything the walk above
  missed (a doctype's identifiers; references inside raw-text elements like ``<script>``,
  which HTML does not decode but a careless reader of the source would).

A document with nothing to redact is returned unchanged, byte for byte. One with
redactions comes back as lexbor serializes it: the same tree, but the tags normalized
(``<html>``/``<head>``/``<body>`` added where absent, attribute quoting made uniform).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote, unquote

from selectolax.lexbor import LexborHTMLParser

from resguardo.redact.encoding import decode_bytes, encode_text
from resguardo.redact.session import RedactedFile, ScanFn, Session, run_two_pass
from resguardo.redact.stitch import Stitcher
from resguardo.redact.text import RedactionStyle, Span

__all__ = ["redact_html", "redact_html_text"]

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "noscript",
        "ol",
        "optgroup",
        "option",
        "p",
        "pre",
        "script",
        "section",
        "select",
        "style",
        "summary",
        "table",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
_MARKUP_CHARS = frozenset("<>\"'=")
# Kept readable in URLs written back: reserved URL characters, and the brackets and colon
# of the tokens.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def redact_html(
    data: bytes, *, scan: ScanFn, style: RedactionStyle, propagate: bool = True
) -> RedactedFile:
    """Redact an HTML file; the encoding is kept (characters it lacks become references)."""
    decoded = decode_bytes(data)

    def work(session: Session) -> bytes:
        redacted = redact_html_text(session, decoded.text, "html")
        if redacted == decoded.text:
            return data
        return encode_text(redacted, decoded.encoding, html=True)[0]

    out, session = run_two_pass(work, scan, style, propagate=propagate)
    return RedactedFile(out, session.summary("html"))


def redact_html_text(session: Session, markup: str, where: str) -> str:
    """Redact an HTML document given as text; returns it unchanged if nothing was found."""
    parser = LexborHTMLParser(markup)
    changed = False
    for template in parser.css("template"):
        # Inert content the walk below cannot reach, and never shown in mail.
        template.decompose()
        session.removed(f"{where}: a <template> element (its content cannot be checked)")
        changed = True
    top = parser.root.parent if parser.root is not None else None
    nodes: list[Any] = list(top.traverse(include_text=True)) if top is not None else []

    changed |= _redact_text_nodes(session, nodes, where)
    changed |= _redact_attributes(session, nodes, where)
    for node in nodes:
        if node.is_comment_node:
            found = session.find(node.comment_content or "")
            if found:
                session.record(found, f"{where} comment")
                node.decompose()
                changed = True

    out = parser.html if changed and parser.html is not None else markup
    return _redact_markup(session, out, where)


def _block_of(node: Any) -> int:
    parent = node.parent
    while parent is not None and parent.tag not in _BLOCKS:
        parent = parent.parent
    return int(parent.mem_id) if parent is not None else 0


def _redact_text_nodes(session: Session, nodes: list[Any], where: str) -> bool:
    stitcher: Stitcher[int] = Stitcher()
    texts: dict[int, str] = {}
    pending_break = False
    last_block: int | None = None
    for i, node in enumerate(nodes):
        if node.is_element_node and node.tag in _BLOCKS:
            pending_break = True
        elif node.is_text_node:
            text = node.text_content or ""
            if not text:
                continue
            block = _block_of(node)
            if last_block is not None and (pending_break or block != last_block):
                stitcher.glue("\n")
            pending_break, last_block = False, block
            texts[i] = text
            stitcher.add(text, i)
    spans = session.redact_stitched(stitcher, f"{where} text")
    for i, node_spans in spans.items():
        new = session.apply(texts[i], node_spans)
        if new != texts[i]:
            nodes[i].replace_with(new)
    return bool(spans)


def _redact_attributes(session: Session, nodes: list[Any], where: str) -> bool:
    stitcher: Stitcher[int] = Stitcher()
    found: dict[int, tuple[Any, str, str, bool]] = {}
    changed = False
    for node in nodes:
        if not node.is_element_node:
            continue
        for name, value in list(node.attrs.items()):
            if not value:
                continue
            if _is_data_url(name, value):
                node.attrs[name] = ""
                session.removed(f"{where}: embedded data: URL in <{node.tag} {name}>")
                changed = True
                continue
            encoded = "%" in value
            plain = unquote(value) if encoded else value
            k = len(found)
            found[k] = (node, name, plain, encoded)
            stitcher.add(plain, k)
            stitcher.glue("\n")
    spans = session.redact_stitched(stitcher, f"{where} attributes", token_per_piece=True)
    for k, attr_spans in spans.items():
        node, name, plain, encoded = found[k]
        new = session.apply(plain, attr_spans)
        if new != plain:
            node.attrs[name] = quote(new, safe=_URL_SAFE) if encoded else new
            changed = True
    return changed


_URL_ATTRIBUTES = frozenset(
    [
        "src",
        "href",
        "srcset",
        "background",
        "poster",
        "data",
        "action",
        "formaction",
        "xlink:href",
        "lowsrc",
        "dynsrc",
        "cite",
        "longdesc",
        "profile",
        "usemap",
        "icon",
        "manifest",
        "codebase",
        "archive",
        "classid",
    ]
)
_CSS_DATA_URL = re.compile(r"url\(\s*['\"]?\s*data:", re.IGNORECASE)


def _is_data_url(name: str, value: str) -> bool:
    """Whether an attribute carries an embedded ``data:`` URL (content we cannot check)."""
    if name.lower() in _URL_ATTRIBUTES:
        return "data:" in value.lower()
    return bool(_CSS_DATA_URL.search(value))


_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def _unescape_mapped(markup: str) -> tuple[str, list[int], list[int]]:
    """``markup`` with character references decoded, and where each character came from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in _ENTITY.finditer(markup):
        decoded = html.unescape(m.group())
        if decoded == m.group():
            continue
        for k in range(pos, m.start()):
            out.append(markup[k])
            starts.append(k)
            ends.append(k + 1)
        for ch in decoded:
            out.append(ch)
            starts.append(m.start())
            ends.append(m.end())
        pos = m.end()
    for k in range(pos, len(markup)):
        out.append(markup[k])
        starts.append(k)
        ends.append(k + 1)
    return "".join(out), starts, ends


def _redact_markup(session: Session, markup: str, where: str) -> str:
    """Redact findings in the serialized markup itself: with references decoded, then raw.

    This reaches what the tree walk cannot: a doctype's identifiers, raw-text elements
    whose references a naive reader would decode, and values that only a reader of the
    source sees whole (``585-20-1234&#53;...`` is one longer number to a browser, but the
    SSN to anyone reading the bytes). A finding that spans markup (a tag, an attribute's
    quotes) is left to the walk, which has already redacted it as text.
    """
    # A redaction in one view can complete a value in the other ("[SSN]&#53;85-20-1234"
    # decodes to a bounded number once its neighbor is gone), so repeat until stable.
    for _ in range(4):
        before = markup
        markup = _markup_pass(session, markup, where, decode=True)
        markup = _markup_pass(session, markup, where, decode=False)
        if markup == before:
            break
    return markup


def _markup_pass(session: Session, markup: str, where: str, *, decode: bool) -> str:
    if decode and "&" in markup:
        text, starts, ends = _unescape_mapped(markup)
    else:
        text, starts, ends = markup, [], []
    found = session.find(text)
    if not found:
        return markup
    spans: list[Span] = []
    used = []
    for f in found:
        start = starts[f.start] if starts else f.start
        end = ends[f.end - 1] if ends else f.end
        if not _MARKUP_CHARS.isdisjoint(markup[start:end]):
            continue
        used.append(f)
        spans.append(Span(start, end, f.category, f.text))
    if not spans:
        return markup
    session.record(used, f"{where} markup")
    return session.apply(markup, spans)
