"""Property tests: any bytes in, documents or errors out; never an exception or a crash."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resguardo.extract import Document, ExtractError, Limits, extract_path
from resguardo.extract.email_message import decode_base64
from resguardo.extract.encoding import decode_text
from resguardo.extract.html import html_to_text
from resguardo.extract.mbox import split_mbox

SPI = Path(__file__).resolve().parent.parent / "data" / "spi-dev" / "eml"
SAMPLES = [p.read_bytes() for p in sorted(SPI.glob("*.eml"))[:8]]
SMALL = Limits(max_text_chars=100_000, max_depth=6, max_parts=50)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def _extract(folder: Path, name: str, data: bytes) -> list[Document | ExtractError]:
    path = folder / name
    path.write_bytes(data)
    items = list(extract_path(path, limits=SMALL))
    for item in items:
        assert isinstance(item, Document | ExtractError)
        if isinstance(item, ExtractError):
            # Known problems have their own messages; "could not read" is the catch-all for
            # an exception nobody anticipated.
            assert not item.reason.startswith("could not read"), item.reason
            assert "\n" not in item.reason
        else:
            # No surrogate escapes left over from 8-bit headers: the text must encode.
            item.text.encode("utf-8")
    return items


_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_settings
@given(data=st.binary(max_size=4000))
@pytest.mark.parametrize("name", ["x.eml", "x.mbox", "x.txt", "x.csv", "x.html"])
def test_arbitrary_bytes(folder: Path, name: str, data: bytes) -> None:
    _extract(folder, name, data)


@_settings
@given(data=st.binary(max_size=3000))
@pytest.mark.parametrize("name", ["x.pdf", "x.docx", "x.xlsx", "x.msg"])
def test_arbitrary_bytes_binary_formats(folder: Path, name: str, data: bytes) -> None:
    items = _extract(folder, name, data)
    assert items  # at least an error saying why nothing was read


@_settings
@given(
    sample=st.sampled_from(SAMPLES),
    cut=st.floats(min_value=0, max_value=1),
    junk=st.binary(min_size=1, max_size=64),
)
def test_damaged_real_messages(folder: Path, sample: bytes, cut: float, junk: bytes) -> None:
    at = int(len(sample) * cut)
    _extract(folder, "damaged.eml", sample[:at] + junk + sample[at:])
    _extract(folder, "truncated.eml", sample[:at])


@_settings
@given(text=st.text(max_size=2000))
def test_utf8_text_is_returned_exactly(folder: Path, text: str) -> None:
    text = text.encode("utf-8", "replace").decode("utf-8")
    if "\x00" in text or any(ord(c) < 32 and c not in "\t\n\r\f\x1b" for c in text):
        return  # control characters make it binary, which is an error by design
    items = _extract(folder, "t.txt", text.encode("utf-8"))
    assert [i.text for i in items if isinstance(i, Document)] == [text]


@given(html=st.text(max_size=2000))
def test_html_to_text_never_raises(html: str) -> None:
    assert isinstance(html_to_text(html), str)


@given(data=st.binary(max_size=2000), declared=st.sampled_from([None, "utf-8", "latin-1", "x"]))
def test_decode_text_never_raises(data: bytes, declared: str | None) -> None:
    assert isinstance(decode_text(data, declared).text, str)


@given(data=st.binary(max_size=2000))
def test_decode_base64_never_raises(data: bytes) -> None:
    assert isinstance(decode_base64(data)[0], bytes)


_LINE = st.text(alphabet="abcFrom >\r", max_size=30).filter(lambda s: "\r" not in s)


@given(bodies=st.lists(st.lists(_LINE, max_size=6), min_size=1, max_size=6))
def test_mbox_split_roundtrip(bodies: list[list[str]]) -> None:
    messages = []
    for lines in bodies:
        # An mboxrd writer escapes every (>*)From line; the reader must undo exactly that.
        escaped = [(">" + ln if ln.lstrip(">").startswith("From ") else ln) for ln in lines]
        messages.append(("Subject: s\n\n" + "".join(ln + "\n" for ln in lines), escaped))
    data = b"".join(
        b"From x@y Thu May  9 11:58:36 2019\n"
        + ("Subject: s\n\n" + "".join(ln + "\n" for ln in escaped)).encode()
        + b"\n"
        for _, escaped in messages
    )
    out = list(split_mbox(io.BytesIO(data), 10**6))
    assert out == [m.encode() for m, _ in messages]
