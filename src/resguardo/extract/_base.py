"""Shared plumbing for the format modules: where content sits (part ids, depth), and limits.

Every format module exposes a handler ``(data: bytes, ctx: Context) -> Iterator[Item]``. The
handler names its documents by *local* part ids (``"sheet:Data"``, ``"body"``, ``None``);
:meth:`Context.part` puts the container's id in front, so a sheet of a workbook attached to a
message comes out as ``"attachment:book.xlsx/sheet:Data"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from resguardo.extract.document import Document, ExtractError
from resguardo.extract.limits import Limits, MiB

__all__ = [
    "Budget",
    "Context",
    "Handler",
    "Item",
    "guarded",
    "human_size",
    "one_line",
]

Item = Document | ExtractError


@dataclass(slots=True)
class Budget:
    """Parts left to read in one message (shared by all its nested parts and attachments)."""

    left: int
    reported: bool = False

    def take(self) -> bool:
        """Use up one part; False once the budget is spent."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True


@dataclass(frozen=True, slots=True)
class Context:
    """Where the content being read comes from, and how much more may be read."""

    source: str
    limits: Limits
    prefix: str | None = None
    depth: int = 0
    budget: Budget = field(default_factory=lambda: Budget(0))
    metadata: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def top(cls, source: str, limits: Limits) -> Context:
        """A context for a whole file (or one message of an mbox)."""
        return cls(source=source, limits=limits, budget=Budget(limits.max_parts))

    def part(self, name: str | None) -> str | None:
        """The full part id of the local part ``name`` (``None``: the container itself)."""
        if name is None:
            return self.prefix
        if self.prefix is None:
            return name
        return f"{self.prefix}/{name}"

    def nested(self, name: str | None, **metadata: str) -> Context:
        """A context one level deeper, for the content of local part ``name``."""
        meta = {**self.metadata, **metadata} if metadata else self.metadata
        return replace(self, prefix=self.part(name), depth=self.depth + 1, metadata=meta)

    def deeper(self) -> Context:
        """The same place one nesting level down (a multipart inside a multipart)."""
        return replace(self, depth=self.depth + 1)

    def with_metadata(self, metadata: Mapping[str, str]) -> Context:
        """The same place, with ``metadata`` attached to every document read from here."""
        return replace(self, metadata=metadata)

    def too_deep(self) -> bool:
        """True when this context is nested deeper than the limit allows."""
        return self.depth > self.limits.max_depth

    def error(self, name: str | None, reason: str) -> ExtractError:
        """An error for local part ``name``."""
        return ExtractError(source=self.source, part=self.part(name), reason=one_line(reason))

    def document(
        self,
        name: str | None,
        text: str,
        content_type: str = "text/plain",
        metadata: Mapping[str, str] | None = None,
    ) -> Iterator[Item]:
        """The document for local part ``name``, cut to ``max_text_chars`` (the cut reported)."""
        meta = {**self.metadata, **metadata} if metadata else dict(self.metadata)
        limit = self.limits.max_text_chars
        if len(text) > limit:
            yield Document(self.source, self.part(name), text[:limit], content_type, meta)
            yield self.error(
                name,
                f"text is {len(text):,} characters; only the first {limit:,} were kept "
                "(max_text_chars limit)",
            )
        else:
            yield Document(self.source, self.part(name), text, content_type, meta)


#: A format reader: the bytes, where they come from, and the charset a container declares
#: for them (used by the text formats only).
Handler = Callable[[bytes, Context, str | None], Iterator[Item]]


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, at most ``limit`` characters (reasons are read by people)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def human_size(n: int) -> str:
    """A byte count for people: ``"12.5 MB"`` (MiB), ``"840 bytes"``."""
    if n < 1024:
        return f"{n} bytes"
    if n < MiB:
        return f"{n / 1024:.1f} KB"
    return f"{n / MiB:.1f} MB"


def guarded(items: Iterator[Item], ctx: Context, what: str) -> Iterator[Item]:
    """Pass ``items`` through; turn an exception into an error, keeping what came before it.

    Format modules report the problems they know about themselves. This is the last line for
    the ones nobody foresaw in a third-party parser: the file is reported as unreadable and
    extraction goes on with the next one, instead of the whole run stopping.
    """
    try:
        yield from items
    except RecursionError:
        yield ctx.error(None, f"{what} is nested too deeply to read")
    except MemoryError:
        yield ctx.error(None, f"{what} needs more memory than is available to read")
    except Exception as exc:  # any parser failure must become a reported error
        detail = str(exc) or "no details"
        yield ctx.error(None, f"could not read {what}: {type(exc).__name__}: {detail}")
