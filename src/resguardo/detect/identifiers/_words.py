"""The context words of ``context.yaml``, loaded once and compiled two ways.

Each list becomes (1) Hyperscan-compatible prefilter patterns, so that the scanner finds every
label in its single pass, and (2) a Python regex used only on small windows around candidates
to confirm them. Both come from the same data, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from resguardo.detect.patterns import PatternSpec

__all__ = ["Label", "Words", "hs_alternation", "phrase_regex", "words"]

# Python-side word boundaries that also treat "_" as a separator ("SSN_ITIN", "DL_NO").
_LB = r"(?<![^\W_])"
_RB = r"(?![^\W_])"


@dataclass(frozen=True, slots=True)
class Label:
    """One label found in the text: its span, its normalized form and its categories."""

    start: int
    end: int
    key: str
    categories: frozenset[str]

    def is_for(self, category: str) -> bool:
        """Whether this label introduces values of ``category``."""
        return category in self.categories


def _atom(c: str) -> str:
    if c == " ":
        return r"[\s_]+"  # "FECHA_NAC" in a CSV header is "fecha nac"
    return re.escape(c)


def _trie_regex(phrases: Iterable[str]) -> str:
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
        alts = [_atom(c) + emit(child, c) for c, child in sorted(node.items()) if c != ""]
        if "" in node:
            alts.append(_RB if last.isalnum() else "")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie, "")


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


def _hs_char(c: str, caseless: bool) -> str:
    if c == " ":
        return r"[\s_]+"
    if c.isascii():
        return re.escape(c)
    # Hyperscan runs in byte mode (its \b is not available in UCP mode), where case folding
    # is ASCII-only: spell out both cases of accented letters.
    if caseless and c.lower() != c.upper():
        return "(?:" + c.lower() + "|" + c.upper() + ")"
    return c


def hs_alternation(phrases: Sequence[str], *, caseless: bool) -> str:
    """A Hyperscan-compatible pattern for whole-word ``phrases`` (no look-around)."""
    alts = []
    for p in sorted(set(phrases), key=lambda s: (-len(s), s)):
        body = "".join(_hs_char(c, caseless) for c in p)
        # "_" counts as a separator, so a header cell "DL_NO" still yields "DL".
        lead = r"(?:\b|_)" if p[0].isascii() and p[0].isalnum() else ""
        trail = r"(?:\b|_)" if p[-1].isascii() and p[-1].isalnum() else ""
        alts.append(lead + body + trail)
    return "(?:" + "|".join(alts) + ")"


def _norm(s: str) -> str:
    return " ".join(s.replace("_", " ").split())


@dataclass(frozen=True)
class Words:
    """Everything ``context.yaml`` holds, in ready-to-use form."""

    raw: dict[str, Any]
    caseless: dict[str, frozenset[str]]
    exact: dict[str, frozenset[str]]
    label_re: re.Pattern[str]
    breakers: frozenset[str]
    abbreviations: frozenset[str]
    id_blockers: frozenset[str]
    months: dict[str, int]

    def label_categories(self, matched: str) -> frozenset[str]:
        """Categories of a label as matched in the text (case folded where caseless)."""
        n = _norm(matched)
        return self.caseless.get(n.lower()) or self.exact.get(n, frozenset())

    def labels_in(self, text: str, start: int, end: int) -> list[Label]:
        """Every label wholly inside ``text[start:end]``, left to right."""
        out = []
        for m in self.label_re.finditer(text, start, end):
            cats = self.label_categories(m.group())
            if cats:
                out.append(Label(m.start(), m.end(), _norm(m.group()).lower(), cats))
        return out

    def label_at(self, text: str, pos: int) -> Label | None:
        """The label starting at ``pos`` (or just after a separating "_"), if any."""
        if pos < len(text) and text[pos] == "_":
            pos += 1
        m = self.label_re.match(text, pos, min(len(text), pos + 80))
        if m is None:
            return None
        cats = self.label_categories(m.group())
        return Label(m.start(), m.end(), _norm(m.group()).lower(), cats) if cats else None

    def section(self, *path: str) -> list[str]:
        """A list of strings from the data file, e.g. ``section("address", "org_words")``."""
        node: Any = self.raw
        for p in path:
            node = node[p]
        return [str(x) for x in node]

    def category_specs(self, key_prefix: str, category: str) -> list[PatternSpec]:
        """Prefilter patterns for the labels of one category (one caseless, one exact)."""
        entry = self.raw["labels"][category]
        specs = []
        if entry.get("caseless"):
            specs.append(
                PatternSpec(
                    f"{key_prefix}.label",
                    hs_alternation([str(p) for p in entry["caseless"]], caseless=True),
                    caseless=True,
                )
            )
        if entry.get("exact"):
            specs.append(
                PatternSpec(
                    f"{key_prefix}.label_exact",
                    hs_alternation([str(p) for p in entry["exact"]], caseless=False),
                )
            )
        return specs


@cache
def words() -> Words:
    """The parsed ``context.yaml`` of this package (loaded on first use, then shared)."""
    text = resources.files(__package__).joinpath("context.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    caseless: dict[str, set[str]] = {}
    exact: dict[str, set[str]] = {}
    for category, entry in raw["labels"].items():
        for p in entry.get("caseless", []) or []:
            caseless.setdefault(_norm(str(p)).lower(), set()).add(category)
        for p in entry.get("exact", []) or []:
            exact.setdefault(_norm(str(p)), set()).add(category)
    label_re = re.compile(phrase_regex(sorted(caseless), sorted(exact)))
    months = {str(k).lower(): int(v) for k, v in raw["date"]["months"].items()}
    return Words(
        raw=raw,
        caseless={k: frozenset(v) for k, v in caseless.items()},
        exact={k: frozenset(v) for k, v in exact.items()},
        label_re=label_re,
        breakers=frozenset(str(w).lower() for w in raw["gap_breakers"]),
        abbreviations=frozenset(str(w).lower() for w in raw["abbreviations"]),
        id_blockers=frozenset(str(w).lower() for w in raw["id_blockers"]),
        months=months,
    )
