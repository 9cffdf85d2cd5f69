"""Dates of birth: a date the text presents as a birth date.

A date is only a birth date because of what introduces it ("DOB", "born", "fecha de
nacimiento", a "DOB" table column, a "what's his DOB?" on the chat line above). Email dates,
expiry and hire dates look the same, so the detector starts from the birth-date labels (rare
words, cheap for the prefilter) and reads the date that follows, never the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.identifiers._common import (
    Collector,
    column_values,
    first_value,
    value_after,
)
from resguardo.detect.identifiers._index import Index, index_of
from resguardo.detect.identifiers._tables import tables_of
from resguardo.detect.identifiers._words import hs_alternation, words
from resguardo.detect.identifiers.validators import is_plausible_birth_date
from resguardo.detect.patterns import PatternSpec

__all__ = ["DateOfBirthDetector", "date_regex", "parse_date"]

CATEGORY = "date_of_birth"
# Labels that describe the birth rather than name the field may sit further from the date:
# "born in Ciudad Juárez, Chihuahua, on March 2, 1996".
_NARRATIVE = frozenset({"born", "born on", "nació", "nacido", "nacida"})
# How far after a label a date may be to be its value (the label's window, or the next line).
_REACH = 200


_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# longest first, so that "VIII" is not read as "V"
_ROMAN = "|".join(sorted(_ROMAN_MONTHS, key=len, reverse=True))


@cache
def date_regex() -> re.Pattern[str]:
    """Dates with a year, in the numeric, English and Spanish forms of ``context.yaml``."""
    months = "|".join(sorted((re.escape(m) for m in words().months), key=len, reverse=True))
    return re.compile(
        rf"""(?<![\w/.\-])(?:
            (?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}})
          # a form's spaced slashes: "3 / 19 / 2003"
          | (?P<sa>\d{{1,2}})[ \t]/[ \t](?P<sb>\d{{1,2}})[ \t]/[ \t](?P<sy>\d{{4}})
          # a Roman month, as Mexican and older Spanish records write it: "5-VIII-1990"
          | (?P<rd>\d{{1,2}})(?P<rsep>[/.\-\ ])(?P<rm>{_ROMAN})(?P=rsep)(?P<ry>\d{{4}})
          | (?P<iy>\d{{4}})(?P<isep>[/.\-])(?P<im>\d{{1,2}})(?P=isep)(?P<id>\d{{1,2}})
          # compact, as database exports and MVD screens print them: "19670412" (year first)
          # and "04121967" (month first); the two cannot be read as each other
          | (?P<cy>(?:19|20)\d\d)(?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])
          | (?P<um>0[1-9]|1[0-2])(?P<ud>0[1-9]|[12]\d|3[01])(?P<uy>(?:19|20)\d\d)
          | (?P<mon1>{months})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})
          | (?P<d2>\d{{1,2}})(?:\s+de|\s*[\-/])?\s*(?P<mon2>{months})\.?,?
            (?:\s+del?|\s*[\-/])?\s*(?P<y2>\d{{4}})
        )(?![\w/\-]|\.\d)""",
        re.IGNORECASE | re.VERBOSE,
    )


# A birth-date label heading a list: "Kids' DOBs for the school forms: Nizhoni 06/02/2013,
# Mateo 11/21/2016", "Fechas de nacimiento - Ana (3/4/2012) y Luis (5/6/2014)". After the
# label, a short complement (no digit, no sentence end) and a colon or dash; then items, each
# a name or two and a date, separated by commas, semicolons or "and"/"y".
_LIST_LEAD = re.compile(r"[^\n:\d.?!;]{0,40}?[ \t]*[:–—-][ \t]*")
_CAPWORD = r"[A-ZÁÉÍÓÚÑ][\w'’\-]*\.?"
_LIST_ITEM = re.compile(
    rf"(?:(?:and|y|&)[ \t]+)?(?:{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,2}}[ \t]*[:(\-–]?[ \t]*)?"
)
_LIST_SEP = re.compile(r"\)?[ \t]*(?:[,;][ \t]*(?:(?:and|y|&)[ \t]+)?|[ \t]+(?:and|y|&)[ \t]+)")


def _listed(index: Index, label_end: int, rx: re.Pattern[str]) -> list[re.Match[str]]:
    """The dates of a list of people that a birth-date label heads, on the label's line.

    An item whose "name" is another label ("Exp 05/06/2025", "Hired 3/3/2015") ends the list.
    """
    text = index.text
    le = text.find("\n", label_end)
    le = len(text) if le == -1 else le
    lead = _LIST_LEAD.match(text, label_end, le)
    if lead is None:
        return []
    out: list[re.Match[str]] = []
    pos = lead.end()
    while pos < le:
        item = _LIST_ITEM.match(text, pos, le)
        at = item.end() if item is not None else pos
        if at > pos and index.labels_in(pos, at):
            break
        m = rx.match(text, at, le)
        if m is None or parse_date(m) is None:
            break
        out.append(m)
        sep = _LIST_SEP.match(text, m.end(), le)
        if sep is None:
            break
        pos = sep.end()
    return out


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
    if g["sa"] is not None:
        y, a, b = int(g["sy"]), int(g["sa"]), int(g["sb"])
        for mo, d in ((a, b), (b, a)):
            if is_plausible_birth_date(y, mo, d):
                return y, mo, d
        return None
    if g["rd"] is not None:
        y, mo, d = int(g["ry"]), _ROMAN_MONTHS.index(g["rm"].upper()) + 1, int(g["rd"])
    elif g["iy"] is not None:
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["cy"] is not None:
        y, mo, d = int(g["cy"]), int(g["cm"]), int(g["cd"])
    elif g["um"] is not None:
        y, mo, d = int(g["uy"]), int(g["um"]), int(g["ud"])
    elif g["mon1"] is not None:
        y, mo, d = int(g["y1"]), months[g["mon1"].lower()], int(g["d1"])
    else:
        y, mo, d = int(g["y2"]), months[g["mon2"].lower()], int(g["d2"])
    return (y, mo, d) if is_plausible_birth_date(y, mo, d) else None


class DateOfBirthDetector:
    """Birth dates introduced by a birth-date label, inline, as a column or as a question."""

    id = "identifiers.date_of_birth"
    categories: tuple[str, ...] = (CATEGORY,)
    _label_key = id + ".label"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared`` is accepted for a uniform constructor; this detector reads no
        shared value pattern."""
        del declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """The birth-date labels and column names: dates themselves are too common."""
        w = words()
        phrases = [*w.labels_of(CATEGORY), *w.raw["column_aliases"][CATEGORY]]
        # found by their ends only: the index knows where each label starts
        return [
            PatternSpec(
                f"{self.id}.label",
                hs_alternation(phrases, caseless=True),
                caseless=True,
                som=False,
            )
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Dates that follow a birth-date label or sit in a birth-date column."""
        hits = ctx.hits(self._label_key)
        if not hits:
            return []
        text = ctx.text
        tables = tables_of(ctx)
        out = Collector(text, self.id)
        rx = date_regex()
        seen: set[tuple[int, int]] = set()
        for c in hits:
            # "the DOB form", "born and raised": no date in reach and no table, nothing to
            # ask the word index about (the usual case in prose)
            near = first_value(text, c.end, min(len(text), c.end + _REACH), rx)
            if near is None and tables.header(c.end - 1) is None:
                continue
            index = index_of(ctx)
            lab = index.label_ending(c.end, CATEGORY)
            if lab is not None:
                narrative = lab.key in _NARRATIVE
                m = value_after(index, lab, rx, max_gap=40 if narrative else 20)
                if m is not None and parse_date(m) is not None:
                    conf = 0.85 if narrative else 0.95
                    out.add(CATEGORY, m.start(), m.end(), conf, (lab.key,))
                for m in _listed(index, lab.end, rx):
                    out.add(CATEGORY, m.start(), m.end(), 0.85, (lab.key,))
            for m, head in column_values(index, tables, c.end - 1, CATEGORY, rx, seen):
                if parse_date(m) is not None:
                    out.add(CATEGORY, m.start(), m.end(), 0.9, (head,))
        return out.findings()
