"""One pass over a text for many prefilter patterns.

Python's ``re`` looping over dozens of patterns and hundreds of lexicon phrases runs at well
under 1 MB/s; a multi-pattern engine matches them all in one pass at hundreds of MB/s. We use
Hyperscan where it is installed and fall back to ``re`` (same candidates, slower) where it is
not, e.g. on a platform without a wheel. Patterns here are *prefilters*: they find candidate
places cheaply; detectors confirm each candidate with exact Python code (validation, context).

Both backends match a *folded* view of the text: every non-ASCII character is replaced by one
ASCII character (``á`` → ``a``, ``Ñ`` → ``N``, ``—`` → ``-``, a no-break space → a space), so
the view has exactly the text's length and a match's offsets are the text's code-point
offsets. Patterns are folded the same way, so ``situación`` matches "situacion", "SITUACIÓN"
and "Situación" alike, ``\\b`` treats "año" as one word, and no UTF-8 mode is needed.

Patterns must use the common subset of Python ``re`` and Hyperscan syntax: no look-around, no
back-references, no named groups. Keep them specific (a cue word, an identifier's shape):
every match costs a Python call, so a pattern that fires on every capitalised word costs more
than the whole scan.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

_hs: ModuleType | None
try:  # pragma: no cover - exercised by whichever backend is installed
    import hyperscan as _hs
except ImportError:  # pragma: no cover
    _hs = None

__all__ = [
    "HAVE_HYPERSCAN",
    "Candidate",
    "PatternSet",
    "PatternSpec",
    "fold_text",
    "split_alternation",
]

HAVE_HYPERSCAN = _hs is not None and os.environ.get("RESGUARDO_NO_HYPERSCAN") != "1"


@dataclass(frozen=True, slots=True)
class PatternSpec:
    """A prefilter pattern. ``key`` must be unique within a :class:`PatternSet`."""

    key: str
    regex: str
    caseless: bool = False
    # Kept for callers written before folding: patterns with non-ASCII letters need no flag.
    unicode: bool = False
    # Whether candidates carry where the match starts. Hyperscan finds starts at a price:
    # a pattern with a variable-length head ("\d{1,6} (?:\S+ ){0,5}st") scans several times
    # slower with it. With ``som=False`` a candidate only says where a match ends
    # (``start == end``, in both backends) and the detector finds the start itself.
    som: bool = True


class Candidate(NamedTuple):
    """Where a pattern matched: code-point offsets into the scanned text.

    A named tuple rather than a frozen dataclass: thousands are made per MB, and a tuple
    is several times cheaper to build.
    """

    start: int
    end: int


_tuple_new = tuple.__new__

# Characters whose NFKD form does not start with a sensible ASCII stand-in.
_SPECIAL = {
    "ß": "s", "ø": "o", "Ø": "O", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "đ": "d", "Đ": "D",
    "ł": "l", "Ł": "L", "ı": "i", "–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-",
    "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "…": ".", "•": "*", "·": ".", "º": "o", "ª": "a", "¿": "?", "¡": "!", "№": "#",
}  # fmt: skip


class _FoldTable(dict[int, str]):
    """``str.translate`` table that computes each non-ASCII character's stand-in once."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _SPECIAL.get(ch)
        if out is None:
            base = unicodedata.normalize("NFKD", ch)[:1]
            if base.isascii() and base.isalnum():
                out = base
            elif ch.isdigit():
                out = str(unicodedata.digit(ch, 0))
            elif ch.isalpha():
                out = "x"  # a letter of another script: still a word character
            elif ch.isspace() or unicodedata.category(ch).startswith("Z"):
                out = "\n" if unicodedata.category(ch) in ("Zl", "Zp") else " "
            else:
                out = "?"  # a symbol: not a word character, not a space
        self[code] = out
        return out


_FOLD = _FoldTable()
_FOLD_ERRORS = "resguardo.fold"
# Latin-1 characters (Spanish accents, "ñ", "¿", a no-break space) folded by one C-level
# byte translation: the same stand-ins as _FOLD, so the two paths agree.
_LATIN1_FOLD = bytes(range(128)) + "".join(_FOLD[c] for c in range(128, 256)).encode("ascii")


def _fold_errors(err: UnicodeError) -> tuple[str, int]:
    # The Latin-1 encoder hands over each run of characters above U+00FF at once (curly
    # quotes, dashes, other scripts); one ASCII stand-in per character keeps the length.
    assert isinstance(err, UnicodeEncodeError)
    return err.object[err.start : err.end].translate(_FOLD), err.end


codecs.register_error(_FOLD_ERRORS, _fold_errors)


def fold_text(text: str) -> str:
    """The folded view of ``text``: ASCII only, one character for each character of ``text``."""
    if text.isascii():
        return text
    # far cheaper than a regex over the text: Python's ``re`` tests every character against
    # a class, while the codec and the translation copy in C and call back only for the rare
    # characters outside Latin-1
    return text.encode("latin-1", _FOLD_ERRORS).translate(_LATIN1_FOLD).decode("ascii")


class PatternSet:
    """Compiled prefilter patterns; :meth:`scan` returns candidates per pattern key."""

    def __init__(self, specs: Sequence[PatternSpec], *, use_hyperscan: bool | None = None) -> None:
        keys = [s.key for s in specs]
        if len(set(keys)) != len(keys):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            raise ValueError(f"duplicate pattern keys: {', '.join(dupes)}")
        self.specs: tuple[PatternSpec, ...] = tuple(specs)
        self._keys = [s.key for s in self.specs]
        self._regexes = [fold_text(s.regex) for s in self.specs]
        self._use_hs = HAVE_HYPERSCAN if use_hyperscan is None else use_hyperscan and HAVE_HYPERSCAN
        self._db: object | None = None
        self._compiled: list[re.Pattern[str]] = []
        if not self.specs:
            return
        if self._use_hs:
            self._db = self._hyperscan_db()
        else:
            for spec, rx in zip(self.specs, self._regexes, strict=True):
                flags = re.ASCII | (re.IGNORECASE if spec.caseless else 0)
                self._compiled.append(re.compile(rx, flags))

    @property
    def backend(self) -> str:
        """``hyperscan`` or ``re``."""
        return "hyperscan" if self._db is not None else "re"

    def _hyperscan_db(self) -> object:
        assert _hs is not None
        fingerprint = hashlib.sha256(
            repr(
                [(rx, s.caseless, s.som) for rx, s in zip(self._regexes, self.specs, strict=True)]
            ).encode()
            + str(getattr(_hs, "__version__", "")).encode()
        ).hexdigest()[:24]
        cache = _cache_dir() / f"{fingerprint}.hsdb"
        try:
            loaded = _hs.loadb(cache.read_bytes(), _hs.HS_MODE_BLOCK)
            # A deserialized database has no scratch space until we give it one.
            loaded.scratch = _hs.Scratch(loaded)
            with contextlib.suppress(OSError):
                os.utime(cache)  # in use: keep it when the folder is pruned
            return loaded
        except Exception:  # a missing, stale or foreign cache only means we compile again
            pass
        db = _hs.Database()
        expressions: list[bytes] = []
        ids: list[int] = []
        flags: list[int] = []
        n = len(self.specs)
        for pid, (spec, rx) in enumerate(zip(self.specs, self._regexes, strict=True)):
            # One big alternation scans several times slower than its branches compiled as
            # separate expressions; Hyperscan lets the branches share the pattern's id.
            # Patterns without start tracking get ids from n up (see scan_folded).
            for branch in split_alternation(rx):
                expressions.append(branch.encode("ascii"))
                ids.append(pid if spec.som else pid + n)
                flags.append(
                    (_hs.HS_FLAG_SOM_LEFTMOST if spec.som else 0)
                    | (_hs.HS_FLAG_CASELESS if spec.caseless else 0)
                )
        db.compile(expressions=expressions, ids=ids, flags=flags)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(_hs.dumpb(db))
            os.replace(tmp, cache)
            _prune(cache.parent, keep=_CACHE_KEEP)
        except OSError:
            pass  # a read-only home only costs the next process a compile
        return db

    def scan(self, text: str) -> dict[str, list[Candidate]]:
        """Candidates for every key that matched, each list sorted by start."""
        return self.scan_folded(fold_text(text))

    def scan_folded(self, folded: str) -> dict[str, list[Candidate]]:
        """Like :meth:`scan` on a text already folded with :func:`fold_text`.

        For one start, only the longest match is kept: detectors re-match exactly from there.
        For a spec with ``som=False``, each distinct end is one candidate (start == end).
        """
        if not self.specs or not folded:
            return {}
        if self._db is None:
            return self._scan_re(folded)
        # One dict per pattern, filled as matches come: start -> longest end (for a pattern
        # without start tracking, end -> end). Hyperscan calls back once per match, and a
        # spelling such as "DACA recipients" matches several patterns at once, so the
        # callback does as little as it can; the groups come out in the order they first
        # matched, as the detectors have always seen them.
        groups: dict[int, dict[int, int]] = {}
        get = groups.get
        n = len(self.specs)

        def on_match(pid: int, frm: int, to: int, _flags: int, _ctx: object) -> None:
            found = get(pid)
            if found is None:
                # without start tracking frm is 0: key such matches by their end instead
                groups[pid] = {frm if pid < n else to: to}
            elif pid >= n:
                found[to] = to
            elif found.setdefault(frm, to) < to:
                found[frm] = to

        self._db.scan(folded.encode("ascii"), match_event_handler=on_match)  # type: ignore[attr-defined]
        if not groups:
            return {}
        keys = self._keys
        # (start, end) pairs sort by start; tuple.__new__ through map: no Python frame per
        # candidate, as a NamedTuple's own constructor would cost (thousands per MB in
        # record dumps)
        return {
            keys[pid % n]: list(map(_tuple_new, repeat(Candidate), sorted(ends.items())))
            for pid, ends in groups.items()
        }

    def _scan_re(self, folded: str) -> dict[str, list[Candidate]]:
        out: dict[str, list[Candidate]] = {}
        # Hyperscan reports overlapping matches; to find at least the same starts, search
        # again from just after each match's start rather than from its end.
        for spec, rx in zip(self.specs, self._compiled, strict=True):
            found: list[Candidate] = []
            pos = 0
            while (m := rx.search(folded, pos)) is not None:
                if m.end() > m.start():
                    found.append(Candidate(m.start(), m.end()))
                pos = m.start() + 1
            if found and not spec.som:
                found = [Candidate(e, e) for e in sorted({c.end for c in found})]
            if found:
                out[spec.key] = found
        return out


def _top_level_branches(rx: str) -> list[str] | None:
    """``rx`` split on its top-level ``|``; ``None`` when its parentheses do not balance."""
    branches: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(rx):
        ch = rx[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # A ']' right after '[' or '[^' is a literal, not the end of the class.
            if rx[i + 1 : i + 2] == "^":
                i += 1
            if rx[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "|" and depth == 0:
            branches.append(rx[start:i])
            start = i + 1
        i += 1
    if depth != 0:
        return None
    branches.append(rx[start:])
    return branches


def split_alternation(rx: str) -> list[str]:
    """The top-level branches of ``rx`` (also of one ``(?:...)`` group wrapping all of it).

    Matching any branch is matching ``rx``, so the branches can be compiled separately.
    A regex with no top-level alternation comes back whole.
    """
    branches = _top_level_branches(rx) or [rx]
    if len(branches) > 1:
        return branches
    if rx.startswith("(?:") and rx.endswith(")"):
        # The group wraps all of rx only if its inside balances on its own.
        inner = _top_level_branches(rx[3:-1])
        if inner is not None and len(inner) > 1:
            return [b for part in inner for b in split_alternation(part)]
    return [rx]


# Databases of pattern sets no longer in use (old versions, old user lexicons) pile up.
_CACHE_KEEP = 32


def _prune(folder: Path, keep: int) -> None:
    files = sorted(folder.glob("*.hsdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "resguardo" / "hs"
