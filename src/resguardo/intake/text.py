"""Text helpers for request inference: phrase lists from YAML, sentences, given values.

Phrase lists use the project's lexicon syntax (:func:`resguardo.detect.lexicon.compile_phrase`):
``(a|b)`` alternatives, ``(...)?`` optional groups, a space for any run of spaces or hyphens,
``.`` optional, accents optional. A phrase starting with ``re:`` is a Python regular
expression instead, for the few cues that need one. Matching is case-insensitive and on word
boundaries; where two phrases overlap, the longer wins ("REAL ID license" is one phrase, not
"license").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from resguardo.detect.lexicon import at_word_boundary, compile_phrase

__all__ = [
    "Entry",
    "Hit",
    "Unit",
    "compile_entries",
    "compile_phrases",
    "find_hits",
    "given_value",
    "load_data",
    "snippet",
    "units",
]


@cache
def load_data(name: str) -> Any:
    """A YAML data file of this package (``intake/data/<name>``), parsed once."""
    text = (
        resources.files("resguardo.intake")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def _regex(phrase: str) -> str:
    phrase = phrase.strip()
    try:
        if phrase.startswith("re:"):
            body = phrase[3:].strip()
            re.compile(body)
            return body
        # Word edges as lookarounds (not only where the phrase edge is an ASCII letter), so
        # that the regex backtracks to an alternative that ends on a word boundary
        # ("reporting days", not "reporting day" + "s").
        return rf"(?<!\w)(?:{compile_phrase(phrase)})(?!\w)"
    except (ValueError, re.error) as exc:
        raise ValueError(f"intake data: bad phrase {phrase!r}: {exc}") from exc


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for a list of phrases (``None`` for an empty list)."""
    parts = sorted({_regex(p) for p in phrases if str(p).strip()}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Entry:
    """A named group of phrases and what a match of any of them means."""

    name: str
    values: tuple[str, ...]
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Hit:
    """One phrase match in a text."""

    entry: Entry
    start: int
    end: int
    text: str


def compile_entries(raw: Sequence[Mapping[str, Any]], value_key: str) -> tuple[Entry, ...]:
    """Entries from YAML rows ``{name?, <value_key>: [..] | str, phrases: [..]}``."""
    out: list[Entry] = []
    for i, row in enumerate(raw):
        values = row.get(value_key)
        if values is None:
            values = []
        if isinstance(values, str):
            values = [values]
        pattern = compile_phrases(row.get("phrases") or [])
        if pattern is None:
            continue
        name = str(row.get("name") or (values[0] if values else f"entry {i}"))
        out.append(Entry(name, tuple(str(v) for v in values), pattern))
    return tuple(out)


def find_hits(
    entries: Iterable[Entry], text: str, start: int = 0, end: int | None = None
) -> list[Hit]:
    """Every match of every entry in ``text[start:end]``, overlaps resolved (longest wins)."""
    stop = len(text) if end is None else end
    found: list[Hit] = []
    for entry in entries:
        for m in entry.pattern.finditer(text, start, stop):
            if m.end() <= m.start() or not at_word_boundary(text, m.start(), m.end()):
                continue
            found.append(Hit(entry, m.start(), m.end(), m.group(0)))
    found.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[Hit] = []
    for h in found:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    kept.sort(key=lambda h: h.start)
    return kept


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence, a list item or a table row: the span a cue and a term must share."""

    start: int
    end: int
    item: bool
    lead: int | None
    """For a list item: the index of the unit that introduces the list, if any."""
    ends_with_colon: bool


_ITEM = re.compile(
    r"^[ \t]*(?:[-*•·▪◦]|\(?[0-9]{1,2}[.)]|\(?[a-hA-H][.)]|\[[xX ✓✔]?\])[ \t]+(?=\S)"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(¿¡]?[A-ZÁÉÍÓÚÑ0-9])|(?<=[?!])\s+")
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]|Mr|Ms|Mrs|Dr|Lt|Sgt|Det|Ofc|St|No|Nos|Sra|Sr|Lic|Hon|Jr|Inc|Co|Corp|Ltd|"
    r"Dept|Fed|Crim|Civ|Stat|Rev|etc|vs|v|U\.S|approx|ext)\.)$"
)


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _ABBREV.search(text, max(start, m.start() - 12), m.start()):
            continue
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def units(text: str) -> list[Unit]:
    """The text cut into sentences, list items and table rows.

    Paragraphs are separated by blank lines; inside one, a line that starts with a bullet,
    a number or a checkbox starts a list item (its wrapped continuation lines belong to it),
    and a line with tab-separated cells is a row of its own. Other lines are joined and cut
    into sentences.
    """
    out: list[Unit] = []
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    i = 0
    lead: int | None = None
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        if not line.strip():
            # A list may be set off from the line introducing it ("Please provide:") by a
            # blank line; any other paragraph break ends the list's lead.
            if lead is not None and not out[lead].ends_with_colon:
                lead = None
            i += 1
            continue
        if _ITEM.match(line):
            indent = len(line) - len(line.lstrip())
            j = i + 1
            while j < len(lines):
                ns, ne = lines[j]
                nxt = text[ns:ne]
                if not nxt.strip() or _ITEM.match(nxt) or "\t" in nxt:
                    break
                if len(nxt) - len(nxt.lstrip()) <= indent:
                    break
                j += 1
            end = lines[j - 1][1]
            out.append(Unit(s, end, True, lead, text[s:end].rstrip().endswith(":")))
            i = j
            continue
        if "\t" in line.strip():
            out.append(Unit(s, e, True, lead, line.rstrip().endswith(":")))
            i += 1
            continue
        # A run of ordinary lines up to a blank line, an item or a table row.
        j = i + 1
        while j < len(lines):
            ns, ne = lines[j]
            nxt = text[ns:ne]
            if not nxt.strip() or _ITEM.match(nxt) or "\t" in nxt.strip():
                break
            j += 1
        end = lines[j - 1][1]
        for ss, se in _sentences(text, s, end):
            out.append(Unit(ss, se, False, None, text[ss:se].rstrip().endswith(":")))
        lead = len(out) - 1 if out else None
        i = j
    return out


# --------------------------------------------------------------------------- given values

_VALUE_AFTER = re.compile(
    r"[ \t]*(?:[:#=]|\bno\.|\bnumber\b|\bn[úu]mero\b|\bis\b|\bes\b|\bla\b|\bof\b|\bde\b|"
    r"(?-i:[A-Z]{2})\b|[ \t])*[ \t]*"
    r"(?:[(\[]?[A-Z]{0,4}[\d][\w/().\-]*|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic)[a-z]*\.?[ \t]+\d)",
    re.IGNORECASE,
)
_LABEL_VALUE = re.compile(r"[ \t]*:[ \t]*(?=[^\s_])(?![ \t]*$)")


def given_value(text: str, end: int) -> bool:
    """Whether the term ending at ``end`` is followed by its value ("DOB 11/02/1988",
    "plate NM BRZ592", "Name: X") — an identifier given, not information asked for."""
    tail = text[end : end + 40]
    line_end = tail.find("\n")
    if line_end >= 0:
        tail = tail[:line_end]
    if _VALUE_AFTER.match(tail):
        return True
    m = _LABEL_VALUE.match(tail)
    # "Citizenship: GUATEMALA", "Date of birth: 11/23/1992": a label and its value. Not a
    # label that ends its line (a list follows) or one followed by a blank rule.
    return m is not None and bool(tail[m.end() :].strip(" _.\t"))


def snippet(text: str, start: int, end: int, limit: int = 80) -> str:
    """``text[start:end]`` on one line, cut to ``limit`` characters."""
    flat = " ".join(text[start:end].split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
