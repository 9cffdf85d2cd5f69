"""Driver's license and state ID numbers.

A license number is just a number until something calls it one: "DL", "license", "ID card",
"licencia" before it, a license column of a table ("DL/ID NO.", "dl_no"), or a question
about a license on the chat line above. New Mexico numbers have 9 digits; the neighbours use
letter + 8 digits (AZ), 2-3-4 digits or 9 digits (CO), 8 digits (TX), 4 to 10 digits (UT) and
letter + 9 or 9 digits (OK). Short numbers are taken only right after an explicit license
label, and never when they read as a year.

The detector starts from the numbers (the prefilter finds them; most texts have none) and
looks for the context around each, so a label in a header row or on the line above serves
as well as one right before the number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import (
    NUMBER,
    Collector,
    answer_to,
    column_label,
    label_reaching,
    shared_patterns,
)
from resguardo.detect.identifiers._index import Index, index_of
from resguardo.detect.identifiers._layout import gap_ok
from resguardo.detect.identifiers._tables import tables_of
from resguardo.detect.identifiers._words import Label, trie, words
from resguardo.detect.patterns import PatternSpec

__all__ = ["DriversLicenseDetector", "license_number_ok"]

CATEGORY = "drivers_license"

# Mexican and some tribal licences carry a state or series prefix: "CHIH-0738291".
_PREFIXED = r"[A-Z]{2,4}-\d{5,10}"
_VALUE = re.compile(
    rf"(?<![\w/.\-])(?:{_PREFIXED}|"
    r"[A-Z]{1,2}\d{4,12}|\d{2}-\d{3}-\d{4}|\d{3}[- ]\d{3}[- ]\d{3}|\d{4,10})"
    r"(?![\w/\-]|[.:]\d)"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# Labels explicit enough to carry a short (4-6 digit) number right after them.
_EXPLICIT = frozenset(
    {
        "dl",
        "dl#",
        "dl #",
        "dl no.",
        "dl number",
        "license no.",
        "license number",
        "license #",
        "license#",
        "lic #",
        "lic#",
        "lic no.",
        "número de licencia",
        "driver's license number",
        "dln",
        "oln",
    }
)
# The prefilter for those short numbers: an explicit label, filler, 4-6 digits.
_SHORT_RX = (
    r"(?:\b|_)(?:dl(?:[ \t]*#|[ \t]+no\.|[ \t]+number)?|dln|oln|licen[cs]e[ \t]*(?:no\.|number|#)"
    r"|lic[ \t]*(?:#|no\.)|driver'?s[ \t]+license[ \t]+number|numero[ \t]+de[ \t]+licencia)"
    r"[ \t:#.\-=>*(]*\d{4,6}\b"
)
_PREV_WORD = re.compile(r"([^\W\d_]+)\W*$")
# How far back a label may be when only a state and a linking verb stand between it and the
# number (see _linked_label).
_LINK_REACH = 70


@cache
def _link_gap() -> re.Pattern[str]:
    """The words a sentence puts between a license label and its number: the issuing state,
    then a verb ("de Nuevo México es", "came back"); one line break at most."""
    sec = words().section
    juris = trie(sec("license", "jurisdictions"), caseless=True)
    links = trie(sec("license", "jurisdiction_links"), caseless=True)
    verbs = trie(sec("license", "links"), caseless=True)
    return re.compile(
        rf"[ \t:]*(?:(?:(?i:{links})[ \t]+)?(?i:{juris})(?!\w)\.?[ \t,]*)?"
        rf"(?:(?i:{verbs})(?!\w)[ \t:]*)?(?:\n[ \t>]*)?"
    )


def _linked_label(index: Index, pos: int) -> Label | None:
    """A license label that a sentence ties to the number at ``pos`` through its state and
    a verb, where :func:`label_reaching` sees too many words ("his DL came back 509127733",
    "Su número de licencia de Nuevo México es\n612 904 318")."""
    text = index.text
    lab = index.last_label(max(0, pos - _LINK_REACH), pos)
    if lab is None or not lab.is_for(CATEGORY) or lab.end == pos:
        return None
    m = _link_gap().fullmatch(text, lab.end, pos)
    return lab if m is not None and text[lab.end : pos].strip(" \t:") else None


def license_number_ok(value: str, *, explicit: bool) -> bool:
    """Whether ``value`` has the shape of a U.S. license/ID number.

    Digits only: 7-10 digits, or 4-6 after an ``explicit`` license label (Utah issues 4-10),
    but not a year. With letters: one or two letters and 5-12 digits (AZ, OK, CA...).
    Dashed: Colorado's 2-3-4 and 9 digits written 3-3-3.
    """
    digits = sum(c.isdigit() for c in value)
    letters = sum(c.isalpha() for c in value)
    if letters:
        return 5 <= digits <= 12
    if "-" in value or " " in value:
        return digits == 9
    if 7 <= digits <= 10:
        return True
    return explicit and 4 <= digits <= 6 and not _YEAR.fullmatch(value)


class DriversLicenseDetector:
    """License and ID numbers with a license label, column or question."""

    id = "identifiers.drivers_license"
    categories: tuple[str, ...] = (CATEGORY,)
    _lettered_key = id + ".lettered"  # built once, not per text
    _short_key = id + ".short"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared value patterns (one detector per
        scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """Lettered numbers (AZ, OK), short numbers after an explicit label; long and
        grouped numbers come from the shared set."""
        return [
            PatternSpec(f"{self.id}.lettered", rf"\b(?:[A-Z]{{1,2}}\d{{4,12}}|{_PREFIXED})\b"),
            PatternSpec(f"{self.id}.short", _SHORT_RX, caseless=True, som=False),
            *shared_patterns(self._declare),
        ]

    @staticmethod
    def _id_blocked(text: str, lab: Label) -> bool:
        # "Ticket ID 123456789", "employee ID" are not state IDs
        if lab.key not in ("id", "id #", "id no.", "id number"):
            return False
        m = _PREV_WORD.search(text, max(0, lab.start - 30), lab.start)
        return m is not None and m.group(1).lower() in words().id_blockers

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Numbers with a license label before them, in a license column, or answering."""
        starts = {
            c.start
            for key in (NUMBER, self._lettered_key)
            for c in ctx.hits(key)
            if c.end - c.start >= 7  # the shared set also holds numbers of other shapes
        }
        text = ctx.text
        for c in ctx.hits(self._short_key):
            # found by its end: the number is the digits right before it
            pos = c.end
            while pos > 0 and text[pos - 1].isdigit():
                pos -= 1
            starts.add(pos)
        if not starts:
            return []
        index = index_of(ctx)
        tables = tables_of(ctx)
        out = Collector(text, self.id)
        for pos in sorted(starts):
            m = _VALUE.match(text, pos)
            if m is None:
                continue
            value = m.group()
            lab = label_reaching(index, pos, width=90, max_gap=20, allow_lines=1)
            if lab is not None:
                if not lab.is_for(CATEGORY) or self._id_blocked(text, lab):
                    continue
                explicit = lab.key in _EXPLICIT and gap_ok(index, lab.end, pos, max_chars=0)
                if license_number_ok(value, explicit=explicit):
                    nm_shape = len(value) == 9 and value.isdigit()
                    out.add(CATEGORY, pos, m.end(), 0.92 if nm_shape else 0.85, (lab.key,))
                continue
            if not license_number_ok(value, explicit=False):
                continue
            link = _linked_label(index, pos)
            if link is not None and not self._id_blocked(text, link):
                out.add(CATEGORY, pos, m.end(), 0.85, (link.key,))
                continue
            col = column_label(index, tables, pos)
            if col is not None:
                if CATEGORY in col[0]:
                    out.add(CATEGORY, pos, m.end(), 0.9, (col[1],))
            elif (q := answer_to(index, pos, m.end(), CATEGORY)) is not None:
                out.add(CATEGORY, pos, m.end(), 0.8, (q.key,))
        return out.findings()
