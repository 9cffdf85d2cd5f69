"""Mailboxes: splitting, numbering, escaping, limits, bounded memory."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

from extract_builders import collect, write

from resguardo.extract import Limits
from resguardo.extract.mbox import split_mbox


def _msg(subject: str, body: str) -> bytes:
    return f"From: a@state.nm.us\nSubject: {subject}\n\n{body}".encode()


def _mbox(*messages: bytes, sep: bytes = b"\n") -> bytes:
    out = b""
    for m in messages:
        out += b"From a@state.nm.us Thu May  9 11:58:36 2019" + sep + m + sep
    return out


def test_messages_are_numbered_from_one(tmp_path: Path) -> None:
    data = _mbox(_msg("one", "first\n"), _msg("two", "second\n"), _msg("three", "third\n"))
    path = write(tmp_path, "box.mbox", data)
    docs, errors = collect(path)
    assert errors == []
    assert [(d.source, d.part, d.text) for d in docs if d.part == "body"] == [
        (f"{path}#1", "body", "first\n"),
        (f"{path}#2", "body", "second\n"),
        (f"{path}#3", "body", "third\n"),
    ]


def test_from_lines_in_bodies(tmp_path: Path) -> None:
    body = "Hello\n>From the desk of\n>>From here\nFrom the office, not after a blank line\n"
    docs, errors = collect(write(tmp_path, "b.mbox", _mbox(_msg("s", body))))
    assert errors == []
    [text] = [d.text for d in docs if d.part == "body"]
    assert text == "Hello\nFrom the desk of\n>From here\nFrom the office, not after a blank line\n"


def test_envelope_lines_without_blank_line_before() -> None:
    env = b"From a@state.nm.us Thu May  9 11:58:36 2019\n"
    one, two = b"Subject: 1\n\none\n", b"Subject: 2\n\ntwo\n"
    assert list(split_mbox(io.BytesIO(env + one + env + two), 10**6)) == [one, two]
    # The envelope line of the second message falls across the 1 MiB read size.
    for shift in range(-120, 10, 3):
        first = b"Subject: 1\n\n" + b"a" * (2**20 - 56 + shift) + b"\n"
        assert list(split_mbox(io.BytesIO(env + first + env + two), 10**7)) == [first, two]


def test_crlf_mbox(tmp_path: Path) -> None:
    m1 = b"From: a@b\r\nSubject: one\r\n\r\nbody one\r\n"
    m2 = b"From: a@b\r\nSubject: two\r\n\r\nbody two\r\n"
    docs, errors = collect(write(tmp_path, "c.mbox", _mbox(m1, m2, sep=b"\r\n")))
    assert errors == []
    assert [d.text for d in docs if d.part == "body"] == ["body one\r\n", "body two\r\n"]


def test_oversize_message_is_skipped_and_reported(tmp_path: Path) -> None:
    big = _msg("big", "x" * 50_000 + "\n")
    data = _mbox(_msg("a", "small\n"), big, _msg("c", "after\n"))
    path = write(tmp_path, "o.mbox", data)
    docs, errors = collect(path, Limits(max_message_bytes=10_000))
    assert [d.text for d in docs if d.part == "body"] == ["small\n", "after\n"]
    assert [e.source for e in errors] == [f"{path}#2"]
    assert "max_message_bytes" in errors[0].reason


def test_oversize_single_line_message(tmp_path: Path) -> None:
    line = b"y" * 3_000_000  # one 3 MB line: read in chunks, never held whole
    data = _mbox(_msg("a", "ok\n"), b"Subject: line\n\n" + line + b"\n", _msg("c", "after\n"))
    docs, errors = collect(write(tmp_path, "l.mbox", data), Limits(max_message_bytes=100_000))
    assert [d.text for d in docs if d.part == "body"] == ["ok\n", "after\n"]
    assert len(errors) == 1


def test_text_before_first_from_line_is_a_message(tmp_path: Path) -> None:
    data = _msg("loose", "not in mbox form\n") + b"\n" + _mbox(_msg("b", "boxed\n"))
    docs, _ = collect(write(tmp_path, "x.mbox", data))
    assert [d.text for d in docs if d.part == "body"] == ["not in mbox form\n", "boxed\n"]


def test_empty_and_odd_mboxes(tmp_path: Path) -> None:
    _, errors = collect(write(tmp_path, "e.mbox", b""))
    assert [e.reason for e in errors] == ["mbox has no messages"]
    _, errors = collect(write(tmp_path, "w.mbox", b"\n\n   \n"))
    assert [e.reason for e in errors] == ["mbox has no messages"]
    docs, errors = collect(write(tmp_path, "f.mbox", b"From only a separator line"))
    assert docs == [] and [e.reason for e in errors] == ["empty message"]
    _, errors = collect(write(tmp_path, "j.mbox", bytes(range(256)) * 10))
    assert len(errors) == 1


def test_split_keeps_every_byte_of_every_message() -> None:
    messages = [_msg(str(i), f"line {i}\n" * (i * 37 % 500)) for i in range(200)]
    data = _mbox(*messages)
    out = list(split_mbox(io.BytesIO(data), 10**9))
    assert out == messages


def test_split_across_chunk_boundaries() -> None:
    # Separators land at every offset relative to the 1 MiB read size.
    messages = [b"Subject: %d\n\n" % i + b"z" * (100_003 + i) + b"\n" for i in range(40)]
    out = list(split_mbox(io.BytesIO(_mbox(*messages)), 10**9))
    assert out == messages


def test_streaming_memory_does_not_grow_with_the_mbox() -> None:
    # The 1 GB case (benchmarks/mbox_memory.py), scaled down: 40 MB of messages pass through
    # the splitter while it holds about one message and one read chunk.
    message = b"From x\nSubject: s\n\n" + b"some body text 585-20-1234\n" * 4000 + b"\n"
    data = message * 400
    assert len(data) > 40_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in split_mbox(io.BytesIO(data), 10**9))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 400
    assert peak < 5_000_000
