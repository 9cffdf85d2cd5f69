"""One pass over a text for every detector's patterns.

Python's ``re`` looping over dozens of patterns and hundreds of lexicon phrases runs at well
under 1 MB/s; a multi-pattern engine matches them all in one pass at hundreds of MB/s. We use
Hyperscan where it is installed and fall back to ``re`` (same results, slower) where it is not,
e.g. on a platform without a wheel. Patterns here are *prefilters*: they find candidate places
cheaply; detectors confirm each candidate with exact Python code (validation, context).

Patterns must use the common subset of Python ``re`` and Hyperscan syntax: no look-around, no
back-references, no named groups. ``\\b`` is ASCII-only in Hyperscan unless ``ucp`` is set.
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
    # Unicode mode: \\w, \\b and case folding follow Unicode (needed for Spanish words).
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
                if not s.unicode:
                    flags |= re.ASCII
                self._compiled.append(re.compile(s.regex, flags))

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
        except Exception:  # noqa: BLE001 - a missing or stale cache just means compile
            pass
        db = _hs.Database()
        flags = []
        for s in self.specs:
            f = _hs.HS_FLAG_SOM_LEFTMOST
            if s.caseless:
                f |= _hs.HS_FLAG_CASELESS
            if s.unicode:
                f |= _hs.HS_FLAG_UTF8 | _hs.HS_FLAG_UCP
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
        for spec, rx in zip(self.specs, self._compiled, strict=True):
            found = [Candidate(m.start(), m.end()) for m in rx.finditer(text) if m.end() > m.start()]
            if found:
                out[spec.key] = found
        return out
