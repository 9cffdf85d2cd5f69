"""Bytes to text and back, keeping the original encoding where it can carry the result.

Output encoding rule (the same for ``.txt``, ``.csv`` and email parts): write the redacted
text in the encoding it was read in, so every byte outside a redacted span is unchanged.
When that encoding cannot represent a replacement (the mask character ``█`` is not in
ISO-8859-1, Windows-1252 or ASCII), the whole text is written as UTF-8 instead, and the
caller records a note (and, in email, updates the ``charset`` parameter). Label and hash
tokens are ASCII, so they never force the change. HTML is the exception: it keeps its
encoding and writes such characters as character references (``&#9608;``), which every
HTML reader decodes, so the ``<meta charset>`` in the document stays true.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

__all__ = [
    "Decoded",
    "UndecodableError",
    "codec_name",
    "decode_bytes",
    "encode_text",
    "looks_binary",
]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can identify."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and the Python codec it was read with (``utf-8-sig`` keeps a BOM on output)."""

    text: str
    encoding: str


def codec_name(name: str | None) -> str | None:
    """The Python codec name for a charset label, or None if unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):  # unknown, or not even a valid name (NUL bytes)
        return None


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` holds NUL bytes and is not UTF-16/32 with a byte-order mark."""
    if b"\x00" not in data:
        return False
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                data.decode(name)
            except UnicodeDecodeError:
                return True
            return False
    return True


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data``: by BOM, else the ``declared`` charset, else UTF-8, else detection.

    Raises :class:`UndecodableError` for data with NUL bytes (and no UTF-16/32 BOM) or
    that no encoding fits.

    A declared charset that fails to decode strictly is ignored rather than trusted with
    replacement characters, since mislabeled email parts are common.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError:
                break  # a BOM-like start on something else: look further
    if looks_binary(data):
        raise UndecodableError("the data holds NUL bytes: it is not text")
    tried: list[str] = []
    for candidate in (codec_name(declared), "utf-8"):
        if candidate is None or candidate in tried:
            continue
        tried.append(candidate)
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        # ASCII data decodes as anything; report the declared name so it is kept.
        return Decoded(text, candidate)
    name = _detect(data)
    return Decoded(data.decode(name), name)


# On short texts charset-normalizer often rates several code pages equally (Ñ and ñ are
# valid in all of them); the agency's legacy text is Windows-1252 or Latin-1, so a tie
# goes to those.
_PREFERRED = ("cp1252", "iso8859-1", "iso8859-15")


def _detect(data: bytes) -> str:
    matches = list(from_bytes(data))
    if not matches:
        raise UndecodableError("could not identify the text encoding")
    best = matches[0]
    tied = {
        codec_name(m.encoding)
        for m in matches
        if m.chaos <= best.chaos and m.coherence >= best.coherence
    }
    tied.update(codec_name(name) for name in best.could_be_from_charset)
    for name in _PREFERRED:
        if name in tied:
            return name
    return codec_name(best.encoding) or "utf-8"


def encode_text(text: str, encoding: str, *, html: bool = False) -> tuple[bytes, str]:
    """Encode ``text`` in ``encoding`` if it can; returns the bytes and the codec used.

    When it cannot, HTML gets character references in the same encoding and anything else
    becomes UTF-8 (with a BOM if the input had one).
    """
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:
        if html:
            return text.encode(encoding, errors="xmlcharrefreplace"), encoding
    fallback = "utf-8-sig" if encoding in ("utf-8-sig", "utf-16", "utf-32") else "utf-8"
    return text.encode(fallback), fallback
