"""Unix mailboxes (``.mbox``): streamed one message at a time, in bounded memory.

Why not :class:`mailbox.mbox`: it first scans the whole file to build a table of contents
(nothing can be scanned until a 1 GB file has been read once, and the table grows with the
number of messages), then reads each message again; and it treats every line starting with
``From `` as a separator. This reader makes one pass, keeps only the current message (at
most ``max_message_bytes``; a bigger one is skipped to its end and reported), and reads the
file in fixed-size chunks, so that a file with no line breaks cannot make it hold more.

A message starts at a ``From `` line at the start of the file, after an empty line (the
mboxrd/mboxo convention, which keeps an unescaped ``From `` in a body from splitting a
message), or anywhere when it is a full envelope line (``From sender Thu May  9 11:58:36
2019``), since some exporters leave out the empty line. ``>From `` lines (any number of
``>``) lose one ``>``, as mboxrd writers escape them. Text before the first ``From `` line,
if not blank, is read as a message too, so a mislabelled ``.eml`` is still read. Each
message's ``source`` is ``<file>#N``, N counting from 1.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from resguardo.extract._base import Context, Item, guarded, human_size
from resguardo.extract.document import ExtractError
from resguardo.extract.email_message import extract_email
from resguardo.extract.limits import Limits

__all__ = ["extract_mbox", "iter_mbox", "split_mbox"]

_CHUNK = 1024 * 1024
_SEPARATOR = b"\nFrom "
# "From sender Thu May  9 11:58:36 2019": an envelope line, even without a blank line before.
_ENVELOPE = re.compile(
    rb"From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +"
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d\d"
)
_ENVELOPE_PEEK = 200
_ESCAPED_FROM = re.compile(rb"(?m)^>(>*From )")


def split_mbox(f: BinaryIO, max_message_bytes: int) -> Iterator[bytes | int]:
    """The messages of the mbox ``f``, in order: their bytes, or their size when too big.

    Reads ``f`` in chunks. ``window`` is scanned for separators and stays under two chunks;
    what lies before it in the current message waits in ``pieces``, so that a message is
    copied once, when it is complete.
    """
    window = bytearray()
    pieces: list[bytes] = []
    held = 0  # bytes in pieces
    over = False  # the current message is over the limit: its bytes are not kept
    # The two bytes before window[0], for the blank-line test at window[0]: "x\n" means
    # window[0] starts a line that follows a non-blank one.
    before = b"x\n"
    scan = 0  # where to look for the next separator
    in_from_line = False  # window starts inside a "From " line, to be dropped
    leading = True  # collecting text before the first "From " line
    eof = False

    def fill() -> bool:
        chunk = f.read(_CHUNK)
        window.extend(chunk)
        return bool(chunk)

    def at(k: int) -> int:
        return window[k] if k >= 0 else before[k]

    def take(end: int) -> bytes | int:
        """The current message, made of pieces and window[:end]."""
        size = held + end
        if over or size > max_message_bytes:
            return size
        # The empty line before the next "From " belongs to the separator. Cut it before
        # joining: cutting after would copy the whole message once more.
        tail = bytes(window[max(0, end - 4) : end])
        if len(tail) < 4 and pieces:
            tail = (pieces[-1][-4:] + tail)[-4:]
        strip = 2 if tail.endswith(b"\r\n\r\n") else 1 if tail.endswith(b"\n\n") else 0
        if strip <= end:
            data = b"".join([*pieces, memoryview(window)[: end - strip]])
        else:  # the blank line straddles the last piece and the window (rare)
            data = b"".join([*pieces, memoryview(window)[:end]])[:-strip]
        return _ESCAPED_FROM.sub(rb"\1", data) if b">From " in data else data

    def separator(start: int) -> tuple[int, int]:
        """The next separator at or after ``start`` (or -1), and where to search next."""
        i = window.find(_SEPARATOR, start)
        while i >= 0:
            if at(i - 1) == 0x0A or (at(i - 1) == 0x0D and at(i - 2) == 0x0A):
                return i, 0
            line = window[i + 1 : i + 1 + _ENVELOPE_PEEK]
            if _ENVELOPE.match(line):
                return i, 0
            if len(line) < _ENVELOPE_PEEK and b"\n" not in line and not eof:
                return -1, i  # the line is not all read yet: decide when it is
            i = window.find(_SEPARATOR, i + 1)
        return -1, max(0, len(window) - len(_SEPARATOR) + 1)

    def is_blank(end: int) -> bool:
        return not any(p.strip() for p in pieces) and not window[:end].strip()

    while len(window) < 5 and fill():
        pass
    if window.startswith(b"From "):
        in_from_line, leading = True, False

    while True:
        if in_from_line:
            newline = window.find(b"\n")
            if newline < 0:
                window.clear()  # an over-long separator line: nothing in it is kept
                if not fill():
                    yield b""
                    return
                continue
            before = b"x\n"
            del window[: newline + 1]
            in_from_line, scan = False, 0
            pieces, held, over = [], 0, False
            continue
        i, scan = separator(scan)
        if i >= 0:
            end = i + 1
            found = [take(end)] if not leading or not is_blank(end) else []
            # Let go of the message's parts before handing it out, and hand it out with
            # pop(): a local variable would keep it alive while the caller reads it.
            pieces, held = [], 0
            del window[:end]
            leading, in_from_line = False, True
            if found:
                yield found.pop()
            continue
        # No separator yet. Move the window up to where the search resumes (a separator may
        # span two chunks) to the pieces of the message.
        if len(window) > _CHUNK and scan > 2:
            cut = scan
            before = bytes(window[cut - 2 : cut])
            if not over:
                pieces.append(bytes(window[:cut]))
            held += cut
            if held > max_message_bytes and not over:
                over, pieces = True, []
            del window[:cut]
            scan = 0
        if not fill():
            eof = True
            i, _ = separator(scan)
            if i >= 0:
                continue  # a separator whose envelope line had not been read in full
            if not leading or not is_blank(len(window)):
                found = [take(len(window))]
                window.clear()
                pieces = []
                yield found.pop()
            return


def iter_mbox(path: Path, source: str, limits: Limits) -> Iterator[Item]:
    """Every message of the mbox file at ``path``; ``source`` names the file in reports."""
    try:
        f = path.open("rb")
    except OSError as exc:
        yield ExtractError(source, None, f"cannot open: {exc.strerror or exc}")
        return
    with f:
        yield from _messages(f, source, limits)


def extract_mbox(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """An mbox held in memory (an attached one): its messages as attachments ``#N``."""
    yield from _messages(io.BytesIO(data), ctx.source, ctx.limits, ctx)


def _messages(
    f: BinaryIO, source: str, limits: Limits, parent: Context | None = None
) -> Iterator[Item]:
    n = 0
    for n, message in enumerate(split_mbox(f, limits.max_message_bytes), 1):
        ctx = Context.top(f"{source}#{n}", limits) if parent is None else parent.nested(f"#{n}")
        if isinstance(message, int):
            yield ctx.error(
                None,
                f"message is {human_size(message)}, over the "
                f"{human_size(limits.max_message_bytes)} limit (max_message_bytes); not read",
            )
            continue
        yield from guarded(extract_email(message, ctx), ctx, "message")
        # Free this message before the splitter builds the next one.
        del message
    if n == 0:
        where = Context.top(source, limits) if parent is None else parent
        yield where.error(None, "mbox has no messages")
