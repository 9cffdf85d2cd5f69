"""``employer``: the name of the business a person works for.

Anchors (all from the prefilter, words in ``cues.yaml``):

* work verbs: "works at X", "worked for X", "cleans rooms at X", "trabaja en la lechería X";
* employer nouns: "Employer: X", "last employer X", "the employer, X", "Employer is X";
* employment events and documents, which need a business-looking X: "quit X", "discharged
  by X", "pay stub from X", "withholding order sent to X";
* occupations: "a cook at X", "cocinera en X";
* wage listings: "2018 Q3   Sunland Framing LLC   $8,231.75", "Mesquite Pecan Farms (Q1-Q4)"
  in a block that talks about wages or employers;
* table columns named "Employer" in a table of people.

X must be a name: capitalized words ("Inn of the Pueblos", "Valley Mart #854"), reached
through at most a few lower-case words ("la lavandería del hotel La Posada del Río"; "a
roofing company called Summit Roofing"). A job description without a name ("works cash jobs
cleaning houses", "trabaja en la obra"), a bare place ("trabaja en Santa Fe") and the
correspondents' own agencies are not employers.
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
    Words,
    fold,
    line_bounds,
    mentions_person,
    norm_set,
    people_table,
    person_in,
    phrase_pattern,
    sentence,
    table_at,
    word_list,
)
from resguardo.detect.patterns import Candidate, PatternSpec

__all__ = ["EmployerDetector", "parse_name"]

CATEGORY = "employer"

_VERB = "locating.employer.verb"
_NOUN = "locating.employer.noun"
_EVENT = "locating.employer.event"
_DOCUMENT = "locating.employer.document"
_OCCUPATION = "locating.employer.occupation"
_WAGE = "locating.employer.wage_context"
_QUARTER = "locating.employer.quarter"

_QUARTER_RX = r"\b(?:19|20)\d\d[ \t]*Q[1-4]\b|\(Q[1-4](?:[ \t]*[-–][ \t]*Q[1-4])?\)"

# After a work verb: up to four words, then the preposition that introduces the workplace.
_VERB_TAIL = re.compile(
    r"(?:[ \t]+[\w'’-]+){0,4}?[ \t]+(?P<prep>at|for|with|en|para|con|de|of)[ \t]+",
    re.IGNORECASE,
)
# Which prepositions introduce a workplace after which verbs.
_PREPS_DEFAULT = frozenset({"at", "for", "en", "para", "con"})
_PREPS_BY_VERB = {
    "payroll": frozenset({"at", "of", "for"}),
    "employed": frozenset({"at", "by", "with", "en", "por"}),
    "empleado": frozenset({"en", "de", "por", "con"}),
    "empleada": frozenset({"en", "de", "por", "con"}),
    "job": frozenset({"at", "with"}),
    "shift": frozenset({"at"}),
    "hours": frozenset({"at"}),
}
# Nouns used as work verbs take their workplace right after: "job at X", "hours at X".
_DIRECT_VERBS = frozenset({"job", "shift", "hours", "payroll", "part time", "full time"})
_DIRECT_TAIL = re.compile(r"[ \t]+(?P<prep>at|for|with|of|en|con)[ \t]+", re.IGNORECASE)
_EMPLOYED_BY = re.compile(r"[ \t]+(?:by|at|with|por|en)[ \t]+", re.IGNORECASE)
# Software that "doesn't work for GTK", a fix that "makes it work for Win32".
_NOT_A_PERSON_WORKING = re.compile(
    r"(?:n['’]t|\bnot|\bnever|\bmakes?|\bmade|\bmaking|\bto make|\bit|\bthis|\bthat"
    r"|\bproperly|\bcorrectly|\bwell)[ \t]+(?:\w+[ \t]+)?$",
    re.IGNORECASE,
)
# A capitalized name right before the verb: "Avila works at", "Sergio now works for".
_NAME_SUBJECT = re.compile(
    r"(?:^|[^\w'’])(?!(?:The|This|That|These|Those|It|Which|What|There|Here)\b)"
    r"[A-ZÁÉÍÓÚÑ][\w'’-]*[ \t]+(?:(?:now|also|still|currently|usually|ya|ahora|todavía)[ \t]+)?$"
)
# A first- or second-person subject: "I work at", "do you work for", "yo trabajo en".
_SELF = re.compile(
    r"\b(?:I|we|you|yo|nosotros|usted|ustedes)(?:['’]\w+)?[ \t]+(?:[\w']+[ \t]+)?$",
    re.IGNORECASE,
)
# After an employer noun: "Employer: X", "employer is X", "the employer, X", "Employer X".
_NOUN_TAIL = re.compile(
    r"(?:[ \t]*\(s\))?[ \t]*(?:(?:name|nombre)[ \t]*)?"
    r"(?:[:–-]|\b(?:is|was|es|era|fue|as|como)\b|,)?[ \t]*",
    re.IGNORECASE,
)
# "lists an employer for his CDL medical card: X", "Employer 2018-2019: X".
_NOUN_FILLER = re.compile(r"[^\n:.;?!]{1,50}:[ \t]*")
_NOUN_LABEL_WORDS = frozenset(word_list("phrasing", "employer_label_words"))
_DOC_TAIL = re.compile(
    r"(?:[ \t]+[\w'’-]+){0,5}?[ \t]+(?:from|de|to|a|on|for|by|of)[ \t]+", re.IGNORECASE
)
_EVENT_TAIL = re.compile(r"(?:[ \t]+(?:in|on)[ \t]+\w+)?[ \t]+(?:at[ \t]+)?", re.IGNORECASE)
_OCC_TAIL = re.compile(r"[ \t]+(?:at|for|en|para|con|de)[ \t]+", re.IGNORECASE)
_OCC_BEFORE = re.compile(
    r"\b(?:a|an|as|un|una|de|como|el|la)[ \t]+(?:[\w-]+[ \t]+)?$", re.IGNORECASE
)
# "doing her hours at X", "a new job at X"; not "the hours at X are 9-5", "great job at X".
_HOURS_BEFORE = re.compile(
    r"\b(?:his|her|their|su|sus|service|work|participation|volunteer)[ \t]+$", re.IGNORECASE
)
_JOB_BEFORE = re.compile(
    r"\b(?:his|her|their|a|new|current|old|former|second|first|part-time|full-time|su|un)"
    r"[ \t]+(?:(?!great|good|nice|excellent|fantastic|amazing|wonderful|fine)[\w-]+[ \t]+)?$",
    re.IGNORECASE,
)
_EMPLOYMENT_TALK = re.compile(
    r"\b(?:jobs?|work\w*|employ\w*|claim\w*|wages?|hired|fired|laid off|let go|co-?workers?"
    r"|payroll|shifts?|supervisor|adjudicat\w*|unemployment|UI|trabaj\w*|emple\w*|sueldo"
    r"|salario)\b",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"(?i:(the|la|el|los|las)|(a|an|un|una))[ \t]+")
_TRAILING_WORD = re.compile(r"[a-záéíóúñü][\w'’-]*")
_LOWER_WORD = re.compile(r"([a-záéíóúñü][\w'’-]*)[ \t]+")
_DESC_STOP = frozenset(word_list("phrasing", "description_stops"))
_CALLED = frozenset({"called", "named", "llamado", "llamada", "llamados", "llamadas"})
_TOKEN = re.compile(r"#\d+|&|[\w'’]+(?:-[\w'’]+)*\.?")
_CONNECTORS = frozenset({"of", "the", "de", "del", "la", "las", "los", "y", "and", "for", "e"})
# Abbreviations whose period belongs to the name ("Co."), and those a name goes on after.
_ABBREV = frozenset({"co", "inc", "corp", "ltd", "bros", "jr", "sr", "st", "mt", "ft", "no"})
_ABBREV_GO_ON = frozenset({"st", "mt", "ft"})
_PERSON_MARKERS = PhraseSet(word_list("phrasing", "record_markers"))
_WEEKDAYS_MONTHS = norm_set([*word_list("calendar", "days"), *word_list("calendar", "months")])
_STREET_SUFFIXES = frozenset(word_list("phrasing", "street_suffixes"))
_DIRECT_NOUNS = frozenset({"employer", "empleador", "empleadora", "patron", "carrier"})
_WORD = re.compile(r"[\w'’]+")
_ROW_CUT = re.compile(r"[ \t]{2,}|\$|\||\t|[ \t]+\(|,[ \t]+\d")
_ROW_LEAD = re.compile(r"[ \t>*•\-\d.)]*")


@cache
def _role_regex() -> re.Pattern[str]:
    roles = word_list("person", "roles")
    # Singular only: "Employees who work at ..." is a policy, not somebody's job.
    return re.compile(r"\b(?:" + "|".join(re.escape(r) for r in roles) + r")\b", re.IGNORECASE)


@cache
def _agencies() -> tuple[frozenset[str], tuple[str, ...]]:
    names = _vocab()["agencies"]
    return (
        frozenset(a for a in names if " " not in a),
        tuple(f" {a} " for a in names if " " in a),
    )


@cache
def _vocab() -> dict[str, frozenset[str]]:
    return {
        "legal": norm_set(word_list("business", "legal_suffixes")),
        "business": norm_set(word_list("business", "words")),
        "trailing": norm_set(word_list("business", "trailing")),
        "ambiguous": norm_set(word_list("business", "ambiguous")),
        "places": norm_set(word_list("places")),
        "agencies": norm_set(word_list("agencies")),
    }


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def parse_name(text: str, pos: int, limit: int) -> int:
    """End of the capitalized name starting at ``pos`` (``pos`` itself when there is none).

    "Inn of the Pueblos", "Valley Mart #854", "Llano Estacado Cheese Co.", "Sunrise Grocery".
    A name stops at a legal suffix ("Mesa Verde Trucking LLC" of Aztec), at a sentence end,
    at two spaces (a table gap) and at any lower-case word that is not a connector.
    """
    vocab = _vocab()
    end = pos
    i = pos
    ntok = 0
    pending = 0  # connectors since the last name token
    while i < limit:
        m = _TOKEN.match(text, i, limit)
        if m is None:
            break
        tok = m.group()
        core = tok.rstrip(".")
        low = fold(core)
        if _is_cap(core) or (ntok and (tok.startswith("#") or core.isdigit() or tok == "&")):
            if ntok == 0 and low in _WEEKDAYS_MONTHS:
                return pos
            ntok += 1
            pending = 0
            dotted = tok.endswith(".")
            end = m.end() if dotted and low in _ABBREV else m.start() + len(core)
            if low in vocab["legal"] and ntok > 1:
                break
            if dotted and low not in _ABBREV_GO_ON:
                break
        elif ntok and low in _CONNECTORS and pending < 2:
            pending += 1
        else:
            break
        nxt = m.end()
        if text.startswith(" ", nxt) and not text.startswith("  ", nxt):
            i = nxt + 1
        elif text.startswith(" - ", nxt):
            i = nxt + 3
        else:
            break
    return end


class EmployerDetector:
    """Finds the employer named for a person."""

    id = "locating.employer"
    categories: tuple[str, ...] = (CATEGORY,)

    def patterns(self) -> Sequence[PatternSpec]:
        """Cue words (from ``cues.yaml``) and wage-quarter shapes."""

        def spec(key: str, regex: str) -> PatternSpec:
            return PatternSpec(key, regex, caseless=True, unicode=True)

        e = "employer"
        return [
            spec(_VERB, phrase_pattern(word_list(e, "verbs"))),
            spec(_NOUN, phrase_pattern(word_list(e, "nouns"))),
            spec(_EVENT, phrase_pattern(word_list(e, "events"))),
            spec(_DOCUMENT, phrase_pattern(word_list(e, "documents"))),
            spec(_OCCUPATION, phrase_pattern(word_list(e, "occupations"))),
            spec(_WAGE, phrase_pattern(word_list(e, "wage_context"))),
            PatternSpec(_QUARTER, _QUARTER_RX, caseless=False, unicode=True),
        ]

    def detect(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every employer name found (see the module docstring)."""
        seen: set[tuple[int, int]] = set()
        for f in self._all(ctx):
            if (f.start, f.end) not in seen:
                seen.add((f.start, f.end))
                yield f

    def _all(self, ctx: ScanContext) -> Iterator[Finding]:
        for c in ctx.hits(_VERB):
            yield from self._after_verb(ctx, c)
        for c in ctx.hits(_NOUN):
            yield from self._after_noun(ctx, c)
        for c in ctx.hits(_EVENT):
            yield from self._after(ctx, c, _EVENT_TAIL, business_only=True, conf=0.7)
        for c in ctx.hits(_DOCUMENT):
            yield from self._after(ctx, c, _DOC_TAIL, business_only=False, conf=0.75)
        for c in ctx.hits(_OCCUPATION):
            if _OCC_BEFORE.search(ctx.before(c.start, 14)):
                yield from self._after(ctx, c, _OCC_TAIL, business_only=False, conf=0.75)
        quarters = ctx.hits(_QUARTER)
        if quarters:
            yield from self._wage_rows(ctx, quarters)
        yield from self._tables(ctx)

    # -- the name after a cue ----------------------------------------------------------------

    def _name_at(
        self, ctx: ScanContext, pos: int, *, business_only: bool, max_desc: int = 4
    ) -> tuple[int, int] | None:
        """The employer name at ``pos``, through an article and a few lower-case words."""
        text = ctx.text
        _, limit = line_bounds(text, pos, cap=200)
        indefinite = False
        called = False
        m = _ARTICLE.match(text, pos, limit)
        if m is not None:
            indefinite = m.group(2) is not None
            pos = m.end()
        for _ in range(max_desc + 1):
            end = parse_name(text, pos, limit)
            if end > pos:
                if indefinite and not called:
                    return None
                end = self._trailing(text, end, limit)
                talk = business_only and bool(
                    _EMPLOYMENT_TALK.search(text, max(0, pos - 300), min(len(text), end + 300))
                )
                return (pos, end) if self._acceptable(text[pos:end], business_only, talk) else None
            w = _LOWER_WORD.match(text, pos, limit)
            if w is None:
                return None
            word = fold(w.group(1))
            if word in _CALLED:
                called = True
            elif word in _DESC_STOP and word not in {"de", "del", "con"}:
                return None
            pos = w.end()
        return None

    def _trailing(self, text: str, end: int, limit: int) -> int:
        """Take in a lower-case business noun after the name: "the Rancho Seco dairy"."""
        if text[end : end + 1] != " ":
            return end
        m = _TRAILING_WORD.match(text, end + 1, limit)
        if m is not None and fold(m.group()) in _vocab()["trailing"]:
            return m.end()
        return end

    def _acceptable(self, name: str, business_only: bool, employment_nearby: bool = False) -> bool:
        vocab = _vocab()
        key = fold(name.rstrip("."))
        if len(key) < 2 or key in vocab["places"]:
            return False
        words = key.split()
        one_word, several = _agencies()
        if not one_word.isdisjoint(words) or any(a in f" {key} " for a in several):
            return False
        kinds = set(words) & (vocab["business"] | vocab["legal"] | vocab["trailing"])
        if not kinds and (any(w.isdigit() for w in words) or words[-1] in _STREET_SUFFIXES):
            return False  # "Camino Viejo 44", "Main St" are addresses
        if not business_only:
            return True
        if kinds and kinds <= vocab["ambiguous"]:
            return employment_nearby
        return bool(kinds)

    def _emit(
        self, ctx: ScanContext, span: tuple[int, int] | None, conf: float, cue: Candidate
    ) -> Iterator[Finding]:
        if span is None:
            return
        s, e = span
        evidence = (ctx.text[cue.start : cue.end],)
        yield Finding(CATEGORY, s, e, ctx.text[s:e], conf, self.id, evidence)

    # -- cue kinds ---------------------------------------------------------------------------

    def _after_verb(self, ctx: ScanContext, c: Candidate) -> Iterator[Finding]:
        # Cheapest tests first: manuals say "works for Win32" on every page, so whether a
        # person does the work is asked only once a name has turned up after the verb.
        before = ctx.before(c.start, 30)
        if _SELF.search(before) or _NOT_A_PERSON_WORKING.search(before):
            return
        verb = fold(ctx.text[c.start : c.end])
        if verb == "hours" and not _HOURS_BEFORE.search(before):
            return
        if verb == "job" and not _JOB_BEFORE.search(before):
            return
        if verb == "employed":
            m = _EMPLOYED_BY.match(ctx.text, c.end, c.end + 12)
        else:
            tail = _DIRECT_TAIL if verb in _DIRECT_VERBS else _VERB_TAIL
            m = tail.match(ctx.text, c.end, c.end + 80)
            if m is not None and fold(m.group("prep")) not in _PREPS_BY_VERB.get(
                verb, _PREPS_DEFAULT
            ):
                return
        if m is None or "\n" in m.group():
            return
        span = self._name_at(ctx, m.end(), business_only=False)
        if span is not None and self._worker(ctx, c):
            yield from self._emit(ctx, span, 0.85, c)

    def _after_noun(self, ctx: ScanContext, c: Candidate) -> Iterator[Finding]:
        text = ctx.text
        if table_at(ctx, c) is not None:
            return  # a column header: its cells are read by _tables
        m = _NOUN_TAIL.match(text, c.end, c.end + 20)
        pos = m.end() if m is not None else c.end
        w = _WORD.match(text, pos, pos + 30)
        if w is not None and fold(w.group()) in _NOUN_LABEL_WORDS:
            return
        # Lower-case words may lead to the name only after a delimiter ("the employer, the
        # Rancho Seco dairy"); right after the noun they are a sentence going on.
        delimited = m is not None and m.group().strip() != ""
        # Right after the noun with no delimiter only "employer" itself names one
        # ("Employer Santa Teresa Cold Storage"); "Employment Security Department" does not.
        direct_ok = fold(text[c.start : c.end]).split()[-1] in _DIRECT_NOUNS
        span = (
            self._name_at(ctx, pos, business_only=False, max_desc=3 if delimited else 0)
            if pos > c.end and (delimited or direct_ok)
            else None
        )
        if span is None:
            f = _NOUN_FILLER.match(text, c.end, c.end + 60)
            if f is not None:
                span = self._name_at(ctx, f.end(), business_only=False)
        if span is None or not self._about_a_person(ctx, c):
            return
        yield from self._emit(ctx, span, 0.85, c)

    def _after(
        self,
        ctx: ScanContext,
        c: Candidate,
        tail: re.Pattern[str],
        *,
        business_only: bool,
        conf: float,
    ) -> Iterator[Finding]:
        m = tail.match(ctx.text, c.end, c.end + 60)
        if m is None or "\n" in m.group():
            return
        yield from self._emit(
            ctx, self._name_at(ctx, m.end(), business_only=business_only), conf, c
        )

    def _worker(self, ctx: ScanContext, c: Candidate) -> bool:
        """Somebody does the work: "the dad works at", "Sergio ... states he works for".

        Software "works for Win32" and a plan "works for families"; a person's job needs a
        person in the clause before the verb, or a record about a person around it.
        """
        text = ctx.text
        s, _ = sentence(ctx, c.start, c.end)
        clause = text[max(s, c.start - 80) : c.start]
        if mentions_person(text, max(s, c.start - 80), c.start) or _role_regex().search(clause):
            return True
        # "Avila works at ..." (a name), or a note that leaves the subject out ("Works at
        # Sandia Produce."): only inside a record about somebody.
        if _NAME_SUBJECT.search(clause):
            return self._about_a_person(ctx, c)
        if not clause.strip(" \t>*•-:"):
            # Manuals say "Works for C-like programs" too: a note needs a record around it
            # (DOB, SSN, claimant) or a named person, not just a pronoun somewhere near.
            return self._about_a_person(ctx, c, named=True)
        return False

    def _about_a_person(
        self, ctx: ScanContext, c: Candidate, reach: int = 300, *, named: bool = False
    ) -> bool:
        """A field such as "Employer:" is a disclosure only in a record about somebody."""
        words = Words(ctx.text, max(0, c.start - reach), c.end + reach)
        if _PERSON_MARKERS.find_in(words):
            return True
        who = person_in(words, pronouns=not named)
        return who is not None

    # -- tables and wage listings ------------------------------------------------------------

    def _wage_rows(self, ctx: ScanContext, quarters: list[Candidate]) -> Iterator[Finding]:
        wage = CueIndex(ctx.hits(_WAGE))
        nouns = CueIndex(ctx.hits(_NOUN))
        text = ctx.text
        for q in quarters:
            if not (
                wage.any_within(q.start - 1500, q.start)
                or nouns.any_within(q.start - 1500, q.start)
            ):
                continue
            ls, le = line_bounds(text, q.start, cap=300)
            if text[q.start] == "(":
                # "Mesquite Pecan Farms (Q1-Q4)": the name is what precedes on the line.
                lead = _ROW_LEAD.match(text, ls, q.start)
                a = lead.end() if lead is not None else ls
                b = q.start
            else:
                # "2018 Q3   Sunland Framing LLC   $8,231.75": the name follows.
                a = q.end
                while a < le and text[a] in " \t|,":
                    a += 1
                cut = _ROW_CUT.search(text, a, le)
                b = cut.start() if cut is not None else le
            while b > a and text[b - 1] in " \t,;":
                b -= 1
            if b <= a:
                continue
            end = parse_name(text, a, b)
            if end == b or (end > a and b - end <= 1):
                name = text[a:end]
                if self._acceptable(name, business_only=False):
                    yield Finding(CATEGORY, a, end, name, 0.8, self.id, ("wage listing",))

    def _tables(self, ctx: ScanContext) -> Iterator[Finding]:
        """Cells of a column named for the employer in a table of people."""
        text = ctx.text
        for c in ctx.hits(_NOUN):
            table = table_at(ctx, c)
            if table is None or not people_table(table.header_cells):
                continue
            for a, b in table.cells:
                end = parse_name(text, a, b)
                if end > a and self._acceptable(text[a:end], business_only=False):
                    yield Finding(CATEGORY, a, end, text[a:end], 0.85, self.id, ("table column",))
