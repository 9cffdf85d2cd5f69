"""Outlook .msg files made in code, with extract-msg's own OLE writer (shared by the
extraction and intake tests: no Outlook is needed to make a real compound file)."""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence


def _props(entries: Sequence[tuple[int, bytes]], header: bytes) -> bytes:
    return header + b"".join(struct.pack("<II", tag, 6) + value for tag, value in entries)


def _string_prop(pid: int, text: str) -> tuple[int, bytes]:
    return (pid << 16 | 0x001F, struct.pack("<II", len(text.encode("utf-16-le")) + 2, 0))


def make_msg(
    subject: str,
    body: str,
    *,
    headers: str = "",
    html: bytes | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    embedded: tuple[str, str] | tuple[str, str, str] | None = None,
) -> bytes:
    """An Outlook message (IPM.Note) with Unicode string properties.

    ``headers`` become the transport headers (where Outlook keeps From/To); ``html`` is the
    HTML body; ``attachments`` are (filename, bytes) attached by value; ``embedded`` is the
    (subject, body[, headers]) of an attached message.
    """
    from extract_msg.ole_writer import OleWriter

    w = OleWriter()

    def string(prefix: str, pid: int, text: str) -> tuple[int, bytes]:
        w.addEntry(f"{prefix}__substg1.0_{pid:04X}001F", text.encode("utf-16-le"))
        return _string_prop(pid, text)

    top = [string("", 0x001A, "IPM.Note"), string("", 0x0037, subject), string("", 0x1000, body)]
    if headers:
        top.append(string("", 0x007D, headers + "\r\n"))
    if html is not None:
        w.addEntry("__substg1.0_10130102", html)
        top.append((0x1013 << 16 | 0x0102, struct.pack("<II", len(html), 0)))
    count = len(attachments) + (1 if embedded else 0)
    for i, (name, data) in enumerate(attachments):
        d = f"__attach_version1.0_#{i:08X}"
        w.addEntry(d, storage=True)
        w.addEntry(f"{d}/__substg1.0_37010102", data)
        entries = [
            (0x3705 << 16 | 0x0003, struct.pack("<II", 1, 0)),  # attach by value
            string(f"{d}/", 0x3707, name),
            (0x3701 << 16 | 0x0102, struct.pack("<II", len(data), 0)),
        ]
        w.addEntry(f"{d}/__properties_version1.0", _props(entries, b"\0" * 8))
    if embedded:
        d = f"__attach_version1.0_#{len(attachments):08X}"
        w.addEntry(d, storage=True)
        entries = [
            (0x3705 << 16 | 0x0003, struct.pack("<II", 5, 0)),  # embedded message
            string(f"{d}/", 0x3707, "forwarded.msg"),
        ]
        w.addEntry(f"{d}/__properties_version1.0", _props(entries, b"\0" * 8))
        e = f"{d}/__substg1.0_3701000D"
        w.addEntry(e, storage=True)
        inner = [
            string(f"{e}/", 0x001A, "IPM.Note"),
            string(f"{e}/", 0x0037, embedded[0]),
            string(f"{e}/", 0x1000, embedded[1]),
        ]
        if len(embedded) == 3 and embedded[2]:
            inner.append(string(f"{e}/", 0x007D, embedded[2] + "\r\n"))
        w.addEntry(
            f"{e}/__properties_version1.0", _props(inner, struct.pack("<8xIIII", 0, 0, 0, 0))
        )
    w.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        w.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    header = struct.pack("<8xIIII8x", 0, count, 0, count)
    w.addEntry("__properties_version1.0", _props(top, header))
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()
