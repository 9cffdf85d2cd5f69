"""Vehicle license plates.

Plates have no checksum and many shapes, so a plate needs context: a plate label ("plate",
"tag", "placa") right before it, a plate column, or, for the common three-letters-three-digits
shape, a vehicle right before it ("2009 Chevy Silverado (MHT-470)") or plates being the
subject of the passage ("the plates you wrote down: - NGL-573: ...").

Plate-shaped codes that name no car are left alone: a range of plate stock ("series BAA-000
through BAZ-999"), and numbers no state issues ("ABC-000").
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
from resguardo.detect.identifiers._layout import clause_start, gap_ok, label_before, line_bounds
from resguardo.detect.identifiers._tables import tables_of
from resguardo.detect.identifiers._words import hs_alternation, phrase_regex, words
from resguardo.detect.patterns import PatternSpec

__all__ = ["LicensePlateDetector", "plate_ok"]

CATEGORY = "license_plate"


def _value_re() -> re.Pattern[str]:
    """A plate value, group ``p``, after an optional issuing state ("CHIH EKB-43-91", "NM
    ANZD 71"): the state is written with the plate in rosters, but is not the plate.

    Mexican plates have three groups ("EFR-217-A", "EKB-43-91"); the others one or two."""
    states = "|".join(
        re.escape(x.rstrip("."))
        for x in sorted(words().section("plate", "jurisdictions"), key=lambda x: (-len(x), x))
    )
    return re.compile(
        rf"(?<![\w/.\-])(?:(?:{states})\.?[ \t]+(?=[A-Z0-9]))?"
        r"(?P<p>[A-Z0-9]{1,4}-[A-Z0-9]{1,4}-[A-Z0-9]{1,3}|[A-Z0-9]{1,4}[- ][A-Z0-9]{2,4}"
        r"|[A-Z0-9]{4,8})(?![\w/\-]|\.\d)"
    )


_VALUE = _value_re()
# The shapes common enough in NM and its neighbours to stand on weaker context.
_STRONG = re.compile(r"[A-Z]{3}-\d{3,4}|[A-Z]{3} \d{3}|\d{3}[- ][A-Z]{3}")
_STRONG_RX = r"\b(?:[A-Z]{3}[- ]\d{3,4}|\d{3}[- ][A-Z]{3})\b"
_PLATE_TOKEN = r"(?:[A-Z]{3}[- ]?\d{3,4}|\d{3}[- ]?[A-Z]{3})"
# "BAA-000 through BAZ-999", "ABC-100 a ABC-999": the ends of a range of plate stock
_RANGE_AFTER = re.compile(
    rf"[ \t]*(?:-|–|—|to|thru|through|hasta|al?)[ \t]+{_PLATE_TOKEN}\b", re.IGNORECASE
)
_RANGE_BEFORE = re.compile(
    rf"\b{_PLATE_TOKEN}[ \t]*(?:-|–|—|to|thru|through|hasta|al?)[ \t]+$", re.IGNORECASE
)
_SERIES = re.compile(
    r"\b(?:series|serie|stock|inventory|inventario|range|rango|sequence|secuencia|block|"
    r"bloque)\b[^.\n]{0,25}$",
    re.IGNORECASE,
)
_FIELD_GAP = 26  # "de su camioneta:", "on the white pickup:"
_PASSAGE = 300  # how far back "plates" can make a bare plate-shaped token a plate
_VEHICLE_REACH = 45


@cache
def _vehicle_re() -> re.Pattern[str]:
    return re.compile(phrase_regex(words().section("plate", "vehicle_words")))


@cache
def _sample_re() -> re.Pattern[str]:
    return re.compile(phrase_regex(words().section("plate", "sample_words")))


def _sample(text: str, s: int) -> bool:
    """Whether the sentence before a plate calls it a sample ("Sample plates ... read
    "ABC-123"", "placa de muestra"): a specimen on display is no car's plate."""
    return _sample_re().search(text, clause_start(text, s, limit=150), s) is not None


def _value_near(text: str, end: int) -> bool:
    """Whether a plate-like value (letters and digits) follows ``end`` within reach of a
    label: on its line or the next."""
    return any(plate_ok(m.group("p")) for m in _VALUE.finditer(text, end, end + 120))


def _after_field_label(index: Index, end: int) -> re.Match[str] | None:
    """The value of a longer field label that opens with a plate word and names the vehicle
    ("Placas de su camioneta: EFR-217-A", "Plate on the white pickup: ..."): the gap names
    a vehicle and ends in a colon."""
    text = index.text
    m = first_value(text, end, min(len(text), end + 60), _VALUE)
    if m is None or not text[end : m.start()].rstrip().endswith(":"):
        return None
    if _vehicle_re().search(text, end, m.start()) is None:
        return None  # "the tag line on the flyer: SAVE-25": a vehicle must be named
    return m if gap_ok(index, end, m.start(), max_chars=_FIELD_GAP) else None


def plate_ok(value: str) -> bool:
    """Whether ``value`` can be a plate: 5-8 letters and digits, with at least one of each."""
    alnum = [c for c in value if c.isalnum()]
    return (
        5 <= len(alnum) <= 8 and any(c.isdigit() for c in alnum) and any(c.isalpha() for c in alnum)
    )


class LicensePlateDetector:
    """Plates after plate labels, in plate columns, and strong plate shapes in context."""

    id = "identifiers.license_plate"
    categories: tuple[str, ...] = (CATEGORY,)
    _label_key = id + ".label"  # built once, not per text
    _shape_key = id + ".shape"  # built once, not per text

    def __init__(self, *, declare_shared: bool = True) -> None:
        """``declare_shared`` is accepted for a uniform constructor; this detector reads no
        shared value pattern."""
        del declare_shared

    def patterns(self) -> Sequence[PatternSpec]:
        """Plate labels and column names (plates have no shape of their own to search for),
        plus the strong plate shapes (uppercase only)."""
        w = words()
        phrases = [*w.labels_of(CATEGORY), *w.raw["column_aliases"][CATEGORY]]
        return [
            # found by their ends only: the index knows where each label starts
            PatternSpec(
                f"{self.id}.label",
                hs_alternation(phrases, caseless=True),
                caseless=True,
                som=False,
            ),
            PatternSpec(f"{self.id}.shape", _STRONG_RX),
        ]

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Plates by label, by column, and by shape in a vehicle or plate passage."""
        labels = ctx.hits(self._label_key)
        shapes = ctx.hits(self._shape_key)
        if not labels and not shapes:
            return []
        text = ctx.text
        out = Collector(text, self.id)
        if labels:
            tables = tables_of(ctx)
            seen: set[tuple[int, int]] = set()
            for c in labels:
                # "tag along", "the plate rack": no plate-like value in reach and no table,
                # nothing to ask the word index about
                if not _value_near(text, c.end) and tables.header(c.end - 1) is None:
                    continue
                index = index_of(ctx)
                lab = index.label_ending(c.end, CATEGORY)
                if lab is not None:
                    m = value_after(index, lab, _VALUE, max_gap=12, allow_lines=0, window=40)
                    if m is None:
                        m = _after_field_label(index, lab.end)
                    if m is not None and self._plate(text, m.start("p"), m.end("p")):
                        out.add(CATEGORY, m.start("p"), m.end("p"), 0.9, (lab.key,))
                for m, head in column_values(index, tables, c.end - 1, CATEGORY, _VALUE, seen):
                    if plate_ok(m.group("p")):
                        out.add(CATEGORY, m.start("p"), m.end("p"), 0.88, (head,))
        for c in shapes:
            if out.has(CATEGORY, c.start, c.end):
                continue
            index = index_of(ctx)
            m = _STRONG.fullmatch(text, c.start, c.end)
            if m is None or not self._isolated(text, c.start, c.end):
                continue
            if not self._plate(text, c.start, c.end):
                continue
            evidence = self._context(index, c.start)
            if evidence is not None:
                out.add(CATEGORY, c.start, c.end, evidence[1], (evidence[0],))
        return out.findings()

    @staticmethod
    def _plate(text: str, s: int, e: int) -> bool:
        """Whether ``text[s:e]`` can be one car's plate: the right shape, not a blank number,
        not an end of a range of plate stock."""
        value = text[s:e]
        if not plate_ok(value):
            return False
        digits = "".join(c for c in value if c.isdigit())
        if not digits.strip("0"):
            return False  # "ABC-000": stock and samples, never issued
        ls, le = line_bounds(text, s)
        if _RANGE_AFTER.match(text, e, min(le, e + 30)) or _RANGE_BEFORE.search(
            text, max(ls, s - 30), s
        ):
            return False
        if _SERIES.search(text, max(ls, s - 40), s) is not None:
            return False
        return not _sample(text, s)

    @staticmethod
    def _isolated(text: str, s: int, e: int) -> bool:
        # "HSI-ALB-2019-0211", "CHG 666-21-0937", "20 CFR 603": part of a longer code
        before = text[max(0, s - 2) : s]
        after = text[e : e + 2]
        if before[-1:] in ("-", "/", "#", ".") or (len(before) == 2 and before[0].isdigit()):
            return False
        return not (after[:1] in ("-", "/", ".") and after[1:2].isalnum()) and not (
            after[:1] == " " and after[1:2].isdigit()
        )

    @staticmethod
    def _context(index: Index, s: int) -> tuple[str, float] | None:
        lab = label_before(index, s, width=40, max_gap=12)
        if lab is not None and not lab.is_for(CATEGORY):
            return None  # another label owns it ("SSN ...", "case ...")
        ls, _ = line_bounds(index.text, s)
        vehicles = list(_vehicle_re().finditer(index.text, max(ls, s - _VEHICLE_REACH), s))
        if vehicles:
            return vehicles[-1].group().lower(), 0.75
        plates = [lab for lab in index.labels_in(max(0, s - _PASSAGE), s) if lab.is_for(CATEGORY)]
        if plates:
            return plates[-1].key, 0.7
        return None
