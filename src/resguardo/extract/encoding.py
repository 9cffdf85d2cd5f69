"""Bytes → text: BOM, then the declared charset, then UTF-8, then charset-normalizer.

No newline translation is done anywhere: ``\\r\\n`` stays ``\\r\\n``, so offsets into the
decoded text are offsets into exactly what the file says (after decoding).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

__all__ = ["Decoded", "decode_text", "is_binary", "looks_binary"]

# (BOM, codec) longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that mail and web software write for what is really Windows-1252 (as the WHATWG
# Encoding Standard does): bytes 0x80-0x9F are curly quotes and dashes, not C1 controls.
_LATIN1_LABELS = frozenset({"latin_1", "iso8859-1", "iso-8859-1", "cp1252", "windows-1252"})
_ASCII_LABELS = frozenset({"ascii", "us-ascii", "646"})

# Bytes that Windows-1252 leaves undefined are read as Latin-1, so this never fails.
_CP1252_ERRORS = "resguardo-cp1252-latin1"


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return bytes(bad).decode("latin-1"), err.end


codecs.register_error(_CP1252_ERRORS, _cp1252_fallback)

# Detection looks at the start of the data only: its cost grows with the input (seconds for
# tens of MB) and a megabyte tells the encoding as well as the whole file does.
_DETECT_SAMPLE = 1024 * 1024
# Matches this close to the best one count as ties.
_TIE = 1.0


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how it was obtained."""

    text: str
    #: Python codec name that produced ``text``.
    encoding: str
    #: ``"bom"``, ``"declared"``, ``"utf-8"``, ``"detected"`` or ``"fallback"`` (no encoding
    #: fitted; read as Windows-1252 so that nothing is lost).
    how: str
    #: Set when the declared charset was given but could not be used, and why.
    note: str | None = None

    def metadata(self) -> dict[str, str]:
        """Metadata entries describing the decoding, for :class:`Document`."""
        meta = {"encoding": self.encoding, "encoding_source": self.how}
        if self.note:
            meta["encoding_note"] = self.note
        return meta


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    # "base64" or "rot13" are codecs too, but not charsets.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _is_ascii(data: bytes) -> bool:
    return data.isascii()


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data``; ``declared`` is the charset its container claims, if any.

    Order: a byte-order mark wins; then the declared charset if the bytes are valid in it
    (except that valid non-ASCII UTF-8 labelled Latin-1 is read as UTF-8: the other way round
    it would be mojibake, and real Latin-1 text almost never forms valid UTF-8 sequences);
    then UTF-8; then charset-normalizer's best guess; then Windows-1252, which cannot fail.
    Never raises.
    """
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(bom_codec, errors="replace"), bom_codec, "bom")

    note: str | None = None
    codec = _codec(declared)
    if declared and codec is None:
        note = f"unknown charset {declared!r}"
    elif codec is not None:
        if codec in _ASCII_LABELS or codec in _LATIN1_LABELS:
            if _is_ascii(data):
                return Decoded(data.decode("ascii"), codec, "declared")
            text = _utf8(data)
            if text is not None:
                return Decoded(text, "utf-8", "utf-8", f"declared {declared!r} but is UTF-8")
            if codec in _LATIN1_LABELS:
                return Decoded(data.decode("cp1252", errors=_CP1252_ERRORS), "cp1252", "declared")
            note = f"declared {declared!r} but has 8-bit bytes"
        else:
            try:
                return Decoded(data.decode(codec), codec, "declared")
            except (UnicodeDecodeError, LookupError):
                note = f"bytes are not valid {declared!r}"

    text = _utf8(data)
    if text is not None:
        return Decoded(text, "utf-8", "utf-8", note)

    encoding = _detect(data[:_DETECT_SAMPLE])
    if encoding is not None:
        if encoding == "cp1252":
            return Decoded(data.decode("cp1252", errors=_CP1252_ERRORS), encoding, "detected", note)
        return Decoded(data.decode(encoding, errors="replace"), encoding, "detected", note)
    return Decoded(data.decode("cp1252", errors=_CP1252_ERRORS), "cp1252", "fallback", note)


def _detect(sample: bytes) -> str | None:
    """charset-normalizer's guess, preferring Windows-1252 among equally good single-byte guesses.

    Short Western-European texts fit many code pages equally well, and charset-normalizer
    then often names a Central-European one (``señor`` → ``seńor``). The documents here are
    English and Spanish from US agencies, so among tied guesses Windows-1252 is the likeliest.
    """
    if sample and len(sample) == _DETECT_SAMPLE:
        # Do not cut a multi-byte character in two at the end of the sample.
        cut = sample.rfind(b"\n")
        if cut > 0:
            sample = sample[: cut + 1]
    results = list(from_bytes(sample))
    if not results:
        return None
    best = results[0]
    for r in results:
        tied = (
            r.percent_chaos <= best.percent_chaos + _TIE
            and r.percent_coherence >= best.percent_coherence - _TIE
        )
        if tied and "cp1252" in r.could_be_from_charset:
            return "cp1252"
    return _codec(best.encoding)


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """True when the start of ``data`` is not text (NUL bytes or mostly control bytes).

    UTF-16/32 text has NULs too, so call this only after BOM and detection have failed.
    """
    head = data[:sample]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.1


_WIDE = ("utf-16", "utf-32", "utf_16", "utf_32")


def is_binary(data: bytes, decoded: Decoded) -> bool:
    """True when ``data`` is binary rather than text, given how it decoded.

    A BOM or a detected UTF-16/32 explains NUL bytes; otherwise NULs or many control bytes
    mean a binary file, even if the bytes happen to be valid UTF-8.
    """
    if decoded.how == "bom" or decoded.encoding.startswith(_WIDE):
        return False
    return looks_binary(data)
