"""Street addresses where a person lives or stays.

Two steps. *Reading*: a house number and a street (a U.S. street with a suffix, a Spanish
"Calle/Camino/Avenida" street with the number before or after, a numbered rural road, a rural
route or highway-contract box "RR 2 Box 118", or any capitalised name when a city, state or
ZIP follows), then unit, city, state and ZIP where written, on the same line or, in an address
block, on the next; the span covers all of it. Candidates come from the prefilter: a number
before a street word, a Spanish street type, a state and ZIP, a route box, a residence label
right before a number, and address columns of tables. *Judging*: agency mail is full of office
addresses (signature blocks, letterheads, resource lists, notices), and those are not marked.
An address is kept when the text ties it to a person: a residence label or verb ("Res:",
"lives at", "Domicilio:", "vive en"), an address column, a person's name heading an address
block, or a sentence about a person with no organisation in it. An organisation's name, an
"Employer address", "Ship to", "located at" before it, or a signature line around it, rejects
it. An address the text gives again (a quoted copy) is kept with the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import Collector, answer_to
from resguardo.detect.identifiers._index import Index, index_of
from resguardo.detect.identifiers._layout import (
    clause_start,
    has_stop,
    line_bounds,
    signature_block,
)
from resguardo.detect.identifiers._tables import TableCache, column_cells, tables_of
from resguardo.detect.identifiers._words import (
    Label,
    column_categories,
    hs_alternation,
    phrase_regex,
    trie,
    words,
)
from resguardo.detect.identifiers.ssn import classify
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
_ASK_REACH = 400  # how far above an answer ("it's 8801 Lomas ...") the question may be
_TITLE_REACH = 40
_PHONE_AFTER = re.compile(r"[ \t]*\|[ \t]*[^|\n]{0,20}\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}")


def _alt(items: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(i) for i in set(items)), key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    """The compiled address grammar (built from ``context.yaml`` on first use)."""

    street: re.Pattern[str]
    csz: re.Pattern[str]
    csz_line: re.Pattern[str]
    city_only: re.Pattern[str]
    after: re.Pattern[str]
    office_column: re.Pattern[str]
    dwelling_before: re.Pattern[str]
    org_subject: re.Pattern[str]
    answer_lead: re.Pattern[str]
    dwelling_field: re.Pattern[str]
    # words whose period an address keeps at a sentence's end ("123 Main St.")
    dotted: frozenset[str]


_CAP = r"[A-ZÁÉÍÓÚÑÜ]"
_NAME_WORD = rf"(?:{_CAP}[\w'’.\-]*|\d{{1,3}}(?:st|nd|rd|th|ST|ND|RD|TH))"
_NAME_COMMA = re.compile(
    rf"(?:{_CAP}[\w'’\-]+[ \t]+(?:(?:and|y|de|del)[ \t]+)?){{1,4}}"
    rf"{_CAP}[\w'’\-]+,[ \t]*$"
)
# A rural route or highway-contract box is where someone lives ("RR 2 Box 118", "HC 61 Box
# 2290"); a post-office box is only where mail goes, so "PO Box" is no street.
_RURAL = (
    r"(?:R\.?[ \t]?R\.?|Rural[ \t]+Route|R(?:ou)?te?\.?|H\.?[ \t]?C\.?(?:R\.?)?|Star[ \t]+Route)"
    r"[ \t]*\d{1,4},?[ \t]+(?:Box|Bx)[ \t]*\d{1,6}(?:-?[A-Z])?\b"
)
# "Sadie's of New Mexico, 6230 4th St NW": a name after "of", "at", "in" is a place's or a
# business's, not a person's
_PLACE_BEFORE = re.compile(r"\b(?:of|de|at|en|in|from|near|to)[ \t]+$", re.IGNORECASE)
# "the address for Tran Van Minh", "la dirección de la Sra. Ruiz": whose address is asked for
_FOR_NAME = re.compile(
    r"[ \t]+(?:for|of|de|del|para)[ \t]+(?:(?:Mr|Mrs|Ms|Mx|Sr|Sra|Srta)\.?[ \t]+)?"
    rf"{_CAP}[\w'’\-]+"
)
# A person's name alone on the line above an address block ("Rosa Quintana\n1450 Avenida..."),
# unless a closing ("Thanks,") above it makes it the sender's signature.
_NAME_LINE = re.compile(
    r"[ \t>]*(?:(?:Mr|Mrs|Ms|Mx|Dr|Sr|Sra|Srta)\.?[ \t]+)?"
    rf"{_CAP}[\w'’\-]+(?:[ \t]+(?:{_CAP}\.|{_CAP}[\w'’\-]+|de|del|la|los|y|van|von)){{1,4}}[ \t,]*"
)
_CLOSINGS = re.compile(
    r"(?i:thanks|thank you|regards|best|sincerely|respectfully|cordially|saludos|atentamente|"
    r"gracias|cordialmente|respetuosamente|un saludo)\b[^\n]{0,20}[,!.]?[ \t]*"
)
# A capitalised name right before the address, after the person word: "my husband and I
# tried El Patio at 142 Harvard Dr SE" - the address is El Patio's, not the husband's.
_OWNER_BEFORE = re.compile(
    rf"{_CAP}[\w'’\-]+[ \t]+{_CAP}[\w'’\-]+(?:[ \t]*,|[ \t]+(?:at|on|en))[ \t]+$"
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
    # "Privada Zaragoza": these types only as written, capitalised
    cap_types = trie(sec("address", "capitalised_types"), caseless=False)
    types = rf"(?:(?i:{es_types})|{cap_types})"
    lead = trie(sec("address", "types_before_name"), caseless=True)
    num_conn = trie(sec("address", "number_connectors"), caseless=True)
    months = trie(list(w.months), caseless=True)
    d = rf"(?i:{dirs})(?!\w)"
    # a grid coordinate's direction: "S", "W.", "North"; one letter only in capitals, so
    # that "10 s" (seconds) is none
    grid_dir = r"(?:[NSEW]|(?i:north|south|east|west))(?!\w)"
    # "Apt 4B", "apt 4b", "Lot 7", "Unit B", "# 3": a unit id holds a digit or starts upper
    unit_id = r"(?:\d[A-Za-z0-9\-]{0,5}|[A-Z][A-Z0-9\-]{0,5})(?!\w)"
    unit = (
        rf"(?:,?[ \t]*(?:(?i:{units})\.?[ \t]*\#?[ \t]*{unit_id}"
        rf"|\#[ \t]*{unit_id}|(?i:{alone})(?!\w)|\d{{1,5}}(?=,)))"
    )
    # "Box" and "PO" name no street: "HC 61 Box 2290" is read from the route, not from "61"
    no_street = trie(sec("address", "not_street_words"), caseless=True)
    not_unit = rf"(?!(?i:{units}|{dirs}|{no_street})(?!\w))"
    # connectors chain before a capitalised word: "Camino de los Ranchos"
    conn_run = rf"(?:{conn})(?=(?:[ \t]+(?:{conn}))*[ \t]+{_CAP})"
    es_word = rf"(?:{_CAP}[\w'’.\-]*|{conn_run})"
    # streets named for a date: "Calle 16 de Septiembre 45", "Av. 5 de Mayo"
    es_date = rf"\d{{1,2}}[ \t]+(?i:de)[ \t]+(?i:{months})(?!\w)"
    es_name = rf"(?:{es_word}|{es_date})(?:[ \t]+{not_unit}{es_word}){{0,4}}"
    # a grid address (Utah, parts of Idaho, Arizona, New Mexico): a house number, then the
    # coordinates of the street, "2155 S 700 W", "362 North 200 East Street"
    grid = (
        rf"(?P<grid>\d{{1,6}}[ \t]+{grid_dir}\.?[ \t]+\d{{2,5}}[ \t]+{grid_dir}"
        rf"(?:[ \t]+(?i:street|st|road|rd)\.?(?!\w))?)"
    )
    # not inside "$1,200" or "2:30" (a group of 1-3 digits then the comma), but after a CSV
    # comma: "...,5NPE24AF4GH310577,901 Sagebrush Trl SE,..."
    street = re.compile(
        rf"""(?<![\w/.\-$#:])(?<!\b\d,)(?<!\b\d\d,)(?<!\b\d\d\d,)(?:
          {grid}
        # "611 1/2 W. Aztec Ave": a half number, a second dwelling split off a lot
        | (?P<num>\d{{1,6}}(?:-?[A-Z](?!\w))?(?:[ \t]+1/2(?!\d)|[ \t]?½)?)[ \t]+(?:{d}[ \t]+)?
          (?:
             (?P<road>(?i:{roads}))[ \t]+(?:\d[A-Z0-9]{{0,4}}|[A-Z])(?!\w)
           | (?P<es>{types})[ \t]+{es_name}
           # "1402 Ave de las Palmas": a type opening the name, known by the connector
           | (?P<lead>(?i:{lead}))[ \t]+(?=(?i:{conn})[ \t])(?:{es_name})
           | (?P<us>(?:{_NAME_WORD}[ \t]+){{0,4}}(?i:{suffix})\.?(?!\w))
           | (?P<gen>{not_unit}{_NAME_WORD}(?:[ \t]+{not_unit}{_NAME_WORD}){{0,3}})
           # "el número 14 del Camino del Llano": a Spanish type names the street
           | (?P<es3>(?i:{num_conn})[ \t]+{types}[ \t]+{es_name})
           # "el 3210 de la Isleta", not "el 5 de Mayo"
           | (?P<gen2>(?i:{num_conn})[ \t]+(?!(?i:{months})(?!\w)){_CAP}[\w'’\-]*
              (?:[ \t]+{not_unit}{_NAME_WORD}){{0,2}})
          )
        | (?P<es2>{types})[ \t]+{es_name}[ \t]+(?:(?i:{numw})[ \t]*)?
          (?P<num2>\d{{1,6}})(?!\w)
        | (?P<rural>(?i:{_RURAL}))
        )
        (?:[ \t]+{d})?
        (?P<unit>{unit}{{0,2}})""",
        re.VERBOSE,
    )
    city = rf"{_CAP}[\w'’.\-]*(?:[ \t]+(?:{_CAP}[\w'’.\-]*|{conn_run})){{0,3}}"
    place = rf"""(?:
            (?P<city>{city}),?[ \t]+(?P<state>{states})\.?(?:,?[ \t]+(?P<zip>\d{{5}}(?:-\d{{4}})?))?
          | (?P<city2>{city}),?[ \t]+(?P<zip2>\d{{5}}(?:-\d{{4}})?)
          | (?P<state3>{states})\.?,?[ \t]+(?P<zip3>\d{{5}}(?:-\d{{4}})?)
        )"""
    csz = re.compile(rf"(?:,?[ \t]+|,){place}(?![\w\-])", re.VERBOSE)
    # the last line of an address block: "Albuquerque, NM 87108" and nothing else, maybe
    # after the unit ("Unit 214, Albuquerque, NM 87108")
    unit_first = rf"(?:(?:(?i:{units})\.?[ \t]*\#?[ \t]*|\#[ \t]*){unit_id},?[ \t]+)?"
    csz_line = re.compile(rf"[ \t>]*{unit_first}{place}(?![\w\-])[ \t.]*$", re.VERBOSE)
    city_only = re.compile(rf",[ \t]*(?P<city>{city})(?=[ \t]*(?:[.?!;:)\"|\n]|$))")

    def cues(key: str) -> str:
        """A caseless trie of one cue list of the address section."""
        return trie(sec("address", key), caseless=True)

    return _Grammar(
        street=street,
        csz=csz,
        csz_line=csz_line,
        city_only=city_only,
        after=re.compile(r"[ \t,]*" + phrase_regex(sec("address", "residence_after"))),
        office_column=re.compile(phrase_regex(sec("address", "office_columns")) + r"[\s:.#]*"),
        # searched in the few characters before an address, up to it: "departamento de "
        dwelling_before=re.compile(
            rf"(?<!\w)(?i:{cues('dwelling_words')})[ \t]+(?i:{cues('dwelling_links')})[ \t]+\Z"
        ),
        org_subject=re.compile(
            rf"(?:['’]s)?(?:[ \t]+(?i:{cues('office_subject_fillers')})(?!\w))*[ \t]*"
        ),
        # a notice's field naming the dwelling, alone before the address: "Unit: 3401 ..."
        dwelling_field=re.compile(
            rf"[ \t>*•\-]*(?P<f>(?i:{cues('dwelling_fields')}))[ \t]*:[ \t]*"
        ),
        answer_lead=re.compile(rf"(?<!\w)(?i:{cues('answer_leads')})[ \t]*:?[ \t]*\Z"),
        dotted=frozenset(
            x.lower().rstrip(".")
            for key in ("street_suffixes", "directionals", "units")
            for x in sec("address", key)
        ),
    )


_TRAIL = re.compile(r"[ \t,]*")


def _finish(text: str, m: re.Match[str], end: int, generic_ok: bool) -> tuple[int, int] | None:
    """The full span of a street match: add city, state and ZIP where they follow."""
    span = _extend(text, m, end, generic_ok)
    if span is None:
        return None
    s, e = span
    # "lives at 123 Main Street." - the sentence's period is not part of the address
    # ("Santa Fe." ends a sentence; "St." is an abbreviation and keeps its period)
    if text[e - 1] == "." and (e >= len(text) or text[e].isspace()):
        word = text[text.rfind(" ", s, e) + 1 : e - 1]
        if len(word) > 4 or not word.isalpha() or word.lower() not in _grammar().dotted:
            e -= 1
    return s, e


def _next_line_place(text: str, stop: int) -> int | None:
    """Where an address block's "City, NM 87xxx" line ends, when the street line ends at
    ``stop`` and that line comes next."""
    g = _grammar()
    t = _TRAIL.match(text, stop)
    nl = t.end() if t is not None else stop
    if nl >= len(text) or text[nl] not in "\r\n":
        return None
    ns = nl + (2 if text.startswith("\r\n", nl) else 1)
    le = text.find("\n", ns)
    le = len(text) if le == -1 else le
    c = g.csz_line.match(text, ns, le) if le - ns <= 120 else None
    if c is None:
        return None
    # end at the ZIP or state, not at trailing spaces or a period
    return max(c.end(k) for k in ("zip", "zip2", "zip3", "state") if c.group(k))


def _extend(text: str, m: re.Match[str], end: int, generic_ok: bool) -> tuple[int, int] | None:
    g = _grammar()
    stop = m.end()
    c = g.csz.match(text, stop, end)
    if c is not None:
        return m.start(), c.end()
    below = _next_line_place(text, stop)
    if below is not None:
        return m.start(), below
    if m.group("gen") is not None or m.group("gen2") is not None:
        # a bare name is a street only before a city, state or ZIP, or right after a label;
        # "el 3210 de la Isleta y ..." says it is a street by its "de la", so prose may go on
        ends_value = stop >= end or text[stop] in ".,;:|\n\"'"
        if generic_ok and (ends_value or m.group("gen2") is not None):
            return m.start(), stop
        return None
    co = g.city_only.match(text, stop, end)
    return m.start(), (co.end("city") if co is not None else stop)


def read_address_at(text: str, pos: int, *, generic_ok: bool = False) -> tuple[int, int] | None:
    """The address whose house number (or Spanish street type, or route) is at ``pos``.

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


_READ_REACH = 90  # how far before a street word its house number may be
_NEAR = 40  # ... and how far it usually is


# a house number: a run of digits after anything but a letter, digit, "_", ".", ",", "/",
# "$" or "-". Runs are few in a window, so they are found first (in C) and the character
# before each is checked here, rather than matching that character with every one.
_DIGITS = re.compile(r"\d+")
_NOT_BEFORE_NUMBER = frozenset("./$-_")
# a comma ends a group of "1,200" when 1-3 digits stand alone before it; after anything else
# it is a CSV separator ("...,5NPE24AF4GH310577,901 Sagebrush Trl SE,...")
_THOUSANDS_BEFORE = re.compile(r"(?<![\w.,])\d{1,3},\Z")


def _after_separator(text: str, pos: int) -> bool:
    """Whether the character before the digit run at ``pos`` lets a house number start."""
    c = text[pos - 1]
    if c.isalnum() or c in _NOT_BEFORE_NUMBER:
        return False
    return c != "," or _THOUSANDS_BEFORE.search(text, max(0, pos - 5), pos) is None


@cache
def _word_start_re() -> re.Pattern[str]:
    """Where an address can start with a word: a Spanish street type, a rural route."""
    sec = words().section
    types = trie(sec("address", "spanish_types"), caseless=True)
    cap_types = trie(sec("address", "capitalised_types"), caseless=False)
    return re.compile(
        rf"(?<![\w.\-])(?:(?i:{types})|{cap_types}|(?i:(?:Rural|Star)[ \t]+Route|R\.?[ \t]?R|Rural|"
        rf"R(?:ou)?te?|H\.?[ \t]?C|Star)(?=[ .\t\dR]))"
    )


def _starts(text: str, lo: int, hi: int, words_too: bool) -> list[int]:
    """Where an address can start in ``[lo, hi)``, nearest to ``hi`` first: house numbers (a
    digit run not glued to a word, a decimal, a date or an amount); with ``words_too``, street
    types and routes ahead of the numbers ("HC 61 Box 2290" starts at "HC", not at "61")."""
    out = []
    for m in _DIGITS.finditer(text, lo, hi):
        pos = m.start()
        # a run at the text's start is handled below; one cut by ``lo`` is no start
        if pos > 0 and _after_separator(text, pos):
            out.append(pos)
    if lo == 0 and text[:1].isdigit():
        out.insert(0, 0)
    out.reverse()
    if words_too:
        out = [m.start() for m in _word_start_re().finditer(text, lo, hi)][::-1] + out
    return out


def _read_back(
    text: str, end: int, reads: dict[int, tuple[int, int] | None], *, words_too: bool = False
) -> tuple[int, int] | None:
    """The address that holds the prefilter's match ending at ``end`` (a street word, a
    Spanish street type or number, a route box): read from the places before it, on its line,
    where an address can start, nearest first, and keep the first read that reaches ``end``.
    A street with a suffix starts at its house number; ``words_too`` also tries street types
    ("Calle Alameda 1204") and routes ("RR 2 Box 118").

    ``reads`` remembers reads by start, so that the streets of one table cost one read each.
    """
    ls = text.rfind("\n", max(0, end - _READ_REACH), end) + 1 or max(0, end - _READ_REACH)
    # the house number is nearly always close: look there first, then further back
    near = max(ls, end - _NEAR)
    for lo, hi in ((near, end), (ls, near)):
        for pos in _starts(text, lo, hi, words_too):
            if pos in reads:
                span = reads[pos]
            else:
                span = reads[pos] = read_address_at(text, pos)
            if span is not None and span[0] < end <= span[1]:
                return span
    return None


@cache
def _not_name_starts() -> frozenset[str]:
    return frozenset(w.lower() for w in words().section("address", "not_name_starts"))


def _street_key(text: str, s: int, e: int) -> str:
    """An address's number and street, normalised: two copies of one address compare equal
    ("2418 Sunset Gardens Rd SW, ABQ 87121" and "2418 SUNSET GARDENS RD SW")."""
    head = text[s:e].split(",", 1)[0].split("\n", 1)[0]
    return " ".join(re.findall(r"\w+", head.lower())[:4])


_MAX_ECHOES = 20  # accepted addresses whose shorter mentions are looked for, per text
_ECHO_REACH = 300  # ... and how far from it (a query line above, the next lines)
_HEAD_WORDS = re.compile(r"\w+(?:['’]\w+)*")


class _Head(NamedTuple):
    """An accepted address's number and street name, as its shorter mentions give them."""

    number: str
    names: tuple[str, ...]  # the name words, lower case
    kind: str  # the street type written after them ("rd"), or ""

    def match(self, text: str, pos: int) -> int | None:
        """Where a mention of this street that starts at ``pos`` ends, if one does: the
        number and the name words (any case), then the type, which a one-word name needs.
        Compared word by word: a regex per address would cost a compile per address."""
        if pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "_/.-$#"):
            return None
        end = pos + len(self.number)
        for name in self.names:
            w = _NEXT_WORD.match(text, end)
            if w is None or w.group(1).lower() != name:
                return None
            end = w.end()
        w = _NEXT_WORD.match(text, end) if self.kind else None
        if w is not None and w.group(1).lower() == self.kind:
            end = w.end()
            if text.startswith(".", end) and not _word_at(text, end + 1):
                end += 1  # "Rd."
        elif len(self.names) < 2:
            return None
        return None if _word_at(text, end) else end


def _word_at(text: str, pos: int) -> bool:
    """Whether a word character is at ``pos``: a mention must end at a word's end."""
    return pos < len(text) and (text[pos].isalnum() or text[pos] == "_")


_NEXT_WORD = re.compile(r"[ \t]+(\w+(?:['’]\w+)*)")


def _echo_head(text: str, s: int, e: int) -> _Head | None:
    """An accepted address's house number and street name words, with the street type if
    written ("7305 San Isidro" + "rd" for "7305 San Isidro Rd NW, ..."). A one-word name
    needs its type ("8801 Lomas Blvd"): "12 Main" alone could be anything."""
    tokens = _HEAD_WORDS.findall(text[s:e].split(",", 1)[0].split("\n", 1)[0])
    if len(tokens) < 3 or not tokens[0].isdigit():
        return None
    dotted = _grammar().dotted
    names: list[str] = []
    for tok in tokens[1:4]:
        if tok.lower() in dotted or tok.isdigit():
            break
        names.append(tok.lower())
    nxt = tokens[1 + len(names)].lower() if len(tokens) > 1 + len(names) else ""
    kind = nxt if nxt in dotted else ""
    if not names or (len(names) < 2 and not kind):
        return None
    return _Head(tokens[0], tuple(names), kind)


# an SSN's shape; the edges are checked in code (a look-behind first would make the regex
# try every character of the row)
_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
_NEGATIVE_LISTS = ("addrneg", "org")


def _record_row(text: str, ls: int, le: int) -> bool:
    """Whether the line ``[ls, le)`` holds a valid SSN or ITIN standing as its own value."""
    for m in _SSN_SHAPE.finditer(text, ls, le):
        a, b = m.start(), m.end()
        before = text[a - 1] if a > 0 else " "
        after = text[b] if b < len(text) else " "
        if (before.isalnum() or before in "-/._") or (after.isalnum() or after in "-/_"):
            continue
        if classify(m.group()):
            return True
    return False


# what may sit between a residence label and the house number: "Address: ", "lives at ",
# "is at ", "vive en la "
_AFTER_LABEL = re.compile(
    r"[ \t:#\-–>*•]*(?:(?i:is|at|in|on|now|was|en|la|el|es|a|al|the)[ \t]+){0,3}(?=\d)"
)


_ID = "identifiers.street_address"
# the keys read back from their end; streets start at their house number, the others may
# start with a word (a Spanish street type, a route)
_READ_BACK_KEYS = (
    (f"{_ID}.street", False),
    (f"{_ID}.grid", False),
    (f"{_ID}.spanish_after", True),
    (f"{_ID}.rural", True),
)
_LABELLED = f"{_ID}.labelled"
_COLUMN = f"{_ID}.column"
_ZIP = f"{_ID}.zip"
# every prefilter key of the detector, checked at once for the many texts that have none
_KEYS = tuple(
    f"{_ID}.{k}" for k in ("street", "grid", "spanish_after", "rural", "zip", "labelled", "column")
)


class AddressDetector:
    """Residential street addresses, not office addresses."""

    id = _ID
    categories: tuple[str, ...] = (CATEGORY,)

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared`` is accepted for a uniform constructor; this detector reads no
        shared value pattern."""
        del declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """Where an address may start or end: a number before a street word, a Spanish street
        type, a route box, a state and ZIP, a residence label right before a number, and the
        header words of address columns."""
        w = words()
        sec = w.section
        # a number before a street word: a suffix ("Dr"), a road ("County Road") or a Spanish
        # street type ("2107 Calle Luna", "1450 Avenida Cesar Chavez")
        street_words = [
            *sec("address", "street_suffixes"),
            *sec("address", "numbered_roads"),
            *sec("address", "spanish_types"),
        ]
        # (the capitalised types are found in any case here; the grammar checks the case)
        types = hs_alternation(
            [*sec("address", "spanish_types"), *sec("address", "capitalised_types")],
            caseless=True,
        )
        states = "|".join(re.escape(x) for x in sorted(sec("address", "states"), key=len)[::-1])
        lead = r"[ \t:#\-=>*]*(?:(?:is|at|in|on|now|was|en|la|el|es|a|al|the)[ \t]+){0,3}\d"
        residence = w.labels_of(CATEGORY)
        return [
            # Three patterns with variable-length heads: found by their ends only (tracking
            # starts would cost more than the rest of the scan); _read_back finds the start.
            PatternSpec(
                f"{self.id}.street",
                r"\b\d{1,6}[A-Za-z]?[ \t]+(?:[^\s,;:|()]+[ \t]+){0,5}"
                + hs_alternation(street_words, caseless=True),
                caseless=True,
                som=False,
            ),
            # a Spanish street type before the house number: "Calle Alameda 1204", "calle
            # Morelos número 1450"
            PatternSpec(
                f"{self.id}.spanish_after",
                types + r"[ \t]+(?:[^\s,;:|()]+[ \t]+){1,5}\d{1,6}\b",
                caseless=True,
                som=False,
            ),
            # a grid address, "2155 S 700 W": no street word to find it by (read back from
            # its end like a street; the case of the directions is checked there)
            PatternSpec(
                f"{self.id}.grid",
                r"\b\d{1,6}[ \t]+(?:[nsew]\.?|north|south|east|west)[ \t]+\d{2,5}[ \t]+"
                r"(?:[nsew]|north|south|east|west)\b",
                caseless=True,
                som=False,
            ),
            # "RR 2 Box 118", "HC 61 Box 2290": anchored on the box, the cheapest part to find;
            # the route before it is read back ("PO Box 630" reads as no address)
            PatternSpec(
                f"{self.id}.rural", r"\b(?:Box|Bx)[ \t]*\d{1,6}[A-Z]?\b", caseless=True, som=False
            ),
            # "..., Farmington NM 87401": the end of an address whose street has no suffix
            PatternSpec(f"{self.id}.zip", rf"\b(?:{states})\.?,?[ \t]+\d{{5}}(?:-\d{{4}})?\b"),
            # "Address: 811 Camina Largo", "vive en la 12 ...": a label, then a house number.
            # One branch per label, so that Hyperscan compiles them as separate expressions.
            # (read from its end, the house number's first digit, back to the label)
            PatternSpec(
                f"{self.id}.labelled",
                "|".join(hs_alternation([p], caseless=True) + lead for p in sorted(residence)),
                caseless=True,
            ),
            PatternSpec(
                f"{self.id}.column",
                r"\b(?:address(?:es)?|addr|residence|residencia|domicilio|direcci[oó]n)\b",
                caseless=True,
                som=False,
            ),
        ]

    def _read(self, ctx: ScanContext, tables: TableCache) -> list[tuple[int, int]]:
        """Every address read at the candidates, overlapping reads merged (longest kept)."""
        text = ctx.text
        spans: set[tuple[int, int]] = set()
        reads: dict[int, tuple[int, int] | None] = {}
        ends: set[int] = set()
        for key, words_too in _READ_BACK_KEYS:
            for c in ctx.hits(key):
                if c.end in ends and not words_too:
                    continue  # "1204 Calle Ocho": a street word and a street type, one end
                ends.add(c.end)
                span = _read_back(text, c.end, reads, words_too=words_too)
                if span is not None:
                    spans.add(span)
        # after a residence label or under an address column, a street needs no suffix
        starts = {s for s, _ in spans}
        for c in ctx.hits(_LABELLED):
            number = c.end - 1  # the match ends with the house number's first digit
            if number in starts:
                continue  # an address read already
            ls = text.rfind("\n", max(0, number - 80), number) + 1
            lab = index_of(ctx).last_label(max(ls, number - 80), number)
            if lab is None or not lab.is_for(CATEGORY):
                continue
            lead = _AFTER_LABEL.match(text, lab.end, number + 1)
            if lead is None or lead.end() != number:
                continue  # more than filler and "is at", "vive en la" between them
            span = read_address_at(text, number, generic_ok=True)
            if span is not None:
                spans.add(span)
        seen: set[tuple[int, int]] = set()
        for c in ctx.hits(_COLUMN):
            table = tables.header(c.end - 1)
            col = table.column_at(c.end - 1) if table is not None else None
            if table is None or col is None or (table.start, col) in seen:
                continue
            seen.add((table.start, col))
            if CATEGORY not in column_categories(text[slice(*table.cells[col])]):
                continue
            for a, b in column_cells(text, table, col):
                if a in starts:
                    continue
                span = read_address_at(text, a, generic_ok=True)
                if span is not None and span[1] <= b:
                    spans.add(span)
        # a state and ZIP with no street read before it: look back along the line for the
        # house number of a street without a suffix ("811 Camina Largo, Farmington NM 87401")
        zips = ctx.hits(_ZIP)
        # the longest read per end
        by_end = {e: s for s, e in sorted(spans, reverse=True)} if zips else {}
        for c in zips:
            if by_end.get(c.end, c.end) < c.start:
                continue  # the end of an address read already
            ls, _ = line_bounds(text, c.start)
            # leftmost first: the address runs from its start to this ZIP
            for pos in reversed(_starts(text, max(ls, c.start - 100), c.start, True)):
                if pos not in reads:
                    reads[pos] = read_address_at(text, pos)
                span = reads[pos]
                if span is not None and span[1] >= c.end:
                    spans.add(span)
                    break
        kept: list[tuple[int, int]] = []
        for s, e in sorted(spans, key=lambda p: (p[0], -p[1])):
            if kept and s < kept[-1][1]:
                continue
            kept.append((s, e))
        return kept

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Read addresses around each candidate, then judge whose they are."""
        if ctx.candidates.keys().isdisjoint(_KEYS):
            return []
        text = ctx.text
        tables = tables_of(ctx)
        spans = self._read(ctx, tables)
        if not spans:
            return []  # "the address on file", "Box 3": nothing read, nothing to judge
        index = index_of(ctx)
        out = Collector(text, self.id)
        neutral: list[tuple[int, int]] = []
        for s, e in spans:
            verdict = self._judge(index, s, e, tables)
            if verdict == _NEUTRAL:
                neutral.append((s, e))
            elif isinstance(verdict, tuple):
                out.add(CATEGORY, s, e, verdict[1], verdict[0])
        if neutral:
            self._siblings(text, out, neutral)
        if neutral:
            self._repeats(text, out, neutral)
        if out.found:
            self._echoes(text, out, spans, neutral)
        return out.findings()

    @staticmethod
    def _echoes(
        text: str, out: Collector, spans: list[tuple[int, int]], neutral: list[tuple[int, int]]
    ) -> None:
        """Mark the number and street name of an accepted address where the text gives them
        again without the rest ("RES_ADDR LIKE '7305 SAN ISIDRO%'" above the rows holding
        "7305 San Isidro Rd NW, Los Ranchos NM 87107"; "8801 Lomas Blvd" after "8801 Lomas
        Blvd NE, ..."): the same home, named shorter. An address judged an office's stays
        unmarked."""
        # by house number, near the address (a query line above the rows, the next lines);
        # the street's words are read only at a hit outside the addresses accepted, which is
        # rare: most texts give each address once
        starts: set[int] | None = None
        undecided: dict[int, int] = {}
        seen: set[str] = set()
        for _, s, e in list(out.found):
            m = _DIGITS.match(text, s)
            if m is None or m.group() in seen:
                continue
            number = m.group()
            seen.add(number)
            if len(seen) > _MAX_ECHOES:
                break
            head: _Head | None = None
            hi = e + _ECHO_REACH
            pos = text.find(number, max(0, s - _ECHO_REACH), hi)
            while pos != -1:
                if pos != s:
                    if starts is None:
                        starts = {a for a, _ in spans}
                        undecided = dict(neutral)
                    if (pos not in starts or pos in undecided) and (
                        head := head or _echo_head(text, s, e)
                    ):
                        end = head.match(text, pos)
                        if end is not None and pos in undecided:
                            # read whole but undecided: the address, given again
                            out.add(CATEGORY, pos, undecided[pos], 0.65, ("repeated",))
                        elif (
                            end is not None
                            and not any(a < end and pos < b for a, b in spans)
                            and not out.has(CATEGORY, pos, end)
                        ):
                            out.add(CATEGORY, pos, end, 0.6, ("repeated",))
                pos = text.find(number, pos + len(number), hi)

    @staticmethod
    def _repeats(text: str, out: Collector, neutral: list[tuple[int, int]]) -> None:
        """Accept an undecided address that repeats an accepted one: a quoted reply, a
        summary at the end ("> 2418 Sunset Gardens Rd SW, ABQ 87121")."""
        accepted = {_street_key(text, s, e) for _, s, e in out.found}
        for s, e in list(neutral):
            if _street_key(text, s, e) in accepted:
                out.add(CATEGORY, s, e, 0.7, ("repeated",))
                neutral.remove((s, e))

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

    @staticmethod
    def _name_above(index: Index, s: int) -> str | None:
        """The person's name heading the address block that ``s`` opens, if there is one:
        "Rosa Quintana" alone on the line above, not under a closing ("Thanks,") as the
        sender's signature is, and naming no office."""
        text = index.text
        ls, _ = line_bounds(text, s)
        if ls == 0 or text[ls:s].strip(" \t>-*"):
            return None
        ps, pe = line_bounds(text, ls - 1)
        m = _NAME_LINE.fullmatch(text, ps, pe)
        if m is None or index.words("org").any_in(ps, pe) or index.words("title").any_in(ps, pe):
            return None
        first = text[ps:pe].strip(" \t>").split(None, 1)[0].lower().rstrip(".,")
        if first in _not_name_starts():
            return None  # "El Pinto", "Casa Nopal", "The Grove": a place, not a person
        if ps > 0:
            qs, qe = line_bounds(text, ps - 1)
            if _CLOSINGS.fullmatch(text[qs:qe].strip(" \t>")) is not None:
                return None
        return text[ps:pe].strip(" \t>,")

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
            cats = column_categories(text[a:b]) or frozenset(
                c for lab in index.labels_in(a, b) for c in lab.categories
            )
            if CATEGORY in cats:
                return (text[a:b],), 0.9
        ls, le = line_bounds(text, s)
        # a signature or letterhead line: "Field Office | 1900 E Aztec Ave ... | 505-722-0011"
        if col is None and _PHONE_AFTER.match(text, e, le):
            return None
        # the common case, decided early: "Res: ", "lives at ", "Domicilio: " right before it
        # on its line, with nothing between that ends a sentence or names an organisation
        # ("Employer address: " is a negative phrase holding the label: it ends where it does)
        if col is None and (f := g.dwelling_field.fullmatch(text, ls, s)) is not None:
            # a housing notice's "Unit:" or "Vivienda:" field: the tenant's home
            return (f.group("f"),), 0.85
        lab = index.last_label(max(ls, s - _LABEL_REACH), s)
        if (
            lab is not None
            and lab.is_for(CATEGORY)
            and not has_stop(text, lab.end, s)
            and (neg := index.last_end(_NEGATIVE_LISTS, ls, s)) < lab.end
            and index.last_end(("title",), max(ls, s - _TITLE_REACH), s) < lab.end
        ):
            # (an office word before the label, if any, is on its line: ``neg`` says so)
            return None if neg >= 0 and self._office_subject(index, lab) else ((lab.key,), 0.9)
        # an answer in a chat: "where is she staying now?" / "Clerk: 4410 Montaño Rd NW"; the
        # speaker ("Clerk:", "Ochoa (HSI):") is no context, an office in the question is
        q = answer_to(index, s, e, CATEGORY)
        if q is not None:
            qs, qe = line_bounds(text, q.start)
            # ("the clinic's address?", "the address of the office?")
            if index.last_end(_NEGATIVE_LISTS, max(qs, q.start - 25), qe) < 0:
                return (q.key,), 0.8
        # in a row of a table the row is the sentence: the rows above are other people's
        line = text[ls:le]
        cs = ls if ("|" in line or "\t" in line) else clause_start(text, s, limit=250)
        strong = [lab for lab in index.labels_in(cs, s) if lab.is_for(CATEGORY)]
        # an address opening its line under "Records Custodian\nMotor Vehicle Division"
        if (
            (not strong or strong[-1].end < ls)
            and not text[ls:s].strip(" \t>-*•")
            and signature_block(index, s)
        ):
            return None
        # "Emory J. Castellanos-Whitt, AUSA, 700 Stewart Street": an official's office
        last_neg = max(
            index.last_end(_NEGATIVE_LISTS, cs, s),
            index.last_end(("title",), max(cs, s - _TITLE_REACH), s),
        )
        if strong and strong[-1].end > last_neg and s - strong[-1].end <= _LABEL_REACH:
            if last_neg >= 0 and self._office_subject(index, strong[-1]):
                return None
            return (strong[-1].key,), 0.9
        if last_neg >= 0:
            # "en el departamento de Calle Carlos Rey 1411": the apartment is on that street
            # (the word also names offices, "Departamento de Salud", but no office is "of" a
            # street); asked only here, where the word has been read as an office
            dw = g.dwelling_before.search(text, max(cs, s - 40), s)
            if dw is not None and last_neg <= dw.end():
                return (dw.group().split()[0],), 0.85
            return None
        after = g.after.match(text, e, min(len(text), e + 40))
        if after is not None:
            return (after.group().strip(" ,"),), 0.8
        if strong:
            return (strong[-1].key,), 0.7
        # a record row: "RUIZ, Ana | 03/14/1988 | 585-20-1234 | 412 Elm St ...": the address
        # written on one line with a person's SSN or ITIN is that person's
        if _record_row(text, ls, le):
            return ("record",), 0.75
        name = self._name_above(index, s)
        if name is not None:
            return (name,), 0.7
        people = [lab for lab in index.labels_in(cs, s) if lab.categories & _IDENTIFIER_LABELS]
        if people:
            return (people[-1].key,), 0.75
        person = index.words("person").last_in(cs, s)
        # "my husband and I tried El Patio at 142 Harvard Dr SE": a name between the person
        # and the address owns the address
        if person is not None and not _OWNER_BEFORE.search(text, person[1], s):
            return (text[person[0] : person[1]],), 0.7
        nm = _NAME_COMMA.search(text, max(cs, s - 60), s)
        if nm is not None and not _PLACE_BEFORE.search(text, max(cs, nm.start() - 8), nm.start()):
            return ("name",), 0.65
        # a list under a person's heading in the paragraph before ("Address history - NAME -
        # DOB 02/03/1975 - DL 038845160\n\n1. 2009-2012   1530 Coal Ave SE ...")
        lo = max(0, cs - 400)
        before = index.labels_in(lo, cs)
        residence = [lab for lab in before if lab.is_for(CATEGORY)]
        if residence and any(lab.categories & _IDENTIFIER_LABELS for lab in before):
            return (residence[-1].key,), 0.6
        asked = self._asked_before(index, s)
        if asked is not None:
            return (asked,), 0.6
        return _NEUTRAL

    @staticmethod
    def _office_subject(index: Index, lab: Label) -> bool:
        """Whether an office is what the residence verb is said of: "the clinic has moved
        to", "our field office is now at", "la oficina se mudó a" (an office word right
        before the label, with only auxiliaries between)."""
        ls, _ = line_bounds(index.text, lab.start)
        org = index.words("org").last_in(max(ls, lab.start - 40), lab.start)
        return (
            org is not None
            and _grammar().org_subject.fullmatch(index.text, org[1], lab.start) is not None
        )

    @staticmethod
    def _asked_before(index: Index, s: int) -> str | None:
        """The person's address that an answer ("it's 8801 Lomas Blvd NE ...") gives, when
        the address was asked about a few lines above ("the address for Tran Van Minh ...
        Can I give it?") and nothing since names an office."""
        g = _grammar()
        text = index.text
        ls, _ = line_bounds(text, s)
        lead = g.answer_lead.search(text, max(ls, s - 30), s)
        if lead is None:
            return None
        labels = index.labels_in(max(0, s - _ASK_REACH), lead.start())
        lab = next((x for x in reversed(labels) if x.is_for(CATEGORY)), None)
        if lab is None or index.last_end((*_NEGATIVE_LISTS, "title"), lab.end, s) >= 0:
            return None
        # the address asked about is a person's: "address for Tran Van Minh", "her address"
        lls, lle = line_bounds(text, lab.start)
        if _FOR_NAME.match(text, lab.end, lle) is not None or (
            index.words("person").any_in(max(lls, lab.start - 30), lab.start)
        ):
            return lab.key
        return None
