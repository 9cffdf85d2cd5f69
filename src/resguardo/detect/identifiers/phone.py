"""A person's phone number (U.S. formats).

Agency mail is full of phone numbers that belong to offices: main lines, desk and fax lines
in signature blocks, hotlines in resource lists. The guide marks every number except those
published lines, so a well-formed number is a person's unless something points at an
organisation: a label or cue of an office, a signature or letterhead block, a resource list,
a directory line with the office's address. A person's label ("Phone 575-317-0452", "her
cell is ...", "Teléfono:", a phone column) or a call-log row wins over the weaker cues.
Toll-free numbers,
numbers marked "main", "fax", "office", "desk", numbers offered for appointments or
information ("línea de citas", "appointment line"), numbers under an organisation named
earlier in the sentence, and numbers in a signature block under an organisation's name are
not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import Collector, answer_to, column_label
from resguardo.detect.identifiers._index import Index, index_of
from resguardo.detect.identifiers._layout import (
    clause_start,
    label_before,
    line_bounds,
    signature_block,
)
from resguardo.detect.identifiers._tables import TableCache, tables_of
from resguardo.detect.identifiers._words import fold_key, phrase_regex, words
from resguardo.detect.identifiers.validators import is_valid_nanp
from resguardo.detect.patterns import PatternSpec

__all__ = ["PhoneDetector"]

CATEGORY = "phone_number"

# A Mexican number is written with its country code ("+52 656 118 2040"): people on the
# border give them as often as U.S. ones, and the ten digits after +52 follow NANP's shape.
_VALUE = re.compile(
    r"(?<![\w\-/.+])(?:\+?1[\s.\-]?|\+52[\s.\-]?(?:1[\s.\-])?)?"
    r"(?:\(\d{3}\)\s?|\d{3}[\s.\-]?)\d{3}[\s.\-]?\d{4}"
    r"(?![\w\-/]|\.\d)"
)
# Separators must be one per gap: "505 22 1234 5" is not a phone.
_SHAPE = re.compile(
    r"(?:\+?1[\s.\-]?|\+52[ .\-]?(?:1[ .\-])?)?(?:\(\d{3}\) ?|\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}"
)
_MX_PREFIX = re.compile(r"\+52[ .\-]?(?:1[ .\-])?")


@cache
def _negative_after() -> re.Pattern[str]:
    return re.compile(r"[\s(\-–,:]*" + phrase_regex(words().section("phone", "negative_after")))


@cache
def _person_re() -> re.Pattern[str]:
    return re.compile(phrase_regex(words().section("address", "person_words")))


@cache
def _public_re() -> re.Pattern[str]:
    return re.compile(phrase_regex(words().section("phone", "public_words")))


@cache
def _public_after() -> re.Pattern[str]:
    """Said right after an unlabeled number: "... for information", "para informes"."""
    return re.compile(r"[\s(\-–,:]*" + phrase_regex(words().section("phone", "public_after")))


@cache
def _personal_labels() -> frozenset[str]:
    return frozenset(fold_key(p).lower() for p in words().section("phone", "personal_labels"))


@cache
def _personal(key: str) -> bool:
    """Whether the label ``key`` itself says whose number it is ("her cell", "mi número",
    "call him at"): such a label holds even in a sentence that names an organisation."""
    return _person_re().search(key) is not None or fold_key(key).lower() in _personal_labels()


@cache
def _owner_after() -> re.Pattern[str]:
    """A person's phone word on the rest of a number's line: "- that's his girlfriend's
    cell", "(el cel de su mamá)"; the caller checks a person word comes with it."""
    return re.compile(phrase_regex(words().section("phone", "owner_after")))


@cache
def _caller_label() -> re.Pattern[str]:
    """A call record's caller field right before a number: "From: ", "Caller ID: "."""
    rx = phrase_regex(words().section("phone", "caller_labels"))
    return re.compile(r"(?:^|(?<=[\s>]))" + rx + r"[ \t]*:[ \t]*\Z", re.MULTILINE)


@cache
def _call_record_re() -> re.Pattern[str]:
    return re.compile(phrase_regex(words().section("phone", "call_record_words")))


# How far above a caller field the call record's heading may be ("Voicemail transcript").
_RECORD_REACH = 300
# How far past a number its line may say whose it is ("- that's his girlfriend's cell").
_OWNER_REACH = 60


def _owner_said_after(index: Index, e: int, le: int) -> bool:
    """Whether the rest of the number's line says whose phone it is: a person word and a
    phone word before the sentence ends, no organisation ("... - that's the clinic's")."""
    text = index.text
    hi = min(le, e + _OWNER_REACH)
    stop = _END_OF_SENTENCE.search(text, e, hi)
    if stop is not None:
        hi = stop.start()
    if hi <= e or _owner_after().search(text, e, hi) is None:
        return False
    if index.words("org").any_in(e, hi) or _public_re().search(text, e, hi):
        return False
    return _person_re().search(text, e, hi) is not None


_END_OF_SENTENCE = re.compile(r"[.?!;](?:\s|$)")


def _org_said_after(index: Index, e: int, le: int) -> bool:
    """Whether the rest of the number's sentence, on its line, names an organisation or an
    office line and no person ("- that's the shelter's front desk")."""
    text = index.text
    hi = min(le, e + _OWNER_REACH)
    stop = _END_OF_SENTENCE.search(text, e, hi)
    if stop is not None:
        hi = stop.start()
    if hi <= e or index.words("person").any_in(e, hi):
        return False
    if index.words("org").any_in(e, hi):
        return True
    return _office_words().search(text, e, hi) is not None


@cache
def _office_words() -> re.Pattern[str]:
    return re.compile(phrase_regex(words().section("phone", "negative_after")))


def _caller_number(text: str, s: int) -> bool:
    """Whether the number at ``s`` is the caller's in a call record: a caller field ("From:")
    right before it, under a voicemail or missed-call heading a few lines up. People call
    in; whoever left the message is the person the record is about."""
    ls, _ = line_bounds(text, s)
    if _caller_label().search(text, max(ls, s - 30), s) is None:
        return False
    return _call_record_re().search(text, max(0, ls - _RECORD_REACH), s) is not None


def _fax_follows(index: Index, e: int, le: int) -> bool:
    """Whether a fax number's label follows on the number's line: people have no fax line,
    so a "Tel ... Fax ..." line is an office's letterhead or signature."""
    if "fax" not in index.text[e:le].lower():
        return False  # the usual case, decided without the index
    return any(lab.key.startswith("fax") for lab in index.labels_in(e, le))


def _valid(value: str) -> bool:
    """A geographic NANP number, or a Mexican one: ten digits after +52, which follow none
    of NANP's exchange rules ("+52 656 118 2040"), only no leading zero."""
    m = _MX_PREFIX.match(value)
    if m is None:
        return is_valid_nanp(value)
    return value[m.end() :].lstrip("(")[:1] not in ("0", "")


@cache
def _call_row() -> re.Pattern[str]:
    """The head of a call-log row right before its number: "09:02  inbound  ",
    "08:15  entrante  ". The number is the other party's, and agencies log people's calls."""
    rx = phrase_regex(words().section("phone", "call_directions"))
    return re.compile(
        r"^[ \t>]*\d{1,2}:\d{2}(?:[ \t]*[ap]\.?m\.?)?[ \t]+" + rx + r"[ \t]*\Z",
        re.MULTILINE | re.IGNORECASE,
    )


def _call_log_number(index: Index, s: int, le: int) -> bool:
    """Whether the number at ``s`` is the other party of a call-log row, and the rest of
    the row does not name an organisation without a person ("MVD main office")."""
    text = index.text
    ls, _ = line_bounds(text, s)
    if _call_row().search(text, ls, s) is None:
        return False
    person = index.words("person").any_in(s, le) or _HONORIFIC.search(text, s, le) is not None
    return person or not index.words("org").any_in(s, le)


# A courtesy title before a name marks a person in a call-log row ("Sra. Paredes").
_HONORIFIC = re.compile(r"\b(?:Sra?|Srta|Mrs?|Ms|Dr|Don|Doña)\.?\s+[A-ZÁÉÍÓÚÑ]")


@cache
def _directory_line() -> re.Pattern[str]:
    """A line that lists an office: fields split by " | " or " - " with a state and ZIP
    before the number ("DACDC | 1850 Porter Dr., Las Cruces, NM 88005 | (575) ...")."""
    return re.compile(r"(?:\|| - | – ).*\b[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?\b.*(?:\||-|–)\s*\Z")


# A resource list's item: a bullet, a name and a colon before the number ("  - Casa de Paz
# (women and children): (505) 246-1180"). People's numbers come with a person word or label.
_LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*•·]|\d{1,2}[.)])[ \t]+\S")
# A bare field separator before the number: "VITA Program | 575-555-0147".
_PIPE_BEFORE = re.compile(r"\|[ \t]*\Z")


@cache
def _inquiry_re() -> re.Pattern[str]:
    rx = phrase_regex(words().section("phone", "inquiry_labels"))
    return re.compile(rx + r"[^\n:]{0,24}\Z")


def _inquiry_line(text: str, s: int) -> bool:
    """Whether an inquiry field comes right before the number on its line ("Questions: HR
    at ..."): the number is offered to the public. Farther back, "contact info:" may well
    introduce a person's number."""
    ls, _ = line_bounds(text, s)
    return _inquiry_re().search(text, max(ls, s - 40), s) is not None


# A listing's name with a description of whom it serves before its number: "Casa de Paz
# (women and children): ". (The caller rules out lines with person words: "Mom (Rosa): ".)
_DESCRIBED_ENTRY = re.compile(r"^[ \t>]*[A-ZÁÉÍÓÚÑ][^:\n]{0,60}\([^)\n]*\)[ \t]*:[ \t]*\Z")


def _org_layout(text: str, s: int) -> bool:
    """Whether the number's line is laid out as an organisation's listing: a bulleted
    resource item, a described entry, a "|"-separated letterhead line, a directory line
    with an address."""
    ls, _ = line_bounds(text, s)
    head = text[ls:s]
    return (
        _LIST_ITEM.match(head) is not None
        or _DESCRIBED_ENTRY.match(head) is not None
        or _PIPE_BEFORE.search(head) is not None
        or _directory_line().search(head) is not None
    )


class PhoneDetector:
    """Phone numbers of people, not of offices."""

    id = "identifiers.phone_number"
    categories: tuple[str, ...] = (CATEGORY,)
    _value_key = id + ".value"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared`` is accepted for a uniform constructor; this detector reads no
        shared value pattern."""
        del declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """NANP shapes: (505) 555-1234, 505-555-1234, 505.555.1234, 505 555 1234, 5055551234."""
        return [
            PatternSpec(
                f"{self.id}.value",
                r"(?:\(\d{3}\)\s?|\b\d{3}[\s.\-]?)\d{3}[\s.\-]?\d{4}\b",
            ),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Valid numbers with a person's phone label, column or sentence."""
        hits = ctx.hits(self._value_key)
        if not hits:
            return []
        text = ctx.text
        index = index_of(ctx)
        out = Collector(text, self.id)
        tables = tables_of(ctx)
        for c in hits:
            start = c.start
            # the prefilter may start at "(" or at the digits: re-read from a little before
            m = _VALUE.search(text, max(0, start - 7), c.end + 1)
            if m is None or not (m.start() <= start < m.end()):
                continue
            if not _SHAPE.fullmatch(m.group()) or not _valid(m.group()):
                continue
            verdict = self._judge(index, m.start(), m.end(), tables)
            if verdict is not None:
                out.add(CATEGORY, m.start(), m.end(), verdict[1], verdict[0])
        return out.findings()

    def _judge(
        self, index: Index, s: int, e: int, tables: TableCache
    ) -> tuple[tuple[str, ...], float] | None:
        text = index.text
        _, le = line_bounds(text, s)
        if _negative_after().match(text, e, min(le, e + 30)):
            return None
        col = column_label(index, tables, s)
        if col is not None:
            return ((col[1],), 0.88) if CATEGORY in col[0] else None
        if _fax_follows(index, e, le):
            return None  # "Tel (505) 344-2290 · Fax (505) 344-2291": an office's contact line
        if _caller_number(text, s):
            return ("caller",), 0.75
        if _call_log_number(index, s, le):
            return ("call log",), 0.75
        org = index.words("org")
        cs = clause_start(text, s, limit=200)
        lab = label_before(index, s, width=50, max_gap=25)
        if lab is not None:
            if not lab.is_for(CATEGORY):
                return None
            if not _personal(lab.key) and org.any_in(lab.end, s):
                # "Tel. de la clínica:", "Phone (office):": the label names the organisation
                return None
            if not _personal(lab.key):
                # "Office phone:", "Clinic tel.", "El Consulado ... Teléfono:": the line of
                # the organisation named before the label, unless a person comes between
                o = org.last_in(cs, lab.start)
                if o is not None and not index.words("person").any_in(o[1], lab.start):
                    return None
                if _public_re().search(text, cs, lab.start):
                    return None
            if signature_block(index, s):
                return None
            return (lab.key,), 0.9
        # "what's a good number for her?" / "Ana: 505-555-0142"
        q = answer_to(index, s, e, CATEGORY, tail=_owner_said_after)
        if q is not None:
            return (q.key,), 0.8
        if text[s:e].isdigit():
            return None  # "5757524419" is a phone only when the text says so
        # No label: a person's number unless something points at an organisation. First an
        # organisation, an official or a signature block around it...
        if org.any_in(cs, s) or index.words("title").any_in(cs, s) or signature_block(index, s):
            return None
        if _public_re().search(text, cs, s) or _inquiry_line(text, s):
            return None
        if _org_layout(text, s) and not index.words("person").any_in(line_bounds(text, s)[0], s):
            # a listing's layout, unless its line names a person ("- Mom (Rosa): ...")
            return None
        if _public_after().match(text, e, min(le, e + 40)):
            return None  # "Call 505-555-0133 for information": a service's public line
        if _org_said_after(index, e, le) or _caller_label().search(text, max(cs, s - 30), s):
            # "505-555-0199 - that's the shelter's front desk"; a memo's "From:" field with
            # no call record above it says nothing of whose number it is
            return None
        person = index.words("person").last_in(cs, s)
        if person is not None:
            return (text[person[0] : person[1]],), 0.6
        # The guide marks every number but an office's published line, and nothing here
        # points at an office: a number given in a message is most often a person's.
        return ("number",), 0.5
