"""Street addresses where a person lives or stays.

Two steps. *Reading*: a house number and a street (a U.S. street with a suffix, a Spanish
"Calle/Camino/Avenida" street with the number before or after, a numbered rural road, or any
capitalised name when a city, state or ZIP follows), then unit, city, state and ZIP where
written; the span covers all of it. *Judging*: agency mail is full of office addresses
(signature blocks, letterheads, resource lists, notices), and those are not marked. An address
is kept when the text ties it to a person: a residence label or verb ("Res:", "lives at",
"Domicilio:", "vive en"), an address column, or a sentence about a person with no organisation
in it. An organisation's name, an "Employer address", "Ship to", "located at" before it, or a
signature line around it, rejects it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import Collector, HeaderCache, shared_patterns
from resguardo.detect.identifiers._index import Index, index_of
from resguardo.detect.identifiers._layout import (
    clause_start,
    line_bounds,
    signature_block,
    title_re,
)
from resguardo.detect.identifiers._tables import TableCache, column_cells
from resguardo.detect.identifiers._words import hs_alternation, phrase_regex, trie, words
from resguardo.detect.patterns import PatternSpec

__all__ = ["AddressDetector", "read_address", "read_address_at"]

CATEGORY = "street_address"
_IDENTIFIER_LABELS = frozenset(
    {"ssn", "itin", "a_number", "drivers_license", "date_of_birth", "phone_number"}
)
# No evidence either way: such an address is kept only in line with an accepted one.
_NEUTRAL = "neutral"
_Verdict = tuple[tuple[str, ...], float] | str | None
_LABEL_REACH = 90  # a residence label further back than this only weighs as much as "his"
_TITLE_REACH = 40
_PHONE_AFTER = re.compile(r"[ \t]*\|[ \t]*[^|\n]{0,20}\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}")


def _alt(items: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(i) for i in set(items)), key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    """The compiled address grammar (built from ``context.yaml`` on first use)."""

    street: re.Pattern[str]
    csz: re.Pattern[str]
    city_only: re.Pattern[str]
    person: re.Pattern[str]
    after: re.Pattern[str]
    office_column: re.Pattern[str]


_CAP = r"[A-ZÁÉÍÓÚÑÜ]"
_NAME_WORD = rf"(?:{_CAP}[\w'’.\-]*|\d{{1,3}}(?:st|nd|rd|th|ST|ND|RD|TH))"
_NAME_COMMA = re.compile(
    rf"(?:{_CAP}[\w'’\-]+[ \t]+(?:(?:and|y|de|del)[ \t]+)?){{1,4}}"
    rf"{_CAP}[\w'’\-]+,[ \t]*$"
)


@cache
def _grammar() -> _Grammar:
    w = words()
    sec = w.section
    # tries, not plain alternations: each word is tried against every suffix, unit, state
    suffix = trie(sec("address", "street_suffixes"), caseless=True)
    es_types = trie(sec("address", "spanish_types"), caseless=True)
    roads = trie(sec("address", "numbered_roads"), caseless=True)
    units = trie([u for u in sec("address", "units") if u != "#"], caseless=True)
    alone = trie(sec("address", "unit_words_alone"), caseless=True)
    dirs = trie(sec("address", "directionals"), caseless=True)
    conn = _alt(sec("address", "name_connectors"))
    numw = trie(sec("address", "number_words"), caseless=True)
    states = trie(sec("address", "states"), caseless=False)
    d = rf"(?i:{dirs})(?!\w)"
    unit = (
        rf"(?:,?[ \t]*(?:(?i:{units})\.?[ \t]*\#?[ \t]*[A-Z0-9][A-Z0-9\-]{{0,5}}(?!\w)"
        rf"|\#[ \t]*[A-Z0-9][A-Z0-9\-]{{0,5}}(?!\w)|(?i:{alone})(?!\w)|\d{{1,5}}(?=,)))"
    )
    # connectors chain before a capitalised word: "Camino de los Ranchos"
    conn_run = rf"(?:{conn})(?=(?:[ \t]+(?:{conn}))*[ \t]+{_CAP})"
    es_word = rf"(?:{_CAP}[\w'’.\-]*|{conn_run})"
    es_name = rf"{es_word}(?:[ \t]+(?!(?i:{units}|{dirs})(?!\w)){es_word}){{0,4}}"
    street = re.compile(
        rf"""(?<![\w/.\-$#,:])(?:
          (?P<num>\d{{1,6}}(?:-?[A-Z](?!\w))?)[ \t]+(?:{d}[ \t]+)?
          (?:
             (?P<road>(?i:{roads}))[ \t]+(?:\d[A-Z0-9]{{0,4}}|[A-Z])(?!\w)
           | (?P<es>(?i:{es_types}))[ \t]+{es_name}
           | (?P<us>(?:{_NAME_WORD}[ \t]+){{0,4}}(?i:{suffix})\.?(?!\w))
           | (?P<gen>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}})
          )
        | (?P<es2>(?i:{es_types}))[ \t]+{es_name}[ \t]+(?:(?i:{numw})[ \t]*)?
          (?P<num2>\d{{1,6}})(?!\w)
        )
        (?:[ \t]+{d})?
        (?P<unit>{unit}{{0,2}})""",
        re.VERBOSE,
    )
    city = rf"{_CAP}[\w'’.\-]*(?:[ \t]+(?:{_CAP}[\w'’.\-]*|{conn_run})){{0,3}}"
    csz = re.compile(
        rf"""(?:,?[ \t]+|,)(?:
            (?P<city>{city}),?[ \t]+(?P<state>{states})\.?(?:,?[ \t]+(?P<zip>\d{{5}}(?:-\d{{4}})?))?
          | (?P<city2>{city}),?[ \t]+(?P<zip2>\d{{5}}(?:-\d{{4}})?)
          | (?P<state3>{states})\.?,?[ \t]+(?P<zip3>\d{{5}}(?:-\d{{4}})?)
        )(?![\w\-])""",
        re.VERBOSE,
    )
    city_only = re.compile(rf",[ \t]*(?P<city>{city})(?=[ \t]*(?:[.?!;:)\"|\n]|$))")
    return _Grammar(
        street=street,
        csz=csz,
        city_only=city_only,
        person=re.compile(phrase_regex(sec("address", "person_words"))),
        after=re.compile(r"[ \t,]*" + phrase_regex(sec("address", "residence_after"))),
        office_column=re.compile(phrase_regex(sec("address", "office_columns")) + r"[\s:.#]*"),
    )


def _finish(text: str, m: re.Match[str], end: int, generic_ok: bool) -> tuple[int, int] | None:
    """The full span of a street match: add city, state and ZIP where they follow."""
    span = _extend(text, m, end, generic_ok)
    if span is None:
        return None
    s, e = span
    # "lives at 123 Main Street." - the sentence's period is not part of the address
    if text[e - 1] == "." and (e >= len(text) or text[e].isspace()):
        word = text[text.rfind(" ", s, e) + 1 : e - 1]
        if len(word) > 4 or not word.isalpha():
            e -= 1
    return s, e


def _extend(text: str, m: re.Match[str], end: int, generic_ok: bool) -> tuple[int, int] | None:
    g = _grammar()
    stop = m.end()
    c = g.csz.match(text, stop, end)
    if c is not None:
        return m.start(), c.end()
    if m.group("gen") is not None:
        # a bare name is a street only before a city, state or ZIP, or right after a label
        if generic_ok and (stop >= end or text[stop] in ".,;:|\n\"'"):
            return m.start(), stop
        return None
    co = g.city_only.match(text, stop, end)
    return m.start(), (co.end("city") if co is not None else stop)


def read_address_at(text: str, pos: int, *, generic_ok: bool = False) -> tuple[int, int] | None:
    """The address whose house number (or Spanish street type) is at ``pos``, if any.

    ``generic_ok`` lets a street without a known suffix stand without city/state/ZIP, for
    places where the text already says it is an address ("Address: 811 Camina Largo.").
    """
    _, le = line_bounds(text, pos)
    m = _grammar().street.match(text, pos, min(le, pos + 200))
    return None if m is None else _finish(text, m, min(le, m.end() + 120), generic_ok)


def read_address(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Addresses read anywhere in ``text[start:end]`` (one line or part of one), as spans.

    The span runs from the house number (or the Spanish street type) through unit, city,
    state and ZIP when they are written.
    """
    g = _grammar()
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        m = g.street.search(text, pos, end)
        if m is None:
            break
        span = _finish(text, m, end, False)
        if span is None:
            pos = m.start() + 1
            continue
        out.append(span)
        pos = span[1]
    return out


_NUMBER_START = re.compile(r"(?<![\w.,/$\-])\d")
# what may sit between a residence label and the house number: "Address: ", "lives at ",
# "is at ", "vive en la "
_AFTER_LABEL = re.compile(
    r"[ \t:#\-–>*•]*(?:(?i:is|at|in|on|now|was|en|la|el|es|a|al|the)[ \t]+){0,3}(?=\d)"
)


class AddressDetector:
    """Residential street addresses, not office addresses."""

    id = "identifiers.street_address"
    categories: tuple[str, ...] = (CATEGORY,)

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared context-word patterns (one detector
        per scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """A number before a street word, and a Spanish street type (residence labels come
        from the shared patterns)."""
        sec = words().section
        street_words = [*sec("address", "street_suffixes"), *sec("address", "numbered_roads")]
        types = hs_alternation(sec("address", "spanish_types"), caseless=True)
        return [
            PatternSpec(
                f"{self.id}.street",
                r"\b\d{1,6}[A-Za-z]?[ \t]+(?:[^\s,;:|()]+[ \t]+){0,5}"
                + hs_alternation(street_words, caseless=True),
                caseless=True,
            ),
            # "2107 Calle Luna", "Calle Alameda 1204", "calle Morelos número 1450": a Spanish
            # street type with a number before it or a few words after it
            PatternSpec(
                f"{self.id}.spanish",
                r"(?:\b\d{1,6}[ \t]+"
                + types
                + r"|"
                + types
                + r"[ \t]+(?:[^\s,;:|()]+[ \t]+){1,5}\d{1,6}\b)",
                caseless=True,
            ),
            *shared_patterns(self._declare),
        ]

    def _read(self, ctx: ScanContext) -> list[tuple[int, int]]:
        """Every address read at the candidates, overlapping reads merged (longest kept)."""
        text = ctx.text
        spans: set[tuple[int, int]] = set()
        for c in ctx.hits(f"{self.id}.street"):
            # the candidate may start at an earlier number ("2015 209 W Bland St")
            for n in _NUMBER_START.finditer(text, c.start, c.end):
                span = read_address_at(text, n.start())
                if span is not None:
                    spans.add(span)
                    break
        for c in ctx.hits(f"{self.id}.spanish"):
            # the candidate starts at the number ("2107 Calle Luna") or at the street type
            # ("Calle Alameda 1204")
            span = read_address_at(text, c.start)
            if span is not None:
                spans.add(span)
        # after a residence label or under an address column, a street needs no suffix
        headers = HeaderCache(text)
        starts = {s for s, _ in spans}
        for lab in index_of(ctx).labels_for(CATEGORY):
            lead = _AFTER_LABEL.match(text, lab.end, min(len(text), lab.end + 40))
            if lead is not None and lead.end() not in starts:
                span = read_address_at(text, lead.end(), generic_ok=True)
                if span is not None:
                    spans.add(span)
            table = headers.header(lab.start)
            col = table.column_at(lab.start) if table is not None else None
            if table is not None and col is not None:
                for a, b in column_cells(text, table, col):
                    if a in starts:
                        continue
                    span = read_address_at(text, a, generic_ok=True)
                    if span is not None and span[1] <= b:
                        spans.add(span)
        kept: list[tuple[int, int]] = []
        for s, e in sorted(spans, key=lambda p: (p[0], -p[1])):
            if kept and s < kept[-1][1]:
                continue
            kept.append((s, e))
        return kept

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Read addresses around each candidate, then judge whose they are."""
        text = ctx.text
        index = index_of(ctx)
        if not (
            ctx.hits(f"{self.id}.street")
            or ctx.hits(f"{self.id}.spanish")
            or index.labels_for(CATEGORY)
        ):
            return []
        out = Collector(text, self.id)
        tables = TableCache(text)
        neutral: list[tuple[int, int]] = []
        for s, e in self._read(ctx):
            verdict = self._judge(index, s, e, tables)
            if verdict == _NEUTRAL:
                neutral.append((s, e))
            elif isinstance(verdict, tuple):
                out.add(CATEGORY, s, e, verdict[1], verdict[0])
        self._siblings(text, out, neutral)
        return out.findings()

    @staticmethod
    def _siblings(text: str, out: Collector, neutral: list[tuple[int, int]]) -> None:
        """Accept an undecided address listed in line with an accepted one.

        "1. 2009-2012   1530 Coal Ave SE ...\n2. 2012-2016   400 Tramway Blvd NE ...": one
        list, one kind of address; the heading that explains it may be far above.
        """
        accepted = set()
        for start in out.starts():
            ls, _ = line_bounds(text, start)
            accepted.add((ls, start - ls))
        changed = True
        while changed and neutral:
            changed = False
            for s, e in list(neutral):
                ls, _ = line_bounds(text, s)
                col = s - ls
                above = line_bounds(text, ls - 1)[0] if ls > 0 else -1
                below_end = text.find("\n", e)
                below = below_end + 1 if below_end != -1 else -1
                if any(
                    (line, c) in accepted
                    for line in (above, below)
                    for c in range(col - 3, col + 4)
                ):
                    out.add(CATEGORY, s, e, 0.65, ("list",))
                    accepted.add((ls, col))
                    neutral.remove((s, e))
                    changed = True

    def _judge(self, index: Index, s: int, e: int, tables: TableCache) -> _Verdict:
        """(evidence, confidence) to keep it; None to reject it; ``_NEUTRAL`` if undecided."""
        g = _grammar()
        text = index.text
        col = tables.column_of(s)
        if col is not None:
            table, i = col
            a, b = table.cells[i]
            # an office directory ("Office | Address | Main line") lists no one's home
            if any(g.office_column.fullmatch(text, x, y) for x, y in table.cells) or (
                index.words("addrneg").any_in(a, b)
            ):
                return None
            if any(lab.is_for(CATEGORY) for lab in index.labels_in(a, b)):
                return (text[a:b],), 0.9
        ls, le = line_bounds(text, s)
        # a signature or letterhead line: "Field Office | 1900 E Aztec Ave ... | 505-722-0011"
        if col is None and _PHONE_AFTER.match(text, e, le):
            return None
        cs = clause_start(text, s, limit=250)
        strong = [lab for lab in index.labels_in(cs, s) if lab.is_for(CATEGORY)]
        # an address opening its line under "Records Custodian\nMotor Vehicle Division"
        if (
            (not strong or strong[-1].end < ls)
            and not text[ls:s].strip(" \t>-*•")
            and signature_block(index, s)
        ):
            return None
        neg = index.words("addrneg").last_in(cs, s)
        org = index.words("org").last_in(cs, s)
        # "Emory J. Castellanos-Whitt, AUSA, 700 Stewart Street": an official's office
        titles = list(title_re().finditer(text, max(cs, s - _TITLE_REACH), s))
        title = titles[-1].end() if titles else -1
        last_neg = max(neg[1] if neg else -1, org[1] if org else -1, title)
        if strong and strong[-1].end > last_neg and s - strong[-1].end <= _LABEL_REACH:
            return (strong[-1].key,), 0.9
        if last_neg >= 0:
            return None
        after = g.after.match(text, e, min(len(text), e + 40))
        if after is not None:
            return (after.group().strip(" ,"),), 0.8
        if strong:
            return (strong[-1].key,), 0.7
        people = [lab for lab in index.labels_in(cs, s) if lab.categories & _IDENTIFIER_LABELS]
        if people:
            return (people[-1].key,), 0.75
        person = list(g.person.finditer(text, cs, s))
        if person:
            return (person[-1].group(),), 0.7
        if _NAME_COMMA.search(text, max(cs, s - 60), s):
            return ("name",), 0.65
        # a list under a person's heading in the paragraph before ("Address history - NAME -
        # DOB 02/03/1975 - DL 038845160\n\n1. 2009-2012   1530 Coal Ave SE ...")
        lo = max(0, cs - 400)
        before = index.labels_in(lo, cs)
        residence = [lab for lab in before if lab.is_for(CATEGORY)]
        if residence and any(lab.categories & _IDENTIFIER_LABELS for lab in before):
            return (residence[-1].key,), 0.6
        return _NEUTRAL
