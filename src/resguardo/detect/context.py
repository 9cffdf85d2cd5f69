"""What a detector sees: the text, the prefilter candidates and cheap views around a position."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from resguardo.detect.patterns import Candidate, fold_text

__all__ = ["ScanContext"]

T = TypeVar("T")

_MISSING: Any = object()


if TYPE_CHECKING:  # to type checkers it is cached_property: typed by its function, settable
    from functools import cached_property as _memo
else:

    class _memo:
        """``functools.cached_property`` without its lock.

        Python 3.11's takes a lock shared by every instance on each first read: every text
        pays for it, and threads scanning different texts wait on each other. A context
        belongs to one scan, so there is nothing to guard. Like cached_property this is a
        non-data descriptor: the value lands in the instance's ``__dict__``, later reads
        never come here, and assigning the attribute presets it.
        """

        def __init__(self, func):
            self.func = func
            self.name = func.__name__
            self.__doc__ = func.__doc__

        def __set_name__(self, owner, name):
            self.name = name

        def __get__(self, obj, owner=None):
            if obj is None:
                return self
            value = obj.__dict__[self.name] = self.func(obj)
            return value


_SENTENCE_END = ".!?\n"


@dataclass
class ScanContext:
    """One text under scan. Detectors read it; only :meth:`shared` memoizes into it."""

    text: str
    candidates: dict[str, list[Candidate]] = field(default_factory=dict)
    _shared: dict[str, object] = field(default_factory=dict, repr=False)

    def shared(self, key: str, build: Callable[[ScanContext], T]) -> T:
        """``build(self)``, computed once per text and shared by every detector that asks.

        For analyses several detectors need (a word index, table layout): the first caller
        pays, the others reuse. ``key`` names the analysis; one key, one ``build``.
        """
        # a lookup, not try/except: every text with a candidate misses once per key, and a
        # raised KeyError costs far more than the lookup
        value = self._shared.get(key, _MISSING)
        if value is _MISSING:
            value = self._shared[key] = build(self)
        return value  # type: ignore[return-value]

    def hits(self, key: str) -> list[Candidate]:
        """Candidates of one pattern key (empty when it did not match)."""
        return self.candidates.get(key, [])

    @_memo
    def folded(self) -> str:
        """The folded view of :attr:`text` (see :func:`fold_text`): ASCII, same offsets.

        The scanner folds each text once for its prefilter and hands the view over here, so
        detectors that match phrases in the text (the word index) need not fold it again.
        """
        return fold_text(self.text)

    @_memo
    def lower(self) -> str:
        """``text.lower()`` when that keeps every offset, else ``casefold``-free per-char lower.

        A handful of characters (e.g. 'İ') grow when lowered; for those texts we lower
        char by char so that offsets into :attr:`lower` stay offsets into :attr:`text`.
        """
        low = self.text.lower()
        if len(low) == len(self.text):
            return low
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """Start and end (exclusive, without the newline) of the line holding ``pos``."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, (len(self.text) if end == -1 else end)

    def line(self, pos: int) -> str:
        """The line holding ``pos``."""
        s, e = self.line_bounds(pos)
        return self.text[s:e]

    def sentence_bounds(self, start: int, end: int, *, limit: int = 400) -> tuple[int, int]:
        """A cheap sentence around ``[start, end)``: up to '.', '!', '?' or a newline.

        ``limit`` caps how far it looks each way, so a 50 MB line costs no more than a short one.
        """
        text = self.text
        lo = max(0, start - limit)
        s = start
        while s > lo and text[s - 1] not in _SENTENCE_END:
            s -= 1
        # A period inside "Mr." or "3.5" is not an end; a period followed by a space or EOL is.
        hi = min(len(text), end + limit)
        e = end
        while e < hi:
            ch = text[e]
            if ch == "\n" or (ch in ".!?" and (e + 1 >= len(text) or text[e + 1] in " \n\t\r")):
                break
            e += 1
        return s, e

    def before(self, pos: int, width: int) -> str:
        """Up to ``width`` characters before ``pos``."""
        return self.text[max(0, pos - width) : pos]

    def after(self, pos: int, width: int) -> str:
        """Up to ``width`` characters from ``pos`` on."""
        return self.text[pos : pos + width]
