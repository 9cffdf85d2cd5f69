"""The context words of ``context.yaml``, loaded once and compiled two ways.

Each list becomes (1) a Hyperscan-compatible prefilter pattern, so that the scanner finds the
words in its single pass (see ``_index``), or (2) a Python regex applied only to small windows
around candidates (a line, a clause). Both come from the same data file, so they cannot drift
apart, and a list moves from one side to the other without touching the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from resguardo.detect.patterns import fold_text

__all__ = [
    "Label",
    "Words",
    "column_categories",
    "fold_key",
    "hs_alternation",
    "phrase_regex",
    "trie",
    "window_alternation",
    "words",
]

# Python-side word boundaries that also treat "_" as a separator ("SSN_ITIN", "DL_NO").
_LB = r"(?<![^\W_])"
_RB = r"(?![^\W_])"


class Label(NamedTuple):
    """One label found in the text: its span, its normalized form and its categories.

    A named tuple rather than a dataclass: texts hold thousands of labels, built per scan.
    """

    start: int
    end: int
    key: str
    categories: frozenset[str]

    def is_for(self, category: str) -> bool:
        """Whether this label introduces values of ``category``."""
        return category in self.categories


# "FECHA_NAC" in a CSV header is "fecha nac"
_LABEL_SPACE = r"[\s_]+"


def _atom(c: str, space: str = _LABEL_SPACE) -> str:
    if c == " ":
        return space
    return re.escape(c)


def _trie_regex(phrases: Iterable[str], space: str = _LABEL_SPACE) -> str:
    """A regex matching any of ``phrases``, longest first, factored by shared prefixes.

    Python's ``re`` tries alternatives one by one; a trie makes each position cost a few
    character tests instead of one test per phrase.
    """
    trie: dict[str, Any] = {}
    for p in phrases:
        node = trie
        for c in p:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict[str, Any], last: str) -> str:
        alts = [_atom(c, space) + emit(child, c) for c, child in sorted(node.items()) if c != ""]
        if "" in node:
            alts.append(_RB if last.isalnum() else "")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie, "")


def trie(phrases: Iterable[str], *, caseless: bool, space: str = r"[ \t]+") -> str:
    """A group matching any of ``phrases`` as whole words, longest first (trie-factored)."""
    items = sorted({p.lower() for p in phrases} if caseless else set(phrases))
    body = _trie_regex(items, space)
    return f"(?i:{body})" if caseless else f"(?:{body})"


def phrase_regex(caseless: Sequence[str], exact: Sequence[str] = ()) -> str:
    """A Python regex for whole-word phrases; ``caseless`` ignore case, ``exact`` do not."""
    parts = []
    if caseless:
        parts.append("(?i:" + _trie_regex(sorted({p.lower() for p in caseless})) + ")")
    if exact:
        parts.append(_trie_regex(sorted(set(exact))))
    if not parts:
        return "(?!x)x"
    return _LB + "(?:" + "|".join(parts) + ")"


def _hs_char(c: str) -> str:
    if c == " ":
        return _LABEL_SPACE
    # non-ASCII letters pass through: PatternSet folds patterns and texts alike ("é" -> "e")
    return c if not c.isascii() else re.escape(c)


def hs_alternation(phrases: Sequence[str], *, caseless: bool) -> str:
    """A Hyperscan-compatible pattern for whole-word ``phrases`` (no look-around).

    ``caseless`` is applied by the :class:`PatternSpec` flag; it is accepted here so that
    callers state which list they build.
    """
    del caseless
    alts = []
    for p in sorted(set(phrases), key=lambda s: (-len(s), s)):
        body = "".join(_hs_char(c) for c in p)
        # "_" counts as a separator, so a header cell "DL_NO" still yields "DL".
        # a non-ASCII letter is folded to an ASCII one, so it takes a word edge too ("él")
        lead = r"(?:\b|_)" if p[0].isalnum() else ""
        trail = r"(?:\b|_)" if p[-1].isalnum() else ""
        alts.append(lead + body + trail)
    return "(?:" + "|".join(alts) + ")"


def window_alternation(phrases: Sequence[str]) -> str:
    """A Hyperscan-compatible pattern for whole-word ``phrases`` in a window where "_" and
    every whitespace character have already been replaced by a space (see ``_index``).

    Plain ``\\b`` edges and one to three spaces between words: this scans about twice as fast
    as ``\\s+`` and :func:`hs_alternation`'s ``(?:\\b|_)``, and still reads "DL_NO",
    "date of\\nbirth" and "RES  ADDR".
    """
    alts = []
    for p in sorted(set(phrases), key=lambda s: (-len(s), s)):
        body = "".join(
            " {1,3}" if c == " " else (c if not c.isascii() else re.escape(c)) for c in p
        )
        lead = r"\b" if p[0].isalnum() else ""
        trail = r"\b" if p[-1].isalnum() else ""
        alts.append(lead + body + trail)
    return "(?:" + "|".join(alts) + ")"


def _norm(s: str) -> str:
    return " ".join(s.replace("_", " ").split())


def fold_key(s: str) -> str:
    """The lookup key of a label as written: spaces and "_" collapsed, accents folded the way
    the prefilter folds them, so "TELÉFONO", "teléfono" and "telefono" are one label."""
    return fold_text(_norm(s))


@dataclass(frozen=True)
class Words:
    """Everything ``context.yaml`` holds, in ready-to-use form."""

    raw: dict[str, Any]
    # label lookup by folded key: lower-cased for caseless labels, as written for exact ones
    caseless: dict[str, frozenset[str]]
    exact: dict[str, frozenset[str]]
    breakers: frozenset[str]
    abbreviations: frozenset[str]
    id_blockers: frozenset[str]
    months: dict[str, int]
    # column-header words by lower-cased folded key: every label plus ``column_aliases``
    columns: dict[str, frozenset[str]]
    column_fillers: frozenset[str]

    def label_categories(self, matched: str) -> frozenset[str]:
        """Categories of a label as matched in the text (empty when it is none)."""
        key = fold_key(matched)
        return self.caseless.get(key.lower()) or self.exact.get(key, frozenset())

    def labels_of(self, category: str) -> list[str]:
        """Every label phrase of ``category`` as written in the data file (both cases)."""
        entry = self.raw["labels"][category]
        return [str(p) for key in ("caseless", "exact") for p in entry.get(key) or []]

    def section(self, *path: str) -> list[str]:
        """A list of strings from the data file, e.g. ``section("address", "org_words")``."""
        node: Any = self.raw
        for p in path:
            node = node[p]
        return [str(x) for x in node]


@cache
def words() -> Words:
    """The parsed ``context.yaml`` of this package (loaded on first use, then shared)."""
    text = resources.files(__package__).joinpath("context.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    caseless: dict[str, set[str]] = {}
    exact: dict[str, set[str]] = {}
    for category, entry in raw["labels"].items():
        for p in entry.get("caseless", []) or []:
            caseless.setdefault(fold_key(str(p)).lower(), set()).add(category)
        for p in entry.get("exact", []) or []:
            exact.setdefault(fold_key(str(p)), set()).add(category)
    months = {str(k).lower(): int(v) for k, v in raw["date"]["months"].items()}
    columns: dict[str, set[str]] = {}
    for table in (caseless, exact):
        for k, cats in table.items():
            columns.setdefault(k.lower(), set()).update(cats)
    for category, aliases in raw["column_aliases"].items():
        for p in aliases:
            columns.setdefault(fold_key(str(p)).lower(), set()).add(category)
    return Words(
        raw=raw,
        caseless={k: frozenset(v) for k, v in caseless.items()},
        exact={k: frozenset(v) for k, v in exact.items()},
        breakers=frozenset(str(w).lower() for w in raw["gap_breakers"]),
        abbreviations=frozenset(str(w).lower() for w in raw["abbreviations"]),
        id_blockers=frozenset(str(w).lower() for w in raw["id_blockers"]),
        months=months,
        columns={k: frozenset(v) for k, v in columns.items()},
        column_fillers=frozenset(fold_key(str(w)).lower() for w in raw["column_fillers"]),
    )


_CELL_SEPARATORS = re.compile(r"[\s_\-/.#:*()\[\]]+")


@lru_cache(maxsize=4096)
def column_categories(header: str) -> frozenset[str]:
    """Categories of the values under a table column headed ``header``.

    A header is a field name, so it is read more leniently than a label in prose: "dl_no",
    "DOB*", "Res. Addr", "SSN/ITIN", "Street" all name their column. The whole header is
    looked up first ("Home Phone" is a phone, not a home), then its words one by one, leaving
    out fillers ("no", "number", "#"). A negative word ("DL Exp", "Order #") vetoes, and an
    ID that belongs to something else ("Client ID") is no license.
    """
    w = words()
    cols = w.columns
    raw = fold_key(header).lower()
    key = raw.strip(" :*#.")
    if not key:
        return frozenset()
    for k in (raw, key, key.replace(".", ""), " ".join(_CELL_SEPARATORS.split(key)).strip()):
        if k in cols:
            return cols[k]
    tokens = [t for t in _CELL_SEPARATORS.split(key) if t]
    kept = [t for t in tokens if t not in w.column_fillers]
    if not kept or len(kept) > 4:
        return frozenset()
    joined = " ".join(kept)
    if joined in cols:
        return cols[joined]
    found: set[str] = set()
    for t in kept:
        found |= cols.get(t, frozenset())
    if "negative" in found:
        return frozenset({"negative"})
    if "drivers_license" in found and any(t in w.id_blockers for t in tokens):
        found.discard("drivers_license")
    return frozenset(found)
