"""Time- and date-stamped log entries: jail booking logs, shelter shift logs, chrono notes.

Such records are written in capitals and telegraphic style ("0240 MED SCREEN: INSULIN
DEPENDENT DIABETIC", "2340 T. NGUYEN (BED 7) ... PTSD EPISODE"): no pronoun, no verb, often
no name in the entry at all, so the sentence grammar of :mod:`.engine` binds the status to
no one. In a log about people, though, every entry is about the person it names, or the one
the entries just above name (an intake line opens a run of entries about that person).

A candidate the sentence rules rejected is accepted here only when:

- its line, or the entry line its indented continuation hangs from, opens with a stamp
  (``0240``, ``11/12/26``);
- the document has at least :data:`_MIN_STAMPED` stamped lines (a log, not a memo that
  mentions a time once);
- that entry, or one of the few entries above it, names a person with a log cue: a role word
  of the lexicon (``log_person_roles``: INMATE, RESIDENT, OFFENDER...), a bed number, an
  initial and a surname (``J. WHITEHORSE``), a ``SURNAME, GIVEN`` pair, or a surname that an
  earlier entry introduced with such a cue.

Policy text, aggregate tables and blank forms carry no stamped entries naming a person, so
they stay silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.lexicon import context_cues

__all__ = [
    "LOG_KEY",
    "LogView",
    "log_field_value",
    "log_line_start",
    "log_negated",
    "log_roles",
    "log_view",
]

LOG_KEY = "statuses.logs"

_MIN_STAMPED = 3
_LOOKBACK_ENTRIES = 6  # entries above the candidate's that may still be about its person
# "0240 ", "2130 ", "11/12/26  ", "2026-11-12 " at the start of a line
_STAMP = re.compile(
    r"[ \t]*(?:(?:[01]\d|2[0-3])[0-5]\d(?:\s*(?:HRS?|hrs?))?"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d\d-\d\d)(?:[ \t]+|[ \t]*[-:][ \t]+)(?=\S)"
)
_CONTINUATION = re.compile(r"[ \t]{3,}\S")
_UPPER = "A-ZÁÉÍÓÚÑÜ"
_SURNAME = rf"[{_UPPER}][{_UPPER}'’\-]{{1,}}(?:[ \-][{_UPPER}][{_UPPER}'’\-]{{1,}})?"
# "J. WHITEHORSE", "T. NGUYEN"
_INITIAL_NAME = re.compile(rf"\b[{_UPPER}]\.\s?(?P<s>{_SURNAME})\b")
# "MARTINEZ-OCHOA, LUIS A." / "GUERRERO, ISMAEL"
_SURNAME_GIVEN = re.compile(rf"\b(?P<s>{_SURNAME}),\s?[{_UPPER}][{_UPPER}'’\-]+\b")
_BED = re.compile(r"(?i)\b(?:bed|cama|cell|bunk)\s?#?\s?\d{1,3}\b")


@cache
def log_roles() -> re.Pattern[str]:
    """The role words that name the subject of a log entry (``context.yaml``)."""
    words = sorted(context_cues()["log_person_roles"], key=len, reverse=True)
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?i)\b(?:{body})\b")


def _introduced(line: str) -> Iterable[str]:
    """Surnames an entry introduces with a name cue (for later entries that give only it)."""
    for rx in (_INITIAL_NAME, _SURNAME_GIVEN):
        for m in rx.finditer(line):
            yield m.group("s")
    roles = log_roles()
    for m in roles.finditer(line):
        # "RECVD INMATE BEGAY, TYRELL J." / "NEW INTAKE WHITEHORSE": the name after the role
        nm = re.match(rf"\s+({_SURNAME})\b", line[m.end() :])
        if nm:
            yield nm.group(1)


class LogView:
    """The stamped entries of one document, found once, and who each is about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._entries: list[tuple[int, int]] | None = None  # (start, end) of each entry
        self._about: list[bool] = []
        self._names: list[frozenset[str]] = []

    def _build(self) -> list[tuple[int, int]]:
        text = self.text
        entries: list[tuple[int, int]] = []
        pos = 0
        n = len(text)
        while pos < n:
            nl = text.find("\n", pos)
            le = n if nl < 0 else nl
            if _STAMP.match(text, pos, le):
                entries.append((pos, le))
            elif entries and entries[-1][1] == pos - 1 and _CONTINUATION.match(text, pos, le):
                entries[-1] = (entries[-1][0], le)  # an indented line continues its entry
            pos = le + 1
        if len(entries) < _MIN_STAMPED:
            entries = []
        known: set[str] = set()
        roles = log_roles()
        for s, e in entries:
            entry = text[s:e]
            names = frozenset(_introduced(entry))
            known |= names
            named = bool(names) or bool(roles.search(entry) or _BED.search(entry))
            if not named:
                # a surname an earlier entry introduced, as a word of this one
                named = any(re.search(rf"\b{re.escape(k)}\b", entry) for k in known)
            self._about.append(named)
            self._names.append(names)
        return entries

    def entry_person(self, pos: int) -> str | None:
        """Evidence that ``pos`` lies in a log entry about a person, or ``None``."""
        entries = self._entries
        if entries is None:
            entries = self._entries = self._build()
        if not entries:
            return None
        lo, hi = 0, len(entries)
        while lo < hi:  # the last entry starting at or before pos
            mid = (lo + hi) // 2
            if entries[mid][0] <= pos:
                lo = mid + 1
            else:
                hi = mid
        k = lo - 1
        if k < 0 or pos > entries[k][1]:
            return None
        if self._about[k]:
            return "log:entry"
        # an unnamed entry ("0240 MED SCREEN: ...") follows its person's intake entry
        for j in range(k - 1, max(-1, k - 1 - _LOOKBACK_ENTRIES), -1):
            if self._about[j]:
                return "log:entry-above"
        return None


def log_view(ctx: ScanContext) -> LogView:
    """The log view of a scanned text (built once per text, through ``ctx.shared``)."""
    return LogView(ctx.text)


def log_line_start(text: str, ls: int) -> bool:
    """Whether the line at ``ls`` opens with a stamp or continues an entry (indented)."""
    return bool(_STAMP.match(text, ls) or _CONTINUATION.match(text, ls))


# "DENIES DV", "NO HX OF", "NEG FOR": the entry records the status's absence
_NEGATED = re.compile(r"(?i)\b(?:no|not|denies|denied|neg|negative|never|sin|niega)\b[^,;.]{0,20}$")
# "HOME ADDR: NFA / " - a label and at most a short value before the term
_FIELD_BEFORE = re.compile(rf"[{_UPPER}][\w .#/'’\-]{{1,30}}:[ \t]+(?:[\w]{{1,4}}[ \t]*/[ \t]*)?$")


def log_negated(left: str) -> bool:
    """Whether the entry's words before the term deny it."""
    return bool(_NEGATED.search(left[-40:]))


def log_field_value(line: str, s: int) -> bool:
    """Whether the term at ``s`` opens the value of a ``LABEL:`` field of its entry."""
    return bool(_FIELD_BEFORE.search(line[max(0, s - 48) : s]))
