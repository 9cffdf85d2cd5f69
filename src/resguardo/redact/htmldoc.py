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
- A last pass scans the serialized markup itself and redacts any finding that contains
  no markup character, for anything the walk above missed.

A document with nothing to redact is returned unchanged, byte for byte. One with
redactions comes back as lexbor serializes it: the same tree, but the tags normalized
(``<html>``/``<head>``/``<body>`` added where absent, attribute quoting made uniform).
"""

from __future__ import annotations

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
_MARKUP_CHARS = frozenset("<>&\"'=")
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
        template.decompose()
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
    stitcher = Stitcher()
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
    for origin, node_spans in spans.items():
        i = int(str(origin))
        new = session.apply(texts[i], node_spans)
        if new != texts[i]:
            nodes[i].replace_with(new)
    return bool(spans)


def _redact_attributes(session: Session, nodes: list[Any], where: str) -> bool:
    stitcher = Stitcher()
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
    for origin, attr_spans in spans.items():
        node, name, plain, encoded = found[int(str(origin))]
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


def _redact_markup(session: Session, markup: str, where: str) -> str:
    findings = [f for f in session.find(markup) if _MARKUP_CHARS.isdisjoint(f.text)]
    if not findings:
        return markup
    session.record(findings, f"{where} markup")
    return session.apply(markup, [Span(f.start, f.end, f.category, f.text) for f in findings])
