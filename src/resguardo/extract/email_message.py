"""RFC 5322 / MIME messages (``.eml``, messages of an mbox, attached ``message/rfc822``).

Parsed with the standard library (:mod:`email`, ``policy.default`` semantics). Part ids,
unique within a message:

``header:subject``
    The Subject header, decoded (RFC 2047).
``body``, ``body.html``
    The first ``text/plain`` and the first ``text/html`` part that are not attachments, in
    MIME order (for ``multipart/alternative`` these are the two versions of the message).
    The HTML is turned into text (see :mod:`resguardo.extract.html`).
``<section> <type>``
    Any other inline text part, by its IMAP-style section number: ``"2 text/plain"``,
    ``"1.3 text/html"``, ``"3 text/csv"``.
``attachment:<filename>``
    An attachment: a part with a filename, a part marked ``Content-Disposition:
    attachment``, or a part whose type is not ``text/*`` (including attached messages).
    Without a filename it is named by its section: ``attachment:2``. A second attachment
    with the same name gets ``" (2)"`` appended. ``/`` in filenames becomes ``_``.
``attachment:<filename>/<inner part>``
    What was read from inside an attachment, with the attachment's own part ids:
    ``attachment:fwd.eml/body``, ``attachment:fwd.eml/attachment:rows.csv``,
    ``attachment:book.xlsx/sheet:Data``. A single-text attachment (``.txt``, ``.csv``,
    ``.pdf``) has no inner part: ``attachment:rows.csv``.

Every document of a message carries metadata ``from``, ``to``, ``cc``, ``date`` and
``message_id`` (when present) of the message it belongs to, and ``filename`` for the
documents of an attachment.

Damage is reported next to what could be read: a multipart cut off before its closing
boundary, base64 that is truncated or has stray characters, a declared charset the bytes are
not valid in (then the encoding is detected; see metadata ``encoding_note``), and parts over
the limits. Header values longer than ``max_header_chars`` are cut before parsing, because
the standard library's header parser takes time that grows faster than linearly with the
length (seconds for a few hundred KB).
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import errors as email_errors
from email.feedparser import BytesFeedParser
from email.headerregistry import HeaderRegistry
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from functools import lru_cache
from typing import Any, cast

from resguardo.extract._base import Context, Item, guarded, human_size
from resguardo.extract.encoding import decode_text
from resguardo.extract.html import decode_html, html_document

__all__ = ["extract_email", "mime_nesting"]

_HEADER_REGISTRY = HeaderRegistry()
_METADATA_HEADERS = (("from", "from"), ("to", "to"), ("cc", "cc"), ("date", "date"),
                     ("message-id", "message_id"))  # fmt: skip
_METADATA_CHARS = 1000
_LINESEP = re.compile(r"\r\n|\r|\n")


@lru_cache(maxsize=1024)
def _parse_header(name: str, value: str) -> Any:
    # Cached: the same Content-Type is read several times per part (type, charset, filename).
    return _HEADER_REGISTRY(name, _LINESEP.sub("", value))


class _BoundedPolicy(EmailPolicy):
    """``policy.default``, except that a header value is cut to ``max_header_chars`` before
    it is parsed (see the module docstring), 8-bit bytes in it are decoded (UTF-8, else
    detected) and parsed headers are cached."""

    max_header_chars: int = 4096

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        # Raw 8-bit bytes in a header (Outlook writes UTF-8 filenames that way) arrive as
        # surrogate escapes, which the header parser would turn into U+FFFD.
        return _parse_header(name, _clean(value[: self.max_header_chars]))


@lru_cache(maxsize=8)
def _policy(max_header_chars: int) -> _BoundedPolicy:
    # typeshed lists only EmailPolicy's own options for clone(); ours is a valid one too.
    base: Any = _BoundedPolicy()
    return cast(_BoundedPolicy, base.clone(max_header_chars=max_header_chars))


def extract_email(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """The documents of one message: subject, text parts, attachments (recursively)."""
    if not data.strip():
        yield ctx.error(None, "empty message")
        return
    policy = _policy(ctx.limits.max_header_chars)
    # The standard parser nests one generator per MIME level, so a deeply nested message
    # costs time proportional to depth x lines and fails past ~900 levels. Deeper than a few
    # times the depth limit, only the headers are parsed.
    parse_limit = 4 * ctx.limits.max_depth
    nesting = mime_nesting(data, parse_limit)
    if nesting > parse_limit:
        msg = BytesParser(policy=policy).parsebytes(_header_block(data), headersonly=True)
        yield from _subject(msg, ctx.with_metadata(_metadata(msg)))
        yield ctx.error(
            None,
            f"MIME parts are nested more than {parse_limit} levels deep; the body was not read",
        )
        return
    msg = _parse(data, policy)
    if not msg.keys():
        yield ctx.error(None, "not an email message: it does not start with header fields")
        return
    yield from _message(msg, ctx)


_FEED = 64 * 1024


def _parse(data: bytes, policy: EmailPolicy) -> Message:
    # Not BytesParser.parsebytes: it decodes the whole message to one str and copies that
    # into a StringIO (4 bytes per character), about 6 times the message size in memory on
    # top of the parse itself. Fed in pieces, the parser holds only the lines of the part
    # it is reading.
    parser = BytesFeedParser(policy=policy)
    for start in range(0, len(data), _FEED):
        parser.feed(data[start : start + _FEED])
    return parser.close()


def _header_block(data: bytes, limit: int = 1024 * 1024) -> bytes:
    head = data[:limit]
    ends = [i for i in (head.find(b"\n\n"), head.find(b"\r\n\r\n")) if i >= 0]
    return head[: min(ends)] + b"\n\n" if ends else head


@dataclass(slots=True)
class _Names:
    """Part names used so far in one message."""

    used: set[str] = field(default_factory=set)
    plain: bool = False
    html: bool = False

    def unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.used:
            n += 1
            candidate = f"{name} ({n})"
        self.used.add(candidate)
        return candidate


def _message(msg: Message, ctx: Context) -> Iterator[Item]:
    ctx = ctx.with_metadata(_metadata(msg))
    yield from _subject(msg, ctx)
    yield from _walk(msg, ctx, "", _Names())


def _subject(msg: Message, ctx: Context) -> Iterator[Item]:
    raw = next((v for k, v in msg.raw_items() if k.lower() == "subject"), None)
    if raw is None:
        return
    try:
        subject = _clean(str(msg["subject"]))
    except Exception:  # a header the parser chokes on: keep its raw text rather than lose it
        subject = _clean(" ".join(raw[: ctx.limits.max_header_chars].split()))
    if subject.strip():
        yield from ctx.document("header:subject", subject)
    if len(raw) > ctx.limits.max_header_chars:
        yield ctx.error(
            "header:subject",
            f"Subject header is {len(raw):,} characters; only the first "
            f"{ctx.limits.max_header_chars:,} were read (max_header_chars)",
        )


def _metadata(msg: Message) -> dict[str, str]:
    meta: dict[str, str] = {}
    for header, key in _METADATA_HEADERS:
        try:
            value = msg.get(header)
        except Exception:  # a malformed header must not cost the message
            continue
        if value is not None:
            meta[key] = _clean(" ".join(str(value).split()))[:_METADATA_CHARS]
    return meta


def _walk(part: Message, ctx: Context, section: str, names: _Names) -> Iterator[Item]:
    if not ctx.budget.take():
        if not ctx.budget.reported:
            ctx.budget.reported = True
            yield ctx.error(
                None,
                f"message has more than {ctx.limits.max_parts} parts; the rest were not read "
                "(max_parts)",
            )
        return
    ctype = part.get_content_type()
    where = section or "1"

    # is_multipart() means "the payload is a list of messages": multiparts, and attached
    # messages, which the parser has already parsed.
    if ctype.startswith("message/") and part.is_multipart():
        yield from _attachment(part, ctx, where, names, ctype)
        return
    if part.is_multipart():
        payload = part.get_payload()
        if ctx.too_deep():
            yield ctx.error(
                None,
                f"part {where} is nested more than {ctx.limits.max_depth} levels deep; "
                "not read (max_depth)",
            )
            return
        inner = ctx.deeper()
        for i, sub in enumerate(payload, 1):
            if isinstance(sub, Message):
                yield from _walk(sub, inner, f"{section}.{i}" if section else str(i), names)
        yield from _defects(part, ctx, where)
        return

    filename = _filename(part)
    disposition = part.get_content_disposition()
    if ctype.startswith("multipart/"):
        # A multipart whose boundary never appears: the parser leaves its body as one
        # string. Read it as text rather than lose it.
        yield ctx.error(
            None,
            f"part {where} ({ctype}) has no parts (its boundary is missing); read as plain text",
        )
        ctype, filename, disposition = "text/plain", None, None
    maintype = ctype.split("/", 1)[0]
    if disposition == "attachment" or filename is not None or maintype != "text":
        yield from _attachment(part, ctx, where, names, ctype)
        return
    if ctype == "text/plain" and not names.plain:
        names.plain = True
        name = names.unique("body")
    elif ctype == "text/html" and not names.html:
        names.html = True
        name = names.unique("body.html")
    else:
        name = names.unique(f"{where} {ctype}")
    yield from _inline(part, ctx, name, ctype)


def _inline(part: Message, ctx: Context, name: str, ctype: str) -> Iterator[Item]:
    data, damage = _payload_bytes(part, ctx)
    if damage:
        yield ctx.error(name, damage)
    if data is None:
        return
    charset = part.get_content_charset()
    sub = ctx.nested(name)
    if ctype == "text/html":
        yield from html_document(sub, None, decode_html(data, charset))
    elif ctype == "text/plain":
        decoded = decode_text(data, charset)
        yield from sub.document(None, decoded.text, "text/plain", decoded.metadata())
    else:
        from resguardo.extract import dispatch  # dispatch imports this module

        yield from dispatch.extract_bytes(
            data, sub, filename=None, content_type=ctype, charset=charset
        )


def _attachment(
    part: Message, ctx: Context, where: str, names: _Names, ctype: str
) -> Iterator[Item]:
    filename = _filename(part)
    label = _safe_name(filename) if filename else where
    name = names.unique(f"attachment:{label}")
    sub = ctx.nested(name, filename=filename or "")
    if sub.too_deep():
        yield ctx.error(
            name, f"attachment nested more than {ctx.limits.max_depth} levels deep; not read"
        )
        return
    payload = part.get_payload()
    if isinstance(payload, list):  # message/rfc822 and friends, already parsed
        inner = [m for m in payload if isinstance(m, Message)]
        if len(inner) == 1 and ctype in ("message/rfc822", "message/global", "message/news"):
            yield from guarded(_message(inner[0], sub), sub, "attached message")
        else:
            # message/delivery-status and the like: blocks of header fields.
            text = "\n\n".join(
                "\n".join(f"{k}: {_clean(str(v))}" for k, v in m.items()) for m in inner
            )
            yield from sub.document(None, text, ctype)
        return
    data, damage = _payload_bytes(part, ctx)
    if damage:
        yield ctx.error(name, damage)
    if data is None:
        return
    from resguardo.extract import dispatch  # dispatch imports this module

    yield from dispatch.extract_bytes(
        data, sub, filename=filename, content_type=ctype, charset=part.get_content_charset()
    )


def _defects(part: Message, ctx: Context, where: str) -> Iterator[Item]:
    for defect in part.defects:
        if isinstance(defect, email_errors.CloseBoundaryNotFoundDefect):
            yield ctx.error(
                None,
                f"part {where} ends before its closing MIME boundary (truncated message?)",
            )


def _payload_bytes(part: Message, ctx: Context) -> tuple[bytes | None, str | None]:
    """The part's payload with its transfer encoding undone, and a note on any damage."""
    raw = part.get_payload()
    if not isinstance(raw, str):
        return None, "part has no readable content"
    limit = ctx.limits.max_decoded_bytes
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    encoded_limit = limit * 4 // 3 + 4096 if cte == "base64" else limit
    if len(raw) > encoded_limit:
        return None, (
            f"part is {human_size(len(raw))} encoded, over the {human_size(limit)} limit "
            "(max_decoded_bytes); not read"
        )
    note: str | None = None
    if cte == "base64":
        fast = _clean_base64(raw)
        if fast is not None:
            data = fast
        else:
            # Our own decoder: the standard one returns the *encoded* text when the base64
            # is cut at a bad length, and says nothing about a truncated end.
            data, note = decode_base64(raw.encode("ascii", "replace"))
    else:
        # Quoted-printable, uuencode, or none. Not get_payload(decode=False): for 8-bit bytes
        # it substitutes U+FFFD for whatever is not valid in the declared charset, before
        # charset detection could read them.
        decoded = part.get_payload(decode=True)
        data = decoded if isinstance(decoded, bytes) else raw.encode("utf-8", "replace")
    if len(data) > limit:
        return None, (
            f"part is {human_size(len(data))}, over the {human_size(limit)} limit "
            "(max_decoded_bytes); not read"
        )
    return data, note


_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# A stray character, or data after padding: binascii would silently skip or drop either.
_B64_SUSPECT = re.compile(r"[^A-Za-z0-9+/=\s]|=\s*[A-Za-z0-9+/]")


def _clean_base64(raw: str) -> bytes | None:
    """Well-formed base64 decoded without copies (the common case), else None."""
    if not raw.isascii() or _B64_SUSPECT.search(raw):
        return None
    try:
        return binascii.a2b_base64(raw)
    except binascii.Error:  # bad length or padding: let decode_base64 say what is wrong
        return None


_B64_SPACE = re.compile(rb"\s+")
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/=]")
_B64_PAD = re.compile(rb"=+")


def decode_base64(raw: bytes) -> tuple[bytes, str | None]:
    """Decode base64 as far as it goes; the note says what was wrong with it, if anything.

    Stray characters are skipped; data after padding (several encodings pasted together)
    is decoded too; a truncated end gives the bytes it fully holds.
    """
    compact = raw.translate(None, b" \t\r\n\f\v")
    body = compact.rstrip(b"=")
    if (
        len(compact) % 4 == 0
        and not body.translate(None, _B64_ALPHABET)
        and len(compact) - len(body) <= 2
    ):
        return binascii.a2b_base64(compact), None  # well-formed: the common case, fast
    compact = _B64_SPACE.sub(b"", raw)
    cleaned = _B64_JUNK.sub(b"", compact)
    problems: list[str] = []
    if len(cleaned) != len(compact):
        problems.append(
            f"{len(compact) - len(cleaned)} characters that are not base64 were skipped"
        )
    out: list[bytes] = []
    segments = [s for s in _B64_PAD.split(cleaned) if s]
    padded_end = cleaned.endswith(b"=")
    for i, seg in enumerate(segments):
        rem = len(seg) % 4
        if rem == 1:
            seg = seg[:-1]
            problems.append("it ends in the middle of a byte (truncated?)")
        elif rem and i == len(segments) - 1 and not padded_end:
            problems.append("it ends without its padding (truncated?)")
        out.append(binascii.a2b_base64(seg + b"=" * (-len(seg) % 4)))
    note = None
    if problems:
        note = "base64 content is damaged: " + "; ".join(problems) + "; decoded what could be read"
    return b"".join(out), note


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # a malformed parameter: treat as no filename
        return None
    if name is None:
        return None
    name = _clean(" ".join(str(name).split()))
    return name or None


def _safe_name(filename: str) -> str:
    # "/" separates nested part ids; control characters have no place in a one-line id.
    name = filename.replace("/", "_").replace("\\", "_")
    return "".join(c for c in name if c.isprintable())[:200] or "_"


def _clean(text: str) -> str:
    """Undo the surrogate escapes the parser leaves for 8-bit bytes in headers."""
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    return decode_text(raw).text


_STRUCTURE = re.compile(
    rb"""(?m)\bboundary[ \t]*=[ \t]*(?:"([^"\r\n]+)"|([^\s;"]+))"""
    rb"""|^content-type:[ \t]*(message/)"""
    rb"""|^--([^\r\n]+)"""
)


def mime_nesting(data: bytes, cap: int) -> int:
    """An upper estimate of how deeply the MIME parts of ``data`` nest (stops past ``cap``).

    Follows declared boundaries and attached-message headers without parsing: a boundary is
    open from its declaration until its closing delimiter, and its next delimiter closes
    whatever was opened inside the previous part.
    """
    lowered = data.lower()
    # Each level needs a declaration; when there are few, the count bounds the depth and
    # the slower walk below is not needed.
    if lowered.count(b"boundary") + lowered.count(b"message/") <= cap:
        return 0
    stack: list[bytes | None] = []  # boundaries; None for an attached message
    deepest = 0
    for m in _STRUCTURE.finditer(lowered):
        boundary = m.group(1) or m.group(2)
        if boundary is not None:
            stack.append(boundary)
        elif m.group(3) is not None:
            stack.append(None)
        else:
            rest = m.group(4).rstrip()
            if rest in stack:
                del stack[_last_index(stack, rest) + 1 :]
            elif rest.endswith(b"--") and rest[:-2] in stack:
                del stack[_last_index(stack, rest[:-2]) :]
            continue
        if len(stack) > deepest:
            deepest = len(stack)
            if deepest > cap:
                break
    return deepest


def _last_index(stack: list[bytes | None], item: bytes) -> int:
    return len(stack) - 1 - stack[::-1].index(item)
