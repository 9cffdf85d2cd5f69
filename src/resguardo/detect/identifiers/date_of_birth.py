"""Dates of birth: a date the text presents as a birth date.

A date is only a birth date because of what introduces it ("DOB", "born", "fecha de
nacimiento", a "DOB" table column). Email dates, expiry and hire dates look the same, so the
detector starts from the birth-date labels and reads the date that follows, never the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

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
from resguardo.detect.identifiers._words import words
from resguardo.detect.identifiers.validators import is_plausible_birth_date
from resguardo.detect.patterns import PatternSpec

__all__ = ["DateOfBirthDetector", "date_regex", "parse_date"]

CATEGORY = "date_of_birth"
# Labels that describe the birth rather than name the field may sit further from the date:
# "born in Ciudad Juárez, Chihuahua, on March 2, 1996".
_NARRATIVE = frozenset({"born", "born on", "nació", "nacido", "nacida"})


@cache
def date_regex() -> re.Pattern[str]:
    """Dates with a year, in the numeric, English and Spanish forms of ``context.yaml``."""
    months = "|".join(sorted((re.escape(m) for m in words().months), key=len, reverse=True))
    return re.compile(
        rf"""(?<![\w/.\-])(?:
            (?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})
          | (?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})
          | (?P<mon1>{months})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})
          | (?P<d2>\d{{1,2}})(?:\s+de|\s*[\-/])?\s*(?P<mon2>{months})\.?,?
            (?:\s+del?|\s*[\-/])?\s*(?P<y2>\d{{4}})
        )(?![\w/\-]|\.\d)""",
        re.IGNORECASE | re.VERBOSE,
    )


def _year(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        # a fixed pivot keeps the scanner pure: 00-29 are 2000s, 30-99 are 1900s
        y += 2000 if y < 30 else 1900
    return y


def parse_date(m: re.Match[str]) -> tuple[int, int, int] | None:
    """(year, month, day) of a :func:`date_regex` match, or None when no reading is valid.

    "03/04/1988" is read month first, then day first (Spanish texts write 14/03/1988).
    """
    months = words().months
    g = m.groupdict()
    if g["a"] is not None:
        y = _year(g["y"])
        a, b = int(g["a"]), int(g["b"])
        for mo, d in ((a, b), (b, a)):
            if is_plausible_birth_date(y, mo, d):
                return y, mo, d
        return None
    if g["iy"] is not None:
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["mon1"] is not None:
        y, mo, d = int(g["y1"]), months[g["mon1"].lower()], int(g["d1"])
    else:
        y, mo, d = int(g["y2"]), months[g["mon2"].lower()], int(g["d2"])
    return (y, mo, d) if is_plausible_birth_date(y, mo, d) else None


class DateOfBirthDetector:
    """Birth dates introduced by a birth-date label, inline or as a table column."""

    id = "identifiers.date_of_birth"
    categories: tuple[str, ...] = (CATEGORY,)

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared``: also declare the shared context-word patterns (one detector
        per scanner must; :func:`resguardo.detect.identifiers.detectors` picks the first).
        """
        self._declare = declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """Only the labels: dates themselves are too common to be candidates."""
        return shared_patterns(self._declare)

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Dates that follow a birth-date label or sit in a birth-date column."""
        text = ctx.text
        index = index_of(ctx)
        if not index.labels_for(CATEGORY):
            return []
        out = Collector(text, self.id)
        headers = HeaderCache(text)
        rx = date_regex()
        for lab in label_hits(index, CATEGORY):
            narrative = lab.key in _NARRATIVE
            m = value_after(index, lab, rx, max_gap=40 if narrative else 20)
            if m is not None and parse_date(m) is not None:
                out.add(CATEGORY, m.start(), m.end(), 0.85 if narrative else 0.95, (lab.key,))
            for m, head in headers.column_values(lab, rx):
                if parse_date(m) is not None:
                    out.add(CATEGORY, m.start(), m.end(), 0.9, (head,))
        return out.findings()
