"""One pass over a text for every detector's patterns.

Python's ``re`` looping over dozens of patterns and hundreds of lexicon phrases runs at well
under 1 MB/s; a multi-pattern engine matches them all in one pass at hundreds of MB/s. We use
Hyperscan where it is installed and fall back to ``re`` (same results, slower) where it is not,
e.g. on a platform without a wheel. Patterns here are *prefilters*: they find candidate places
cheaply; detectors confirm each candidate with exact Python code (validation, context).

Patterns must use the common subset of Python ``re`` and Hyperscan syntax: no look-around, no
back-references, no named groups. ``\\b``, ``\\w``, ``\\d`` and ``\\s`` are ASCII-only in both
backends (Hyperscan refuses ``\\b`` in Unicode-property mode); spell non-ASCII letters out, e.g.
``situaci[oó]n``. Case folding of non-ASCII letters works with ``caseless`` and ``unicode``.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

try:  # pragma: no cover - exercised by whichever backend is installed
    import hyperscan as _hs
except ImportError:  # pragma: no cover
    _hs = None

__all__ = ["HAVE_HYPERSCAN", "Candidate", "PatternSet", "PatternSpec"]

HAVE_HYPERSCAN = _hs is not None and os.environ.get("RESGUARDO_NO_HYPERSCAN") != "1"


@dataclass(frozen=True, slots=True)
class PatternSpec:
    """A prefilter pattern. ``key`` must be unique within a :class:`PatternSet`."""

    key: str
    regex: str
    caseless: bool = False
    # The pattern holds non-ASCII letters (Spanish words): match UTF-8 and fold their case.
    unicode: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """Where a pattern matched: code-point offsets into the scanned text."""

    start: int
    end: int


class _ByteToChar:
    """Maps UTF-8 byte offsets of ``text`` back to code-point offsets."""

    __slots__ = ("_bytepos", "_extra")

    def __init__(self, text: str) -> None:
        # For every non-ASCII char: the byte offset just after it, and the extra bytes (beyond
        # one per char) up to and including it. ASCII text needs no table.
        self._bytepos: list[int] = []
        self._extra: list[int] = []
        extra = 0
        for m in re.finditer(r"[^\x00-\x7f]", text):
            extra += len(m.group().encode("utf-8", "surrogatepass")) - 1
            self._bytepos.append(m.start() + extra + 1)
            self._extra.append(extra)

    def __call__(self, byte_offset: int) -> int:
        if not self._bytepos:
            return byte_offset
        i = bisect.bisect_right(self._bytepos, byte_offset)
        return byte_offset - (self._extra[i - 1] if i else 0)


_WORD = "A-Za-z0-9_"
_CLASS_ESCAPES = {"w": _WORD, "d": "0-9", "s": " \\t\\n\\r\\f\\v"}
_BOUNDARY = f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))"
_NOT_BOUNDARY = f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))"


def _ascii_escapes(regex: str) -> str:
    """Rewrite ``\\b \\B \\w \\W \\d \\D \\s \\S`` as explicit ASCII classes.

    Python's ``re`` ties ASCII-only escapes to ASCII-only case folding (``re.ASCII``); we
    need the first without the second. No library does this rewrite, and it is small.
    """
    out: list[str] = []
    i, in_class = 0, False
    while i < len(regex):
        ch = regex[i]
        if ch == "\\" and i + 1 < len(regex):
            nxt = regex[i + 1]
            low = nxt.lower()
            if low in _CLASS_ESCAPES:
                body = _CLASS_ESCAPES[low]
                if in_class:
                    if nxt.isupper():
                        raise ValueError(f"negated escape \\{nxt} inside a class: {regex!r}")
                    out.append(body)
                else:
                    out.append(f"[{'^' if nxt.isupper() else ''}{body}]")
            elif nxt == "b" and not in_class:
                out.append(_BOUNDARY)
            elif nxt == "B" and not in_class:
                out.append(_NOT_BOUNDARY)
            else:
                out.append(regex[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            # A ']' right after '[' or '[^' is a literal, not the end of the class.
            j = i + 1
            if j < len(regex) and regex[j] == "^":
                out.append("^")
                j += 1
            if j < len(regex) and regex[j] == "]":
                out.append("]")
                j += 1
            i = j
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "resguardo" / "hs"


class PatternSet:
    """Compiled prefilter patterns; :meth:`scan` returns candidates per pattern key."""

    def __init__(self, specs: Sequence[PatternSpec], *, use_hyperscan: bool | None = None) -> None:
        keys = [s.key for s in specs]
        if len(set(keys)) != len(keys):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            raise ValueError(f"duplicate pattern keys: {', '.join(dupes)}")
        self.specs: tuple[PatternSpec, ...] = tuple(specs)
        self._use_hs = HAVE_HYPERSCAN if use_hyperscan is None else use_hyperscan and HAVE_HYPERSCAN
        self._db: object | None = None
        self._compiled: list[re.Pattern[str]] = []
        if not self.specs:
            return
        if self._use_hs:
            self._db = self._hyperscan_db()
        else:
            for s in self.specs:
                flags = re.IGNORECASE if s.caseless else 0
                if s.unicode:
                    # Unicode mode for case folding, with the escapes pinned to ASCII so that
                    # both backends find the same candidates.
                    self._compiled.append(re.compile(_ascii_escapes(s.regex), flags))
                else:
                    self._compiled.append(re.compile(s.regex, flags | re.ASCII))

    @property
    def backend(self) -> str:
        """``hyperscan`` or ``re``."""
        return "hyperscan" if self._db is not None else "re"

    def _hyperscan_db(self) -> object:
        assert _hs is not None
        fingerprint = hashlib.sha256(
            repr([(s.regex, s.caseless, s.unicode) for s in self.specs]).encode()
            + str(getattr(_hs, "__version__", "")).encode()
        ).hexdigest()[:24]
        cache = _cache_dir() / f"{fingerprint}.hsdb"
        try:
            return _hs.loadb(cache.read_bytes())
        except Exception:  # a missing, stale or foreign cache only means we compile again
            pass
        db = _hs.Database()
        flags = []
        for s in self.specs:
            f = _hs.HS_FLAG_SOM_LEFTMOST
            if s.caseless:
                f |= _hs.HS_FLAG_CASELESS
            if s.unicode:
                f |= _hs.HS_FLAG_UTF8
            flags.append(f)
        db.compile(
            expressions=[s.regex.encode("utf-8") for s in self.specs],
            ids=list(range(len(self.specs))),
            flags=flags,
        )
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(_hs.dumpb(db))
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only home only costs the next process a compile
        return db

    def scan(self, text: str) -> dict[str, list[Candidate]]:
        """Candidates for every key that matched, each list sorted by start.

        For one start, only the longest match is kept: detectors re-match exactly from there.
        """
        if not self.specs or not text:
            return {}
        if self._db is None:
            return self._scan_re(text)
        data = text.encode("utf-8", "surrogatepass")
        longest: dict[tuple[int, int], int] = {}

        def on_match(pid: int, frm: int, to: int, _flags: int, _ctx: object) -> None:
            k = (pid, frm)
            if longest.get(k, -1) < to:
                longest[k] = to

        self._db.scan(data, match_event_handler=on_match)  # type: ignore[attr-defined]
        to_char = _ByteToChar(text) if len(data) != len(text) else None
        out: dict[str, list[Candidate]] = {}
        for (pid, frm), to in longest.items():
            if to_char is not None:
                frm, to = to_char(frm), to_char(to)
            out.setdefault(self.specs[pid].key, []).append(Candidate(frm, to))
        for cands in out.values():
            cands.sort(key=lambda c: c.start)
        return out

    def _scan_re(self, text: str) -> dict[str, list[Candidate]]:
        out: dict[str, list[Candidate]] = {}
        # Hyperscan reports overlapping matches; to find at least the same starts, search
        # again from just after each match's start rather than from its end.
        for spec, rx in zip(self.specs, self._compiled, strict=True):
            found: list[Candidate] = []
            pos = 0
            while (m := rx.search(text, pos)) is not None:
                if m.end() > m.start():
                    found.append(Candidate(m.start(), m.end()))
                pos = m.start() + 1
            if found:
                out[spec.key] = found
        return out
