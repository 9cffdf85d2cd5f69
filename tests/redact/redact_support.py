"""Helpers for the redaction tests: a scan built from known values, and every view of a file.

The scan here stands in for the real detectors (written elsewhere): it finds each given
value wherever it occurs, with any run of whitespace matching any other, as a detector
would. The views are every way a reader could get at text in an output file: the raw
bytes, each header decoded, each part decoded from its transfer encoding, HTML with
entities resolved, the XML inside an XLSX. A redaction test asserts a value is in none.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import json
import quopri
import re
import zipfile
from collections.abc import Iterator, Mapping
from email import policy
from email.message import Message
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import unquote

from selectolax.lexbor import LexborHTMLParser

from resguardo.detect.finding import Finding
from resguardo.redact.session import ScanFn

DATA = Path(__file__).parent.parent / "data" / "spi-dev"


def value_regex(value: str) -> re.Pattern[str]:
    """``value`` with any whitespace run matching any other, not inside a longer word."""
    body = r"\s+".join(re.escape(part) for part in value.split())
    return re.compile(rf"(?<![\w]){body}(?![\w])" if value[-1:].isalnum() else body)


def literal_scan(values: Mapping[str, str]) -> ScanFn:
    """A scan that reports every occurrence of each ``value -> category``."""
    patterns = [(value_regex(v), c) for v, c in values.items()]

    def scan(text: str) -> list[Finding]:
        found: list[Finding] = []
        for rx, cat in patterns:
            for m in rx.finditer(text):
                found.append(Finding(cat, m.start(), m.end(), m.group(), 1.0, "literal"))
        return sorted(found, key=lambda f: (f.start, f.end))

    return scan


def load_labels() -> dict[str, dict[str, object]]:
    """The labeled spi-dev documents by id."""
    docs: dict[str, dict[str, object]] = {}
    with (DATA / "labels.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            docs[doc["id"]] = doc
    return docs


# --- views --------------------------------------------------------------------------------


def _texts_of(data: bytes, charset: str | None = None) -> Iterator[str]:
    for enc in dict.fromkeys(c for c in (charset, "utf-8", "latin-1") if c):
        try:
            yield data.decode(enc, errors="replace")
        except LookupError:
            continue


def _html_views(markup: str) -> Iterator[str]:
    yield markup
    yield html.unescape(markup)
    parser = LexborHTMLParser(markup)
    yield parser.text(separator="")
    yield parser.text(separator=" ")
    for node in parser.css("*"):
        for value in node.attrs.values():
            if value:
                yield value
                yield unquote(value)


def xlsx_views(data: bytes) -> Iterator[str]:
    """Every member of the XLSX zip, decoded, and with XML entities resolved."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            text = zf.read(name).decode("utf-8", errors="replace")
            yield text
            yield html.unescape(text)


def _part_views(part: Message) -> Iterator[str]:
    for key, value in part.items():
        yield f"{key}: {value}"
    for key in ("content-type", "content-disposition"):
        for _, v in part.get_params(header=key) or []:
            if v:
                yield str(v)
    name = part.get_filename()
    if name:
        yield name
    if part.is_multipart():
        yield part.preamble or ""
        yield part.epilogue or ""
        for sub in part.get_payload():
            yield from _part_views(sub)
        return
    raw = part.get_payload(decode=False)
    if isinstance(raw, str):
        yield raw
        raw_bytes = raw.encode("utf-8", "surrogateescape")
        # Decode both ways whatever the header says: a mislabeled part must not hide text.
        with contextlib.suppress(ValueError):
            yield from _texts_of(base64.b64decode(raw_bytes, validate=False))
        yield from _texts_of(quopri.decodestring(raw_bytes))
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return
    charset = part.get_content_charset()
    texts = list(_texts_of(data, charset))
    yield from texts
    ctype = part.get_content_type()
    if ctype == "text/html":
        for t in texts:
            yield from _html_views(t)
    if data.startswith(b"PK"):
        with contextlib.suppress(zipfile.BadZipFile):
            yield from xlsx_views(data)
    if ctype == "message/rfc822" or data.lstrip()[:5].lower() in (b"from:", b"subje"):
        yield from eml_views(data)


def eml_views(raw: bytes) -> list[str]:
    """Every textual view of a message: raw, headers decoded, parts decoded, nested."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    views = [raw.decode("latin-1"), raw.decode("utf-8", errors="replace")]
    views.extend(_part_views(msg))
    return views


def occurrences(views: list[str], value: str) -> list[str]:
    """The views where ``value`` occurs (whitespace-flexible), each cut to some context."""
    rx = value_regex(value)
    hits = []
    for v in views:
        m = rx.search(v)
        if m:
            hits.append(v[max(0, m.start() - 40) : m.end() + 40])
    return hits
