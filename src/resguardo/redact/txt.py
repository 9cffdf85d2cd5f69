"""Plain text: ``.txt`` files and ``text/plain`` email parts (including ``format=flowed``)."""

from __future__ import annotations

from resguardo.redact.encoding import decode_bytes, encode_text
from resguardo.redact.session import RedactedFile, ScanFn, Session, run_two_pass
from resguardo.redact.stitch import Stitcher
from resguardo.redact.text import RedactionStyle

__all__ = ["redact_plain", "redact_txt"]


def redact_txt(
    data: bytes, *, scan: ScanFn, style: RedactionStyle, propagate: bool = True
) -> RedactedFile:
    """Redact a plain-text file.

    The encoding is taken from a BOM, else UTF-8 if the bytes are valid UTF-8, else
    detected with charset-normalizer; the output keeps it when it can represent the
    replacements, else it is UTF-8 (see :mod:`resguardo.redact.encoding`). Line endings
    are untouched. Raises :class:`~resguardo.redact.encoding.UndecodableError` for
    binary data.
    """
    decoded = decode_bytes(data)

    def work(session: Session) -> bytes:
        redacted = session.redact(decoded.text, "text")
        if redacted == decoded.text:
            return data
        out, used = encode_text(redacted, decoded.encoding)
        if used != decoded.encoding:
            session.note(f"output written as {used}: {decoded.encoding} cannot hold the mask")
        return out

    out, session = run_two_pass(work, scan, style, propagate=propagate)
    return RedactedFile(out, session.summary("txt"))


def redact_plain(
    session: Session, text: str, where: str, *, flowed: bool = False, delsp: bool = False
) -> str:
    """Redact ``text``; with ``flowed`` (RFC 3676), soft-broken lines are scanned joined.

    In ``format=flowed`` a line ending in a space continues on the next line, so a value
    or its context can be cut in two by the sender's wrapping; the scan sees the joined
    paragraph, and a value that spanned the break is redacted together with the break.
    """
    if not flowed:
        return session.redact(text, where)
    stitcher: Stitcher[int] = Stitcher()
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        soft = body.endswith(" ") and body != "-- " and bool(ending)
        if soft:
            kept = body[:-1] if delsp else body
            stitcher.add(kept, 0, pos)
        else:
            stitcher.add(line, 0, pos)
        pos += len(line)
    spans = session.redact_stitched(stitcher, where).get(0, [])
    return session.apply(text, spans)
