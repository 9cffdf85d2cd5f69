"""A person's phone number (U.S. formats).

Agency mail is full of phone numbers that belong to offices: main lines, desk and fax lines
in signature blocks, hotlines in resource lists. A number is a person's when the text says so
("Phone 575-317-0452", "her cell is ...", "Teléfono:", a phone column) or, weaker, when it
sits in a sentence about a person and nothing points at an organisation. Toll-free numbers,
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

_VALUE = re.compile(
    r"(?<![\w\-/.+])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-]?)\d{3}[\s.\-]?\d{4}"
    r"(?![\w\-/]|\.\d)"
)
# Separators must be one per gap: "505 22 1234 5" is not a phone.
_SHAPE = re.compile(r"(?:\+?1[\s.\-]?)?(?:\(\d{3}\) ?|\d{3}[ .\-]?)\d{3}[ .\-]?\d{4}")


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
            m = _VALUE.search(text, max(0, start - 3), c.end + 1)
            if m is None or not (m.start() <= start < m.end()):
                continue
            if not _SHAPE.fullmatch(m.group()) or not is_valid_nanp(m.group()):
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
        # no label: a sentence about a person, with no organisation or official in it
        if org.any_in(cs, s) or index.words("title").any_in(cs, s) or signature_block(index, s):
            return None
        if _public_re().search(text, cs, s):
            return None
        person = index.words("person").last_in(cs, s)
        if person is not None:
            return (text[person[0] : person[1]],), 0.6
        return None
