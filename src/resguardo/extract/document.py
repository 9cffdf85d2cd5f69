"""What extraction produces: documents of text, or a clear error for what could not be read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Document", "ExtractError"]


@dataclass(frozen=True, slots=True)
class Document:
    """One piece of text taken from a file.

    ``source`` is the path as given (with ``#N`` for the N-th message of an mbox, counting
    from 1); ``part`` names the body part, header or attachment the text came from (``None``
    for a file that is one text, such as ``.txt``). Offsets of findings index ``text``.
    """

    source: str
    part: str | None
    text: str
    content_type: str = "text/plain"
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExtractError:
    """A file, message or part that could not be read, and why (one line, for a person)."""

    source: str
    part: str | None
    reason: str

    def __str__(self) -> str:
        where = self.source if self.part is None else f"{self.source} [{self.part}]"
        return f"{where}: {self.reason}"
