"""RFC 5322 email messages (``.eml``): redaction that reaches every copy of the text.

A value in an email has many copies: the Subject and its ``Thread-Topic`` twin, display
names, the plain and the HTML alternative, attachment names, the attachments, a forwarded
message inside. Each is reached with the standard library's ``email`` package:

- **Headers.** Every header except the structural ones (``Message-ID``, ``Date``,
  ``References``, ``In-Reply-To``, ``Content-Transfer-Encoding``, ``MIME-Version``,
  ``Content-ID``, ...) is decoded (RFC 2047 encoded words included) and scanned. Address
  headers (From, To, Cc, Reply-To, Sender, ...) are scanned as display names and
  addresses; a redacted one is rebuilt from its parsed addresses (which also drops
  comments, a place values hide). Unstructured ones (Subject, Thread-Topic, X-...) are
  rewritten, RFC 2047-encoded as needed. ``name``/``filename`` parameters of
  ``Content-Type``/``Content-Disposition`` (RFC 2231 or encoded words) are scanned too.
  Unchanged headers are written back exactly as they came.
- **Bodies** are decoded from their transfer encoding and charset, redacted by type and
  re-encoded with the part's own transfer encoding (base64 stays base64,
  quoted-printable stays quoted-printable; 7bit/8bit stay unless the result no longer fits,
  then quoted-printable) and, when it can hold the result, its own charset (else UTF-8, and
  the ``charset`` parameter follows; HTML keeps its charset and writes references instead).
  ``text/plain`` (``format=flowed`` unwrapped for the scan), ``text/html``
  (:mod:`~resguardo.redact.htmldoc`), CSV/TSV (:mod:`~resguardo.redact.csvfile`), XLSX
  (:mod:`~resguardo.redact.xlsx`), and a few other plain-text types (calendar, vCard,
  Markdown). ``message/rfc822`` parts, and ``.eml`` attachments, are redacted recursively.
  Multipart preambles and epilogues are scanned.
- **Everything else is withheld** (fail closed): PDF, Word, images, archives, TNEF
  (``winmail.dat``), encrypted parts, signatures, and any part whose type or file name
  says something we cannot check, or that does not decode as its type says. The part is
  replaced in place by a short ``text/plain`` note saying what was removed and why.

Part order, MIME structure, boundaries, Message-ID, Date and the other untouched
headers are kept. A signed message's signature no longer verifies (its signature part is
withheld anyway). The output is written with the input's line endings.
"""

from __future__ import annotations

import base64
import io
import quopri
from email import quoprimime
from email.errors import HeaderParseError
from email.generator import BytesGenerator
from email.header import Header, decode_header, make_header
from email.headerregistry import Address, AddressHeader, Group
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import collapse_rfc2231_value
from enum import Enum, auto
from pathlib import PurePosixPath
from typing import Any

from resguardo.redact.csvfile import redact_csv_text
from resguardo.redact.encoding import (
    UndecodableError,
    codec_name,
    decode_bytes,
    encode_text,
    looks_binary,
)
from resguardo.redact.htmldoc import redact_html_text
from resguardo.redact.session import RedactedFile, ScanFn, Session, run_two_pass
from resguardo.redact.stitch import Stitcher
from resguardo.redact.text import MASK_CHAR, RedactionStyle
from resguardo.redact.txt import redact_plain
from resguardo.redact.xlsx import redact_xlsx_bytes

__all__ = ["redact_eml", "redact_message_bytes"]


class _Policy(EmailPolicy):
    """The default policy, with a way out for headers Python cannot fold.

    A malformed header (raw 8-bit bytes in a parameter name, say) can parse into a value
    that the standard folder then fails to write. Rather than fail the whole message, such
    a header is written RFC 2047-encoded, or, for the structural Content-* headers where
    encoded words are not allowed, with its non-ASCII characters replaced by ``?``.
    """

    def fold_binary(self, name: str, value: Any) -> bytes:
        try:
            return super().fold_binary(name, value)
        except (UnicodeError, IndexError, ValueError, TypeError, HeaderParseError):
            return f"{name}: {_fallback_header_value(name, str(value))}{self.linesep}".encode(
                "ascii"
            )


def _fallback_header_value(name: str, text: str) -> str:
    text = "".join(c if c.isprintable() else " " for c in text)
    if name.lower().startswith("content-"):
        return "".join(c if c.isascii() else "?" for c in text)
    return Header(text, "utf-8", header_name=name).encode(linesep="\n").replace("\n", " ")


# Keep unchanged headers exactly as they came: never refold them.
_POLICY = _Policy(refold_source="none")

_STRUCTURAL = frozenset(
    [
        "message-id",
        "content-id",
        "in-reply-to",
        "references",
        "date",
        "resent-date",
        "resent-message-id",
        "content-transfer-encoding",
        "mime-version",
        "content-length",
        "lines",
    ]
)
_PARAM_HEADERS = ("content-type", "content-disposition")
# Parameters that are protocol, not content.
_PROTOCOL_PARAMS = frozenset(
    [
        "boundary",
        "charset",
        "format",
        "delsp",
        "protocol",
        "micalg",
        "type",
        "reply-type",
        "method",
        "size",
        "creation-date",
        "modification-date",
        "read-date",
    ]
)


class _Kind(Enum):
    MULTIPART = auto()
    MESSAGE = auto()  # message/rfc822 parsed into a sub-message
    MESSAGE_BYTES = auto()  # an .eml attachment, or message/rfc822 with base64/QP
    TEXT = auto()
    HTML = auto()
    CSV = auto()
    XLSX = auto()


_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHORT_TYPES = {_XLSX_TYPE: "xlsx"}
_TYPE_KINDS: dict[str, _Kind] = {
    "text/plain": _Kind.TEXT,
    "text/calendar": _Kind.TEXT,
    "text/vcard": _Kind.TEXT,
    "text/x-vcard": _Kind.TEXT,
    "text/directory": _Kind.TEXT,
    "text/markdown": _Kind.TEXT,
    "text/x-markdown": _Kind.TEXT,
    "text/rfc822-headers": _Kind.TEXT,
    "text/html": _Kind.HTML,
    "application/xhtml+xml": _Kind.HTML,
    "text/csv": _Kind.CSV,
    "text/x-csv": _Kind.CSV,
    "text/comma-separated-values": _Kind.CSV,
    "text/x-comma-separated-values": _Kind.CSV,
    "application/csv": _Kind.CSV,
    "application/x-csv": _Kind.CSV,
    "text/tab-separated-values": _Kind.CSV,
    _XLSX_TYPE: _Kind.XLSX,
    "message/rfc822": _Kind.MESSAGE_BYTES,
    "message/global": _Kind.MESSAGE_BYTES,
}
_EXT_KINDS: dict[str, _Kind] = {
    ".txt": _Kind.TEXT,
    ".text": _Kind.TEXT,
    ".log": _Kind.TEXT,
    ".md": _Kind.TEXT,
    ".ics": _Kind.TEXT,
    ".vcf": _Kind.TEXT,
    ".html": _Kind.HTML,
    ".htm": _Kind.HTML,
    ".csv": _Kind.CSV,
    ".tsv": _Kind.CSV,
    ".xlsx": _Kind.XLSX,
    ".eml": _Kind.MESSAGE_BYTES,
}
# Types that say nothing about the content: the file name decides.
_GENERIC_TYPES = frozenset(
    [
        "application/octet-stream",
        "application/x-octet-stream",
        "binary/octet-stream",
        "application/unknown",
        "application/download",
        "application/force-download",
        "application/vnd.ms-excel",
        "application/zip",
        "application/x-zip-compressed",
        "application/x-zip",
    ]
)


def redact_eml(
    data: bytes, *, scan: ScanFn, style: RedactionStyle, propagate: bool = True
) -> RedactedFile:
    """Redact an RFC 5322 message; see the module notes for what is covered."""
    out, session = run_two_pass(
        lambda s: redact_message_bytes(s, data), scan, style, propagate=propagate
    )
    return RedactedFile(out, session.summary("eml"))


def redact_message_bytes(session: Session, data: bytes, where: str = "") -> bytes:
    """Redact message bytes within an existing session; returns the new message bytes."""
    head = data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    linesep = "\r\n" if b"\r\n" in head else "\n"
    msg = BytesParser(policy=_POLICY).parsebytes(data)
    if not isinstance(msg, EmailMessage):  # the policy's factory makes EmailMessage
        raise TypeError("unexpected message class")
    _redact_entity(session, msg, where, root=True)
    buf = io.BytesIO()
    BytesGenerator(buf, policy=_POLICY.clone(linesep=linesep)).flatten(
        msg, unixfrom=msg.get_unixfrom() is not None
    )
    return buf.getvalue()


# --- entities ----------------------------------------------------------------------------


def _redact_entity(session: Session, part: EmailMessage, where: str, *, root: bool) -> None:
    """Redact one entity in place. ``where`` is the summary prefix: "" or ends in a space."""
    _redact_headers(session, part, where)
    kind, reason = _classify(part)
    label = f"{where}body" if root else where.strip()
    if kind is None:
        _withhold(session, part, label, reason)
    elif kind is _Kind.MULTIPART:
        _redact_multipart(session, part, where)
    elif kind is _Kind.MESSAGE:
        sub = part.get_payload(0)
        if isinstance(sub, EmailMessage):
            _redact_entity(session, sub, f"{label} message > ", root=True)
    else:
        _redact_leaf(session, part, kind, label)


def _redact_multipart(session: Session, part: EmailMessage, where: str) -> None:
    for attr in ("preamble", "epilogue"):
        value = getattr(part, attr)
        if value:
            text = _from_raw(value)
            new = session.redact(text, f"{where}{attr}")
            if new != text:
                # The generator writes these as they are: carry non-ASCII as UTF-8 bytes.
                setattr(part, attr, new.encode("utf-8").decode("ascii", "surrogateescape"))
    children = part.get_payload()
    if not isinstance(children, list):
        return
    for n, child in enumerate(children, 1):
        if isinstance(child, EmailMessage):
            # Parts are numbered as in IMAP: 1, 1.2, ...; a message inside restarts at 1.
            nested = where and not where.endswith("> ")
            number = f"{where.rstrip()}.{n} " if nested else f"{where}part {n} "
            _redact_entity(session, child, number, root=False)


def _classify(part: EmailMessage) -> tuple[_Kind | None, str]:
    ctype = part.get_content_type()
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if ctype.startswith("message/") and ctype not in ("message/rfc822", "message/global"):
        # delivery-status, partial, external-body...: Python parses them into structures
        # that the walk below would only partly visit.
        return None, f"{ctype} parts cannot be checked"
    if part.is_multipart():
        if ctype.startswith("message/"):
            if cte in ("base64", "quoted-printable"):
                return _Kind.MESSAGE_BYTES, ""
            return _Kind.MESSAGE, ""
        return _Kind.MULTIPART, ""
    if ctype.startswith("multipart/"):
        return None, "a multipart body that could not be parsed"
    filename = part.get_filename() or ""
    ext = PurePosixPath(filename.strip().rstrip(".")).suffix.lower()
    by_type = _TYPE_KINDS.get(ctype)
    by_ext = _EXT_KINDS.get(ext)
    if ext and by_ext is None:
        return None, f"files of type {ext} cannot be checked"
    if ctype in _GENERIC_TYPES or by_type is None:
        if by_ext is not None and (ctype in _GENERIC_TYPES or ctype.startswith("text/")):
            return by_ext, ""
        return None, f"{ctype} content cannot be checked"
    if by_ext is None or by_ext is by_type:
        return by_type, ""
    # The type and the name disagree: plain text yields to the more specific reading.
    if by_type is _Kind.TEXT:
        return by_ext, ""
    if by_ext is _Kind.TEXT:
        return by_type, ""
    return None, f"its type ({ctype}) and file name ({ext}) disagree"


def _redact_leaf(session: Session, part: EmailMessage, kind: _Kind, where: str) -> None:
    ctype = part.get_content_type()
    place = f"{where} {_SHORT_TYPES.get(ctype, ctype)}"
    if kind is _Kind.MESSAGE_BYTES:
        raw = _message_bytes(part)
        try:
            new = redact_message_bytes(session, raw, f"{where} message > ")
        except Exception as exc:  # any parse failure: withhold, never pass through
            _withhold(session, part, where, f"the attached message could not be read ({exc})")
            return
        _set_body(part, new, text=False)
        return
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    if kind is _Kind.XLSX:
        try:
            new = redact_xlsx_bytes(session, data, f"{place} ")
        except Exception as exc:  # openpyxl raises many types for a bad file
            _withhold(session, part, where, f"it could not be opened as a workbook ({exc})")
            return
        _set_body(part, new, text=False)
        return
    if looks_binary(data):
        _withhold(session, part, where, "it is labeled as text but holds binary data")
        return
    declared = part.get_content_charset()
    try:
        decoded = decode_bytes(data, declared)
    except UndecodableError as exc:
        _withhold(session, part, where, f"its text could not be decoded ({exc})")
        return
    text = decoded.text
    if kind is _Kind.HTML:
        new_text = redact_html_text(session, text, place)
    elif kind is _Kind.CSV:
        tab = ctype == "text/tab-separated-values" or (part.get_filename() or "").lower().endswith(
            ".tsv"
        )
        new_text = redact_csv_text(
            session, text, where=f"{place} ", delimiter="\t" if tab else None
        )
    else:
        flowed = str(part.get_param("format", "") or "").lower() == "flowed"
        delsp = str(part.get_param("delsp", "") or "").lower() == "yes"
        new_text = redact_plain(session, text, place, flowed=flowed, delsp=delsp)
    if new_text == text:
        return
    out, used = encode_text(new_text, decoded.encoding, html=kind is _Kind.HTML)
    # Declare the charset actually written: it changes when the original cannot hold the
    # mask, and it may never have been declared (or declared wrongly) in the first place.
    if used != codec_name(declared) and not (declared is None and out.isascii()):
        mime_name = _mime_charset(used)
        part.set_param("charset", mime_name, replace="content-type" in part)
        if used != decoded.encoding:
            session.note(f"{place}: charset changed from {decoded.encoding} to {mime_name}")
    _set_body(part, out, text=True)


def _mime_charset(codec: str) -> str:
    """The MIME name of a Python codec name (``iso8859-1`` is written ``iso-8859-1``)."""
    if codec.startswith("utf-8"):
        return "utf-8"
    if codec.startswith("iso8859-"):
        return "iso-" + codec[3:]
    if codec.startswith("cp125"):
        return "windows-" + codec[2:]
    return codec


def _message_bytes(part: EmailMessage) -> bytes:
    """The decoded bytes of an attached message, however it was carried."""
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if part.is_multipart():
        # Python parses message/rfc822 as a message even under base64/QP; undo that.
        sub = part.get_payload(0)
        carried = sub.as_bytes() if isinstance(sub, Message) else b""
        if cte == "base64":
            return base64.b64decode(carried)
        if cte == "quoted-printable":
            return quopri.decodestring(carried)
        return carried
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _set_body(part: EmailMessage, data: bytes, *, text: bool) -> None:
    """Store ``data`` as the part's body in its own transfer encoding where possible."""
    cte = str(part.get("content-transfer-encoding", "7bit")).strip().lower()
    fits = all(len(line) <= 998 for line in data.splitlines())
    if cte == "base64":
        new_cte, payload = "base64", base64.encodebytes(data).decode("ascii")
    elif text and cte in ("7bit", "8bit", "binary") and fits and data.isascii():
        new_cte, payload = cte, data.decode("ascii")
    elif text and cte in ("8bit", "binary") and fits:
        new_cte, payload = cte, data.decode("ascii", "surrogateescape")
    elif text:
        new_cte, payload = "quoted-printable", quoprimime.body_encode(data.decode("latin-1"))
    else:
        new_cte, payload = "base64", base64.encodebytes(data).decode("ascii")
    part.set_payload(payload)
    if new_cte != cte:
        if "content-transfer-encoding" in part:
            part.replace_header("Content-Transfer-Encoding", new_cte)
        else:
            part["Content-Transfer-Encoding"] = new_cte


_NOTE = """\
Resguardo withheld an attachment here.

What: {what}
Why: {reason}. Resguardo removes what it cannot check for sensitive personal \
information instead of passing it on unchecked. Ask the sender for a checked copy.

Resguardo retuvo aquí un archivo adjunto.

Qué: {what}
Por qué: no se pudo revisar ({reason}). Resguardo quita lo que no puede revisar \
en busca de información personal delicada en lugar de enviarlo sin revisar.
"""


def _withhold(session: Session, part: EmailMessage, where: str, reason: str) -> None:
    ctype = part.get_content_type()
    name = part.get_filename() or ""
    try:
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else len(part.as_bytes())
    except Exception:
        size = 0
    what = f"{name!r}, " if name else ""
    what += f"{ctype}, {size} bytes"
    had_version = "MIME-Version" in part
    part.clear_content()
    stem = PurePosixPath(name).stem if name else "attachment"
    part.set_content(
        _NOTE.format(what=what, reason=reason),
        subtype="plain",
        charset="utf-8",
        cte="quoted-printable",
        disposition="attachment",
        filename=f"{stem}.withheld.txt",
    )
    if not had_version:
        del part["MIME-Version"]
    session.removed(f"{where}: {what}: {reason}")


# --- headers -----------------------------------------------------------------------------


def _redact_headers(session: Session, part: EmailMessage, where: str) -> None:
    items = list(part.raw_items())
    new_items: list[tuple[str, Any]] = []
    changed = False
    for name, raw in items:
        lname = name.lower()
        new: Any = None
        if lname not in _STRUCTURAL and lname not in _PARAM_HEADERS:
            new = _redact_header(session, name, raw, f"{where}header {name}")
        if new is None:
            new_items.append((name, raw))
            continue
        changed = True
        try:
            new_items.append((name, _POLICY.header_store_parse(name, new)[1]))
        except (HeaderParseError, IndexError, ValueError, TypeError):
            # A header Python cannot parse as its kind (a broken address list): store the
            # redacted text as an encoded unstructured value.
            new_items.append((name, _fallback_header_value(name, str(new))))
    if changed:
        for name in {n for n, _ in items}:
            del part[name]
        for name, value in new_items:
            part.set_raw(name, value)
    for header in _PARAM_HEADERS:
        if header in part:
            _redact_params(session, part, header, where)


def _redact_header(session: Session, name: str, raw: str, where: str) -> Any:
    """The new value of one header (a str or address groups), or None if unchanged."""
    raw = _from_raw(raw)
    unfolded = "".join(raw.splitlines())
    try:
        header = _POLICY.header_factory(name, unfolded)
    except Exception:  # a header the registry cannot parse: treat it as plain text
        header = None
    if isinstance(header, AddressHeader):
        return _redact_addresses(session, header, unfolded, where)
    decoded = str(header) if header is not None else _decode_words(unfolded)
    new = session.redact(decoded, where)
    return new if new != decoded else None


def _from_raw(value: str) -> str:
    """Text the parser kept as raw 8-bit bytes (surrogate escapes), read as UTF-8 or Latin-1."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode_words(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # malformed encoded words: scan the text as it stands
        return value


def _redact_addresses(
    session: Session, header: AddressHeader, raw: str, where: str
) -> list[Group] | None:
    stitcher: Stitcher[tuple[str, int, int]] = Stitcher()
    for g, group in enumerate(header.groups):
        if group.display_name:
            stitcher.add(group.display_name, ("group", g, 0))
            stitcher.glue(": ")
        for a, addr in enumerate(group.addresses):
            if addr.display_name:
                stitcher.add(addr.display_name, ("name", g, a))
                stitcher.glue(" ")
            stitcher.glue("<")
            stitcher.add(addr.username, ("user", g, a))
            stitcher.glue("@")
            stitcher.add(addr.domain, ("domain", g, a))
            stitcher.glue(">, ")
        if group.display_name:
            stitcher.glue("; ")
    spans = session.redact_stitched(stitcher, where, token_per_piece=True)
    # Comments and other text the address parser set aside are not in the pieces above;
    # if the header as a whole holds a finding, rebuild it so they are dropped.
    leftover = session.find(_decode_words(raw)) if not spans else []
    if not spans and not leftover:
        return None
    if leftover:
        session.record(leftover, where)

    def piece(kind: str, g: int, a: int, text: str) -> str:
        return session.apply(text, spans.get((kind, g, a), []))

    groups: list[Group] = []
    for g, group in enumerate(header.groups):
        addresses = []
        for a, addr in enumerate(group.addresses):
            user = piece("user", g, a, addr.username)
            user = "".join(c if c.isascii() and c != MASK_CHAR else "X" for c in user)
            domain = addr.domain
            if piece("domain", g, a, domain) != domain:
                domain = "redacted.invalid"
            addresses.append(
                Address(
                    display_name=piece("name", g, a, addr.display_name),
                    username=user,
                    domain=domain,
                )
            )
        gname = piece("group", g, 0, group.display_name) if group.display_name else None
        groups.append(Group(gname, addresses))
    return groups


def _redact_params(session: Session, part: EmailMessage, header: str, where: str) -> None:
    params = part.get_params(header=header) or []
    stitcher: Stitcher[int] = Stitcher()
    values: dict[int, tuple[str, str]] = {}
    for i, (key, value) in enumerate(params[1:], 1):
        if key.lower() in _PROTOCOL_PARAMS or not value:
            continue
        text = _decode_words(collapse_rfc2231_value(value))
        values[i] = (key, text)
        # Underscores join words in file names; read them as spaces (same length).
        stitcher.add(text.replace("_", " "), i)
        stitcher.glue("\n")
    if not values:
        return
    spans = session.redact_stitched(
        stitcher, f"{where}header {header.title()}", token_per_piece=True
    )
    for origin, param_spans in spans.items():
        key, text = values[origin]
        new = session.apply(text, param_spans)
        if new == text:
            continue
        new = "".join(c if c.isprintable() else " " for c in new)
        charset = None if new.isascii() else "utf-8"
        try:
            part.set_param(key, new, header=header, charset=charset, replace=header in part)
        except (HeaderParseError, ValueError, TypeError):
            # The header will not take the new value: drop the parameter, never keep it.
            part.del_param(key, header=header)
