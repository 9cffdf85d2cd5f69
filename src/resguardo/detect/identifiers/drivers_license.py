"""Driver's license and state ID numbers.

A license number is just a number until something calls it one: "DL", "license", "ID card",
"licencia", or a license column of a table. New Mexico numbers have 9 digits; the neighbours
use letter + 8 digits (AZ), 2-3-4 digits or 9 digits (CO), 8 digits (TX), 4 to 10 digits
(UT) and letter + 9 or 9 digits (OK). Short numbers are taken only right after an explicit
license label, and never when they read as a year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import (
    Collector,
    HeaderCache,
    label_hits,
    shared_patterns,
    value_after,
)
from resguardo.detect.identifiers._index import index_of
from resguardo.detect.identifiers._layout import gap_ok
from resguardo.detect.identifiers._words import Label, words
from resguardo.detect.patterns import PatternSpec

__all__ = ["DriversLicenseDetector", "license_number_ok"]

CATEGORY = "drivers_license"

_VALUE = re.compile(
    r"(?<![\w/.\-])(?:[A-Z]{1,2}\d{4,12}|\d{2}-\d{3}-\d{4}|\d{3}[- ]\d{3}[- ]\d{3}|\d{4,10})"
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
_PREV_WORD = re.compile(r"([^\W\d_]+)\W*$")


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
    """License and ID numbers after a license label or in a license column."""

    id = "identifiers.drivers_license"
    categories: tuple[str, ...] = (CATEGORY,)

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared context-word patterns (one detector
        per scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """The license labels (numbers alone are far too common to be candidates)."""
        return shared_patterns(self._declare)

    def _id_blocked(self, text: str, lab: Label) -> bool:
        # "Ticket ID 123456789", "employee ID" are not state IDs
        if lab.key not in ("id", "id #", "id no.", "id number"):
            return False
        m = _PREV_WORD.search(text, max(0, lab.start - 30), lab.start)
        return m is not None and m.group(1).lower() in words().id_blockers

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Numbers right after a license label, and the cells of license columns."""
        text = ctx.text
        index = index_of(ctx)
        if not index.labels_for(CATEGORY):
            return []
        out = Collector(text, self.id)
        headers = HeaderCache(text)
        for lab in label_hits(index, CATEGORY):
            if self._id_blocked(text, lab):
                continue
            m = value_after(index, lab, _VALUE, max_gap=20, allow_lines=1)
            if m is not None:
                explicit = lab.key in _EXPLICIT and gap_ok(index, lab.end, m.start(), max_chars=0)
                if license_number_ok(m.group(), explicit=explicit):
                    nm_shape = len(m.group()) == 9 and m.group().isdigit()
                    out.add(CATEGORY, m.start(), m.end(), 0.92 if nm_shape else 0.85, (lab.key,))
            for m, head in headers.column_values(lab, _VALUE):
                if license_number_ok(m.group(), explicit=False):
                    out.add(CATEGORY, m.start(), m.end(), 0.9, (head,))
        return out.findings()
