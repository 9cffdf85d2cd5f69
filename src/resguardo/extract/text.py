"""Plain text files (``.txt`` and friends): one document holding the decoded file, verbatim.

The text is exactly what decoding gives: line endings (``\\r\\n``, ``\\r``) are kept as they are
and nothing is normalized, so a finding's offsets index the file's text. A byte-order mark is
not part of the text. An empty file is an empty document, not an error: it was read, and
there is nothing in it.
"""

from __future__ import annotations

from collections.abc import Iterator

from resguardo.extract._base import Context, Item
from resguardo.extract.encoding import decode_text, is_binary

__all__ = ["extract_text"]


def extract_text(data: bytes, ctx: Context, charset: str | None = None) -> Iterator[Item]:
    """One document (local part ``None``), or an error if the bytes are not text.

    ``charset`` is the charset a container (a MIME part) declares for the bytes, if any.
    """
    decoded = decode_text(data, charset)
    if is_binary(data, decoded):
        yield ctx.error(None, "not text: the content is binary data")
        return
    yield from ctx.document(None, decoded.text, "text/plain", decoded.metadata())
