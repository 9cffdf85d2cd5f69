"""``scheduled_appearance``: when a person is due in court, at probation or at an agency office.

The prefilter finds cue words ("hearing", "reports to", "cita") and the fixed cores of
date/time shapes ("8/20", "1:30", "may 5", "a las 9") in one pass. ``detect`` looks only at
anchors with a cue nearby: it re-matches the exact atom at the anchor, takes in a weekday
next to it ("Tuesday 8/20 at 1:30 pm"), and accepts the phrase when its sentence ties it to
one person's appearance:

* a personal cue ("He reports to me", "se presenta conmigo", "is on the schedule for");
* an appearance noun that is somebody's ("his hearing", "Pacheco's plea hearing", "Próxima
  cita:", "Sentencing: 10/22", "trial is set for") or sits in a sentence about a person;
* a pointer back to one ("Nueva fecha: ...", "his next one is ...");
* a short answer, in a chat, to a question about an appearance ("yes 9:00 sharp");
* a cell in a table column named for an appearance ("Next report") in a table of people.

It rejects dates in mail headers and chat timestamps, birth dates, sentences about office
hours, training or closures, plural timetables ("Arraignments are heard Mondays at 9:00"),
reminders addressed to the reader ("Your appointment is ...") and appearances that already
happened ("missed his hearing on 3/4").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.locating._common import (
    CueIndex,
    PhraseSet,
    Spans,
    Words,
    fold,
    header_line,
    line_bounds,
    norm_set,
    people_table,
    person_in,
    phrase_pattern,
    quick_fold,
    sentence,
    speaker_prefix_end,
    table_at,
    word_list,
    words_in,
)
from resguardo.detect.patterns import Candidate, PatternSpec

__all__ = ["AppointmentDetector"]

CATEGORY = "scheduled_appearance"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MES = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre"
    r"|diciembre)"
)
_AMPM = r"[ap]\.?[ \t]?m\b\.?"

# The exact date/time atoms, matched in Python at a prefilter anchor. Suffixes such as
# "a.m.", "sharp" and "de la mañana" belong to the atom.
_ATOM_RX = re.compile(
    "|".join(
        [
            rf"\d{{1,2}}:[0-5]\d(?:[ \t]*{_AMPM}|[ \t]*hrs?\b|[ \t]+sharp\b"
            r"|[ \t]+en[ \t]+punto\b)?",
            rf"\d{{1,2}}[ \t]?{_AMPM}",
            r"(?:at|before|after|around|by)[ \t]+\d{1,2}(?::[0-5]\d)?(?:[ \t]*" + _AMPM + r"|\b)",
            r"@[ \t]*\d{1,2}(?::[0-5]\d)?\b",
            r"a[ \t]+las?[ \t]+\d{1,2}(?::[0-5]\d)?"
            r"(?:[ \t]+de[ \t]+la[ \t]+(?:ma[nñ]ana|tarde|noche)|[ \t]+en[ \t]+punto)?",
            r"(?:noon|midnight|mediod[ií]a)\b",
            r"(?:[01]\d|2[0-3])[0-5]\d[ \t]*(?:hours|hrs|horas)\b",
            r"\d{1,2}/\d{1,2}(?:/\d{2}(?:\d{2})?)?\b",
            r"\d{4}-\d{2}-\d{2}\b",
            rf"{_MONTH}\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?[ \t]+\d{{4}}\b)?",
            rf"\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{_MONTH}\b(?:,?[ \t]+\d{{4}}\b)?",
            rf"\d{{1,2}}[ \t]+de[ \t]+{_MES}\b(?:[ \t]+del?[ \t]+\d{{4}}\b)?",
            r"the[ \t]+\d{1,2}(?:st|nd|rd|th)\b",
        ]
    ),
    re.IGNORECASE,
)

# Prefilter anchors: the fixed core of each shape, cheap for Hyperscan. An anchor starts at
# most two characters into its atom ("10:30" is anchored at "0:30").
_MON3 = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_MES3 = r"(?:ene|feb|mar|abr|may|jun|jul|ago|sep|set|oct|nov|dic)"
_ANCHORS = [
    r"\d:[0-5]\d",
    r"\d[ \t]?[ap]\.?[ \t]?m\b",
    r"\b(?:at|before|after|around|by)[ \t]\d",
    r"@[ \t]?\d",
    r"\ba[ \t]las?[ \t]\d",
    r"\b(?:noon|midnight|mediod[ií]a)\b",
    r"\d\d[ \t]?(?:hours|hrs|horas)\b",
    r"\d/\d",
    r"\d\d\d\d-\d\d-\d\d",
    rf"\b{_MON3}[a-z]{{0,6}}\.?[ \t]\d",
    rf"\d[ \t](?:of[ \t])?{_MON3}",
    rf"\d(?:st|nd|rd|th)[ \t](?:of[ \t])?{_MON3}",
    rf"\d[ \t]de[ \t]{_MES3}",
    r"\bthe[ \t]\d\d?(?:st|nd|rd|th)\b",
]
_DATE_ANCHORS_FROM = 7
_ANCHOR_BACKOFF = 2

# Weekdays and relative days are everywhere in mail: they are read as words, only next to an
# atom or right after a cue, never searched for over the text.
_DAYS = frozenset(word_list("calendar", "days"))
# Abbreviations are also words ("sat", "sun", "wed"): they count only capitalized.
_DAY_ABBR = frozenset(word_list("calendar", "day_abbreviations"))
_DAY_PREFIX = frozenset(word_list("calendar", "day_prefixes"))
_DAY_JOINERS = frozenset({"at", "on", "el", "the"})
_ACCENTS = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ", "aeiouunAEIOUUN")
# What may stand between a day and the atom after it: "Tuesday 8/20", "Thursday, 6/20 at".
_DAY_GAP = re.compile(r"[ \t]*(?:[,/]|-|\b(?:at|on|el|the)\b)?[ \t]*", re.IGNORECASE)
# What may join two atoms of one phrase: "8/20 at 1:30 pm", "04/03 9:00", "Sept. 4, 2019".
_JOIN = re.compile(
    r"[ \t]*(?:,|/|-|–|\b(?:at|on|el|from|to|de|del)\b)?[ \t]*(?:\b(?:at|el)\b[ \t]*)?",
    re.IGNORECASE,
)

# Cues that do not mean an appearance here: "court order", "interview room", "hearing aid".
_BAD_AFTER = re.compile(
    r"[ \t-]*(?:orders?|ordered|records?|of appeals|clerk|reporters?|fees|costs|room|aids?"
    r"|impaired|loss|period|version|run|program|officer)\b",
    re.IGNORECASE,
)
_BAD_BEFORE = frozenset({"supreme", "free", "clinical", "photo"})
_COURT_WORDS = norm_set(word_list("appointment", "court_words"))
_COURT_BEFORE = norm_set(word_list("appointment", "court_before"))
# A specific appearance: "his", "her next", "has a", "Pacheco's probation revocation".
_DETERMINED = re.compile(
    r"(?:\b(?:next|upcoming|first|his|her|su|sus|pr[oó]xim[ao]|siguiente"
    r"|(?:has|had|tiene|ten[ií]a)[ \t]+(?:a|an|una|un))"
    r"|['’]s)[ \t]+(?:[\w-]+[ \t]+){0,3}$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(
    r"(?:\b(?:his|her|su|sus)|['’]s)[ \t]+(?:[\w-]+[ \t]+){0,2}$", re.IGNORECASE
)
# "trial is set for", "the hearing was moved to": one scheduled event, not a timetable.
_SET_FOR = re.compile(
    r"[ \t]*(?:(?:is|was|has been|have been|will be|es|fue|está|esta)[ \t]+)?"
    r"(?:set|scheduled|reset|moved|continued|rescheduled|booked|programad[ao]|fijad[ao]"
    r"|cambiad[ao])[ \t]+(?:for|to|para|al?)\b",
    re.IGNORECASE,
)
_SECOND_PERSON = frozenset(word_list("phrasing", "second_person"))
# "Sentencing: 10/22", "Court date - 12/3": an appearance noun used as a field label.
_FIELD_BEFORE = re.compile(r"(?:^|[|\t]|[ ]{2})[ \t]*$")
_FIELD_AFTER = re.compile(r"[ \t]*(?:date|day|time|fecha)?[ \t]*[:–-]", re.IGNORECASE)
# A case-note line that starts with its label: "Court date 12/3 at 9am".
_LINE_LABEL_BEFORE = re.compile(r"[ \t>*•\-]*(?:next[ \t]+)?", re.IGNORECASE)
_LINE_LABEL_GAP = re.compile(
    r"[ \t]*(?:date|day|time|fecha)?[ \t]*(?:on|el|is|es)?[ \t]*", re.IGNORECASE
)
# Between a cue and a bare weekday: "hearing on Monday", "reports Mondays", "moved to Tuesday".
_WEAK_GAP_WORDS = frozenset(word_list("phrasing", "weak_gap"))
# Between a phrase and a cue after it: "his 2:30 appointment", "10 am for her interview".
_FORWARD_GAP = re.compile(
    r"[ \t]*(?:(?:for|is|es|será|sera|para)[ \t]+)?(?:(?:his|her|the|su|el|la)[ \t]+)?"
    r"(?:[\w-]+[ \t]+){0,2}",
    re.IGNORECASE,
)
# An answer in a conversation that states a time: "it's the 9th", "es el martes".
_PREDICATIVE = re.compile(r"\b(?:it's|it is|that's|is|es|será|sera)[ \t]+(?:el[ \t]+)?$", re.I)
# What may come before the time in a one-line answer: "yes", "Sí Rosa,", "no se puede.".
_ANSWER_FILLERS = norm_set(word_list("phrasing", "answer_fillers"))
_BIRTH = frozenset(word_list("phrasing", "birth_labels"))
# A subject before "reports": a pronoun or adverb, or a capitalized name that is not a word
# such as "Weekly" or "The".
_SUBJECT = re.compile(
    r"(?:\b(?i:he|she|who|still|also|usually|now|then|and|él|ella|que|todavía|todavia|aún|ya)"
    r"|\b[A-ZÁÉÍÓÚÑ][\w'-]+)[ \t]+$"
)
_NOT_SUBJECTS = frozenset(word_list("phrasing", "not_subjects"))

_PERSONAL = "locating.appointment.personal"
_PLURAL = "locating.appointment.plural_event"
_SUBJECT_VERB = "locating.appointment.subject_verb"
_EVENT = "locating.appointment.event"
_WEAK_EVENT = "locating.appointment.weak_event"
_ANAPHORA = "locating.appointment.anaphora"
_ANCHOR_KEYS = ("locating.appointment.time", "locating.appointment.date")

# How far a cue may be from an anchor for the anchor to be looked at at all. On the dev
# corpus every accepted phrase is within 60 characters of its cue; 160 leaves room for longer
# sentences ("a hearing in the Second Judicial District Court, Division XII, on 11/5").
# Answers to a question some lines up are reached through _answer_zones.
_REACH_BACK = 160
_REACH_AHEAD = 40


@cache
def _phrases(group: str) -> PhraseSet:
    return PhraseSet(word_list("appointment", group))


class _Phrase:
    __slots__ = ("end", "start", "strong")

    def __init__(self, start: int, end: int, strong: bool) -> None:
        self.start = start
        self.end = end
        self.strong = strong


class AppointmentDetector:
    """Finds upcoming court dates, hearings, probation reports and agency appointments."""

    id = "locating.appointment"
    categories: tuple[str, ...] = (CATEGORY,)

    def patterns(self) -> Sequence[PatternSpec]:
        """Cue words (from ``cues.yaml``) and date/time anchors."""

        def spec(key: str, regex: str) -> PatternSpec:
            return PatternSpec(key, regex, caseless=True, unicode=True)

        a = "appointment"
        return [
            spec(_PERSONAL, phrase_pattern(word_list(a, "personal"))),
            spec(_SUBJECT_VERB, phrase_pattern(word_list(a, "subject_verbs"))),
            spec(_EVENT, phrase_pattern(word_list(a, "events"))),
            spec(_PLURAL, phrase_pattern(word_list(a, "plural_events"))),
            spec(_WEAK_EVENT, phrase_pattern(word_list(a, "weak_events"))),
            spec(_ANAPHORA, phrase_pattern(word_list(a, "anaphora"))),
            spec(_ANCHOR_KEYS[0], "|".join(_ANCHORS[:_DATE_ANCHORS_FROM])),
            spec(_ANCHOR_KEYS[1], "|".join(_ANCHORS[_DATE_ANCHORS_FROM:])),
        ]

    def detect(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every accepted date/time phrase (see the module docstring)."""
        keys = (_PERSONAL, _SUBJECT_VERB, _EVENT, _WEAK_EVENT, _ANAPHORA)
        cues = {k: CueIndex(ctx.hits(k)) for k in (*keys, _PLURAL)}
        if not any(cues.values()):
            return  # no cue word at all: the common case for ordinary mail
        text = ctx.text
        plural = cues[_PLURAL].cands
        # Plural nouns ("citas", "appointments") never make a phrase an appearance on their
        # own: only the other cues draw anchors in.
        drawing = CueIndex(sorted((c for k in keys for c in cues[k].cands), key=_start))
        any_cue = CueIndex(sorted([*drawing.cands, *plural], key=_start)) if plural else drawing
        answer_zones = Spans(_answer_zones(text, any_cue, drawing))

        emitted = Spans()
        table_spans: list[tuple[int, int]] = []
        for cue in [*cues[_EVENT].cands, *plural]:
            cells = _table_cells(ctx, cue)
            if not cells:
                continue
            table_spans.append((line_bounds(text, cue.start)[0], cells[-1][1]))
            for a, b in cells:
                # A cell is short: read its atoms directly (rows run past the anchors' reach).
                inside = [
                    (m.start(), m.end())
                    for m in _ATOM_RX.finditer(text, a, b)
                    if m.start() == a or not text[m.start() - 1].isalnum()
                ]
                if inside:
                    s, e = inside[0][0], inside[-1][1]
                    emitted.add(s, e)
                    yield Finding(CATEGORY, s, e, text[s:e], 0.85, self.id, ("table column",))
        table_rows = Spans(table_spans)

        atoms: dict[int, int] = {}
        for key in _ANCHOR_KEYS:
            for c in ctx.hits(key):
                if not (
                    drawing.any_within(c.start - _REACH_BACK, c.end + _REACH_AHEAD)
                    or answer_zones.covers(c.start)
                ):
                    continue
                span = _atom_at(text, c)
                if span is not None and atoms.get(span[0], -1) < span[1]:
                    atoms[span[0]] = span[1]
        # Cheap rejections first; only then widen to a weekday next to the phrase.
        ready: list[tuple[_Phrase, int, int]] = []
        strong = Spans()
        for ph in _merge(text, [(s, e, True) for s, e in atoms.items()]):
            where = _placed(text, ph, table_rows)
            if where is not None:
                _widen(text, ph)
                ready.append((ph, *where))
                strong.add(ph.start, ph.end)
        # Bare weekdays right after a cue: "hearing on Monday", "reports Mondays".
        for c in [*cues[_PERSONAL].cands, *cues[_SUBJECT_VERB].cands, *cues[_EVENT].cands]:
            day = _day_after_cue(text, c.end)
            if day is None or strong.covers(day[0]):
                continue
            ph = _Phrase(day[0], day[1], False)
            where = _placed(text, ph, table_rows)
            if where is not None:
                ready.append((ph, *where))

        for ph, ls, body in sorted(ready, key=_ready_start):
            if emitted.covers(ph.start):
                continue
            verdict = self._judge(ctx, ph, cues, any_cue, ls, body)
            if verdict is None:
                continue
            conf, evidence = verdict
            if text.endswith(("am.", "pm.", "AM.", "PM."), ph.start, ph.end):
                ph.end -= 1  # "10:00 am." ends a sentence; "a.m." keeps its period
            emitted.add(ph.start, ph.end)
            yield Finding(
                CATEGORY, ph.start, ph.end, text[ph.start : ph.end], conf, self.id, evidence
            )

    # -- one phrase -------------------------------------------------------------------------

    def _judge(
        self,
        ctx: ScanContext,
        ph: _Phrase,
        cues: dict[str, CueIndex],
        any_cue: CueIndex,
        ls: int,
        body: int,
    ) -> tuple[float, tuple[str, ...]] | None:
        text = ctx.text
        before = words_in(text, max(ls, ph.start - 25), ph.start)[-2:]
        if any(quick_fold(w) in _BIRTH for w in before):
            return None  # "DOB 4/16/1993", "Fecha de nacimiento 22/09/1983"
        s, e = sentence(ctx, ph.start, ph.end)
        words = Words(text, s, e)
        accepted = self._accept(ctx, ph, s, e, cues, words)
        if accepted is not None:
            conf, evidence, checks = accepted
            if checks and _phrases("vetoes").find_in(words) is not None:
                return None
            if checks and _past(words):
                return None
            return conf, evidence
        return self._answer(ctx, ph, ls, body, any_cue)

    def _accept(
        self,
        ctx: ScanContext,
        ph: _Phrase,
        s: int,
        e: int,
        cues: dict[str, CueIndex],
        words: Words,
    ) -> tuple[float, tuple[str, ...], bool] | None:
        """The route that ties the phrase to an appearance: (confidence, evidence, whether
        the veto and tense checks apply)."""
        text = ctx.text

        def said(c: Candidate) -> str:
            return text[c.start : c.end]

        personal = cues[_PERSONAL].within(s, e)
        subject = [c for c in cues[_SUBJECT_VERB].within(s, e) if _has_subject(ctx, c)]
        events = [c for c in cues[_EVENT].within(s, e) if not _bad_event(ctx, c)]

        if not ph.strong:
            # A bare weekday or "tomorrow" only right after its cue: "hearing on Monday".
            for c in [*personal, *subject, *events]:
                if (
                    c.end <= ph.start
                    and _weak_gap(text, c.end, ph.start)
                    and (c in personal or c in subject or _determined(ctx, c, s))
                ):
                    return 0.7, (said(c),), True
            return None

        if personal or subject:
            return 0.9, (said((personal or subject)[0]),), True

        # "your appointment" is the reader's, whoever else the sentence names.
        singular = [c for c in events if _near(ctx, c, ph) and not _readers(ctx, c)]
        # "Your appointment is confirmed for ...": a reminder to the reader, which is the
        # business mail the scanner must leave alone.
        to_reader = not words.set.isdisjoint(_SECOND_PERSON)
        for c in singular:
            if not to_reader and (
                _determined(ctx, c, s)
                or _field_label(ctx, c, ph)
                or _SET_FOR.match(text, c.end, c.end + 40)
            ):
                return 0.85, (said(c),), True
        if singular:
            who = person_in(words)
            if who is not None:
                return 0.8, (said(singular[0]), who), True
        for c in cues[_WEAK_EVENT].within(s, e):
            if _near(ctx, c, ph) and _POSSESSIVE.search(ctx.before(c.start, 40)):
                return 0.75, (said(c),), True
        for c in cues[_ANAPHORA].within(s, e):
            if c.end <= ph.start + 1:
                back = [
                    x
                    for ix in (cues[_EVENT], cues[_PLURAL], cues[_WEAK_EVENT], cues[_PERSONAL])
                    for x in ix.within(c.start - 300, c.start)
                    if not _bad_event(ctx, x)
                ]
                if back:
                    return 0.75, (said(c), said(back[-1])), True
        return None

    def _answer(
        self, ctx: ScanContext, ph: _Phrase, ls: int, body: int, any_cue: CueIndex
    ) -> tuple[float, tuple[str, ...]] | None:
        """A short reply to a question about an appearance: "Is he coming in?" / "yes 10 am"."""
        if not ph.strong:
            return None
        text = ctx.text
        lead = text[body : ph.start]
        if not (_answer_lead(lead) or _PREDICATIVE.search(lead[-16:])):
            return None
        asks = _phrases("asks")
        for c in reversed(any_cue.within(ls - 350, ls)):
            if _bad_event(ctx, c):
                continue
            qs, qe = line_bounds(text, c.start, cap=300)
            question = text[qs:qe]
            # A question, or a request in a chat turn ("ICE wants Loera's next report date").
            if "?" in question or (
                speaker_prefix_end(question) and asks.find(question, 0, len(question))
            ):
                return 0.7, (text[c.start : c.end], "answer")
        return None


def _start(c: Candidate) -> int:
    return c.start


def _ready_start(item: tuple[_Phrase, int, int]) -> int:
    return item[0].start


def _placed(text: str, ph: _Phrase, table_rows: Spans) -> tuple[int, int] | None:
    """(line start, message body start) for a phrase that may be an appearance, or None for
    a table's other columns, a mail header or a chat timestamp."""
    if table_rows.covers(ph.start):
        return None  # a table's other columns (DOB, dates of entry) are not appearances
    ls, le = line_bounds(text, ph.start)
    line = text[ls:le]
    if header_line(line):
        return None
    body = ls + speaker_prefix_end(line)
    if ph.start < body:
        return None  # a chat timestamp or a "Label:" before the message
    return ls, body


def _answer_zones(text: str, cues: CueIndex, drawing: CueIndex) -> list[tuple[int, int]]:
    """The lines after a question about an appearance, where a short answer may give the
    time ("Is Ochoa still coming in tomorrow?" / "yes 10 am")."""
    zones: list[tuple[int, int]] = []
    asks = _phrases("asks")
    questions = "?" in text
    for c in cues.cands if questions else drawing.cands:
        nl = text.find("\n", c.end, c.end + 300)
        eol = nl if nl != -1 else min(len(text), c.end + 300)
        if zones and zones[-1][0] == eol:
            continue
        if not questions or text.find("?", c.end, eol) == -1:
            # A request in a chat turn: "Gallegos 2:14 PM: ICE wants Loera's next report date".
            if not drawing.any_within(c.start, c.end):
                continue
            qs, qe = line_bounds(text, c.start, cap=300)
            question = text[qs:qe]
            if not (speaker_prefix_end(question) and asks.find(question, 0, len(question))):
                continue
        zones.append((eol, eol + 350))
    return zones


def _widen(text: str, ph: _Phrase) -> None:
    """Take in a weekday next to the phrase: "Tuesday 8/20 ...", "at 9 tomorrow"."""
    day = _day_before(text, ph.start)
    if day is not None:
        ph.start = day[0]
    day = _day_after(text, ph.end)
    if day is not None:
        ph.end = day[1]


def _atom_at(text: str, anchor: Candidate) -> tuple[int, int] | None:
    """The exact atom that an anchor belongs to: anchors start inside a number at most
    ``_ANCHOR_BACKOFF`` digits in ("10:30" is anchored at "0:30")."""
    start = anchor.start
    while start > 0 and anchor.start - start < _ANCHOR_BACKOFF and text[start - 1].isdigit():
        start -= 1
    if start > 0 and text[start - 1].isalnum():
        return None  # atoms begin on a word boundary ("A201/5" is no date)
    m = _ATOM_RX.match(text, start)
    return (start, m.end()) if m is not None and m.end() > anchor.start else None


_DAY_TOKEN = re.compile(r"[^\W\d_]+\.?")


_DAY_NEXT = re.compile(r"[ \t]*(?:,[ \t]*|on[ \t]+|el[ \t]+)?([^\W\d_]+\.?)", re.IGNORECASE)


def _day_word(tok: str) -> bool:
    t = tok.rstrip(".")
    return t.lower().translate(_ACCENTS) in _DAYS or t in _DAY_ABBR


def _day_before(text: str, atom_start: int) -> tuple[int, int] | None:
    """A weekday right before an atom: "Tuesday 8/20", "every other Thursday at 8:30",
    "Mon/Wed before 9", "mañana jueves a las 9"."""
    lo = max(0, atom_start - 40)
    start: int | None = None
    end: int | None = None
    right = atom_start
    for m in reversed(list(_DAY_TOKEN.finditer(text, lo, atom_start))):
        a, b = m.start(), m.end()
        if _DAY_GAP.fullmatch(text, b, right) is None:
            break
        tok = m.group()
        if end is None and tok.lower() in _DAY_JOINERS:
            right = a  # "Monday at 7am": "at" joins the day to the time
            continue
        if _day_word(tok):
            start, right = a, a
            end = end if end is not None else b
        elif start is not None and quick_fold(tok) in _DAY_PREFIX:
            start, right = a, a
        else:
            break
    return (start, end) if start is not None and end is not None else None


def _day_after(text: str, atom_end: int) -> tuple[int, int] | None:
    """A weekday right after an atom: "at 9 tomorrow", "10 am Monday"."""
    m = _DAY_NEXT.match(text, atom_end, atom_end + 20)
    if m is not None and _day_word(m.group(1)):
        return m.start(1), m.end(1)
    return None


_CUE_TAIL_TOKEN = re.compile(r"[^\W\d_]+\.?|:")


def _day_after_cue(text: str, cue_end: int) -> tuple[int, int] | None:
    """A weekday a few filler words after a cue: "hearing on Monday", "reports Mondays"."""
    pos = cue_end
    start = None
    for m in _CUE_TAIL_TOKEN.finditer(text, cue_end, cue_end + 40):
        tok = m.group()
        if text[pos : m.start()].strip(" \t"):
            break
        pos = m.end()
        folded = quick_fold(tok)
        if _day_word(tok):
            return (start if start is not None else m.start()), pos
        if folded in _DAY_PREFIX:
            start = start if start is not None else m.start()
            continue
        if tok == ":" or folded in _WEAK_GAP_WORDS:
            start = None
            continue
        break
    return None


def _merge(text: str, atoms: list[tuple[int, int, bool]]) -> Iterator[_Phrase]:
    """Join atoms that overlap or are separated only by joiners into phrases."""
    atoms.sort()
    cur: _Phrase | None = None
    for s, e, strong in atoms:
        if cur is not None and (
            s <= cur.end or (s - cur.end <= 8 and _JOIN.fullmatch(text, cur.end, s) is not None)
        ):
            cur.end = max(cur.end, e)
            cur.strong = cur.strong or strong
            continue
        if cur is not None:
            yield cur
        cur = _Phrase(s, e, strong)
    if cur is not None:
        yield cur


def _table_cells(ctx: ScanContext, cue: Candidate) -> list[tuple[int, int]]:
    table = table_at(ctx, cue)
    if table is None or not people_table(table.header_cells):
        return []
    return list(table.cells)


def _past(words: Words) -> bool:
    """Whether the sentence tells of an appearance that happened (and of none to come)."""
    if _phrases("past").find_in(words) is None:
        return False
    return _phrases("future").find_in(words) is None


def _weak_gap(text: str, a: int, b: int) -> bool:
    gap = quick_fold(text[a:b].replace(":", " "))
    return all(w in _WEAK_GAP_WORDS for w in gap.split())


def _answer_lead(lead: str) -> bool:
    """Only a few filler words or a name before the time: "yes ", "Sí Rosa, "."""
    words = lead.replace(",", " ").replace(".", " ").replace("!", " ").split()
    if len(words) > 4:
        return False
    return all(fold(w) in _ANSWER_FILLERS or (w[:1].isupper() and not w.isupper()) for w in words)


def _near(ctx: ScanContext, c: Candidate, ph: _Phrase) -> bool:
    """The cue comes before the phrase, or right after it: "his 2:30 appointment", "10 am
    for her interview" (not "on 3/4 to continue the hearing")."""
    if c.end <= ph.start:
        return True
    if c.start < ph.end or c.start - ph.end > 25:
        return False
    return _FORWARD_GAP.fullmatch(ctx.text, ph.end, c.start) is not None


def _has_subject(ctx: ScanContext, c: Candidate) -> bool:
    m = _SUBJECT.search(ctx.before(c.start, 25))
    return m is not None and fold(m.group().strip()) not in _NOT_SUBJECTS


def _readers(ctx: ScanContext, c: Candidate) -> bool:
    """ "your appointment", "tu cita": the event belongs to the reader of the mail."""
    prev = words_in(ctx.text, max(0, c.start - 30), c.start)[-3:]
    return any(w.lower() in _SECOND_PERSON for w in prev)


def _bad_event(ctx: ScanContext, c: Candidate) -> bool:
    if _BAD_AFTER.match(ctx.text, c.end, c.end + 16):
        return True
    prev = [w.lower() for w in words_in(ctx.text, max(0, c.start - 20), c.start)[-2:]]
    if prev and (prev[-1] in _BAD_BEFORE or prev == ["hard", "of"]):
        return True
    if quick_fold(ctx.text[c.start : c.end]) in _COURT_WORDS:
        # The institution ("The Court finds", "Court is closed"), not a place one goes.
        return not prev or quick_fold(prev[-1]) not in _COURT_BEFORE
    return False


def _determined(ctx: ScanContext, c: Candidate, sent_start: int) -> bool:
    """ "his hearing", "her next appointment", "Pacheco's plea hearing", "Next report"."""
    if fold(ctx.text[c.start : c.end]).startswith("next "):
        return True
    window = ctx.text[max(sent_start, c.start - 40) : c.start]
    return _DETERMINED.search(window) is not None


def _field_label(ctx: ScanContext, c: Candidate, ph: _Phrase) -> bool:
    """ "Sentencing: 10/22" in a record, or "Court date 12/3 at 9am" opening a note line."""
    text = ctx.text
    ls, _ = line_bounds(text, c.start, cap=200)
    before = text[ls : c.start]
    if _FIELD_BEFORE.search(before) and _FIELD_AFTER.match(text, c.end, c.end + 12):
        return True
    return (
        c.end <= ph.start
        and ph.start - c.end <= 12
        and _LINE_LABEL_BEFORE.fullmatch(before) is not None
        and _LINE_LABEL_GAP.fullmatch(text, c.end, ph.start) is not None
    )
