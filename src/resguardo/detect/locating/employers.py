"""``employer``: the name of the business a person works for.

Anchors (all from the prefilter, words in ``cues.yaml``):

* work verbs: "works at X", "worked for X", "cleans rooms at X", "trabaja de mesera en X",
  "pumps concrete for X", "day labor through X";
* employer nouns: "Employer: X", "last employer X", "the employer, X", "Employer is X",
  "last employer on wage file, X";
* employment events, income and documents, which need a business-looking X: "quit X",
  "discharged by X", "Separated from: X", "reports wages from X", "pay stub from X",
  "withholding order sent to X";
* occupations: "a cook at X", "cocinera en X", "his boss at X";
* wage listings: "2018 Q3   Sunland Framing LLC   $8,231.75", "Mesquite Pecan Farms (Q1-Q4)"
  in a block that talks about wages or employers;
* table columns named "Employer" in a table of people;
* a place named before "where he works" ("Met at Tortillería La Reina on 4th St where he
  works mornings").

After a work verb a hard-wrapped line goes on, and "and sometimes at X" / "y a veces en X"
names a second workplace. A workplace may also be named by what it is and where, with a
definite article: "la llantera de la Bridge", "el laboratorio de Los Álamos", "the tire shop
on Isleta".

X must be a name: capitalized words ("Inn of the Pueblos", "Valley Mart #854"), reached
through at most a few lower-case words ("la lavandería del hotel La Posada del Río"; "a
roofing company called Summit Roofing"; "his cousin's company, Summit Roofing"). A job
description without a name ("works cash jobs cleaning houses", "trabaja en la obra"), a bare
place ("trabaja en Santa Fe") and the correspondents' own agencies are not employers.

A named person's employer is a disclosure wherever the text states it, a published bio
included ("board member Jane Doe works at Sandia National Laboratories"): LABELING.md marks
information about an identifiable person, and makes no exception for what the person made
public. Ordinary mail with no person in it (job ads, policy, software "that works for Win32")
stays quiet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache, partial

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.locating._common import (
    CueIndex,
    PhraseSet,
    Table,
    Words,
    fold_word,
    line_bounds,
    norm_set,
    people_table,
    person_in,
    phrase_pattern,
    quick_fold,
    record_marker_in,
    sentence,
    speaker_prefix_end,
    table_at,
    word_list,
)
from resguardo.detect.patterns import Candidate, PatternSpec

__all__ = ["EmployerDetector", "parse_name"]

CATEGORY = "employer"

_VERB = "locating.employer.verb"
_NOUN = "locating.employer.noun"
_EVENT = "locating.employer.event"
_INCOME = "locating.employer.income"
_DOCUMENT = "locating.employer.document"
_OCCUPATION = "locating.employer.occupation"
_WAGE = "locating.employer.wage_context"
_QUARTER = "locating.employer.quarter"
_TRADE = "locating.employer.trade"
_SHIFT_ES = "locating.employer.shift_es"
_SHIFT_EN = "locating.employer.shift_en"
_ALL_KEYS = frozenset(
    (_VERB, _NOUN, _EVENT, _INCOME, _DOCUMENT, _OCCUPATION, _QUARTER, _TRADE, _SHIFT_ES,
     _SHIFT_EN)
)  # fmt: skip

_QUARTER_RX = r"\b(?:19|20)\d\d[ \t]*Q[1-4]\b|\(Q[1-4](?:[ \t]*[-–][ \t]*Q[1-4])?\)"

# The words after a work verb, one at a time: the workplace follows a preposition within the
# first five ("works long hours for low pay at Walmart", "trabaja de mesera en Tacos X").
# A hard-wrapped line goes on: "Trabaja limpiando\ncasas con ...", "Works nights at\nel ...".
_TAIL_WORD = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t>]*)([\w'’-]+)")
_TAIL_WORDS = 7
# A clause ends at these: "works at home and shops at Walmart" is no job at Walmart.
_TAIL_STOPS = frozenset({"and", "but", "or", "y", "pero", "o", "while", "mientras"})
_AFTER_PREP = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t>]*(?=\S))[\"“]?")
# After "and" / "y" the clause may go on to a second workplace, with no verb of its own:
# "limpia casas y a veces en la empacadora de X", "and on weekends at X".
_COORDINATED = re.compile(
    r"[ \t]+(?:(?:"
    + "|".join(
        r"[ \t]+".join(re.escape(w) for w in a.split())
        for a in sorted(word_list("employer", "coordinated_adverbs"), key=len, reverse=True)
    )
    + r")[ \t,]+)?(?P<prep>at|for|with|en|para|con)(?:[ \t]+|[ \t]*\n[ \t>]*)",
    re.IGNORECASE,
)
# Which prepositions introduce a workplace after which verbs.
_PREPS_DEFAULT = frozenset({"at", "for", "en", "para", "con"})
_PREPS_BY_VERB = {
    # "iba a trabajar a la lechería X", "empezó a trabajar al Walmart"
    "trabajar": frozenset({"en", "para", "con", "a", "al"}),
    "payroll": frozenset({"at", "of", "for"}),
    "employed": frozenset({"at", "by", "with", "en", "por"}),
    "empleado": frozenset({"en", "de", "por", "con"}),
    "empleada": frozenset({"en", "de", "por", "con"}),
    "job": frozenset({"at", "with", "as"}),
    "shift": frozenset({"at"}),
    "hours": frozenset({"at"}),
    "crew": frozenset({"at", "with", "for"}),
    "day labor": frozenset({"through", "for", "with", "at"}),
    "day labour": frozenset({"through", "for", "with", "at"}),
    "temps": frozenset({"through", "for", "at"}),
}
# Nouns used as work verbs take their workplace right after: "job at X", "hours at X".
_DIRECT_VERBS = frozenset(
    {"job", "shift", "hours", "payroll", "part time", "full time", "crew", "day labor",
     "day labour", "temps"}
)  # fmt: skip
_DIRECT_TAIL = re.compile(
    r"[ \t]+(?P<prep>at|for|with|of|en|con|through|as)(?:[ \t]+|[ \t]*\n[ \t]*)[\"“]?",
    re.IGNORECASE,
)
# "lists his job as X": "as" names the workplace only when X is no job title ("his job as
# Assistant Manager").
_TITLE_WORDS = norm_set(
    [*word_list("employer", "occupations"), *word_list("employer", "job_title_words")]
)
# "self-employed as "Lujan Landscaping"": the business one runs is where one works.
_SELF_EMPLOYED = re.compile(r"(?:self|auto)[ \t-]?$", re.IGNORECASE)
# Before a work verb, a first- or second-person subject ("I work at", "do you work for",
# "yo trabajo en") or a thing ("it works for Win32", "doesn't work for GTK", "works well
# for"): not somebody's job.
_SELF_WORDS = frozenset({"i", "we", "you", "yo", "nosotros", "usted", "ustedes"})
_THING_WORDS = frozenset(
    {"not", "never", "make", "makes", "made", "making", "it", "this", "that", "properly",
     "correctly", "well"}
)  # fmt: skip
_PLAIN_WORD = re.compile(r"[\w'’]+")
# A third-person subject right before the verb makes it somebody's job, whatever came before
# it ("... and that she cleans rooms at X": "that" is a conjunction there, not a thing).
_THIRD_PERSON = frozenset({"he", "she", "él", "ella", "el", "who", "quien"})
_UNSAID_SUBJECT = norm_set(word_list("employer", "unsaid_subject"))
# After a verb of leaving or reaching work: "salgo de la planta de X", "entra a la fábrica
# de X", "gets off work at X", "clocks out at the X plant".
_SHIFT_TAIL_ES = re.compile(
    r"[ \t]+(?:de|del|a|al)[ \t]+(?:(?:la|el|su|mi)[ \t]+)?(?P<noun>[\w'’]+)[ \t]+"
    r"(?:de|del|en)[ \t]+",
    re.IGNORECASE,
)
_SHIFT_TAIL_EN = re.compile(
    r"[ \t]+(?:(?P<noun>work|shift)[ \t]+)?(?:at|from)[ \t]+", re.IGNORECASE
)
_WORKPLACE_NOUNS = norm_set(word_list("employer", "workplace_nouns"))
# The words after a document, one at a time; a hard-wrapped line goes on ("wage records for
# the last four\nquarters from X").
_DOC_WORD = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*)([\w'’-]+)")
_DOC_PREPS = frozenset({"from", "de", "to", "a", "on", "for", "by", "of"})
_DOC_WORDS = 8
# A capitalized name right before the verb: "Avila works at", "Sergio now works for".
_NAME_SUBJECT = re.compile(
    r"(?:^|[^\w'’])(?!(?:The|This|That|These|Those|It|Which|What|There|Here)\b)"
    r"[A-ZÁÉÍÓÚÑ][\w'’-]*[ \t]+(?:(?:now|also|still|currently|usually|ya|ahora|todavía)[ \t]+)?$"
)
# After an employer noun: "Employer: X", "employer is X", "the employer, X", "Employer X".
# (A form's dot leaders are a delimiter too: "LAST EMPLOYER ..... INTEL CORP".)
# A delimiter may end the line ("registered to his employer,\nSunland ..."), and the name may
# be quoted ('her employer as "the Chile Pod"'). "employment at X", "empleo en X" name one
# too.
_NOUN_TAIL = re.compile(
    r"(?:[ \t]*\(s\))?[ \t]*(?:(?:name|nombre)[ \t]*)?"
    r"(?:(?:\.{2,}[ \t]*:?|[:–-]|\b(?:is|was|es|era|fue|as|como|at|with|en|con)\b|,)"
    r"(?:[ \t]*\n(?![ \t]*\n))?)?[ \t]*[\"“]?",
    re.IGNORECASE,
)
# A work verb in a chat question ("y trabaja todavía?", "does he still work?"): the rest of
# the line is a few words and the question mark.
_QUESTION_REST = re.compile(r"[^\n?.!]{0,30}\?[ \t]*$", re.MULTILINE)
# The start of the answer line after its speaker: "si en Tortillería La Abuela", "yes, at
# Walmart", "todavía con Sandia Produce".
_ANSWER_LEAD = re.compile(
    r"[ \t]*(?:(?:s[ií]|yes|yeah|yep|yup|claro|todav[ií]a|still|ahora|now|ya|ok|okay)\b[ \t,.!:]*)*"
    r"(?P<prep>(?:at|for|with|en|para|con|in)[ \t]+)?",
    re.IGNORECASE,
)
# "lists an employer for his CDL medical card: X", "Employer 2018-2019: X".
_NOUN_FILLER = re.compile(r"[^\n:.;?!]{1,50}:[ \t]*")
# "last employer on wage file, X", "employer of record, X": a lower-case qualifier, a comma.
_NOUN_QUALIFIER = re.compile(r"(?:[ \t]+[a-záéíóúñ][\w'’-]*){1,5}[ \t]*,[ \t]*")
# "His employer in Utah will be X", "her employer on the last recertification was X": a short
# qualifier led by a preposition, then a copula, then the name.
_NOUN_COPULA = re.compile(
    r"[ \t]+(?:in|on|at|for|per|from|during|since|en|de|desde|seg[uú]n)\b(?:[ \t]+[\w'’.-]+){1,5}?"
    r"[ \t]+(?:is|was|will[ \t]+be|has[ \t]+been|es|era|fue|ser[aá])[ \t]+",
    re.IGNORECASE,
)
_NOUN_LABEL_WORDS = frozenset(word_list("phrasing", "employer_label_words"))
_PREP_DELIMITERS = frozenset({"at", "with", "en", "con"})
_SEEKING = PhraseSet(word_list("employer", "seeking"))
_DOC_TAIL = re.compile(
    r"(?:[ \t]+[\w'’-]+){0,5}?[ \t]+(?:from|de|to|a|on|for|by|of)[ \t]+", re.IGNORECASE
)
# "quit X", "discharged by X in March", "Separated from: X".
# "laid off in March at X", "not paid for 3 weeks at X": a time between the event and the name
_EVENT_TAIL = re.compile(
    r"(?:[ \t]+(?:(?:in|on)[ \t]+\w+|for[ \t]+(?:\d+|a|an|one|two|three|several)[ \t]+"
    r"(?:days?|weeks?|months?|hours?|years?)))?[ \t]*:?[ \t]+(?:at[ \t]+)?",
    re.I,
)
_INCOME_TAIL = re.compile(r"[ \t]*:?[ \t]+")
_OCC_TAIL = re.compile(r"[ \t]+(?:at|for|en|para|con|de)[ \t]+", re.IGNORECASE)
_OCC_BEFORE = re.compile(
    r"\b(?:a|an|as|un|una|de|como|el|la|his|her|their|su|sus)[ \t]+(?:[\w-]+[ \t]+)?$",
    re.IGNORECASE,
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
# "on a crew with X", "his crew at X"; not "the crew at the station".
_CREW_BEFORE = re.compile(r"\b(?:a|his|her|their|the same|su|on)[ \t]+$", re.IGNORECASE)
_EMPLOYMENT_WORDS = frozenset(word_list("phrasing", "employment_words"))
_ARTICLE = re.compile(r"(?i:(the|la|el|los|las)|(a|an|un|una))[ \t]+")
_TRAILING_WORD = re.compile(r"[a-záéíóúñü][\w'’-]*")
_LOWER_WORD = re.compile(r"([a-záéíóúñü][\w'’-]*)[ \t]+")
# "his cousin's company, Summit Roofing": a company noun, a comma, then the name.
_APPOSITIVE = re.compile(r"([a-záéíóúñü][\w'’-]*),[ \t]+")
_COMPANY_NOUNS = frozenset(word_list("phrasing", "company_nouns"))
_DESC_STOP = frozenset(word_list("phrasing", "description_stops"))
_POSSESSIVES = frozenset({"his", "her", "their", "su", "sus"})
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
# Singular only: "Employees who work at ..." is a policy, not somebody's job.
_ROLES = norm_set(word_list("person", "roles"))


@cache
def _agencies() -> tuple[frozenset[str], tuple[str, ...]]:
    names = _vocab()["agencies"]
    return (
        frozenset(a for a in names if " " not in a),
        tuple(f" {a} " for a in names if " " in a),
    )


def _agency_word(
    words: list[str], one_word: frozenset[str], vocab: dict[str, frozenset[str]]
) -> bool:
    """An agency's acronym in the name, as the agency itself: "MVD", "the Santa Fe MVD".

    After a word that is no place the acronym is another body's: "Gadsden ISD" is a school
    district, not the Income Support Division.
    """
    for i, w in enumerate(words):
        if w in one_word:
            lead = " ".join(words[:i])
            if not lead or lead in vocab["places"]:
                return True
    return False


@cache
def _vocab() -> dict[str, frozenset[str]]:
    return {
        "legal": norm_set(word_list("business", "legal_suffixes")),
        "business": norm_set(
            [*word_list("business", "words"), *word_list("business", "more_words")]
        ),
        "trailing": norm_set(word_list("business", "trailing")),
        "ambiguous": norm_set(word_list("business", "ambiguous")),
        "places": norm_set(word_list("places")),
        "agencies": norm_set(word_list("agencies")),
        "not_employers": norm_set(word_list("employer", "not_employers")),
    }


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper()


def _not_a_worker_before(before: str) -> bool:
    """Whether the words right before a work verb make it nobody's job: "I work", "do you
    work", "it works", "doesn't work", "works well" (the pronoun may have one word after it:
    "I usually work", "it also works")."""
    seg = before[before.rfind("\n") + 1 :]
    if not seg or seg[-1] not in " \t":
        return False
    for part in reversed(seg.split()[-2:]):
        if _PLAIN_WORD.fullmatch(part) is None:
            return False  # punctuation: the clause starts after it
        w = part.lower()
        if w in _THIRD_PERSON:
            return False  # "that she cleans", "who works at"
        if w.replace("’", "'").split("'")[0] in _SELF_WORDS:
            return True
        if w in _THING_WORDS or w.endswith(("n't", "n’t")):
            return True
    return False


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
        low = fold_word(core)
        # A number or "&" goes on a name only right after a name word: "Valley Mart #854",
        # not "Los Ranchos Auto Glass for 2019 Q3".
        numeric = tok.startswith("#") or core.isdigit() or tok == "&"
        if _is_cap(core) or (ntok and not pending and numeric):
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
            spec(_INCOME, phrase_pattern(word_list(e, "income"))),
            spec(_DOCUMENT, phrase_pattern(word_list(e, "documents"))),
            spec(_OCCUPATION, phrase_pattern(word_list(e, "occupations"))),
            spec(_WAGE, phrase_pattern(word_list(e, "wage_context"))),
            # one verb, then one trade: factored, not every pair spelled out
            spec(
                _TRADE,
                phrase_pattern(word_list(e, "do_verbs"))
                + r"[ \t]+"
                + phrase_pattern(word_list(e, "trades")),
            ),
            spec(_SHIFT_ES, phrase_pattern(word_list(e, "shift_verbs_es"))),
            spec(_SHIFT_EN, phrase_pattern(word_list(e, "shift_verbs_en"))),
            PatternSpec(_QUARTER, _QUARTER_RX, caseless=False, unicode=True),
        ]

    def detect(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every employer name found (see the module docstring)."""
        if ctx.candidates.keys().isdisjoint(_ALL_KEYS):
            return  # no cue at all: most mail
        seen: set[tuple[int, int]] = set()
        for f in self._all(ctx):
            if (f.start, f.end) not in seen:
                seen.add((f.start, f.end))
                yield f

    def _all(self, ctx: ScanContext) -> Iterator[Finding]:
        for c in ctx.hits(_VERB):
            yield from self._after_verb(ctx, c)
        for c in ctx.hits(_TRADE):
            yield from self._after_verb(ctx, c)
        for c in ctx.hits(_SHIFT_ES):
            yield from self._after_shift(ctx, c, _SHIFT_TAIL_ES)
        for c in ctx.hits(_SHIFT_EN):
            yield from self._after_shift(ctx, c, _SHIFT_TAIL_EN)
        for c in ctx.hits(_NOUN):
            table = table_at(ctx, c)
            if table is None:
                yield from self._after_noun(ctx, c)
            elif people_table(table.header_cells):
                yield from self._table(ctx, table)
            # Any other table: the noun is a column header of a table of no one.
        for c in ctx.hits(_EVENT):
            yield from self._after(ctx, c, _EVENT_TAIL, business_only=True, conf=0.7)
        for c in ctx.hits(_INCOME):
            yield from self._after(ctx, c, _INCOME_TAIL, business_only=True, conf=0.75)
        for c in ctx.hits(_DOCUMENT):
            yield from self._after_document(ctx, c)
        for c in ctx.hits(_OCCUPATION):
            if _OCC_BEFORE.search(ctx.before(c.start, 14)):
                yield from self._after(ctx, c, _OCC_TAIL, business_only=False, conf=0.75)
        quarters = ctx.hits(_QUARTER)
        if quarters:
            yield from self._wage_rows(ctx, quarters)

    # -- the name after a cue ----------------------------------------------------------------

    def _name_at(
        self, ctx: ScanContext, pos: int, *, business_only: bool, max_desc: int = 4
    ) -> tuple[int, int] | None:
        """The employer name at ``pos``, through an article and a few lower-case words."""
        text = ctx.text
        _, limit = line_bounds(text, pos, cap=200)
        indefinite = False
        called = False
        owned = False  # "his cousin's company, X": needs the company noun and the comma
        m = _ARTICLE.match(text, pos, limit)
        if m is not None:
            indefinite = m.group(2) is not None
            # "the Rancho Seco dairy" loses its article; "Los Ranchos Auto Glass" and "El
            # Pinto" keep theirs, which is part of the name.
            if not (m.group(1) and _is_cap(text[pos]) and _is_cap(text[m.end() : m.end() + 1])):
                pos = m.end()
        for _ in range(max_desc + 1):
            end = parse_name(text, pos, limit)
            if end > pos:
                if (indefinite or owned) and not called:
                    return None
                end = _before_street(text, pos, self._trailing(text, end, limit))
                talk = partial(_employment_nearby, text, pos, end)
                ok = self._acceptable(text[pos:end], business_only, talk)
                return (pos, end) if ok else None
            w = _LOWER_WORD.match(text, pos, limit)
            if w is None:
                a = _APPOSITIVE.match(text, pos, limit)
                if a is not None and fold_word(a.group(1)) in _COMPANY_NOUNS:
                    called = True  # "his cousin's company, Summit Roofing"
                    pos = a.end()
                    continue
                return None
            word = fold_word(w.group(1))
            if word in _CALLED:
                called = True
            elif word in _POSSESSIVES:
                owned = True
            elif word in _DESC_STOP and word not in {"de", "del", "con"}:
                return None
            pos = w.end()
        return None

    def _trailing(self, text: str, end: int, limit: int) -> int:
        """Take in a lower-case business noun after the name: "the Rancho Seco dairy"."""
        if text[end : end + 1] != " ":
            return end
        m = _TRAILING_WORD.match(text, end + 1, limit)
        if m is not None and fold_word(m.group()) in _vocab()["trailing"]:
            return m.end()
        return end

    def _acceptable(
        self, name: str, business_only: bool, employment_nearby: Callable[[], bool] | None = None
    ) -> bool:
        vocab = _vocab()
        key = quick_fold(name.rstrip("."))
        if len(key) < 2 or key in vocab["places"] or key in vocab["not_employers"]:
            return False
        words = key.split()
        one_word, several = _agencies()
        if any(a in f" {key} " for a in several) or _agency_word(words, one_word, vocab):
            return False
        kinds = set(words) & (vocab["business"] | vocab["legal"] | vocab["trailing"])
        if not kinds and (any(w.isdigit() for w in words) or words[-1] in _STREET_SUFFIXES):
            return False  # "Camino Viejo 44", "Main St" are addresses
        if not business_only:
            return True
        if kinds and kinds <= vocab["ambiguous"]:
            return employment_nearby is not None and employment_nearby()
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
        text = ctx.text
        before = ctx.before(c.start, 30)
        if _not_a_worker_before(before):
            return
        verb = quick_fold(text[c.start : c.end])
        if verb == "hours" and not _HOURS_BEFORE.search(before):
            return
        if verb == "job" and not _JOB_BEFORE.search(before):
            return
        if verb == "crew" and not _CREW_BEFORE.search(before):
            return
        titled = False  # "job as X": X may be a job title
        if verb == "employed":
            preps = _PREPS_BY_VERB["employed"]
            if _SELF_EMPLOYED.search(before):
                preps = preps | {"as", "como"}
            starts = _workplace_starts(text, c.end, preps)
        elif verb in _DIRECT_VERBS:
            m = _DIRECT_TAIL.match(text, c.end, c.end + 18)
            ok = m is not None and m.group("prep").lower() in _PREPS_BY_VERB.get(
                verb, _PREPS_DEFAULT
            )
            starts = [m.end()] if m is not None and ok else []
            titled = m is not None and m.group("prep").lower() == "as"
        else:
            starts = _workplace_starts(text, c.end, _PREPS_BY_VERB.get(verb, _PREPS_DEFAULT))
        if not starts:
            yield from self._answered(ctx, c)
            yield from self._where_works(ctx, c, before)
            return
        for pos in starts:
            # the whole phrase first: "el casino de Isleta" names more than "Isleta"
            span = _workplace_phrase(text, pos) or self._name_at(ctx, pos, business_only=False)
            if span is not None and titled and _job_title(text[span[0] : span[1]]):
                return  # "his job as Assistant Manager" is the job, not where it is
            if span is not None:
                if self._worker(ctx, c):
                    yield from self._emit(ctx, span, 0.85, c)
                return
        yield from self._where_works(ctx, c, before)

    def _where_works(self, ctx: ScanContext, c: Candidate, before: str) -> Iterator[Finding]:
        """ "Met at Tortillería La Reina on 4th St where he works mornings": the place named
        before "where", in the same sentence, is the workplace. Only a business-looking name
        counts ("stays in Santa Fe where she works" names a town)."""
        w = _WHERE_BEFORE.search(before)
        if w is None:
            return
        text = ctx.text
        where = c.start - len(before) + w.start()
        s, _ = sentence(ctx, where, where)
        lo = max(s, where - 160)
        for m in reversed(list(_PLACE_PREP.finditer(text, lo, where))):
            span = self._name_at(ctx, m.end(), business_only=True, max_desc=0)
            if span is None or span[1] > where:
                continue
            if _BRANCH_GAP.fullmatch(text, span[1], where) is None:
                return  # more was said between the place and "where": not its place
            if self._worker(ctx, c):
                yield from self._emit(ctx, span, 0.75, c)
            return

    def _answered(self, ctx: ScanContext, c: Candidate) -> Iterator[Finding]:
        """The workplace given in reply to a chat question about work: "y trabaja todavía?"
        / "Pepe: si en Tortillería La Abuela". The reply is the next line, after its speaker;
        without a preposition ("yes, Walmart") only a business-looking name counts."""
        text = ctx.text
        q = _QUESTION_REST.match(text, c.end)
        if q is None or q.end() >= len(text):
            return
        ns, ne = line_bounds(text, q.end() + 1, cap=200)
        line = text[ns:ne]
        body = ns + speaker_prefix_end(line)
        lead = _ANSWER_LEAD.match(text, body, ne)
        if lead is None:
            return
        span = self._name_at(ctx, lead.end(), business_only=lead.group("prep") is None)
        if span is not None and self._about_a_person(ctx, c):
            yield from self._emit(ctx, span, 0.75, c)

    def _after_noun(self, ctx: ScanContext, c: Candidate) -> Iterator[Finding]:
        text = ctx.text
        m = _NOUN_TAIL.match(text, c.end, c.end + 20)
        pos = m.end() if m is not None else c.end
        w = _WORD.match(text, pos, pos + 30)
        if w is not None and quick_fold(w.group()) in _NOUN_LABEL_WORDS:
            return
        # Lower-case words may lead to the name only after a delimiter ("the employer, the
        # Rancho Seco dairy"); right after the noun they are a sentence going on.
        delimited = m is not None and m.group().strip() != ""
        # Right after the noun with no delimiter only "employer" itself names one
        # ("Employer Santa Teresa Cold Storage"); "Employment Security Department" does not.
        direct_ok = quick_fold(text[c.start : c.end]).split()[-1] in _DIRECT_NOUNS
        if (
            m is not None
            and m.group().strip().lower() in _PREP_DELIMITERS
            and _SEEKING.find(text, max(0, c.start - 40), c.start) is not None
        ):
            return  # "employment at X" is a job, "applied for employment at X" only a wish
        span = (
            self._name_at(ctx, pos, business_only=False, max_desc=3 if delimited else 0)
            if pos > c.end and (delimited or direct_ok)
            else None
        )
        if span is not None and text.startswith(":", span[1]):
            span = None  # "EMPLOYER PER INMATE: LA POSTA": a qualifier, the name after it
        if span is None:
            f = _NOUN_FILLER.match(text, c.end, c.end + 60) or _NOUN_QUALIFIER.match(
                text, c.end, c.end + 60
            )
            if f is not None:
                span = self._name_at(ctx, f.end(), business_only=False)
        if span is None:
            q = _NOUN_COPULA.match(text, c.end, c.end + 80)
            if q is not None:
                span = self._name_at(ctx, q.end(), business_only=False, max_desc=0)
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

    def _after_document(self, ctx: ScanContext, c: Candidate) -> Iterator[Finding]:
        """ "pay stub from X", "wage records for the last four quarters from X": the name
        after any preposition among the next few words, across a hard wrap."""
        text = ctx.text
        pos = c.end
        for _ in range(_DOC_WORDS):
            m = _DOC_WORD.match(text, pos, pos + 60)
            if m is None or text.count("\n", c.end, m.end()) > 1:
                return
            pos = m.end()
            word = m.group(1).lower()
            if word in _TAIL_STOPS:
                return
            if word in _DOC_PREPS:
                gap = _AFTER_PREP.match(text, pos)
                if gap is None:
                    continue
                span = self._name_at(ctx, gap.end(), business_only=False)
                if span is not None:
                    yield from self._emit(ctx, span, 0.75, c)
                    return

    def _after_shift(
        self, ctx: ScanContext, c: Candidate, tail: re.Pattern[str]
    ) -> Iterator[Finding]:
        """ "salgo de la planta de Cal-Maine a las 2:30", "gets off work at Walmart": the
        name of the place one leaves or reaches for work."""
        text = ctx.text
        m = tail.match(text, c.end, c.end + 50)
        if m is None:
            return
        noun = m.group("noun")
        if noun is not None and fold_word(noun) not in _WORKPLACE_NOUNS:
            return
        # English "gets off at X" without "work" must name a business ("gets off at 5").
        span = self._name_at(ctx, m.end(), business_only=noun is None)
        if span is not None and self._about_a_person(ctx, c):
            yield from self._emit(ctx, span, 0.75, c)

    def _worker(self, ctx: ScanContext, c: Candidate) -> bool:
        """Somebody does the work: "the dad works at", "Sergio ... states he works for".

        Software "works for Win32" and a plan "works for families"; a person's job needs a
        person in the clause before the verb, or a record about a person around it.
        """
        text = ctx.text
        s, _ = sentence(ctx, c.start, c.end)
        lo = max(s, c.start - 80)
        clause = text[lo : c.start]
        # Spanish leaves a third-person subject unsaid ("Trabaja en el Sonic", "y trabaja
        # en X", "dijo que iba a trabajar a X"): a person around the clause is its subject.
        unsaid = fold_word(text[c.start : c.end]) in _UNSAID_SUBJECT
        if not clause.strip(" \t>*•-:"):
            # A note that leaves the subject out ("Works at Sandia Produce."). Manuals say
            # "Works for C-like programs" too: a note needs a record around it (DOB, SSN,
            # claimant) or a named person, not just a pronoun somewhere near.
            return self._about_a_person(ctx, c, named=not unsaid)
        words = Words(text, lo, c.start)
        if person_in(words) is not None or not words.set.isdisjoint(_ROLES):
            return True
        # "Avila works at ...": a name, but only inside a record about somebody.
        if _NAME_SUBJECT.search(clause) or unsaid:
            return self._about_a_person(ctx, c)
        return False

    def _about_a_person(
        self, ctx: ScanContext, c: Candidate, reach: int = 300, *, named: bool = False
    ) -> bool:
        """A field such as "Employer:" is a disclosure only in a record about somebody."""
        text = ctx.text
        lo, hi = max(0, c.start - reach), min(len(text), c.end + reach)
        if record_marker_in(text, lo, hi) is not None:
            return True  # "DOB", "SSN", "claimant": a record, decided without tokenizing
        words = Words(text, lo, hi)
        if _PERSON_MARKERS.find_in(words):
            return True  # "date of\nbirth" across a line break
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

    def _table(self, ctx: ScanContext, table: Table) -> Iterator[Finding]:
        """Cells of a column named for the employer in a table of people."""
        text = ctx.text
        for a, b in table.cells:
            end = parse_name(text, a, b)
            if end > a and self._acceptable(text[a:end], business_only=False):
                yield Finding(CATEGORY, a, end, text[a:end], 0.85, self.id, ("table column",))


# "en la llantera de la Bridge", "at the tire shop on Isleta": the definite article makes it
# one business; "works at a dairy in Dexter" is a job description with a town.
_WORKPLACE_PHRASE = re.compile(
    r"(?i:la|el|los|las|the)[ \t]+(?P<noun>(?:[a-záéíóúñü]+[ \t]+)?[a-záéíóúñü]+)"
    r"(?:[ \t]+del?[ \t]+[a-záéíóúñü]+)?"
    r"[ \t]+(?:de|del|en|on|in|at|off|outside|near|cerca[ \t]+de)[ \t]+"
    r"(?:(?i:la|el|los|las|the)[ \t]+)?(?=[A-ZÁÉÍÓÚÑ])"
)
# Before a work verb: "... where he works", "... donde trabaja".
_WHERE_BEFORE = re.compile(
    r"\b(?:where|donde|en[ \t]+donde)[ \t]+(?:(?:he|she|él|ella|now|still|also|ya|ahora"
    r"|todavía|todavia)[ \t]+){0,2}$",
    re.IGNORECASE,
)
_PLACE_PREP = re.compile(r"\b(?:at|en|in|to|from|visited|met)[ \t]+", re.IGNORECASE)
# Between the place and "where": its street at most ("on 4th St"), a comma.
_BRANCH_GAP = re.compile(r"(?:[ \t]+(?:on|en|de|in|off)[ \t]+[^,.;:\n]{1,30}?)?[ \t]*,?[ \t]*")

# "Sonic de Riverside Dr.", "the Allsup's on Coors Blvd": the branch's street after the name.
_BRANCH_JOINT = re.compile(r" (?:de|del|on|en) ", re.IGNORECASE)


def _before_street(text: str, start: int, end: int) -> int:
    """The end of a name that runs on into its branch's street ("Sonic de Riverside Dr"
    ends before "de"); ``end`` itself when the name names no street."""
    name = text[start:end]
    last = name.rsplit(None, 1)[-1].rstrip(".")
    if fold_word(last) not in _STREET_SUFFIXES:
        return end
    joints = list(_BRANCH_JOINT.finditer(name))
    return start + joints[-1].start() if joints else end


def _workplace_starts(text: str, verb_end: int, preps: frozenset[str]) -> list[int]:
    """Where a workplace may begin after a work verb: after each preposition of ``preps``
    among the next few words of the line ("works long hours for low pay at Walmart": after
    "for" and after "at"; the name check decides), and after "and sometimes at", which goes
    on to a second workplace."""
    starts: list[int] = []
    pos = verb_end
    for _ in range(_TAIL_WORDS):
        m = _TAIL_WORD.match(text, pos, pos + 60)
        if m is None:
            break
        pos = m.end()
        word = m.group(1).lower()
        if word in _TAIL_STOPS:
            more = _COORDINATED.match(text, pos, pos + 60)
            if more is not None:
                starts.append(more.end())
            break
        if word in preps:
            gap = _AFTER_PREP.match(text, pos)
            if gap is not None:
                starts.append(gap.end())
    return starts


def _workplace_phrase(text: str, pos: int) -> tuple[int, int] | None:
    """A workplace named by what it is and where: "la llantera de la Bridge", "el laboratorio
    de Los Álamos", "the tire shop on Isleta". The noun must be a workplace
    (``workplace_nouns``) and a name must follow; the span is the whole phrase."""
    _, limit = line_bounds(text, pos, cap=200)
    m = _WORKPLACE_PHRASE.match(text, pos, limit)
    if m is None or fold_word(m.group("noun").split()[-1]) not in _WORKPLACE_NOUNS:
        return None
    end = parse_name(text, m.end(), limit)
    if end == m.end():
        return None
    key = quick_fold(text[m.end() : end])
    one_word, several = _agencies()
    if not one_word.isdisjoint(key.split()) or any(a in f" {key} " for a in several):
        return None  # "la oficina de ICE": the correspondents' own agency
    return pos, end


def _job_title(name: str) -> bool:
    """Whether a capitalized phrase is a job title ("Assistant Manager", "Head Cook")."""
    return not _TITLE_WORDS.isdisjoint(quick_fold(name).split())


def _employment_nearby(text: str, start: int, end: int) -> bool:
    """Whether the 300 characters around a name talk about work: "was at Presbyterian
    Hospital" is a job only there; elsewhere it is a patient's stay."""
    words = Words(text, max(0, start - 300), min(len(text), end + 300))
    return not words.set.isdisjoint(_EMPLOYMENT_WORDS) or "laid off" in words.padded
