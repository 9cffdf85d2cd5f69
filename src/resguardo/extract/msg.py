"""Outlook ``.msg`` files, read with extract-msg.

Part ids follow the email scheme (:mod:`resguardo.extract.email_message`): ``header:subject``,
``body`` (the plain-text body; from the RTF body when there is no plain one), ``body.html``
(only when the file has a real HTML body, not one extract-msg would make from the plain
text), and ``attachment:<filename>`` with the attachment's own parts after a ``/``. Embedded
messages are read recursively; attached files go through the same dispatcher as email
attachments, by filename.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resguardo.extract._base import Context, Item, guarded, human_size
from resguardo.extract._zip import OLE_MAGIC
from resguardo.extract.html import decode_html, html_document

__all__ = ["extract_msg_file"]

_HTML_STREAM = "__substg1.0_10130102"
_MIN_OLE_SIZE = 1536  # olefile treats shorter bytes as a file *name*


def extract_msg_file(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """The subject, bodies and attachments of an Outlook message."""
    if not data.startswith(OLE_MAGIC) or len(data) < _MIN_OLE_SIZE:
        yield ctx.error(None, "not an Outlook .msg file (not an OLE compound file)")
        return
    import extract_msg
    from extract_msg.enums import ErrorBehavior

    # Tolerate broken attachments and RTF so that the rest of the message is still read;
    # broken attachments are reported below.
    behaviour = (
        ErrorBehavior.ATTACH_SUPPRESS_ALL
        | ErrorBehavior.RTFDE
        | ErrorBehavior.STANDARDS_VIOLATION
        | ErrorBehavior.NAMED_NAME_STREAM
    )
    try:
        msg = extract_msg.openMsg(data, strict=False, errorBehavior=behaviour)
    except Exception as exc:  # extract-msg and olefile raise many kinds of errors
        yield ctx.error(None, f"not a readable Outlook .msg file: {type(exc).__name__}: {exc}")
        return
    try:
        yield from _message(msg, ctx)
    finally:
        msg.close()


def _get(obj: Any, attr: str) -> Any:
    try:
        return getattr(obj, attr)
    except Exception:  # a damaged property: treat as absent
        return None


def _message(msg: Any, ctx: Context) -> Iterator[Item]:
    meta: dict[str, str] = {}
    for attr, key in (("sender", "from"), ("to", "to"), ("cc", "cc"), ("date", "date"),
                      ("messageId", "message_id")):  # fmt: skip
        value = _get(msg, attr)
        if value:
            meta[key] = " ".join(str(value).split())[:1000]
    ctx = ctx.with_metadata(meta)

    subject = _get(msg, "subject")
    if isinstance(subject, str) and subject.strip():
        yield from ctx.document("header:subject", subject)

    body = _get(msg, "body")
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    html: bytes | None = None
    try:
        html = msg.getStream(_HTML_STREAM)
    except Exception:
        html = None
    if html is None and not body:
        # The body may be only in RTF with HTML inside; extract-msg de-encapsulates it.
        generated = _get(msg, "htmlBody")
        html = generated if isinstance(generated, bytes) else None
    if isinstance(body, str) and body:
        yield from ctx.document("body", body)
    if html:
        yield from html_document(ctx, "body.html", decode_html(html))
    if not body and not html and _get(msg, "rtfBody"):
        yield ctx.error("body", "the body is only in RTF and could not be converted; not read")

    yield from _attachments(msg, ctx)


def _attachments(msg: Any, ctx: Context) -> Iterator[Item]:
    from extract_msg.enums import AttachmentType

    from resguardo.extract import dispatch  # dispatch imports this module

    attachments = _get(msg, "attachments") or []
    used: set[str] = set()
    for i, att in enumerate(attachments, 1):
        if not ctx.budget.take():
            if not ctx.budget.reported:
                ctx.budget.reported = True
                yield ctx.error(
                    None,
                    f"message has more than {ctx.limits.max_parts} parts; the rest were not "
                    "read (max_parts)",
                )
            return
        filename = None
        for attr in ("longFilename", "shortFilename", "displayName", "name"):
            value = _get(att, attr)
            if isinstance(value, str) and value.strip():
                filename = " ".join(value.split())
                break
        label = (filename or str(i)).replace("/", "_").replace("\\", "_")
        label = "".join(c for c in label if c.isprintable())[:200] or "_"
        name, n = f"attachment:{label}", 1
        while name in used:
            n += 1
            name = f"attachment:{label} ({n})"
        used.add(name)
        sub = ctx.nested(name, filename=filename or "")
        if sub.too_deep():
            yield ctx.error(
                name, f"attachment nested more than {ctx.limits.max_depth} levels deep; not read"
            )
            continue
        kind = _get(att, "type")
        data = _get(att, "data")
        if kind in (AttachmentType.MSG, AttachmentType.SIGNED_EMBEDDED) and data is not None:
            yield from guarded(_message(data, sub), sub, "embedded message")
        elif isinstance(data, bytes):
            if len(data) > ctx.limits.max_decoded_bytes:
                yield sub.error(
                    None,
                    f"attachment is {human_size(len(data))}, over the "
                    f"{human_size(ctx.limits.max_decoded_bytes)} limit (max_decoded_bytes); "
                    "not read",
                )
                continue
            mimetype = _get(att, "mimetype")
            yield from dispatch.extract_bytes(
                data,
                sub,
                filename=filename,
                content_type=mimetype if isinstance(mimetype, str) else None,
            )
        else:
            what = getattr(kind, "name", "unknown").lower()
            yield sub.error(None, f"attachment of type {what} has no content that can be read")
