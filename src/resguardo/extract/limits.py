"""Bounds on what extraction reads, so that hostile or broken input gives an error, not a hang."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits", "MiB"]

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Size, depth and count limits for extraction.

    Going over a limit never raises: the affected file, message or part yields an
    :class:`~resguardo.extract.document.ExtractError` naming the limit, and extraction goes on
    with whatever else can be read.
    """

    #: Largest file read whole into memory (every format except ``.mbox``, which is streamed).
    max_file_bytes: int = 100 * MiB
    #: Largest single message (an ``.eml`` file, or one message of an ``.mbox``); bigger ones
    #: are reported and not read. Reading a message takes up to about 8 times its size in
    #: memory, so this is what bounds the memory an mbox of any size needs (~200 MB at the
    #: default; most mail services refuse messages over 25 MB anyway).
    max_message_bytes: int = 25 * MiB
    #: Deepest nesting of multiparts, attached messages and attachments inside attachments.
    max_depth: int = 10
    #: Most MIME parts and attachments (all levels together) read from one message.
    max_parts: int = 500
    #: Largest decoded (base64 / quoted-printable) payload of one part.
    max_decoded_bytes: int = 50 * MiB
    #: Largest total uncompressed size of the members of a zip-based file (.docx, .xlsx).
    max_unzipped_bytes: int = 256 * MiB
    #: Most members in a zip-based file.
    max_zip_members: int = 10_000
    #: Most characters of text kept per document; the rest is cut off and reported.
    max_text_chars: int = 50_000_000
    #: Longest header value (characters) handed to the email header parser, whose cost
    #: grows faster than linearly with the header's length.
    max_header_chars: int = 4096

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = Limits()
