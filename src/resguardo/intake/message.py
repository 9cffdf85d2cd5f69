"""A received message as request inference reads it: headers, body text and attachments.

``ParsedMessage`` is built from an already-parsed :class:`email.message.EmailMessage`
(:func:`parse_email`), from the bytes of an ``.eml`` (:func:`parse_email_bytes`) or of an
Outlook ``.msg`` (:func:`parse_msg_bytes`). No file is opened here: the CLI reads the file and
hands over its bytes. HTML bodies become text with the extraction helpers, and so do
attachments (PDF text layer, DOCX, text files); attached messages (``message/rfc822``, an
``.eml`` or ``.msg`` file, an Outlook embedded message) are parsed into nested
``ParsedMessage`` values, so that a forwarded request keeps its own sender and attachments.

Problems (an attachment that could not be read, a nesting limit reached) are recorded on the
message rather than raised: inference reports them as unknowns and fails closed.
"""

from __future__ import annotations

import contextlib
import email.policy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from resguardo.extract import Document, ExtractError
from resguardo.extract._base import Context
from resguardo.extract.dispatch import extract_bytes
from resguardo.extract.encoding import decode_text, looks_binary
from resguardo.extract.html import decode_html, html_to_text
from resguardo.extract.limits import Limits
from resguardo.messages import Joined, Msg

__all__ = [
    "Attachment",
    "BodyPart",
    "Mailbox",
    "MessageError",
    "ParsedMessage",
    "attachment_text",
    "mailboxes",
    "parse_address",
    "parse_addresses",
    "parse_email",
    "parse_email_bytes",
    "parse_msg_bytes",
]

#: Deepest chain of attached messages followed (a forward of a forward of ...).
MAX_NESTING = 6
#: Most parts read from one message, all levels together.
MAX_PARTS = 300
#: Largest attachment whose text is extracted.
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
_LIMITS = Limits(max_depth=4, max_parts=50, max_text_chars=2_000_000)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_NAMES = ("from", "to", "cc", "subject", "date", "message-id", "mime-version")


class MessageError(ValueError):
    """The bytes are not a message that can be read (empty, binary, no header fields)."""


@dataclass(frozen=True, slots=True)
class Mailbox:
    """One address from a header: the display name as written and the address."""

    name: str
    address: str

    @property
    def domain(self) -> str:
        """The part after ``@``, lower case ("" when there is none)."""
        _, _, domain = self.address.rpartition("@")
        return domain.lower().strip(".") if "@" in self.address else ""

    @property
    def local(self) -> str:
        """The part before ``@``, lower case."""
        return self.address.rpartition("@")[0].lower() if "@" in self.address else ""

    def __str__(self) -> str:
        if self.name and self.address:
            return f"{self.name} <{self.address}>"
        return self.name or self.address


@dataclass(frozen=True, slots=True)
class BodyPart:
    """One inline body part as text (HTML already turned into text)."""

    content_type: str
    text: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attached file or message.

    ``text`` is what could be read from a file (``None`` when nothing could be); ``message``
    is set for an attached message instead; ``problem`` says why no text was read.
    """

    name: str | None
    content_type: str
    text: str | None = None
    message: ParsedMessage | None = None
    problem: str | None = None
    inline_image: bool = False

    @property
    def label(self) -> str:
        """How to call the attachment in evidence: its file name, else its type."""
        return self.name or f"unnamed {self.content_type} attachment"


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """A message's headers, inline body parts and attachments."""

    sender: tuple[Mailbox, ...] = ()
    to: tuple[Mailbox, ...] = ()
    cc: tuple[Mailbox, ...] = ()
    subject: str = ""
    date: str | None = None
    bodies: tuple[BodyPart, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def from_(self) -> Mailbox | None:
        """The first From address, if any."""
        return self.sender[0] if self.sender else None

    @property
    def body(self) -> str:
        """The message text: the plain-text parts, or the HTML parts as text when there is
        no plain one (a ``multipart/alternative`` carries the same words twice)."""
        plain = [b.text for b in self.bodies if b.content_type != "text/html" and b.text.strip()]
        if plain:
            return "\n\n".join(plain)
        return "\n\n".join(b.text for b in self.bodies if b.text.strip())

    def walk(self) -> Iterator[ParsedMessage]:
        """This message and every attached message inside it, depth first."""
        yield self
        for a in self.attachments:
            if a.message is not None:
                yield from a.message.walk()

    def has_content(self) -> bool:
        """Whether any text at all could be read from the message or its attachments."""
        for m in self.walk():
            if m.subject.strip() or m.body.strip():
                return True
            if any(a.text and a.text.strip() for a in m.attachments):
                return True
        return False


# --------------------------------------------------------------------------- addresses


def _mailboxes(values: Iterable[Any]) -> tuple[Mailbox, ...]:
    out: list[Mailbox] = []
    for value in values:
        if value is None:
            continue
        try:
            out.extend(parse_addresses(str(value)))
        except Exception:  # a malformed header costs only its addresses
            continue
    return tuple(out)


_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.I)


def parse_address(value: str) -> Mailbox | None:
    """One sender as written in a forwarded header ("Last, First <a@b>", "a@b", a name)."""
    value = " ".join(value.replace("mailto:", "").split()).strip()
    if not value:
        return None
    m = _ADDRESS.search(value)
    if m is None:
        return Mailbox(value.strip(" \"'"), "")
    name = (value[: m.start()] + " " + value[m.end() :]).strip()
    name = re.sub(r"[<>\[\]()]+\s*$", "", name).strip()
    name = re.sub(r"^\s*[<>\[\]()]+", "", name).strip(" \"'")
    name = re.sub(r"\s*[<\[(]\s*$", "", name).strip()
    return Mailbox(name, m.group(0).lower())


def parse_addresses(value: str) -> tuple[Mailbox, ...]:
    """Recipients as written in a forwarded header (";" or "," between them)."""
    out: list[Mailbox] = []
    pos = 0
    for m in _ADDRESS.finditer(value):
        chunk = value[pos : m.end() + 1]
        pos = m.end() + 1
        name = chunk[: chunk.find(m.group(0))]
        name = re.sub(r"^[\s;,>\]]+", "", name)
        name = re.sub(r"[\s<\[(]*(mailto:)?$", "", name, flags=re.I).strip(" \"'")
        out.append(Mailbox(name, m.group(0).lower()))
    if not out and value.strip():
        out.extend(Mailbox(p.strip(" \"'"), "") for p in value.split(";") if p.strip())
    return tuple(out)


def mailboxes(text: str) -> tuple[Mailbox, ...]:
    """The addresses in a header value, display names kept whole: an unquoted
    ``Ana (HCA-ISD) <ana@x>`` keeps "(HCA-ISD)", which RFC 5322 calls a comment but which
    is how mail systems name an agency's office."""
    return parse_addresses(text)


def _header(msg: Message, name: str) -> list[Any]:
    # The raw values, RFC 2047 words decoded: the parsed address headers of policy.default
    # drop parenthesised comments, and "(HCA-ISD)" is exactly what names the office.
    out: list[Any] = []
    try:
        raw = [v for k, v in msg.raw_items() if k.lower() == name]
    except Exception:  # a header the policy cannot parse: treat as absent
        return []
    for value in raw:
        text = str(value)
        try:
            text = str(make_header(decode_header(" ".join(text.split()))))
        except Exception:  # undecodable encoded words: keep the text as it is
            text = " ".join(text.split())
        out.append(text)
    return out


def _text_header(msg: Message, name: str) -> str:
    values = _header(msg, name)
    if not values:
        return ""
    try:
        return " ".join(str(values[0]).split())
    except Exception:
        return ""


# --------------------------------------------------------------------------- email


@dataclass(slots=True)
class _Budget:
    parts: int = MAX_PARTS


def parse_email_bytes(data: bytes) -> ParsedMessage:
    """Parse the bytes of an RFC 5322 message (``.eml``); ``MessageError`` if it is not one."""
    if not data.strip():
        raise MessageError("the email is empty")
    head = data[:8192]
    if looks_binary(head) and not head.startswith(_OLE_MAGIC):
        raise MessageError("the file is binary, not an email message")
    if head.startswith(_OLE_MAGIC):
        return parse_msg_bytes(data)
    try:
        msg = BytesParser(policy=email.policy.default).parsebytes(data)
    except Exception as exc:  # the parser is lenient; anything it raises means unreadable
        raise MessageError(f"the email could not be parsed: {type(exc).__name__}") from exc
    if not isinstance(msg, EmailMessage) or not _looks_like_email(msg):
        raise MessageError("not an email message: it does not start with header fields")
    return parse_email(msg)


def _looks_like_email(msg: Message) -> bool:
    keys = {k.lower() for k in msg}
    return bool(keys & set(_HEADER_NAMES))


def parse_email(msg: EmailMessage) -> ParsedMessage:
    """The ``ParsedMessage`` of a message parsed with ``policy=email.policy.default``."""
    return _parse(msg, 0, _Budget())


def _parse(msg: Message, depth: int, budget: _Budget) -> ParsedMessage:
    bodies: list[BodyPart] = []
    attachments: list[Attachment] = []
    problems: list[str] = []
    _walk(msg, depth, budget, bodies, attachments, problems)
    return ParsedMessage(
        sender=_mailboxes(_header(msg, "from")),
        to=_mailboxes(_header(msg, "to")),
        cc=_mailboxes(_header(msg, "cc")),
        subject=_text_header(msg, "subject"),
        date=_text_header(msg, "date") or None,
        bodies=tuple(bodies),
        attachments=tuple(attachments),
        problems=tuple(problems),
    )


def _walk(
    part: Message,
    depth: int,
    budget: _Budget,
    bodies: list[BodyPart],
    attachments: list[Attachment],
    problems: list[str],
) -> None:
    if budget.parts <= 0:
        if not problems or "parts" not in problems[-1]:
            problems.append(Msg("intake.problem.too_many_parts", limit=str(MAX_PARTS)))
        return
    budget.parts -= 1
    ctype = part.get_content_type()
    payload = part.get_payload()
    if ctype.startswith("message/") and isinstance(payload, list):
        attachments.append(_attached_message(part, payload, depth, budget))
        return
    if part.is_multipart() and isinstance(payload, list):
        for sub in payload:
            if isinstance(sub, Message):
                _walk(sub, depth, budget, bodies, attachments, problems)
        return
    filename = _filename(part)
    disposition = part.get_content_disposition()
    if disposition != "attachment" and filename is None and ctype in ("text/plain", "text/html"):
        data = _payload(part)
        if data is None:
            problems.append(Msg("intake.problem.undecodable_part", content_type=ctype))
            return
        charset = part.get_content_charset()
        if ctype == "text/html":
            text = html_to_text(decode_html(data, charset).text)
        else:
            text = decode_text(data, charset).text
        bodies.append(BodyPart(ctype, text.replace("\r\n", "\n")))
        return
    attachments.append(_file_attachment(part, filename, ctype, depth, budget))


def _attached_message(part: Message, payload: list[Any], depth: int, budget: _Budget) -> Attachment:
    name = _filename(part)
    ctype = part.get_content_type()
    inner = next((m for m in payload if isinstance(m, Message)), None)
    if inner is None:
        return Attachment(name, ctype, problem=Msg("intake.problem.empty_attached_message"))
    if depth + 1 > MAX_NESTING:
        return Attachment(name, ctype, problem=Msg("intake.problem.nested_too_deeply"))
    return Attachment(name, ctype, message=_parse(inner, depth + 1, budget))


def _file_attachment(
    part: Message, filename: str | None, ctype: str, depth: int, budget: _Budget
) -> Attachment:
    inline_image = ctype.startswith("image/") and (
        part.get_content_disposition() == "inline" or part.get("content-id") is not None
    )
    data = _payload(part)
    if data is None:
        return Attachment(filename, ctype, problem=Msg("intake.problem.undecodable_content"))
    lower = (filename or "").lower()
    if ctype == "message/rfc822" or lower.endswith(".eml"):
        return _bytes_message(filename, ctype, data, depth, budget, parse_email_bytes)
    if lower.endswith(".msg") or data.startswith(_OLE_MAGIC):
        return _bytes_message(filename, ctype, data, depth, budget, parse_msg_bytes)
    text, problem = attachment_text(data, filename, ctype, part.get_content_charset())
    return Attachment(filename, ctype, text=text, problem=problem, inline_image=inline_image)


def _bytes_message(
    filename: str | None,
    ctype: str,
    data: bytes,
    depth: int,
    budget: _Budget,
    parse: Any,
) -> Attachment:
    if depth + 1 > MAX_NESTING:
        return Attachment(filename, ctype, problem=Msg("intake.problem.nested_too_deeply"))
    try:
        inner: ParsedMessage = parse(data)
    except MessageError as exc:
        return Attachment(filename, ctype, problem=str(exc))
    return Attachment(filename, ctype, message=inner)


def attachment_text(
    data: bytes, filename: str | None, content_type: str | None, charset: str | None = None
) -> tuple[str | None, str | None]:
    """The text of an attached file and, when some or all could not be read, why.

    Uses the extraction readers (text, HTML, PDF text layer, DOCX, XLSX, CSV) chosen by
    file name, declared type or content.
    """
    if len(data) > MAX_ATTACHMENT_BYTES:
        return None, "too large to read"
    ctx = Context.top(filename or "attachment", _LIMITS)
    texts: list[str] = []
    errors: list[str] = []
    try:
        for item in extract_bytes(
            data, ctx, filename=filename, content_type=content_type, charset=charset
        ):
            if isinstance(item, Document):
                texts.append(item.text)
            elif isinstance(item, ExtractError):
                errors.append(item.reason)
    except Exception as exc:  # a reader failure must not cost the message
        errors.append(Msg("intake.problem.reader_failed", error=type(exc).__name__))
    text = "\n\n".join(t for t in texts if t.strip()).replace("\r\n", "\n")
    problem = Joined("; ", errors) if errors else None
    return (text or None), (problem if problem or text else Msg("intake.problem.no_text_read"))


def _payload(part: Message) -> bytes | None:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        return None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "replace") if isinstance(raw, str) else None


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        return None
    if not name:
        return None
    name = " ".join(str(name).split())
    return name or None


# --------------------------------------------------------------------------- Outlook .msg


def parse_msg_bytes(data: bytes) -> ParsedMessage:
    """Parse an Outlook ``.msg`` file with extract-msg; ``MessageError`` if it is not one."""
    if not data.startswith(_OLE_MAGIC) or len(data) < 1536:
        raise MessageError("not an Outlook .msg file (not an OLE compound file)")
    import extract_msg
    from extract_msg.enums import ErrorBehavior

    behaviour = (
        ErrorBehavior.ATTACH_SUPPRESS_ALL
        | ErrorBehavior.RTFDE
        | ErrorBehavior.STANDARDS_VIOLATION
        | ErrorBehavior.NAMED_NAME_STREAM
    )
    try:
        msg = extract_msg.openMsg(data, strict=False, errorBehavior=behaviour)
    except Exception as exc:  # extract-msg and olefile raise many kinds of errors
        raise MessageError(f"not a readable Outlook .msg file: {type(exc).__name__}") from exc
    try:
        return _msg(msg, 0, _Budget())
    except MessageError:
        raise
    except Exception as exc:
        raise MessageError(f"the .msg file could not be read: {type(exc).__name__}") from exc
    finally:
        with contextlib.suppress(Exception):
            msg.close()


def _get(obj: Any, attr: str) -> Any:
    try:
        return getattr(obj, attr)
    except Exception:  # a damaged property: treat as absent
        return None


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return decode_text(value).text
    return str(value)


def _msg(msg: Any, depth: int, budget: _Budget) -> ParsedMessage:
    problems: list[str] = []
    bodies: list[BodyPart] = []
    body = _str(_get(msg, "body"))
    if body.strip():
        bodies.append(BodyPart("text/plain", body.replace("\r\n", "\n")))
    else:
        html = _get(msg, "htmlBody")
        if isinstance(html, bytes) and html.strip():
            bodies.append(BodyPart("text/html", html_to_text(decode_html(html).text)))
    attachments: list[Attachment] = []
    for att in _get(msg, "attachments") or []:
        if budget.parts <= 0:
            problems.append(Msg("intake.problem.too_many_parts", limit=str(MAX_PARTS)))
            break
        budget.parts -= 1
        attachments.append(_msg_attachment(att, depth, budget))
    return ParsedMessage(
        sender=mailboxes(_str(_get(msg, "sender"))),
        to=mailboxes(_str(_get(msg, "to"))),
        cc=mailboxes(_str(_get(msg, "cc"))),
        subject=" ".join(_str(_get(msg, "subject")).split()),
        date=_str(_get(msg, "date")) or None,
        bodies=tuple(bodies),
        attachments=tuple(attachments),
        problems=tuple(problems),
    )


def _msg_attachment(att: Any, depth: int, budget: _Budget) -> Attachment:
    name = None
    for attr in ("longFilename", "shortFilename", "displayName", "name"):
        value = _get(att, attr)
        if isinstance(value, str) and value.strip():
            name = " ".join(value.split())
            break
    mimetype = _get(att, "mimetype")
    ctype = mimetype if isinstance(mimetype, str) and mimetype else "application/octet-stream"
    data = _get(att, "data")
    if data is not None and not isinstance(data, bytes):
        # An embedded message: extract-msg gives the parsed message object.
        if depth + 1 > MAX_NESTING:
            return Attachment(
                name, "message/rfc822", problem=Msg("intake.problem.nested_too_deeply_short")
            )
        try:
            return Attachment(name, "message/rfc822", message=_msg(data, depth + 1, budget))
        except Exception as exc:
            return Attachment(
                name,
                "message/rfc822",
                problem=Msg("intake.problem.unreadable", error=type(exc).__name__),
            )
    if not isinstance(data, bytes):
        return Attachment(name, ctype, problem=Msg("intake.problem.no_content"))
    lower = (name or "").lower()
    if lower.endswith(".eml"):
        return _bytes_message(name, ctype, data, depth, budget, parse_email_bytes)
    text, problem = attachment_text(data, name, ctype)
    return Attachment(name, ctype, text=text, problem=problem)
