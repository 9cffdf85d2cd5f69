"""The context engine shared by the protected-status categories.

A status word is a disclosure only where the text states it OF A PERSON (LABELING.md):
"Mr. Ruiz is a DACA recipient" is one, "Our office no longer answers questions about DACA
status" is not. The prefilter finds every lexicon phrase in one pass; for each candidate
this module looks at the sentence around it and decides, in order:

1. **Quick rejections** - glued to a longer word, or followed/preceded by a word that makes
   it a thing rather than a status ("Catholic Charities", "disability insurance").
2. **Kills** - the sentence is a question, a hypothetical ("if the applicant is
   undocumented"), a prohibition ("do not ask whether..."), names a topic ("questions about
   DACA status"), sits in an FAQ question or a blank form, or is negated ("is not
   homeless"; for immigration a negation is itself the status: "not a citizen").
3. **Binding tiers** - how the phrase is tied to a specific person:

   - *A, bound* (0.9): person + disclosure verb right before the phrase ("she is
     transgender", "Los dos reciben cupones"), a possessive ("her HIV medication",
     "Mr. Aranda's same-sex partner"), a phrase with its own verb and a person in the
     clause ("he sleeps in his car"), or a person after it ("a detainer on Rosales").
   - *B, record* (0.8): a field of a case record - "Class: LPR", a table row holding a
     name or a date of birth, a list item under a person's name.
   - *C, near* (0.65): a specific person in the clause and case-record cues nearby, and no
     policy vocabulary in the sentence.

   Generic subjects ("applicants", "households", "a member who...") and statistics never
   bind. Weak terms ("gay", "deaf", "refugee") need tier A or B.
4. **Document signals** - memos, notices, newsletters and mailing-list posts (memo cues and
   no record cues nearby) lose confidence and cannot use tier C.

How it stays cheap
------------------
Most of that decision depends on the sentence alone, and sentences repeat: signatures,
disclaimers, quoted replies, newsletter boilerplate, the same statistic in every bulletin.
So each candidate is judged in two steps:

- :meth:`CategoryRules.analyse` reads only the sentence (its text, the candidate's offsets
  in it and the character that ends it) and returns the binding :class:`Option` s in the
  order the tiers above try them. An option either holds on the sentence alone or carries
  a small *check*: a question about the text around the sentence ("is a person named in
  the 300 characters before?", "are there case-record cues within 700 characters?", "is
  this a table row?"). The analysis is memoized per sentence, across texts.
- :meth:`CategoryRules.decide` walks the options and asks the checks of the document
  (:class:`DocView`), only until one holds. The document's answers are computed on first
  question and cached per text: record and memo cues are found by two small pattern sets
  in chunks around the questions (1 KB for record cues, 8 KB for memo cues), never over a
  text without candidates, and the lines and sentences a check reads are found with
  ``str.find`` rather than by patterns tried at every character. A candidate with no end
  mark between it and the cell separators or line ends around it (a table cell, a record
  field) skips the sentence search altogether (:func:`unmarked_span`).

:meth:`CategoryRules.judge` keeps a second memo: the sentence (bounds and analysis) by the
text right around the candidate, filled only when everything that decided the bounds lies
inside that window (:func:`sentence_span` reports what it read), so that a sentence that
recurs costs a dictionary lookup.

Python's ``re`` tries an alternation at every character and matches IGNORECASE several
times slower: the hot patterns are tried only where they can start (person references at
words, clause separators at their characters, "not preceded by" phrases by their last
word) and word lists are matched on the lower-cased text (:class:`Lowered`).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.lexicon import (
    CategoryLexicon,
    ContextCues,
    Kind,
    Term,
    TermIndex,
    at_word_boundary,
    compile_phrase,
    context_cues,
    expand_phrase,
    places,
    word_list_regex,
)
from resguardo.detect.patterns import Candidate, PatternSet, PatternSpec
from resguardo.detect.statuses.logs import (
    LOG_KEY,
    log_field_value,
    log_line_start,
    log_negated,
    log_roles,
    log_view,
)

__all__ = [
    "CONF_BOUND",
    "CONF_NEAR",
    "CONF_RECORD",
    "DOC_KEY",
    "HOLDS",
    "MIN_CONFIDENCE",
    "PRO_DROP_VERBS",
    "CategoryRules",
    "Check",
    "Clause",
    "CuePatterns",
    "CueSet",
    "DocView",
    "Extra",
    "Hit",
    "Judgement",
    "Lowered",
    "Option",
    "sentence_bounds",
    "subjectless",
]

CONF_BOUND = 0.9
CONF_RECORD = 0.8
CONF_NEAR = 0.65
MIN_CONFIDENCE = 0.5

# Periods after these do not end a sentence ("Mr. Ruiz", "U.S. citizen", "f. nac.").
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr sr sra srta sto sta st jr no nos vs etc inc co corp ave av blvd rd
    apt ste dept gov gen lt sgt capt det ofc approx est u.s us a.m p.m am pm e.g i.e eg
    ie ph f nac fec cf fig vol ft mt jan feb mar apr jun jul aug sep sept oct nov dec
    tel ext dob d.o.b lic pob cob no. cd col edo mpio pto gral cda
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_SENTENCE_LIMIT = 300


def sentence_bounds(
    text: str, start: int, end: int, limit: int = _SENTENCE_LIMIT, *, marks: str = ".!?"
) -> tuple[int, int]:
    """The sentence around ``[start, end)``: up to '.', '!', '?' or a newline, skipping the
    periods of abbreviations, initials and numbers, or the cell of a table row (between
    '|' or tabs). ``limit`` caps the look each way.

    ``marks`` may leave out the end marks the text is known not to hold (most texts have
    no '!' or '?'), which spares their searches.
    """
    ss, se, _, _ = sentence_span(text, start, end, limit, marks=marks)
    return ss, se


def sentence_span(
    text: str, start: int, end: int, limit: int = _SENTENCE_LIMIT, *, marks: str = ".!?"
) -> tuple[int, int, int, int]:
    """:func:`sentence_bounds`, and the stretch of text the answer was read from.

    Every character that decided the bounds lies in ``[read_lo, read_hi)``: another text
    with the same characters there around its candidate has the same sentence (see
    :meth:`CategoryRules.judge`). End marks are looked for nearest first, and a newline only
    between the nearest mark and the candidate, so that the stretch stays short.
    """
    n = len(text)
    one = len(marks) == 1
    floor = start - limit if start > limit else 0
    read_lo = start
    wrap_hi = end
    pos = start
    while True:
        if one:
            i = text.rfind(".", floor, pos)
            scanned = i if i >= 0 else floor
        else:
            found = [text.rfind(c, floor, pos) for c in marks]
            i = max(found)
            # a mark not found was looked for as far back as the floor
            scanned = min(found)
            if scanned < 0:
                scanned = floor
        nl = text.rfind("\n", i if i > floor else floor, pos)
        if nl >= 0:
            wrap, lo_read, hi_read = _wrapped(text, nl)
            if lo_read < read_lo:
                read_lo = lo_read
            if hi_read > wrap_hi:
                wrap_hi = hi_read
            if wrap and nl > floor:
                pos = nl  # a wrapped line: the sentence goes on above
                continue
            ss = nl + 1
            if nl < read_lo:
                read_lo = nl
            break
        if scanned < read_lo:
            read_lo = scanned
        if i < 0:
            ss = floor
            break
        if text[i] != ".":
            ss = i + 1
            break
        ok, lo_read, _ = _ends_sentence_read(text, i)
        if lo_read < read_lo:
            read_lo = lo_read
        if ok:
            ss = i + 1
            break
        pos = i
    ceil = end + limit if end + limit < n else n
    read_hi = wrap_hi
    pos = end
    while True:
        if one:
            i = text.find(".", pos, ceil)
            scanned = i if i >= 0 else ceil
        else:
            found = [text.find(c, pos, ceil) for c in marks]
            hits = [f for f in found if f >= 0]
            i = min(hits) if hits else -1
            scanned = ceil if len(hits) < len(found) else max(hits)
        nl = text.find("\n", pos, i if i >= 0 else ceil)
        if nl >= 0:
            wrap, lo_read, hi_read = _wrapped(text, nl)
            if lo_read < read_lo:
                read_lo = lo_read
            if hi_read > read_hi:
                read_hi = hi_read
            if wrap and nl + 1 < ceil:
                pos = nl + 1  # a wrapped line: the sentence goes on below
                continue
            se = nl
            if nl >= read_hi:
                read_hi = nl + 1
            break
        if scanned >= read_hi:
            read_hi = scanned + 1
        if i < 0:
            se = ceil
            break
        if text[i] != ".":
            if i + 2 > read_hi:
                read_hi = i + 2
            if i + 1 >= n or text[i + 1] in " \n\t\r\"”'":
                se = i
                break
            pos = i + 1
            continue
        ok, lo_read, hi_read = _ends_sentence_read(text, i)
        if lo_read < read_lo:
            read_lo = lo_read
        if hi_read > read_hi:
            read_hi = hi_read
        if ok:
            se = i
            break
        pos = i + 1
    # A table cell is a sentence of its own: "| Medicaid |" says nothing with the next cell,
    # and the rows of a table then share their cells' analyses.
    bar = max(text.rfind("|", ss, start), text.rfind("\t", ss, start))
    if bar >= 0:
        ss = bar + 1
    found = [f for f in (text.find("|", end, se), text.find("\t", end, se)) if f >= 0]
    if found:
        se = min(found)
        if se >= read_hi:
            read_hi = se + 1
    return ss, se, read_lo, read_hi if read_hi < n else n


# A wrapped line: the words that leave a line wanting more (context.yaml), the quote marks
# and indentation a reply or a log puts before each line, and what opens a line of its own
# (a list item, a "Label:" field) rather than the rest of a sentence.
_WRAP_CONTINUERS = frozenset(w.lower() for w in context_cues()["wrap_continuers"])
_LINE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]*)*")
_OWN_LINE_OPEN = re.compile(r"(?:[-*•]|\d{1,3}[.)])\s|[^\W\d][\w ./#()'’\-]{0,30}:(?:\s|$)")
_WRAP_MIN_LINE = 20  # shorter lines are headings, labels or names, not wrapped prose
_QUOTE_BREAK = re.compile(r"\n[ \t]*(?:>[ \t]*)*")


def _wrapped(text: str, nl: int) -> tuple[bool, int, int]:
    """Whether the newline at ``text[nl]`` wraps a sentence rather than ending it, and the
    stretch ``[lo, hi)`` of text the answer was read from.

    Hard-wrapped prose and quoted replies break sentences at arbitrary words ("The family
    came as refugees from\n> Afghanistan"). The break wraps when the line before it ends
    with no end mark, in a comma or a word that wants more (a preposition, an article, a
    verb: ``wrap_continuers``) or before a lower-case word, both lines carry the same quote
    depth, and neither is a table row, a list item, a field or a header. Most line ends
    fail on their last character, which keeps this cheap on the hot path.
    """
    p = nl - 1
    while p >= 0 and text[p] in " \t\r":
        p -= 1
    if p < 0:
        return False, 0, nl + 1
    c = text[p]
    if not (c.isalnum() or c == ","):
        return False, p, nl + 1  # an end mark, a colon, a closing bracket...
    n = len(text)
    nm = _LINE_PREFIX.match(text, nl + 1)
    q = nm.end() if nm is not None else nl + 1
    if q >= n:
        return False, p, n
    first = text[q]
    if c != ",":
        j = p
        while j > 0 and text[j - 1].isalnum():
            j -= 1
        if not first.islower() and text[j : p + 1].lower() not in _WRAP_CONTINUERS:
            return False, j - 1 if j > 0 else 0, q + 1
    if not first.isalnum() or _OWN_LINE_OPEN.match(text, q):
        return False, p, min(n, q + 40)
    ls = text.rfind("\n", 0, p) + 1
    lo = ls - 1 if ls > 0 else 0
    le = text.find("\n", q)
    hi = le if le >= 0 else n
    pm = _LINE_PREFIX.match(text, ls)
    body = pm.end() if pm is not None else ls
    prev = text[body : p + 1]
    nxt = text[q:hi]
    wraps = (
        len(prev) >= _WRAP_MIN_LINE
        and text.count(">", ls, body) == text.count(">", nl + 1, q)
        and not any(sep in prev or sep in nxt for sep in ("|", "\t", "   "))
        # an address or a list of fields holds commas; a long line of prose that ends in a
        # comma ("shall not disclose any client's status, citizenship,") goes on below
        and (prev.count(",") < 3 or (c == "," and len(prev) >= 60))
        and _HEADER_LABEL.match(prev) is None
    )
    return wraps, lo, hi + 1 if hi < n else n


def unwrap_quotes(raw: str) -> str:
    """``raw`` with each line break and the quote marks after it turned into spaces, so that
    a sentence joined across wrapped lines (:func:`_wrapped`) reads as one line; offsets do
    not move."""
    return _QUOTE_BREAK.sub(lambda m: " " * len(m.group()), raw)


# What ends a sentence or a table cell: an end mark, a newline, a cell separator.
_BREAK = re.compile(r"[.!?\n|\t]")
# ... the last one in a stretch (greedy, so the match ends right after it)
_LAST_BREAK = re.compile(r"(?s).*[.!?\n|\t]")


def unmarked_span(
    text: str, start: int, end: int, limit: int = _SENTENCE_LIMIT
) -> tuple[int, int, int, int] | None:
    """:func:`sentence_span` of a span with no end mark between it and the nearest cell
    separator ('|', tab) or line end on each side, or None when there is one.

    Then the general search would stop at those separators or line ends whatever it found
    further out, so only the stretch between them is read: a table cell, a record field
    or a heading costs two pattern searches rather than a look for the sentence ends
    around it (and the abbreviation tests of every period on the way).
    """
    floor = start - limit if start > limit else 0
    m = _LAST_BREAK.match(text, floor, start)
    n = len(text)
    # what decided the bounds: the breaks themselves, and what a wrap test read
    read_lo, read_hi = start, end
    if m is not None:
        lo = m.end() - 1
        if text[lo] in ".!?":
            return None
        read_lo = lo
        if text[lo] == "\n":
            wrap, w_lo, w_hi = _wrapped(text, lo)
            if wrap:
                return None  # the sentence goes on above the line
            read_lo, read_hi = min(read_lo, w_lo), max(read_hi, w_hi)
    elif floor == 0 and start < limit:
        lo = -1  # the start of the text
        read_lo = 0
    else:
        return None
    m = _BREAK.search(text, end, end + limit)
    if m is not None:
        se = m.start()
        if text[se] in ".!?":
            return None
        read_hi = max(read_hi, se + 1)
        if text[se] == "\n":
            wrap, w_lo, w_hi = _wrapped(text, se)
            if wrap:
                return None  # the sentence goes on below the line
            read_lo, read_hi = min(read_lo, w_lo), max(read_hi, w_hi)
    elif n <= end + limit:
        se = n  # the end of the text
        read_hi = n
    else:
        return None
    return lo + 1, se, read_lo, read_hi if read_hi < n else n


def _ends_sentence(text: str, i: int) -> bool:
    """Whether the period at ``text[i]`` ends a sentence."""
    return _ends_sentence_read(text, i)[0]


def _ends_sentence_read(text: str, i: int) -> tuple[bool, int, int]:
    """:func:`_ends_sentence`, and the stretch ``[lo, hi)`` of text it read."""
    n = len(text)
    nxt = text[i + 1] if i + 1 < n else " "
    if nxt not in " \n\t\r\"”')":
        return False, i, i + 2  # "3.5", "U.S.A", "a.m."
    if i > 0 and text[i - 1] == ".":
        return False, i - 1, i + 2  # dotted leaders: "Country of birth ........ Mexico"
    lo = max(0, i - 7)
    # Abbreviations are short: a word of 7 letters or more before the period is none.
    if i < 7 or not text[i - 7 : i].isalpha():
        j = i
        while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
            j -= 1
        lo = min(lo, max(0, j - 1))
        word = text[j:i].lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and text[i - 1].isupper()):
            return False, lo, i + 2
    # A lowercase word after the period continues the sentence, unless it is a word that
    # opens sentences in informal writing ("i didnt tell her. also he has a green card").
    k = i + 1
    while k < n and text[k] in " \t":
        k += 1
    if k < n and text[k].islower():
        m = _WORD_AT.match(text, k)
        word = m.group() if m is not None else ""
        return word in _LOWER_OPENERS, lo, k + len(word) + 1
    return True, lo, k + 1


# What opens a prohibition's complement after a comma ("do not ask, ever, whether ...").
_COMPLEMENT_OPEN = re.compile(
    r"(?i)\s*(?:that|whether|if|about|que|si|sobre|acerca|de|for|para|or|o|and|y)\b"
)
# "your Medicaid", "Your application for", "su solicitud de": the reader's own.
_YOUR_TAIL = re.compile(
    r"(?i)(?<![\w'’])(?:your|su|sus)\s+(?:[\w\-]+\s+){0,3}?"
    r"(?:(?:application|request|renewal|case|benefits?|eligibility|enrollment|coverage|"
    r"solicitud|renovación|caso|beneficios|elegibilidad|cobertura)\s+(?:for|of|to|de|del|"
    r"para|en)\s+(?:the\s+|el\s+|la\s+)?)?$"
)
_WORD_AT = re.compile(r"[\w'’]+")
# Words that open a sentence written all in lower case (chats, texts, quick notes): after a
# period, they start a new sentence rather than continue an abbreviation's.
_LOWER_OPENERS = frozenset(
    """
    i i'm im i've ive he she they we you it he's hes she's shes they're theyre we're it's its
    that's thats there's theres his her their our my also so ok okay what why how when where
    who can could should do does did is are was were please thanks anyway btw idk yo él ella
    ellos ellas nosotros también tambien pero ya entonces qué que cómo como dónde donde
    cuándo puedo puede pueden no sí si bueno
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# "Medicaid active.", "SNAP (approved 03/2019)": a status field written as a fragment.
_STATUS_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,30}\)\s*)?(?:(?i:is|was)\s+)?(?i:active|pending|approved|open|current|"
    r"ongoing|denied|terminated|closed|renewed|member since|since (?:19|20)\d\d|activo|activa|"
    r"aprobado|aprobada|vigente|pendiente)\b"
)

# "The record shows...", "His application lists...", "El expediente dice...".
_RECORD_SUBJECT = re.compile(
    r"(?i)\b(?:the|his|her|their|this|that|our|el|su|la)\s+(?:\w+\s+)?(?:record|records|file|"
    r"application|chart|case file|case notes|notes|system|screen|printout|sav[e]? response|"
    r"save check|save result|i-9|form|registration|expediente|registro|solicitud|archivo)"
    r"(?:\s+(?:also|still|now|only))?\s*$"
)

# Record labels that name a status field.
_FIELD_LABEL = re.compile(
    r"(?i)^\s*(?:[-*•>]\s*)?[\w ./#()]{0,20}\b(?:status|class|category|save|citizenship|"
    r"immigration|lawful presence|lp doc|benefits?|programs?|eligibility|diagnosis|dx|"
    r"conditions?|disability|religion|faith|housing|living situation|residence type|"
    r"nationality|country|birth|pob|cob|gender|sex|orientation|victim|estatus|beneficios|"
    r"diagn[oó]stico|religi[oó]n|vivienda|nacionalidad|pa[ií]s)\b[\w ./#()]{0,20}(?::|\.{3,})"
)

# Email header lines: "Subject: foreign born - ABQ district" is a title, not a record field.
_HEADER_LABEL = re.compile(
    r"(?i)^\s*(?:subject|asunto|from|de|to|para|cc|date|fecha|sent|enviado|re|fw|fwd)\s*:"
)

# Spanish verbs whose unexpressed subject is a specific person: third person singular and
# plural ("Es hondureña", "Reciben cupones") and first person ("Soy indocumentada", "Ya
# metí la solicitud"): the writer of a message is as specific as anyone. Clitics stand for
# the verb that follows them ("le dio un derrame", "se queda en el albergue").
PRO_DROP_VERBS = frozenset(
    """
    es está era estaba fue son están eran fueron tiene tenía tienen tenían tuvo recibe
    reciben recibía recibían recibió vive viven vivía duerme dormía sufre sufría padece
    padecía nació llegó vino va iba asiste asistía usa utiliza se queda se quedaba
    soy estoy estuve somos estamos estábamos fuimos tengo tuve tenemos recibo recibí
    recibimos vivo viví vivimos duermo dormí dormimos sufro padezco uso usamos nací
    llegué llegamos vine vinimos voy vamos asisto metí metimos apliqué aplicamos solicité
    solicitamos pedí pedimos metió aplicó solicitó pidió estuvo anda andaba ando sigue
    sigo durmió durmiendo viviendo estuvieron le me nos lo la los las
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# The bare copulas: a weak term right after one says what the subject is ("Rodrigo is gay").
_PLAIN_COPULAS = frozenset(["is", "was", "es", "era", "fue"])
# The verbs a phrase may open with ("has an IEP", "sleeps in his car", "vive en su carro"):
# after a lone capitalized word, such a phrase makes that word its subject.
_OWN_VERB_STARTS = frozenset(
    """
    has had gets got uses used receives received lives lived sleeps slept stays stayed
    tiene tenía usa usaba recibe recibía vive vivía duerme dormía se
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# A singular verb after a clause's subject ("Wendy is from Honduras, attends ..."): one
# person, where "Volunteers are welcome" names a group.
_SINGULAR_VERB = re.compile(r"\s+(?:is|was|has|had|lives|works|es|era|fue|tiene|vive|trabaja)\b")
_COPULAS = frozenset(
    [
        "es",
        "son",
        "era",
        "eran",
        "fue",
        "fueron",
        "soy",
        "somos",
        "está",
        "están",
        "estoy",
        "estamos",
    ]
)

# A clause opening that leaves the subject unsaid: adverbs only ("Ya metí...", "También
# es...", "Also gets SNAP"), or a report of what someone said ("Me dijo que es
# indocumentado", "Dice que es de Fresnillo", "Says is homeless").
_FRAME_VERBS = (
    "dice|dijo|dicen|dijeron|comenta|comentó|cuenta|contó|explica|explicó|menciona|"
    "mencionó|afirma|afirmó|asegura|aseguró|reporta|reportó|indica|indicó|informa|informó|"
    "admite|admitió|confirma|confirmó|declara|declaró|manifiesta|manifestó|refiere|refirió|"
    "says|said|states|stated|reports|reported|claims|claimed|admits|admitted|confirms|"
    "confirmed|told (?:me|us|staff|the officer)"
)
_ZONE_ADVERBS = (
    "ya|también|tambien|todavía|todavia|aún|aun|ahora|ahorita|actualmente|antes|hoy|"
    "ahora mismo|al parecer|parece que|creo que|also|still|now|currently|already|"
    "apparently|reportedly|recently|previously|originally|and|y|pero|but"
)
# A chat line's speaker and time ("Roybal, Ernest (P&P) 08:05: es cubano"): the one who
# writes, not the subject of what follows.
_CHAT_SPEAKER = (
    r"(?:[^\n:]{1,60}?\d{1,2}:\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?\s*[:\-–—]\s*"
    r"|\[[^\]\n]{1,30}\]\s*(?:[^\n:]{1,40}:\s*)?)?"
)
_SUBJECTLESS = re.compile(
    rf"(?i){_CHAT_SPEAKER}\s*(?:[-*•>]\s*)?(?:(?:{_ZONE_ADVERBS})[\s,]+)*"
    rf"(?:(?:(?:me|nos|le|les|te)\s+)?(?:{_FRAME_VERBS})(?:\s+(?:que|that))?\s*)?"
)


def subjectless(zone: str) -> bool:
    """Whether a clause's subject zone leaves the subject unsaid (see _SUBJECTLESS)."""
    return not zone.strip() or bool(_BULLET_ONLY.fullmatch(zone) or _SUBJECTLESS.fullmatch(zone))


# "Probationer Diaz: openly gay", "Sra. Lucero - católica": a note line whose label is a
# person and whose value is the status.
_CLOSE_PAREN = re.compile(r"\s*\)")
_PERSON_LABEL = re.compile(r"\s*(?:[-*•>]\s*)?(?P<label>[^:\n|]{2,40}?)\s*(?::|\s[-–—])\s*")


# After a "su/sus" or "los/las" subject, a statement of what such people may do is about
# people in general: "Sus hijos ciudadanos pueden recibir WIC" (your children, anyone's),
# "Los padres indocumentados pueden solicitar Medicaid para sus hijos".
_ELIGIBLE_AFTER = re.compile(
    r"(?i)\b(?:pueden|puede|podrán|podrian|podrían|podría|califican|califica|tienen derecho|"
    r"tiene derecho|son elegibles|es elegible|deben|debe|can|may|could|are eligible|"
    r"is eligible|qualify|qualifies)\b"
)
_SPANISH_GENERIC_DET = re.compile(r"(?i)(?:su|sus|los|las)\b")
# A noun phrase that may be a clause's subject: "la gente", "the shelter", "un señor".
_SUBJECT_NP = re.compile(
    r"(?i)\b(?:el|la|los|las|un|una|unos|unas|este|esta|estos|estas|ese|esa|esos|esas|"
    r"mucha|muchas|muchos|mucho|la gente|the|a|an|this|these|those|many|some)\s+\w"
)
_SPANISH_PLURAL_NP = re.compile(r"(?i)\b(?:los|las|sus|estos|estas|esos|esas)\s+\w+")
# "Es católica la mayoría de...": the subject follows the verb, it is no pro-drop.
_SUBJECT_AFTER = re.compile(r"(?i)\s+(?:la|el|los|las|un|una|este|esta|esa|ese)\s")

_FORM_LINE = re.compile(r"\[\s?\]|\[[xX✓]\]|_{4,}|\bY/N\b|\(yes/no\)|\bsí/no\b|□|☐")


def _form_hint(line: str) -> bool:
    """Whether ``line`` holds what every :data:`_FORM_LINE` mark holds: substring tests
    cost far less than the alternation (and, spelled out, than a loop over the hints)."""
    return (
        "[" in line or "____" in line or "/N" in line or "/no" in line or "□" in line or "☐" in line
    )


_USTED = re.compile(r"(?i)\b(?:usted|ustedes|you|your)\b")

_CLAUSE_SEPARATORS = re.compile(r";|\s--?\s|\s[–—]\s|\s-\s|\|| • |\t|:\s(?=[A-Z¿])")
_SEPARATOR_CHAR = re.compile(r"[;|\t:\-–—•]")
_UPPER = "A-ZÁÉÍÓÚÑÜ"
_LOWER = "a-záéíóúñü"

# Capitalized words that start sentences or name things, not people.
# Words that make a capitalized sequence a place or an organization, not a person.
_ORG_WORDS = frozenset(
    """
    street st avenue ave road rd drive dr boulevard blvd lane ln court ct way place pl
    circle loop trail county city town village state states national federal department
    dept division office bureau agency center centre shelter church chapel parish school
    university college program services service clinic hospital health community pantry
    house plaza park hall foundation charities legal immigration public court courthouse
    district north south east west new nuevo nueva las los santa san el la rio valle
    valley mission mesa sandia mountain market inc llc corp company foods produce
    restaurant secretary governor committee council board team unit academy institute
    association coalition network project fund bank care medicaid medicare security
    social emergency medical aliens housing authority works workforce solutions motor
    vehicle taxation revenue human corrections probation parole division station airport
    library museum center iglesia parroquia capilla templo mezquita assistance
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# The head words of a title-case name a role noun may open ("the Employee Assistance
# Program", "the Client Services Office", "the Resident Council"): an office, not a person.
_TITLE_ORG_HEADS = _ORG_WORDS | frozenset(
    """
    assistance services handbook portal plan benefits hotline line resources relations
    rights advocate advocacy ombudsman compensation orientation survey
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_TITLE_WORDS = re.compile(rf"(?:\s+[{_UPPER}][\w'’\-]*){{1,3}}")


def _titled_org(text: str, m: re.Match[str]) -> bool:
    """Whether a role reference ("The Employee") is the start of a capitalized office or
    program name: its capitalized role noun runs on into title-case words that end in an
    office word ("The Employee Assistance Program")."""
    val = m.group()
    k = len(val.rstrip())
    j = val.rfind(" ", 0, k) + 1
    if not val[j : j + 1].isupper() or val[j:k].isupper():
        return False
    t = _TITLE_WORDS.match(text, m.end())
    return t is not None and any(w.lower() in _TITLE_ORG_HEADS for w in t.group().split())


_NOT_NAMES = frozenset(
    """
    the a an this that these those it its there here what which who whom whose when
    where why how if whether and or but so because since while although though also
    still now then yes no not none all any each every some most many much more few both
    either neither everyone everybody someone somebody anyone anybody nobody nothing
    something staff customers applicants people households children members clients
    residents refugees immigrants families parents students workers employees officers
    agents citizens noncitizens participants recipients persons individuals veterans
    women men medicaid medicare snap tanf wic daca tps ice hsi cbp uscis dhs mvd dws hsd
    isd doh nmcd ppd ogc fbi irs ssa hud usda acs faq dob ssn itin ead lpr ssi nm usa us
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december today tomorrow
    yesterday please thanks thank hi hello dear re fw fwd subject from to cc date sent
    note notes per as at in on for with by of about after before during el la los las un
    una unos unas este esta estos estas ese esa lo le les su sus él ella ellos ellas sí
    también pero porque cuando donde como lunes martes miércoles jueves viernes sábado
    domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre
    noviembre diciembre hoy mañana ayer gracias hola estimado estimada saludos
    es era son fue está están estaba tiene tienen tenía vive viven dice dijo hay según
    nació llegó vino ya
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_ACRONYM_STOP = frozenset(
    """
    SNAP TANF WIC SSI DACA TPS ICE HSI CBP USCIS DHS MVD DWS HSD ISD DOH NMCD PPD OGC
    FBI IRS SSA HUD USDA ACS FAQ DOB SSN ITIN EAD LPR NM USA DL ID VIN CSV PDF HTML EBT
    LIHEAP CHIP EMSA RESEA UI MDC DA DV HIV AIDS PTSD ADHD OCD TBI ASL SA RE FW FWD CC
    BCC AM PM DOC RCPT ADDR LP NO NBR NUM CAT SUBJ INFO TEL FAX APT STE PO BOX CALLE NE
    NW SE SW MEMORANDUM NOTICE FROM DATE TO EST CDT MDT MST PST PDT EDT UTC GMT ATTN
    URGENT
    """.split()  # noqa: SIM905 - a word list reads better as text
)


class Hit:
    """A prefilter candidate resolved to its lexicon term (a plain slotted class: one is
    made per candidate, and a frozen dataclass costs several times more to build)."""

    __slots__ = ("end", "start", "term")

    def __init__(self, term: Term, start: int, end: int) -> None:
        self.term = term
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Hit({self.term.phrase!r}, {self.start}, {self.end})"


@dataclass(slots=True)
class Judgement:
    """A decision to raise a finding: span, confidence and the evidence used."""

    start: int
    end: int
    confidence: float
    evidence: tuple[str, ...] = ()


# ------------------------------------------------------------------------ document cues

# Case-record cues ("is there a case record near here?") and memo cues ("is this a memo,
# a notice, a newsletter?"). They are NOT prefilter patterns: dates, SSN shapes and words
# such as "training" occur thousands of times per MB of ordinary mail, and matching them
# in every text would cost more than the rest of the family. :class:`DocView` finds them
# on first question, in chunks around the candidate that asks.
_RECORD_CUES: tuple[tuple[str, bool], ...] = (
    (
        r"\b(?:DOB|D\.O\.B|[Dd]ate of [Bb]irth|[Bb]irth ?[Dd]ate|[Ff]echa de [Nn]acimiento"
        r"|[Ff]\. ?[Nn]ac)\b",
        False,
    ),
    (r"\b(?:EAC|WAC|LIN|SRC|NBC|MSC|IOE|YSC)\d{10}\b", False),
    (r"\b(?:Mr|Mrs|Ms|Sr|Sra|Srta)\.? [A-Z][a-z]", False),
    # a record's name field: "NAME: OYELARAN, ADEBAYO", "Nombre: Ana Ruiz" (no blank after)
    (
        r"(?:^|\n)[ \t]*(?:NAME|Name|NOMBRE|Nombre|CLIENT NAME|Client name)[ \t]*:"
        r"[ \t]*[A-ZÁÉÍÓÚÑ]",
        False,
    ),
    (
        r"\b(?:the|your|this|our) (?:subject|client|claimant|defendant|offender|probationer"
        r"|parolee|inmate|detainee|applicant|household|member|customer|patient|participant)\b",
        True,
    ),
    (
        r"\b(?:el|la|su|este|esta) (?:sujeto|cliente|solicitante|acusad[oa]|participante"
        r"|paciente|señora?|esposa?|muchach[oa])\b",
        True,
    ),
    (r"\b(?:case|caseload|file|docket|booking|claim) ?(?:#|no\.?|number|nbr)", True),
    (
        r"\b(?:caseworker|case manager|probation officer|parole officer|intake|assessment"
        r"|case note|chart|expediente|caso)\b",
        True,
    ),
)

# Record cues without a literal to anchor on: dates, SSN and A-number shapes, "First LAST"
# and "LAST, First" names, street addresses. Their matches may overlap ("MORALES GARCIA,
# Ines" starts a match at each surname); overlapping ones count once.
_SHAPE_RECORD_CUES = (
    r"\b\d{1,2}[/-]\d{1,2}[/-](?:19|20)?\d\d\b"
    r"|\b\d{3}-\d{2}-\d{4}\b"
    r"|\bA ?[#-]? ?\d{3}[ -]?\d{3}[ -]?\d{3}\b"
    r"|\b[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+ [A-ZÁÉÍÓÚÑ]{3,}(?:[ -][A-ZÁÉÍÓÚÑ]{2,})*\b"
    r"|\b[A-ZÁÉÍÓÚÑ]{3,}(?: [A-ZÁÉÍÓÚÑ]{2,})*, [A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\b"
    r"|\b\d{2,5} (?:[NSEW] )?[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:St|Ave|Rd|Dr|Blvd|Ln|Ct|Way|Pl|Cir"
    r"|Loop|Trl|Street|Avenue|Road|Drive|Lane)\b"
    r"|\b\d{2,5} Calle\b"
)

_MEMO_EXTRA: tuple[str, ...] = (
    r"(?:^|\n)\s*(?:Q|P|Pregunta)\s?[:.]\s",
    r"(?:^|\n)\s*(?:MEMO(?:RANDUM)?|PUBLIC NOTICE|NOTICE|AVISO|BULLETIN|NEWSLETTER|MINUTES"
    r"|INVOICE)\b",
    r"https?://",
    r"\bwww\.",
    r"\d(?:\.\d)? ?%",
)

_CAPS_RUN = re.compile(r"[A-Z]{2,}")
# See CueSet._references: a capitalized word followed by another one.
_CAPITAL_NEXT = re.compile(rf"[\w'’\-]*\s+(?:(?:de|del|la)\s+)*[{_UPPER}]")
# An initial before a surname ("D. Mason"): see the "name" person branch.
_INITIAL_NEXT = re.compile(rf"[{_UPPER}]\.[ ]?[{_UPPER}][{_LOWER}]")
_ONE_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz,;")


def _digit_shapes(rx: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A pattern of digit shapes, and the same with ``[0-9]`` for ``\\d`` for ASCII
    texts (second): the same matches there, and Python's re tests a range faster than the
    Unicode digit category at every character it skips."""
    return re.compile(rx), re.compile(rx.replace(r"\d", "[0-9]"))


# Two of the shapes above (a date, an SSN), written to start with a digit class so that
# Python's re skips to digits fast; the caller checks the word boundary before the match.
_DATE_OR_SSN = _digit_shapes(r"\d(?:\d?[/-]\d\d?[/-](?:19|20)?\d\d|\d\d-\d\d-\d{4})\b")
# CueSet.record_line's date and SSN shapes, written likewise.
_ROW_DATE_OR_SSN = _digit_shapes(r"\d(?:\d?/\d\d?/\d{2,4}|\d\d-\d\d-\d{4})\b")
_TOKEN = re.compile(r"\w+")

# Cues are found chunk by chunk, on first question. Record questions look 700 characters
# back and 300 ahead, memo questions 4000 each way; record cues are dense in records (a date
# or a name per line), memo cues sparse. So each has its own pattern set and chunk size.
# A chunk's scan reads _CUE_MARGIN past its edges, so that a cue across an edge is seen
# whole; only cues starting inside the chunk are kept.
_RECORD_CHUNK = 1024
_MEMO_CHUNK = 8192
_CUE_MARGIN = 100


class CuePatterns:
    """The record cues and the memo cues, each as a small pattern set matched by chunks."""

    _SHAPES = "statuses.cue.shape"

    def __init__(self, memo_words: Sequence[str]) -> None:
        record = [
            PatternSpec(key=f"statuses.cue.record.{i}", regex=rx, caseless=caseless)
            for i, (rx, caseless) in enumerate(_RECORD_CUES)
        ]
        record.append(PatternSpec(key=self._SHAPES, regex=_SHAPE_RECORD_CUES))
        self.record = PatternSet(record)
        # sorted: the pattern text keys the compiled-database cache, so it must not vary
        memo_alt = "(?:" + "|".join(sorted({compile_phrase(w) for w in memo_words})) + ")"
        self.memo = PatternSet(
            [
                PatternSpec(key=f"statuses.cue.memo.{i}", regex=rx, caseless=i == 0)
                for i, rx in enumerate((memo_alt, *_MEMO_EXTRA))
            ]
        )

    @staticmethod
    def _window(text: str, chunk: int, size: int) -> tuple[int, int, int, str]:
        lo = chunk * size
        ws = max(0, lo - _CUE_MARGIN)
        return lo, lo + size, ws, text[ws : lo + size + _CUE_MARGIN]

    def find_record(self, text: str, chunk: int) -> list[int]:
        """Sorted starts of the record cues that start in a record chunk.

        A window that starts mid-line or mid-word can fake a "^" or a "\\b" at its first
        character; such a match starts in the margin, before the chunk, and is dropped.
        """
        lo, hi, ws, window = self._window(text, chunk, _RECORD_CHUNK)
        out: list[int] = []
        for key, cands in self.record.scan(window).items():
            if key != self._SHAPES:
                out.extend(ws + c.start for c in cands if lo <= ws + c.start < hi)
                continue
            last_end = -1
            for c in cands:
                if c.start < last_end:
                    continue  # inside the previous shape: one cue, not two
                caps = _CAPS_RUN.findall(window, c.start, c.end)
                if caps and all(w in _ACRONYM_STOP for w in caps):
                    continue  # "Active DACA", "Households SNAP": acronyms, not surnames
                last_end = c.end
                if lo <= ws + c.start < hi:
                    out.append(ws + c.start)
        out.sort()
        return out

    def find_memo(self, text: str, chunk: int) -> list[int]:
        """Sorted starts of the memo cues that start in a memo chunk."""
        lo, hi, ws, window = self._window(text, chunk, _MEMO_CHUNK)
        out = [
            ws + c.start
            for cands in self.memo.scan(window).values()
            for c in cands
            if lo <= ws + c.start < hi
        ]
        out.sort()
        return out


# --------------------------------------------------------------------------- compiled cues


# The items of a list before a candidate: short names, each closed by a comma, a slash, a
# bracket or a conjunction ("Section 8, SNAP, Medicaid and ", "(SNAP, TANF,\nMedicaid, ").
_LIST_TAIL = re.compile(
    r"[:\s]*(?:[(\s]*[\w'’!\-]+(?:[ \t\n]+[\w'’!\-]+){0,3}[ \t]*[)]*[ \t\n]*"
    r"(?:,|/|\(|\band\b|\bor\b|\by\b|\bo\b)[ \t\n]*)+[(\"“']?"
)


def _alt(words: Iterable[str]) -> str:
    return word_list_regex(words)


def _first_words(phrases: Iterable[str], *, contractions: bool = False) -> frozenset[str]:
    """The lower-case first words of some phrases, as a text may spell them: with or
    without accents (the phrase syntax matches both), and for ``contractions`` also
    without the apostrophe ("hes", "theyre"; not "shed" or "hell", which are words)."""
    out: set[str] = set()
    for phrase in phrases:
        for variant in expand_phrase(phrase):
            for v in {variant, _strip_accents(variant)}:
                tok = _TOKEN.search(v)
                if tok:
                    out.add(tok.group().lower())
                bare = v.replace("'", "").replace("’", "")
                if contractions and bare != v and bare not in ("shed", "hell", "shell", "well"):
                    out.add(bare.lower())
    return frozenset(out)


def _uncoordinated(left: str) -> str:
    """``left`` without a last term and the coordination after it ("takes SNAP/" ->
    "takes "), or "" when it does not end with a coordination."""
    t = left.rstrip()
    if t.endswith(("/", ",", "&", "+")):
        t = t[:-1].rstrip()
    else:
        low = t[-4:].lower()
        cut = next((len(c) for c in (" and", " or", " y", " o") if low.endswith(c)), 0)
        if not cut:
            return ""
        t = t[:-cut].rstrip()
    j = len(t)
    while j and (t[j - 1].isalnum() or t[j - 1] in ".!"):
        j -= 1
    return t[:j] if j < len(t) else ""


def _last_words(phrase: str) -> tuple[str, ...]:
    """The last word of a phrase in lower case, with and without its accents."""
    words = _TOKEN.findall(phrase.lower())
    return (words[-1], _strip_accents(words[-1])) if words else ()


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _strict(word: str) -> str:
    """A regex for ``word`` where accented letters must keep their accent (either case)."""
    return "".join(f"[{c}{c.upper()}]" if not c.isascii() else re.escape(c) for c in word)


class Lowered:
    """A caseless word-list pattern, matched case-sensitively on the lower-cased text.

    Python's ``re`` matches an alternation several times faster without IGNORECASE, and
    ``str.lower`` is cheap. The word lists are lower case, so the matches are the same, at
    the same offsets; a text whose lower case changes length ("İ") is matched caselessly.
    """

    __slots__ = ("caseless", "lower")

    def __init__(self, body: str, tail: str = "") -> None:
        self.lower = re.compile(body + tail)
        self.caseless = re.compile(f"(?i:{body})" + tail)

    def search(self, text: str) -> re.Match[str] | None:
        """``re.search``; the match's text is the lower-cased text's."""
        low = text.lower()
        if len(low) == len(text):
            return self.lower.search(low)
        return self.caseless.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``re.finditer`` (offsets into ``text``)."""
        low = text.lower()
        if len(low) == len(text):
            return self.lower.finditer(low)
        return self.caseless.finditer(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """``re.fullmatch``."""
        low = text.lower()
        if len(low) == len(text):
            return self.lower.fullmatch(low)
        return self.caseless.fullmatch(text)


class CueSet:
    """The context regexes built from ``context.yaml``, compiled once per detector."""

    def __init__(self, cues: ContextCues) -> None:
        self.cues = cues
        # Country names and demonyms, lower case: capitalized like names, never a person.
        self._country_words = frozenset(
            v.lower()
            for p in places()
            if p.country
            for w in (*p.names, *p.demonyms)
            for v in expand_phrase(w)
        )
        # Accented pronouns keep their accent: "él" is a pronoun, "el" an article.
        ascii_pron = [w for w in cues["person_pronouns"] if w.isascii() and w not in ("i", "i'm")]
        accented = [w for w in cues["person_pronouns"] if not w.isascii()]
        pronouns = "(?:" + _alt(ascii_pron) + "|" + "|".join(_strict(w) for w in accented) + ")"
        honor = "|".join(re.escape(h) for h in sorted(cues["honorifics"], key=len, reverse=True))
        self.role_alt = _alt(cues["role_nouns"])
        self.det_alt = _alt(cues["definite_determiners"])
        name_word = rf"[{_UPPER}][{_LOWER}'’\-]+"
        caps_word = rf"[{_UPPER}]{{2,}}(?:[\-'’][{_UPPER}]+)?"
        # A person reference, and which sort it is (named groups are fine here: this is
        # Python re on small windows, not a prefilter pattern).
        bare = _alt(cues["bare_person_nouns"])
        branches = {
            "pron": rf"(?P<pron>(?<![\w'’\-])(?i:{pronouns})(?![\w\-]))",
            "i": r"(?P<i>\bI(?=['’ ](?:am|was|have|had|m|ve|d|got|receive|get)\b))",
            "hon": rf"(?P<hon>\b(?i:{honor})\.?\s+(?:{name_word}|{caps_word})"
            rf"(?:\s+(?:{name_word}|{caps_word}))*"
            rf"(?!\s+(?:County|Co\b|City|Street|St\b|Road|Rd\b|Ave)))",
            "caps": rf"(?P<caps>\b{name_word}(?:\s+{name_word})*\s+{caps_word}"
            rf"(?:[\s\-]+{caps_word})*\b"
            rf"|\b{caps_word}(?:\s+{caps_word})*,\s*{name_word})",
            "group": r"(?P<group>(?:(?i:the following|these|all (?:three|four|five)"
            r"|the (?:two|three|four|five)"
            r"|los tres|las tres)"
            r"\s+(?i:people|persons|individuals|clients|residents|customers|members|adults"
            r"|children|kids|family members|personas|clientes|miembros|niños)"
            r"|(?<![\w\-])(?i:both|los dos|las dos|ambos|ambas))(?![\w\-]))",
            "role": rf"(?P<role>(?i:{self.det_alt})\s+(?:[\w\-]+\s+){{0,2}}?"
            rf"(?i:{self.role_alt})(?![\w\-]))",
            "fam": rf"(?P<fam>(?:^|(?<=[.!?:;\n>\-,(]\s)|(?<=^\s)|(?<=\n))(?i:{bare})(?=[\s,:]))",
            "name": rf"(?P<name>\b(?!(?:El|La|Los|Las|The|This|That|These|Those|His|Her|Their"
            rf"|Our|My|Su|Sus|Un|Una|A|An|Mr|Mrs|Ms|Dr|Sr|Sra|Srta|Don|Doña)\b)"
            # an initial and a surname, as rosters and logs write them ("D. Mason")
            rf"(?:[{_UPPER}]\.[ ]?{name_word}(?:\s+{name_word})?"
            rf"|{name_word}(?:\s+(?:de\s+la\s+|de\s+|del\s+)?{name_word})+))",
            "one": rf"(?P<one>(?<=[a-z,;]\s){name_word})",
        }
        self.person = re.compile("|".join(branches.values()))
        # The branches that can match at a capitalized word that is no starter word (see
        # _references): the others all begin with a starter word.
        self.person_capital = re.compile(
            "|".join(branches[k] for k in ("i", "caps", "name", "one"))
        )
        self.indefinite = Lowered(_alt(cues["indefinite_persons"]))
        self.generic_plural = Lowered(_alt(cues["generic_plurals"]))
        self.hypothetical = Lowered(_alt(cues["hypothetical"]))
        self.asked_tail = Lowered(_alt(cues["reported_questions"]), r"\s*$")
        self.prohibition = Lowered(_alt(cues["prohibition"]))
        self.topic = Lowered(_alt(cues["topic"]))
        self.topic_tail = Lowered(_alt(cues["topic"]), r"(?:\s+[\w'’\-]+){0,3}\s*[\"“']?$")
        self.generic_words = Lowered(_alt(cues["generic_words"]))
        self.modal = Lowered(_alt(cues["modals"]))
        self.adverbs_alt = _alt(cues["adverbs"])
        self.breakers_alt = _alt(cues["breakers"])
        self.negation_tail = Lowered(
            r"(?:\bnot|n['’]t|\bnever|\bno longer|\bno|\bnunca|\bya no|\bni)\b\s*"
            r"(?:\w+\s+){0,1}$"
        )
        self.possessive_tail = re.compile(
            rf"(?:(?<![\w'’])(?i:his|her|su|sus)"
            rf"|(?<![\w'’])(?i:their)"
            rf"|\b{name_word}['’]s"
            rf"|\b{caps_word}['’]s)"
            rf"(?:\s+(?!(?i:{self.breakers_alt})\b)[\w\-]+){{0,2}}\s+$"
        )
        self.generic_possessive = re.compile(
            r"(?i:\b(?:his or her|her or his|his/her|her/his|him or her|he or she|s/he)\b)"
        )
        self.record_line = re.compile(
            rf"\bDOB\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b\d{{4}}-\d\d-\d\d\b"
            rf"|\b{caps_word}(?:\s+{caps_word})*,\s*{name_word}"
            rf"|\b{name_word}\s+{caps_word}\b"
            rf"|\b(?:Mr|Mrs|Ms|Sr|Sra)\.?\s+{name_word}"
            rf"|\b\d{{3}}-\d{{2}}-\d{{4}}\b|\bA\s?[#-]?\s?\d{{8,9}}\b"
            rf"|(?i:fecha de nacimiento|f\.\s?nac)"
        )
        self.label_prefix = re.compile(
            r"^\s*(?:[-*•>]\s*)?[A-Za-zÁÉÍÓÚÑáéíóúñ#/()][A-Za-zÁÉÍÓÚÑáéíóúñ#/()\. ]{1,31}?"
            r"(?::\s*|\s{2,}|\t|\s*\.{3,}\s*)(?:[^\s:]+\s+){0,3}$"
        )
        self.list_item = re.compile(r"^\s*(?:>\s*)?(?:[-*•]|\d{1,3}[.)])\s+")
        # Counts and percentages (years are not statistics: "in 2017").
        self.number_stat = re.compile(
            r"(?<![\d/.-])(?!(?:19|20)\d\d\b)\d[\d,]{2,}|\d\s?%|\bper ?cent\b|\bpor ciento\b"
        )
        self.person_right = re.compile(
            rf"^\s+(?:on|for|against|of|de|sobre)\s+"
            rf"(?:(?i:him|her|them|él|ella)\b|(?:Mr|Mrs|Ms|Sr|Sra)\.?\s+{name_word}"
            rf"|{name_word}\b(?!\s+(?:County|City|Office|Department|Division)))"
        )
        self.name_word = name_word
        self.caps_word = caps_word
        self.name_word_re = re.compile(name_word)
        # after a bullet or an item number ("2) Riley has severe asthma")
        self.lone_name = re.compile(rf"\s*(?:(?:[-*•>]|\d{{1,2}}[.)])\s*)?({name_word})\s*")
        # Between a subject and a phrase that carries its own verb: adverbs, a comma, or
        # the colon or dash of a note ("Probationer Diaz: openly gay").
        self.adverb_gap = re.compile(rf"\s*(?:[:\-–—]\s*)?(?:(?i:{self.adverbs_alt})\s*)*(?:,\s*)?")
        # Which branches of the person pattern can match at a word, by the word: the
        # lower-case ones all start with a word of a list (pronouns, honorifics...), the
        # others with a capital letter. _references tries only those (same order, so the
        # same first match), since Python's re would try all nine at every character.
        order = ("pron", "i", "hon", "caps", "group", "role", "fam", "name", "one")
        capital = frozenset(("i", "caps", "name", "one"))
        words_of = {
            "pron": _first_words([*ascii_pron, *accented], contractions=True),
            "hon": _first_words(cues["honorifics"]),
            "group": frozenset(("the", "these", "all", "los", "las", "both", "ambos", "ambas")),
            "role": _first_words(cues["definite_determiners"]),
            "fam": _first_words(cues["bare_person_nouns"]),
        }
        compiled: dict[tuple[str, ...], re.Pattern[str]] = {}

        def branch_rx(names: Iterable[str]) -> re.Pattern[str]:
            key = tuple(n for n in order if n in set(names))
            if key not in compiled:
                compiled[key] = re.compile("|".join(branches[n] for n in key))
            return compiled[key]

        by_word: dict[str, set[str]] = {}
        for name in sorted(words_of):
            for w in words_of[name]:
                by_word.setdefault(w, set()).add(name)
        #: lower-case word -> (pattern at the word in lower case, at the word capitalized)
        self._word_rx: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
            w: (branch_rx(names), branch_rx(names | capital)) for w, names in by_word.items()
        }
        self._persons: dict[tuple[str, bool], list[re.Match[str]]] = {}
        self._names: dict[tuple[str, str], bool] = {}
        self._generic: dict[str, bool] = {}

    # ------------------------------------------------------------------ people

    def persons(self, text: str, *, strict: bool = False) -> list[re.Match[str]]:
        """Person references in a short text, without generic or name-lookalike ones.

        ``strict`` drops lone capitalized words ("Vegas" of "Las Vegas"), which are good
        enough as the subject right before a verb but not as a person merely nearby.
        Memoized: the same windows recur (one sentence, several candidates; the same
        boilerplate in many texts).
        """
        key = (text, strict)
        cached = self._persons.get(key)
        if cached is not None:
            return cached
        out = list(self._specific(text, strict)) if text else []
        if len(self._persons) >= _MEMO_SIZE:
            self._persons.clear()
        self._persons[key] = out
        return out

    def has_person(self, text: str, *, strict: bool = False) -> bool:
        """Whether :meth:`persons` finds anyone: stops at the first one."""
        cached = self._persons.get((text, strict))
        if cached is not None:
            return bool(cached)
        return next(self._specific(text, strict), None) is not None

    def has_person_near_end(self, text: str, *, strict: bool = False) -> bool:
        """:meth:`has_person`, looking at the last line first: the person a record or a note
        is about is named close above the status more often than at the window's top."""
        stop = len(text)
        while stop > 0:
            start = text.rfind("\n", 0, stop - 1) + 1
            if next(self._specific(text, strict, start, stop), None) is not None:
                return True
            stop = start
        return False

    def _specific(
        self, text: str, strict: bool, start: int = 0, stop: int | None = None
    ) -> Iterator[re.Match[str]]:
        names = self._names
        for m in self._references(text, start, stop):
            kind = m.lastgroup
            if strict and kind == "one":
                continue
            if kind == "role" and _titled_org(text, m):
                continue
            if kind in ("name", "one", "caps", "hon"):
                # the same names (and name-like streets, offices) recur across texts
                key = (m.group(), kind)
                ok = names.get(key)
                if ok is None:
                    ok = self._name_ok(*key)
                    if len(names) >= _MEMO_SIZE:
                        names.clear()
                    names[key] = ok
                if not ok:
                    continue
            yield m

    def _references(
        self, text: str, start: int = 0, stop: int | None = None
    ) -> Iterator[re.Match[str]]:
        """``self.person.finditer(text)``, several times faster.

        Python's ``re`` tries the nine-branch person pattern at every character. Every
        reference starts a word, with a capital letter or one of a few lower-case words
        (:attr:`_word_rx`), so the pattern is tried only there, left to right, skipping
        what a match already took, and only with the branches that can match at that word:
        the same matches, in the same order. ``start``/``stop`` limit where a reference
        may start (it may run on past ``stop``).
        """
        word_rx = self._word_rx
        match_capital = self.person_capital.match
        taken = 0
        for tok in _TOKEN.finditer(text, start, len(text) if stop is None else stop):
            p = tok.start()
            if p < taken:
                continue
            w = tok.group()
            rx = word_rx.get(w.lower())
            if rx is not None:
                m = rx[w[0].isupper()].match(text, p)
            elif w[0].isupper() and (
                # what the capital branches need: "I", a capitals word ("MORALES,"), another
                # capitalized word after this one ("Ana Ruiz", "Juan de la Cruz"), or
                # a lower-case word before ("call Ana")
                (len(w) > 1 and w[1].isupper())
                or w == "I"
                or _CAPITAL_NEXT.match(text, p)
                or (len(w) == 1 and _INITIAL_NEXT.match(text, p))
                or (p > 1 and text[p - 1].isspace() and text[p - 2] in _ONE_BEFORE)
            ):
                m = match_capital(text, p)
            else:
                continue
            if m is not None:
                yield m
                taken = m.end()

    def _name_ok(self, val: str, kind: str | None) -> bool:
        if "\t" in val or "   " in val:
            # two column headers side by side ("Category      Sheltered"), not a name
            return False
        words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in _WORDS.findall(val)]
        if kind in ("name", "one") and " ".join(words).lower() in self._country_words:
            # "Honduras TPS", "Cubans couldn't be": a country or its people, not a person
            return False
        if kind != "hon" and any(w.lower() in _NOT_NAMES for w in words[:1]):
            return False
        if any(w.lower() in _ORG_WORDS for w in words[1:] if not w.isupper()):
            return False
        if kind in ("name", "one") and any(w.lower() in _ORG_WORDS for w in words):
            return False
        if kind == "caps":
            caps = [w for w in words if w.isupper()]
            if caps and all(w in _ACRONYM_STOP for w in caps):
                return False
        return not (kind == "one" and (val.lower() in _NOT_NAMES or val.isupper()))

    def generic_subject(self, zone: str) -> bool:
        """Whether the subject zone is about people in general (no specific person after)."""
        cached = self._generic.get(zone)
        if cached is None:
            cached = self._generic_subject(zone)
            if len(self._generic) >= _MEMO_SIZE:
                self._generic.clear()
            self._generic[zone] = cached
        return cached

    def _generic_subject(self, zone: str) -> bool:
        gen_end = -1
        for m in self.generic_plural.finditer(zone):
            # "the two kids", "both children": a definite plural is specific people.
            if _DEFINITE_BEFORE.search(zone[max(0, m.start() - 20) : m.start()].lower()):
                continue
            gen_end = m.end()
        for m in self.indefinite.finditer(zone):
            gen_end = max(gen_end, m.end())
        if gen_end < 0:
            return False
        return not any(p.start() >= gen_end for p in self.persons(zone))

    def lone_name_subject(self, zone: str) -> list[re.Match[str]]:
        """ "Rodrigo is ...": a single capitalized word opening the clause, as its subject."""
        m = self.lone_name.fullmatch(zone)
        if m is None:
            return []
        word = _POSSESSIVE_S.sub("", m.group(1)).lower()
        if word in _NOT_NAMES or word in _ORG_WORDS or self.generic_plural.fullmatch(m.group(1)):
            return []
        return [m]

    def verb_tail(self, verbs: Sequence[str]) -> VerbTail:
        """A disclosure verb (plus adverbs, a particle, up to 3 modifiers) ending a text."""
        plain = [v.lower() for v in verbs if not v.startswith("'")]
        contractions = sorted({v[1:] for v in verbs if v.startswith("'")}, key=len, reverse=True)
        contr = (
            rf"(?<=\w)['’](?:{'|'.join(map(re.escape, contractions))})\b"
            if contractions
            else "(?!)"
        )
        particles = r"(?:on|in|at|as|of|for|with|through|into|en|de|con|como|por|a)"

        def build(ci: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
            # ``ci`` wraps the word lists: "(?i:" for the text as written, "(?:" for the
            # lower-cased text (see Lowered)
            verb = re.compile(rf"{contr}|(?<![\w'’]){ci}{_alt(plain)})")
            rest = re.compile(
                rf"(?P<neg>\s+{ci}not|never|no longer|no|nunca|ya no)\b|n['’]t\b)?"
                rf"(?:\s+{ci}{self.adverbs_alt}))*"
                rf"(?:\s+{ci}{particles})\b)?"
                rf"(?:\s+(?!{ci}{self.breakers_alt})(?![\w\-]))[^\s,;:.!?()\[\]]+){{0,3}}"
                rf"\s*[\"“(]?"
            )
            return verb, rest

        return VerbTail(*build("(?i:"), *build("(?:"))


@dataclass(frozen=True, slots=True)
class TailMatch:
    """Where the verb nearest to a status phrase starts, which verb, and any negation."""

    pos: int
    verb: str
    neg: str

    def start(self) -> int:
        """Offset of the verb in the searched text."""
        return self.pos

    def group(self, name: str) -> str:
        """``verb`` or ``neg`` (empty when absent)."""
        return self.verb if name == "verb" else self.neg


class VerbTail:
    """Finds the disclosure verb closest before a status phrase.

    A single anchored regex would take the leftmost verb ("were told he's a ...");
    we want the nearest one, so verbs are tried from the right. The verbs are matched on the
    lower-cased text (see :class:`Lowered`); a contraction ("'s", "'re") counts only as
    written in lower case, as the pattern for the text as written has it.
    """

    def __init__(
        self,
        verb: re.Pattern[str],
        rest: re.Pattern[str],
        verb_lower: re.Pattern[str],
        rest_lower: re.Pattern[str],
    ) -> None:
        self.verb = verb
        self.rest = rest
        self.verb_lower = verb_lower
        self.rest_lower = rest_lower

    def search(self, text: str) -> TailMatch | None:
        """The nearest verb whose remainder up to the end of ``text`` is adverbs/modifiers."""
        low = text.lower()
        if len(low) != len(text):
            for m in reversed(list(self.verb.finditer(text))):
                r = self.rest.fullmatch(text, m.end())
                if r is not None:
                    return TailMatch(m.start(), m.group(), r.group("neg") or "")
                if len(text) - m.end() > 80:
                    break
            return None
        for m in reversed(list(self.verb_lower.finditer(low))):
            verb = text[m.start() : m.end()]
            if verb[:1] in "'’" and not verb.islower():
                continue  # "HE'S": no contraction as the original pattern reads it
            r = self.rest_lower.fullmatch(low, m.end())
            if r is not None:
                return TailMatch(m.start(), verb, text[r.start("neg") : r.end("neg")])
            if len(text) - m.end() > 80:
                break
        return None


# --------------------------------------------------------------------------- document view

# A salutation to someone by name, opening a line (see DocView.addressed).
_SALUTATION = re.compile(
    r"(?m)^[ \t>]*(?i:dear|estimad[oa]s?|querid[oa]s?|hola|hi|hello|good morning|"
    r"buenos días|buenos dias|buenas tardes)[ \t,]+(?:(?i:mr|mrs|ms|mx|dr|sr|sra|srta|"
    r"señor|señora|señorita|don|doña)\.?[ \t]+)?(?P<name>[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’\-]+)"
)
_GENERIC_ADDRESSEES = frozenset(
    """
    customer customers applicant applicants client clients resident residents sir madam
    friend friends colleague colleagues team all everyone neighbor neighbors neighbour
    participant participants parent parents member members recipient recipients provider
    providers partner partners staff agent officer cliente clientes solicitante
    solicitantes amigo amigos amiga amigas vecino vecinos vecina vecinas colega colegas
    compañeros compañeras equipo todos todas participante participantes padres miembro
    miembros beneficiario beneficiarios familia familias señor señora señores
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# What introduces a quotation as an example of wording, right before its opening mark.
_EXAMPLE_LEAD = re.compile(
    r"(?i)(?:\b(?:sentence|sentences|phrase|phrases|statement|statements|wording|words|"
    r"example|examples|e\.g\.|for instance|such as|like|frase|frases|oración|oraciones|"
    r"ejemplo|ejemplos|como|tal como)|(?:^|[.!?]\s+|\n\s*)(?:saying|writing|decir|"
    r"escribir)"
    # the next of a list of examples: '"the client is undocumented" or "she is ..."'
    r"|[\"”]\s*(?:,|or|and|o|y|u))\s*[:,]?\s*$"
)

# A list item that is a quotation ('  - "The client is undocumented."'), and the words of a
# lead line that introduces such items as examples of wording.
_QUOTED_ITEM = re.compile(r"[ \t>]*(?:[-*•]|\d{1,2}[.)])?[ \t]*[\"“]")
_EXAMPLE_HEAD = re.compile(
    r"(?i)\b(?:examples?|sentences?|phrases?|statements?|wording|says?|said|frases?|"
    r"oraciones|ejemplos?|expresiones)\b"
)

DOC_KEY = "statuses.doc"

_WIDE_GAP = re.compile(r"\S {3,}\S")
# A question (group "q") or answer mark opening a line, past quote marks and indents.
_QA_HEAD = re.compile(r"[ >\t]*(?:(?P<q>Q|P|Pregunta)|A|R|Respuesta)\s?[:.]\s")
_Q_LINE = re.compile(r"(?m)^\s*(?:Q|P|Pregunta)\s?[:.]\s")
# How far back a person still counts as "the person the previous sentences are about".
_RECENT = 300


class _Shapes:
    """The date or SSN shapes of one line found so far, and where to look for more."""

    __slots__ = ("found", "pos")

    def __init__(self, pos: int) -> None:
        self.found: list[tuple[int, int]] = []
        self.pos = pos


# Marks of software documentation (see DocView.software_near).
_SOFTWARE = re.compile(
    r"[Cc]loses:? ?#\d+|\burgency=\w|^ -- [^\n<]{1,80}<[^\s@>]+@[^\s>]+>  \w{3}, \d"
    r"|\bPR (?:[\w-]+/)?\d{3,}|\bCVE-\d{4}-\d+|\bcommit [0-9a-f]{7,40}\b"
    r"|\b(?:fd\.o|[Bb]ug|gh|[Ii]ssue) ?#\d+|\bSigned-off-by:|^(?:Files|License): "
    r"|\b\w+\.(?:c|h|cc|cpp|py|pl|sh|am|ac|in|patch|diff|so|texi|pc|md)\b"
    r"|(?<![\w-])--[a-z][\w-]{2,}|(?<![\w/])/(?:usr|var|etc|lib|bin|opt|org|proc)/"
    r"|\b[A-Za-z_]\w*\(\)|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"
    r"|\b(?:builtins?|compil(?:e[dr]?|ing|ation)|upstream|libc|glibc|segfaults?|syscalls?"
    r"|kernel|daemon|plugins?|Makefile|autoconf|automake|backport(?:ed|s)?|linker|debian"
    r"|dpkg|lintian|gcc|symlinks?|stdout|stderr|runtime|changelog|debconf|libraries"
    r"|freetype|API|ABI|x86(?:-64|_64)?|Debian|Ubuntu|GNOME|KDE|POSIX|Posix)\b",
    re.M,
)
_SOFTWARE_WINDOW = 1500
_SOFTWARE_MIN = 3
# Substrings at least one of which software documentation almost always holds. The mark
# pattern above is slow over a whole text; a text with none of these skips it (agency
# records, the bulk of what is scanned, hold none of them).
_SOFTWARE_HINTS = (
    "Closes",
    "urgency=",
    "CVE-",
    "Signed-off-by",
    "/usr/",
    "/lib/",
    "/etc/",
    "()",
    ".c ",
    ".h ",
    ".py",
    ".patch",
    "changelog",
    "upstream",
    "compil",
    "ebian",
    "POSIX",
    "Posix",
    "kernel",
    "daemon",
    "plugin",
    "libc",
    "Makefile",
    "--enable",
    "--with",
    " API",
    " PR ",
)


@functools.cache
def _software_hint_set() -> PatternSet:
    return PatternSet(
        [
            PatternSpec(
                key="statuses.software-hint",
                regex="|".join(re.escape(h) for h in _SOFTWARE_HINTS),
                som=False,
            )
        ]
    )


def _software_hinted(text: str) -> bool:
    """Whether ``text`` holds any of :data:`_SOFTWARE_HINTS`: one Hyperscan pass, where
    two dozen substring searches of every text cost a tenth of the whole scan."""
    hints = _software_hint_set()
    if hints.backend == "hyperscan":
        return bool(hints.scan(text))
    return any(hint in text for hint in _SOFTWARE_HINTS)


class DocView:
    """One scanned text, as the rules' context checks see it.

    Every answer is computed on first question and cached for the text: a text whose
    candidates are settled by their sentences never pays for any of it.
    """

    # one is built for every text with a candidate: slots make that (and each read) cheaper
    __slots__ = (
        "_chunks",
        "_cue_dates",
        "_cue_patterns",
        "_has_record",
        "_line",
        "_line_killed",
        "_line_shape",
        "_marks",
        "_memo",
        "_person_before",
        "_row_dates",
        "_software",
        "ctx",
        "cues",
        "text",
    )

    def __init__(self, ctx: ScanContext, cues: CueSet, cue_patterns: CuePatterns) -> None:
        self.ctx = ctx
        self.text = ctx.text
        self.cues = cues
        self._cue_patterns = cue_patterns
        self._marks = ""  # the end marks the text holds, found on first need
        # Answers by position (person before, record cues, memo cues), per kind.
        self._person_before: dict[int, bool] = {}
        self._has_record: dict[int, bool] = {}
        self._memo: dict[int, bool] = {}
        # Cue starts per chunk: record chunks by index, memo chunks by -1 - index.
        self._chunks: dict[int, list[int]] = {}
        # Per line start: cell separators and CSV shape, and whether the line is killed.
        self._line_shape: dict[int, tuple[int, bool]] = {}
        self._line_killed: dict[int, bool] = {}
        # date and SSN shapes per line: as CueSet.record_line spells them, as record cues do
        self._row_dates: dict[int, _Shapes] = {}
        self._cue_dates: dict[int, _Shapes] = {}
        # The line last asked for: a candidate's checks ask for its line several times.
        self._line: tuple[int, int] = (1, 0)
        # Starts of software-documentation marks (changelogs, NEWS, READMEs), found on need.
        self._software: list[int] | None = None

    # ------------------------------------------------------------------ sentences, lines

    def clause_at(self, start: int, end: int) -> tuple[int, int]:
        """The sentence bounds of a span (see :func:`sentence_bounds`)."""
        if not self._marks:
            # '.' always: cheaper to search than to rule out; '!' and '?' are rare.
            text = self.text
            self._marks = "." + ("!" if "!" in text else "") + ("?" if "?" in text else "")
        return sentence_bounds(self.text, start, end, marks=self._marks)

    def sentence_span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """The sentence bounds of a span and the stretch they were read from
        (see :func:`sentence_span`)."""
        got = unmarked_span(self.text, start, end)
        if got is not None:
            return got
        if not self._marks:
            text = self.text
            self._marks = "." + ("!" if "!" in text else "") + ("?" if "?" in text else "")
        return sentence_span(self.text, start, end, marks=self._marks)

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """The line holding ``pos``."""
        line = self._line
        # every position of a line, its end (the newline) included, has the same answer
        if line[0] <= pos <= line[1]:
            return line
        line = self._line = self.ctx.line_bounds(pos)
        return line

    def line_shape(self, ls: int, le: int) -> tuple[int, bool]:
        """Cell separators of a line (pipes, tabs, wide gaps) and whether it is a CSV row."""
        got = self._line_shape.get(ls)
        if got is None:
            text = self.text
            seps = text.count("|", ls, le) + text.count("\t", ls, le)
            if "   " in text[ls:le]:
                seps += len(_WIDE_GAP.findall(text, ls, le))
            csv_row = text.count(",", ls, le) >= 3 and all(
                len(c.strip()) <= 40 for c in text[ls:le].split(",")
            )
            got = self._line_shape[ls] = (seps, csv_row)
        return got

    def row_record(self, ls: int, le: int, a: int, b: int) -> bool:
        """Whether the row ``text[ls:le]`` names a person or gives a DOB outside its cell
        ``[a, b)`` (offsets in the row)."""
        # a date or an SSN outside the cell (the usual case) answers without the pattern
        for x, y in self._shapes(ls, le, _ROW_DATE_OR_SSN, self._row_dates):
            if y - ls <= a or x - ls >= b:
                return True
        line = self.text[ls:le]
        return bool(self.cues.record_line.search(line[:a] + " " + line[b:]))

    def _shapes(
        self,
        ls: int,
        le: int,
        rx: tuple[re.Pattern[str], re.Pattern[str]],
        cache: dict[int, _Shapes],
    ) -> Iterator[tuple[int, int]]:
        """Spans of the date or SSN shapes ``rx`` (see :func:`_digit_shapes`) finds in a
        line, starting at a word boundary, in order.

        Found only as far as the callers read, and kept per line: several questions read
        the same record line, and most stop at its first date.
        """
        got = cache.get(ls)
        text = self.text
        if got is None:
            # without a '/' or a '-' the line holds no shape at all
            has = text.find("/", ls, le) >= 0 or text.find("-", ls, le) >= 0
            got = cache[ls] = _Shapes(ls if has else le)
        found = got.found
        k = 0
        while True:
            if k < len(found):
                yield found[k]
                k += 1
                continue
            if got.pos >= le:
                return
            # the next match of ``finditer``: searched from where the last one ended
            m = (rx[1] if text.isascii() else rx[0]).search(text, got.pos, le)
            if m is None:
                got.pos = le
                return
            i, j = m.span()
            got.pos = j
            if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"):
                found.append((i, j))

    def line_killed(self, pos: int) -> bool:
        """An FAQ question or answer line, or a line of a blank form."""
        ls, le = self.line_bounds(pos)
        got = self._line_killed.get(ls)
        if got is None:
            text = self.text
            # (a question or answer mark within the line's first 12 characters)
            head = _QA_HEAD.match(text, ls, ls + 12)
            line = text[ls:le]
            got = bool(
                (head is not None and head.group("q") is not None)
                # a blank form: "Is this person a U.S. citizen? [ ] Yes [ ] No"
                or (_form_hint(line) and _FORM_LINE.search(line))
                # FAQ answers talk about cases in general, like the questions they answer
                or (head is not None and _Q_LINE.search(text[max(0, ls - 1500) : ls]))
            )
            self._line_killed[ls] = got
        return got

    # ------------------------------------------------------------------ people

    def person_before(self, pos: int) -> bool:
        """Whether a specific person is named in the ~300 characters before ``pos``."""
        got = self._person_before.get(pos)
        if got is None:
            window = self.text[max(0, pos - _RECENT) : pos]
            got = self._person_before[pos] = self.cues.has_person_near_end(window, strict=True)
        return got

    def persons_in(self, lo: int, hi: int, *, strict: bool = False) -> bool:
        """Whether ``text[lo:hi]`` names a specific person."""
        return self.cues.has_person(self.text[max(0, lo) : hi], strict=strict)

    # ------------------------------------------------------------------ record and memo cues

    def software_near(self, pos: int) -> bool:
        """Whether ``pos`` lies in software documentation (a changelog, NEWS file, README,
        commit log or copyright file): three or more of its marks ("Closes: #123",
        "urgency=", a maintainer trailer, "PR 25447", a CVE, a file name, a command-line
        option, a system path, build vocabulary) within 1500 characters. Agency records
        carry none of these, and a status word there names a program's state."""
        starts = self._software
        if starts is None:
            text = self.text
            starts = self._software = (
                [m.start() for m in _SOFTWARE.finditer(text)] if _software_hinted(text) else []
            )
        if len(starts) < _SOFTWARE_MIN:
            return False
        lo = bisect.bisect_left(starts, pos - _SOFTWARE_WINDOW)
        hi = bisect.bisect_right(starts, pos + _SOFTWARE_WINDOW)
        return hi - lo >= _SOFTWARE_MIN

    def _record_chunk(self, chunk: int) -> list[int]:
        starts = self._chunks.get(chunk)
        if starts is None:
            starts = self._chunks[chunk] = self._cue_patterns.find_record(self.text, chunk)
        return starts

    def record_count(self, pos: int, before: int = 700, after: int = 300) -> int:
        """How many case-record cues start within ``[pos - before, pos + after]``."""
        lo, hi = max(0, pos - before), pos + after
        n = 0
        for chunk in range(lo // _RECORD_CHUNK, min(hi, len(self.text)) // _RECORD_CHUNK + 1):
            starts = self._record_chunk(chunk)
            n += bisect.bisect_right(starts, hi) - bisect.bisect_left(starts, lo)
        return n

    def has_record(self, pos: int) -> bool:
        """Whether case-record cues lie within 700 characters before or 300 after ``pos``."""
        got = self._has_record.get(pos)
        if got is None:
            lo, hi = max(0, pos - 700), pos + 300
            if self._dated_line(pos, lo, hi):
                self._has_record[pos] = True
                return True
            # The chunk of the candidate first: in a record, a cue is rarely far.
            first = pos // _RECORD_CHUNK
            chunks = range(lo // _RECORD_CHUNK, min(hi, len(self.text)) // _RECORD_CHUNK + 1)
            got = False
            for chunk in (first, *(c for c in chunks if c != first)):
                starts = self._record_chunk(chunk)
                if bisect.bisect_right(starts, hi) > bisect.bisect_left(starts, lo):
                    got = True
                    break
            self._has_record[pos] = got
        return got

    def _dated_line(self, pos: int, lo: int, hi: int) -> bool:
        """Whether the line of ``pos`` or the three lines above hold a date or an SSN shape
        (two of the record cues) inside ``[lo, hi]``: the usual case in a record, found
        without the cue patterns."""
        text = self.text
        ls, le = self.line_bounds(pos)
        lo = max(lo, pos - 300)
        for _ in range(4):
            for x, y in self._shapes(ls, le, _DATE_OR_SSN, self._cue_dates):
                if x >= lo and y <= hi:
                    return True
            if ls <= lo:
                break
            le = ls - 1
            ls = text.rfind("\n", 0, le) + 1
        return False

    def addressed(self, pos: int) -> bool:
        """Whether a salutation to a named person opens a line in the 1500 characters
        before ``pos`` ("Dear Ms. Ruiz,", "Estimado Sr. Baca:"; not "Dear Applicant")."""
        for m in _SALUTATION.finditer(self.text, max(0, pos - 1500), pos):
            if m.group("name").lower() not in _GENERIC_ADDRESSEES:
                return True
        return False

    def quoted_example(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation given as an example of wording ('A
        sentence like "the client is undocumented" is a disclosure'), which a training
        text or a policy quotes without saying it of anyone."""
        text = self.text
        lo = max(0, pos - 300)
        para = text.rfind("\n\n", lo, pos)
        if para >= 0:
            lo = para
        straight = text.rfind('"', lo, pos)
        curly = text.rfind("“", lo, pos)
        if straight < 0 and curly < 0:
            return False
        if curly > straight:
            if text.rfind("”", curly, pos) >= 0:
                return False  # the quotation closed before the candidate
            opening = curly
        elif text.count('"', lo, pos) % 2:
            opening = straight
        else:
            return False
        if _EXAMPLE_LEAD.search(text, max(0, opening - 40), opening):
            return True
        return self._example_list(opening)

    def _example_list(self, opening: int) -> bool:
        """Whether the quotation at ``opening`` is an item of a list of quoted examples under
        a lead line ending in a colon that names them ('Examples of sentences that would
        disclose SPI:' then '- "The client is undocumented."' on lines of their own)."""
        text = self.text
        ls = text.rfind("\n", 0, opening) + 1
        if not _QUOTED_ITEM.fullmatch(text, ls, opening + 1):
            return False
        for _ in range(12):  # a list of examples is short; the lead is close above
            if ls == 0:
                return False
            prev = text.rfind("\n", 0, ls - 1) + 1
            line = text[prev : ls - 1]
            if not line.strip():
                return False
            if _QUOTED_ITEM.match(line) is None:
                return line.rstrip().endswith(":") and bool(_EXAMPLE_HEAD.search(line))
            ls = prev
        return False

    def shown_in_memo(self, pos: int) -> bool:
        """Whether a form, field or export at ``pos`` is only shown in a memo, notice or
        training slide: no case-record cue there, and a memo cue nearby."""
        return not self.has_record(pos) and self.memo_near(pos)

    def memo_near(self, pos: int) -> bool:
        """Whether a memo, notice or newsletter cue lies within 4000 characters of ``pos``."""
        got = self._memo.get(pos)
        if got is None:
            got = False
            lo, hi = max(0, pos - 4000), pos + 4000
            chunks = self._chunks
            for chunk in range(lo // _MEMO_CHUNK, min(hi, len(self.text)) // _MEMO_CHUNK + 1):
                starts = chunks.get(-1 - chunk)
                if starts is None:
                    starts = chunks[-1 - chunk] = self._cue_patterns.find_memo(self.text, chunk)
                if bisect.bisect_right(starts, hi) > bisect.bisect_left(starts, lo):
                    got = True
                    break
            self._memo[pos] = got
        return got


# --------------------------------------------------------------------------- sentences

_LEAD = re.compile(r"[\s>]*")


@dataclass(slots=True)
class Clause:
    """A candidate in its sentence: everything :meth:`CategoryRules.analyse` may read.

    ``raw`` is the sentence as found (from just after the previous sentence's end), ``after``
    the character that ends it (``.``, ``!``, ``?``, a newline, or nothing at the end of the
    text), and every offset is relative to ``raw``. The analysis reads nothing else, which
    is what lets it be memoized per sentence.
    """

    raw: str
    after: str
    s: int
    e: int
    #: where the sentence proper starts (after quote markers and spaces)
    sent_start: int
    #: the clause around the candidate (between ';', ' -- ', '|', a tab...)
    start: int
    end: int
    left: str
    right: str
    sentence: str
    question: bool

    def right_text(self, pos: int, width: int) -> str:
        """Up to ``width`` characters from ``pos``, the sentence's end mark included."""
        return (self.raw[pos : pos + width] + self.after)[:width]


def make_clause(raw: str, s: int, e: int, after: str) -> Clause:
    """The :class:`Clause` of the candidate ``raw[s:e]`` in the sentence ``raw``."""
    lead = _LEAD.match(raw)
    ss = lead.end() if lead else 0
    cs = ss
    for m in _separators(raw, ss, s):
        cs = m.end()
    ce = len(raw)
    m2 = next(_separators(raw, e, len(raw)), None)
    if m2:
        ce = m2.start()
    question = after == "?" or "¿" in raw[ss : s + 1] or "?" in raw[e:]
    if question and after == "?" and _confirming(raw, ss):
        question = False
    return Clause(raw, after, s, e, ss, cs, ce, raw[cs:s], raw[e:ce], raw[ss:], question)


# A tag that turns a statement into a request for confirmation: "he's the one from
# Michoacán, right?", "es cubano ¿no?", "she gets SNAP, doesn't she?".
_TAG_END = re.compile(
    r"(?i)[\s,]*¿?\s*(?:right|no|verdad|cierto|correct|correcto|yes|yeah|eh|huh|ok|okay|"
    r"sí|si|true|isn'?t (?:he|she|it|that)|wasn'?t (?:he|she|it|that)|"
    r"doesn'?t (?:he|she)|didn'?t (?:he|she)|hasn'?t (?:he|she)|aren'?t (?:they|you)|"
    r"don'?t (?:they|you)|o no|¿o no)\s*$"
)
# How a genuine question opens: an auxiliary or a question word ("can we share someone's
# DACA status, right?", "¿Puede recibir SNAP o no?"), past a chat speaker's label.
_QUESTION_OPEN = re.compile(
    r"(?i)(?:[^:\n]{0,40}:\s*)?(?:(?:ok|okay|so|and|also|but|hey|y|pero|entonces|oye)\W+)?"
    r"(?:can|could|may|might|should|would|will|shall|do|does|did|is|are|was|were|has|"
    r"have|had|am|what|who|whom|whose|which|when|where|why|how|whether|if|any|anyone|"
    r"puedo|puede|pueden|podemos|podría|debo|debe|debemos|hay|qué|que|quién|quien|"
    r"quiénes|cuál|cual|cuándo|cuando|dónde|donde|cómo|como|por qué|porque|si)\b"
)


# "still"/"todavía" right after a person in a question presupposes the status it asks
# about ("is she still on SNAP?"), and so does a relative clause identifying a person by it.
_STILL = re.compile(r"(?i)\b(?:still|todavía|todavia|aún)\b")
_SAME_WHO = re.compile(r"(?i)\b(?:the same|el mismo|la misma)\s+(?:\w+\s+)?(?:who|that|que)\s+$")


def _confirming(raw: str, ss: int) -> bool:
    """Whether a sentence that ends in "?" states something and only asks to confirm it
    with a tag: such a question presupposes the status as much as the statement would."""
    tag = _TAG_END.search(raw, ss)
    if tag is None or tag.start() <= ss:
        return False
    body = raw[ss : tag.start()]
    return "¿" not in body and "?" not in body and _QUESTION_OPEN.match(body) is None


def _separators(raw: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
    """``_CLAUSE_SEPARATORS.finditer(raw, pos, endpos)``, without trying the pattern at
    every character: every separator holds one of a few characters (a dash or a bullet
    right after its leading space), so only those places are tried."""
    for c in _SEPARATOR_CHAR.finditer(raw, pos, endpos):
        i = c.start()
        if i < pos:
            continue  # inside the previous separator
        st = i - 1 if raw[i] in "-–—•" and i - 1 >= pos else i
        m = _CLAUSE_SEPARATORS.match(raw, st, endpos)
        if m is not None:
            yield m
            pos = m.end()


#: A context check's contribution when it holds: a confidence change and more evidence.
Extra = tuple[float, tuple[str, ...]]
#: A question about the text around a sentence: ``check(doc, sentence_start, hit)``.
Check = Callable[[DocView, int, "Hit"], Extra | None]

HOLDS: Extra = (0.0, ())

# Document adjustments applied when an option is chosen (see CategoryRules.decide).
ADJ_NONE = 0
ADJ_BIND = 1  # memo-like text without record cues: -0.15 (-0.30 for weak terms); records: +0.03
ADJ_PLACE = 2  # memo-like text without record cues: -0.15


@dataclass(frozen=True, slots=True)
class Option:
    """One way the rules may settle a candidate, in the order they try them.

    ``check`` is None when the sentence alone decides; otherwise the option holds only if
    the check does. An option with ``conf == 0`` settles the candidate as no finding.
    ``start``/``end`` are the finding's span, relative to the sentence.
    """

    conf: float
    evidence: tuple[str, ...]
    start: int
    end: int
    check: Check | None = None
    adjust: int = ADJ_NONE


def check_recent(rel: int) -> Check:
    """A specific person in the 300 characters before ``rel`` (relative to the sentence)."""

    def check(doc: DocView, ss: int, hit: Hit) -> Extra | None:
        return HOLDS if doc.person_before(ss + rel) else None

    return check


def check_recent_record(rel: int) -> Check:
    """:func:`check_recent`, and case-record cues around the candidate."""

    def check(doc: DocView, ss: int, hit: Hit) -> Extra | None:
        return HOLDS if doc.person_before(ss + rel) and doc.has_record(hit.start) else None

    return check


def check_record(doc: DocView, ss: int, hit: Hit) -> Extra | None:
    """Case-record cues around the candidate."""
    return HOLDS if doc.has_record(hit.start) else None


def check_addressed(doc: DocView, ss: int, hit: Hit) -> Extra | None:
    """The text is a letter or a message to a named person ("Dear Priscila Navarrete
    Solis:", "Estimada Sra. Carrillo:"), so "your" is that person."""
    return HOLDS if doc.addressed(hit.start) else None


def check_not_memo(doc: DocView, ss: int, hit: Hit) -> Extra | None:
    """Not in memo-like text: a Spanish verb without a subject refers to a specific person
    (generic Spanish uses "se", infinitives or plural subjects), unless the reader is
    addressed, as memos and notices do."""
    return None if doc.memo_near(hit.start) else HOLDS


@dataclass(frozen=True, slots=True)
class FieldHints:
    """What the sentence already tells about the record-field tests of a candidate."""

    #: The candidate's cell may be short enough for a table cell.
    table: bool
    #: Record cues a 'Label:' lead needs nearby (1 for a status field's label, 2 for any
    #: other label), or 0 when the candidate has no label before it.
    label_need: int


# --------------------------------------------------------------------------- the rules

_ANALYSIS_CACHE = 4096
# The window of text around a candidate that keys the sentence memo (see judge).
_WINDOW_BEFORE = 64
_WINDOW_AFTER = 96
_MEMO_SIZE = 4096

_WORDS = re.compile(r"[\w'’\-]+")
_POSSESSIVE_S = re.compile(r"['’]s$")
_DEFINITE_BEFORE = re.compile(
    r"\b(?:the|these|both|his|her|their|our|my|los|las|sus|estos|estas)\s+(?:\w+\s+)?$"
)
_BULLET_ONLY = re.compile(r"\s*(?:[-*•]|\d+[.)])?\s*")
_CONJ_END = re.compile(r"(?i)\b(?:porque|because|since|ya que|pues|as|so|and|y|but|pero)\s*$")
_NEG_WORD = re.compile(r"(?i)\b(?:not|never|no|nunca)\b")
_OWN = re.compile(r"(?i)\b(?:his|her|their|him|su)\b")
_DROP_PREP = re.compile(r"^\s+\S+\s+")
_FRAGMENT = re.compile(r"[\s>]*(?:[-*•]|\d{1,3}[.)])?\s*(?:(?i:still|also|now|and|y))?\s*")
_NEG_BEFORE = re.compile(r"(?i)\b(?:not|never|no|ni)\b[^.;]*$")
_CELL_SEPS = re.compile(r"\||\t| {3,}")
_COMMA = re.compile(",")
_COORD_GAP = re.compile(r"\s*(?:,|and|or|y|e|o|ni|&|/|\+)\s*(?:,\s*)?")
# CueSet.list_item, to match at a line's start inside the text
_LIST_AT = re.compile(r"\s*(?:>\s*)?(?:[-*•]|\d{1,3}[.)])\s+")
_LIST_ONLY = FieldHints(table=False, label_need=0)


@dataclass
class CategoryRules:
    """The context rules of one category. Subclasses adjust the hooks for their family."""

    lexicon: CategoryLexicon
    cues: CueSet
    user_terms: Sequence[Term] = ()
    #: Immigration: "not a citizen" is itself a status, so negation does not cancel.
    negation_is_status: bool = False
    #: Extra verbs for place terms ("staying at", "attends").
    place_verbs: Sequence[str] = ()
    index: TermIndex = field(init=False)
    terms: list[Term] = field(init=False)

    def __post_init__(self) -> None:
        self.category = self.lexicon.category
        self.detector_id = f"statuses.{self.category}"
        self.terms = [*self.lexicon.terms, *self.user_terms]
        self.index = TermIndex()
        # User terms first: an agency's own name for something wins over a built-in reading.
        for t in (*self.user_terms, *self.lexicon.terms):
            self.index.add(t)
        cues = self.cues
        verbs = [*cues.cues["verbs"], *self.lexicon.verbs]
        self.verb_tail = cues.verb_tail(verbs)
        place_verbs = [*self.lexicon.verbs, *self.place_verbs] or ["at"]
        # matched on the lower-cased text (see Lowered)
        self.place_tail = re.compile(
            rf"(?P<verb>(?<![\w'’]){_alt([v.lower() for v in place_verbs])})"
            rf"(?P<mods>(?:\s+(?!(?:and|or|but|because|who|which|that|if|y|o|pero|porque|que)\b)"
            rf"[^\s,;!?()]+){{0,6}})\s*$"
        )
        self.place_tail_caseless = re.compile(
            rf"(?P<verb>(?<![\w'’])(?i:{_alt(place_verbs)}))"
            rf"(?P<mods>(?:\s+(?!(?i:and|or|but|because|who|which|that|if|y|o|pero|porque|que)\b)"
            rf"[^\s,;!?()]+){{0,6}})\s*$"
        )
        self.not_followed = (
            re.compile(rf"^[\s\-]*(?i:{_alt(self.lexicon.not_followed_by)})(?![\w])")
            if self.lexicon.not_followed_by
            else None
        )
        self.not_preceded = (
            re.compile(rf"(?<![\w])(?i:{_alt(self.lexicon.not_preceded_by)})[\s\-]*$")
            if self.lexicon.not_preceded_by
            else None
        )
        # the last words of the 'not preceded by' phrases, as a text may spell them
        self._np_last = frozenset(
            w
            for phrase in self.lexicon.not_preceded_by
            for variant in expand_phrase(phrase)
            for w in _last_words(variant)
        )
        self._value_required = frozenset(self.lexicon.extra.get("value_required", ()))
        self._near_cache: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._nb_cache: dict[tuple[str, ...], re.Pattern[str]] = {}
        # Compile the per-term word lists now rather than on a first scan.
        for t in self.terms:
            if t.near:
                self._near(t.near)
            if t.not_before:
                self._nb(t.not_before)
        self._analyses: dict[tuple[str, int, int, str], tuple[Option, ...]] = {}
        self._windows: dict[tuple[str, int, int], tuple[int, tuple[Option, ...]]] = {}
        # the term of each spelling the prefilter matched (the same few recur)
        self._term_of: dict[str, Term | None] = {}

    # ------------------------------------------------------------------ prefilter

    def pattern_terms(self) -> list[Term]:
        """The terms whose phrases go into the prefilter."""
        return self.terms

    def resolve(self, text: str, start: int, end: int) -> Term | None:
        """The term a candidate span spells, if any."""
        return self.index.get(text[start:end])

    # ------------------------------------------------------------------ driver

    def run(self, doc: DocView, groups: Sequence[Sequence[Candidate]]) -> list[Finding]:
        """Judge the candidates of this category (one list per prefilter key, each sorted by
        start) and return the findings."""
        out: list[Finding] = []
        text = doc.text
        seen_until = -1
        last: tuple[int, float, tuple[str, ...]] | None = None  # end, confidence, evidence
        terms = self._term_of
        if len(terms) >= _ANALYSIS_CACHE:
            terms.clear()
        # One key holds one candidate per start; several keys need merging, longest first.
        if len(groups) == 1:
            cands = groups[0]
        else:
            # by end, longest first, then (a stable sort) by start: two sorts on C-level
            # keys cost less than one on a Python key function
            cands = sorted(chain(*groups), key=_END, reverse=True)
            cands.sort(key=_START)
        for s, e in cands:
            if e <= seen_until:
                continue  # contained in a longer candidate already judged
            matched = text[s:e]
            if matched in terms:
                term = terms[matched]
            else:
                term = terms[matched] = self.index.get(matched)
            if term is None:
                continue  # spells no known term (a prefilter match wider than the phrase)
            seen_until = e
            hit = Hit(term, s, e)
            j = self.judge(doc, hit)
            if j is None and last is not None:
                j = self._coordinated(doc, hit, last)
            if j is None:
                j = self._logged(doc, hit)
            if j is None or j.confidence < MIN_CONFIDENCE:
                continue
            if _in_address(text, s, e) or doc.software_near(s):
                continue  # an e-mail address or URL, or a program's documentation
            out.append(
                Finding(
                    category=self.category,
                    start=j.start,
                    end=j.end,
                    text=doc.text[j.start : j.end],
                    confidence=min(0.99, j.confidence),
                    detector=self.detector_id,
                    evidence=j.evidence,
                )
            )
            last = (j.end, j.confidence, j.evidence)
        return _merge(out) if len(out) > 1 else out

    def _logged(self, doc: DocView, hit: Hit) -> Judgement | None:
        """A status in a stamped log entry about a person ("0240 MED SCREEN: INSULIN
        DEPENDENT DIABETIC" under "0215 RECVD INMATE ..."), which the sentence rules, looking
        for a pronoun or a verb, bind to no one (see :mod:`.logs`)."""
        text = doc.text
        s, e = hit.start, hit.end
        ls = text.rfind("\n", 0, s) + 1
        # cheap gate first: most rejected candidates sit on lines that open with no stamp
        if not log_line_start(text, ls):
            return None
        if not hit.term.person_context or hit.term.kind is Kind.PLACE:
            return None
        if not at_word_boundary(text, s, e) or log_roles().fullmatch(text[s:e]):
            return None  # "0115 RESIDENT 'DEE'": the role word names the person, no status
        why = doc.ctx.shared(LOG_KEY, log_view).entry_person(s)
        if why is None:
            return None
        le = text.find("\n", e)
        le = len(text) if le < 0 else le
        cl = make_clause(text[ls:le], s - ls, e - ls, text[le : le + 1])
        if not self.basic_ok(cl, hit.term) or log_negated(cl.raw[: cl.s]):
            return None
        if doc.line_killed(s) or doc.quoted_example(s):
            return None
        if hit.term.kind is Kind.WEAK and not (why == "log:entry" or log_field_value(cl.raw, cl.s)):
            return None  # a weak term needs its person in its own entry, or a field to fill
        return Judgement(s, e, CONF_RECORD, (why,))

    def _coordinated(
        self, doc: DocView, hit: Hit, last: tuple[int, float, tuple[str, ...]]
    ) -> Judgement | None:
        """ "on SNAP and Medicaid": a term coordinated with an accepted one inherits it."""
        end, conf, ev = last
        gap = doc.text[end : hit.start]
        if len(gap) > 12 or not _COORD_GAP.fullmatch(gap):
            return None
        if not at_word_boundary(doc.text, hit.start, hit.end):
            return None
        return Judgement(hit.start, hit.end, conf, (*ev, "coordinated"))

    # ------------------------------------------------------------------ judging

    def judge(self, doc: DocView, hit: Hit) -> Judgement | None:
        """Decide one candidate: the memoized analysis of its sentence, then its checks.

        Two memos: the analysis by sentence, and the sentence by the text right around the
        candidate. The second spares finding the sentence's bounds when the same few lines
        recur (boilerplate, a sentence every bulletin repeats); it is filled only when
        everything that decided the bounds lies inside that window of text.
        """
        text = doc.text
        s, e = hit.start, hit.end
        # at_word_boundary, spelled out: this runs for every candidate
        if (s > 0 and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
            return None
        if not hit.term.person_context:
            # An agency's term that is sensitive wherever it appears: no binding, no kills.
            ss, se = doc.clause_at(s, e)
            if not self.basic_ok(
                make_clause(text[ss:se], s - ss, e - ss, text[se : se + 1]), hit.term
            ):
                return None
            return Judgement(s, e, CONF_RECORD, ("user-lexicon",))
        w0 = s - _WINDOW_BEFORE if s > _WINDOW_BEFORE else 0
        w1 = e + _WINDOW_AFTER
        wkey = (text[w0:w1], s - w0, e - w0)
        got = self._windows.get(wkey)
        if got is None:
            ss, se, read_lo, read_hi = doc.sentence_span(s, e)
            raw = text[ss:se]
            if "\n" in raw:
                raw = unwrap_quotes(raw)  # a sentence joined across wrapped lines
            key = (raw, s - ss, e - ss, text[se : se + 1])
            options = self._analyses.get(key)
            if options is None:
                options = self.analyse(make_clause(*key), hit.term)
                if len(self._analyses) >= _ANALYSIS_CACHE:
                    self._analyses.clear()
                self._analyses[key] = options
            got = (s - ss, options)
            if read_lo >= w0 and read_hi <= w1:
                if len(self._windows) >= _ANALYSIS_CACHE:
                    self._windows.clear()
                self._windows[wkey] = got
        options = got[1]
        return self.decide(doc, hit, s - got[0], options) if options else None

    def analyse(self, cl: Clause, term: Term) -> tuple[Option, ...]:
        """The options of a candidate, from its sentence alone (memoized by :meth:`judge`)."""
        if not self.basic_ok(cl, term):
            return ()
        opts = self.options(cl, term)
        # Binding first: in ordinary text most candidates bind to no one and stop there, so
        # the kill checks run only for the rest. A kill overrides any binding.
        if not opts or self.killed(cl):
            return ()
        return tuple(opts)

    def options(self, cl: Clause, term: Term) -> list[Option]:
        """The binding options of a candidate. Subclasses add category-specific grammar."""
        if term.kind is Kind.PLACE:
            return self.place_options(cl)
        return self.bind_options(cl, term)

    def decide(
        self, doc: DocView, hit: Hit, ss: int, options: Sequence[Option]
    ) -> Judgement | None:
        """The first option whose check holds, adjusted for the document around it."""
        for opt in options:
            extra = HOLDS
            if opt.check is not None:
                got = opt.check(doc, ss, hit)
                if got is None:
                    continue
                extra = got
            if opt.conf <= 0:
                return None
            if doc.line_killed(hit.start) or doc.quoted_example(hit.start):
                return None
            conf = opt.conf + extra[0]
            evidence = extra[1] + opt.evidence
            if opt.adjust != ADJ_NONE:
                has_record = doc.has_record(hit.start)
                if not has_record and doc.memo_near(hit.start):
                    conf -= 0.15
                    if opt.adjust == ADJ_BIND:
                        evidence += ("memo-like",)
                        if hit.term.kind is Kind.WEAK:
                            conf -= 0.15
                if has_record and opt.adjust == ADJ_BIND:
                    conf += 0.03
            return Judgement(ss + opt.start, ss + opt.end, conf, evidence)
        return None

    def basic_ok(self, cl: Clause, term: Term) -> bool:
        """'Followed by'/'preceded by' exclusions and 'requires near' words."""
        s, e = cl.s, cl.e
        right = cl.right_text(e, 40)
        left = cl.raw[max(0, s - 40) : s]
        if self.not_followed and self.not_followed.match(right):
            return False
        if term.not_before and self._nb(term.not_before).match(right):
            return False
        if self.not_preceded and (
            self._preceded(left)
            # "takes SNAP/EBT": a term coordinated with an excluded one is excluded too
            or self._preceded(_uncoordinated(left))
        ):
            return False
        return not term.near or bool(self._near(term.near).search(cl.raw))

    def _preceded(self, left: str) -> bool:
        """Whether ``left`` ends with a 'not preceded by' phrase. The pattern is anchored at
        the end, which Python's ``re`` can only find by trying every position: the last
        word is looked up first, and most candidates stop there."""
        j = len(left)
        while j and not left[j - 1].isalnum():
            j -= 1
        k = j
        while k and left[k - 1].isalnum():
            k -= 1
        if left[k:j].lower() not in self._np_last:
            return False
        return bool(self.not_preceded and self.not_preceded.search(left))

    def _near(self, words: tuple[str, ...]) -> re.Pattern[str]:
        rx = self._near_cache.get(words)
        if rx is None:
            rx = re.compile(rf"(?i:{_alt(words)})")
            self._near_cache[words] = rx
        return rx

    def _nb(self, words: tuple[str, ...]) -> re.Pattern[str]:
        rx = self._nb_cache.get(words)
        if rx is None:
            rx = re.compile(rf"^[\s\-]*(?i:{_alt(words)})(?![\w])")
            self._nb_cache[words] = rx
        return rx

    def killed(self, cl: Clause) -> bool:
        """Questions, hypotheticals, prohibitions and topics (FAQ and form lines: on the
        document, see :meth:`DocView.line_killed`)."""
        cues = self.cues
        if cl.question and not self._presupposing_question(cl.left):
            return True
        # A hypothetical marker governs the rest of its clause up to a comma.
        last_hyp = None
        for m in cues.hypothetical.finditer(cl.left):
            last_hyp = m
        if (
            last_hyp is not None
            and "," not in cl.left[last_hyp.end() :]
            and not self._reported_question(cl.left, last_hyp)
        ):
            return True
        last_ban = None
        for m in cues.prohibition.finditer(cl.raw[cl.sent_start : cl.s]):
            last_ban = m
        if last_ban is not None and not self._new_clause(
            cl.raw[cl.sent_start + last_ban.end() : cl.s]
        ):
            return True
        if cues.topic_tail.search(cl.left[-60:]):
            return True
        return self._topic_list(cl.left[-200:])

    def _presupposing_question(self, left: str) -> bool:
        """Whether a question takes a specific person's status as given rather than asking
        about it: "is she still getting SSI?" (the status holds, only its continuing is
        asked), "is this the same guy who has the ICE detainer?" (the status identifies him)."""
        tail = left[-80:]
        if _SAME_WHO.search(tail):
            return True
        last = None
        for m in _STILL.finditer(tail):
            last = m
        if last is None:
            return False
        before = tail[: last.start()].rstrip()
        ps = self.persons(before)
        return bool(ps) and ps[-1].end() == len(before) and not self.generic_subject(before)

    def _topic_list(self, tail: str) -> bool:
        """Whether the candidate is an item of a list governed by a topic word: "helps
        clients apply for Section 8, SNAP, Medicaid and SSI", "Protected statuses: national
        origin, disability, religion" name programs or classes, not anyone's own."""
        if "," not in tail and "/" not in tail:
            return False
        last = None
        for m in self.cues.topic.finditer(tail):
            last = m
        return last is not None and bool(_LIST_TAIL.fullmatch(tail, last.end()))

    def _reported_question(self, left: str, hyp: re.Match[str]) -> bool:
        """Whether an "if" opens a reported question about a specific person, not a
        condition: someone "asked if Ms. Ruiz is on WIC" still names her status, while
        "if the applicant is on WIC" or an imperative "ask whether they ..." does not.
        The asking verb is past or progressive (a report), and a specific person follows."""
        if not self.cues.asked_tail.search(left[max(0, hyp.start() - 40) : hyp.start()]):
            return False
        after = left[hyp.end() :]
        ps = self.persons(after)
        return bool(ps) and ps[0].start() <= 3 and not self.generic_subject(after)

    def _new_clause(self, between: str) -> bool:
        """Whether a prohibition's scope ended before the candidate: a comma, then a clause
        with a specific subject of its own ("please don't give anybody our info, my husband
        is in removal proceedings"), not its complement ("do not say, in any email, that
        the client is undocumented")."""
        comma = between.rfind(",")
        if comma < 0:
            return False
        rest = between[comma + 1 :]
        if _COMPLEMENT_OPEN.match(rest):
            return False
        ps = self.persons(rest)
        return bool(ps) and ps[0].start() <= 3 and not self.generic_subject(rest)

    # ------------------------------------------------------------------ binding

    def persons(self, text: str, *, strict: bool = False) -> list[re.Match[str]]:
        """Person references in a short text (see :meth:`CueSet.persons`)."""
        return self.cues.persons(text, strict=strict)

    def generic_subject(self, zone: str) -> bool:
        """Whether the subject zone is about people in general (no specific person after)."""
        return self.cues.generic_subject(zone)

    def bind_options(self, cl: Clause, term: Term) -> list[Option]:
        """Tie the phrase to a person: tiers A (bound), B (record field), C (nearby)."""
        cues = self.cues
        raw, s, e, left = cl.raw, cl.s, cl.e, cl.left
        weak = term.kind is Kind.WEAK
        modal = bool(cues.modal.search(left[-40:]))
        generic = bool(cues.generic_words.search(cl.sentence))
        opts: list[Option] = []

        def add(
            conf: float,
            evidence: tuple[str, ...],
            start: int = s,
            check: Check | None = None,
            *,
            recordish: bool = False,
        ) -> bool:
            """Append an option; True when it holds on the sentence alone (the rest is moot)."""
            if weak and conf < CONF_RECORD:
                opts.append(Option(0.0, (), s, e, check))
                return check is None
            if modal and not recordish and "record" not in " ".join(evidence):
                conf -= 0.15
                evidence += ("modal",)
            if generic:
                conf -= 0.05
            opts.append(Option(conf, evidence, start, e, check, ADJ_BIND))
            return check is None

        # ---- tier A: person + verb, possessive, own-verb phrase, person after
        tail140 = left[-140:]
        tail = self.verb_tail.search(tail140)
        if tail is not None and not _is_copula(tail140, tail):
            tail = None
        if tail is not None:
            zone_end = len(left) - len(tail140) + tail.start()
            zone = left[:zone_end]
            verb = tail.group("verb")
            negated = bool(tail.group("neg")) or bool(cues.negation_tail.search(zone[-16:]))
            if negated and not self.negation_is_status:
                return [Option(0.0, (), s, e)]
            persons = self.persons(zone) or (
                # "Óscar es gay": a lone name needs a plain copula for a weak term
                cues.lone_name_subject(zone) if not weak or verb.lower() in _PLAIN_COPULAS else []
            )
            if (
                persons
                and not self.generic_subject(zone)
                and not self._generic_spanish(persons[-1].group(), cl)
            ):
                span_start = s
                if negated:
                    neg_at = self._negation_start(left, zone_end)
                    if neg_at is not None:
                        span_start = cl.start + neg_at
                if add(
                    CONF_BOUND,
                    (f"person:{persons[-1].group().strip()}", f"verb:{verb}"),
                    span_start,
                ):
                    return opts
            elif subjectless(zone):
                # Subjectless clause ("Tiene diabetes", "- es evangélico", "Dice que es
                # indocumentado"): the person is the one the previous sentences are about.
                add(
                    CONF_BOUND - 0.1,
                    ("person:previous-sentence", f"verb:{verb}"),
                    check=check_recent(cl.start),
                )
                first = verb.split()[0].lower()
                if first in PRO_DROP_VERBS and not (
                    first in _COPULAS and _SUBJECT_AFTER.match(cl.right_text(e, 12))
                ):
                    # "Es católica", "Soy indocumentada": a copula with no subject speaks of
                    # someone as plainly as a record field does.
                    conf = CONF_RECORD if first in _COPULAS else CONF_NEAR + 0.05
                    add(conf, ("person:pro-drop", f"verb:{verb}"), check=check_not_memo)
            else:
                if _RECORD_SUBJECT.search(zone[-60:]):
                    # "The record shows a gender marker change": the record of the person at hand.
                    add(
                        CONF_BOUND - 0.05,
                        ("record-subject", f"verb:{verb}"),
                        check=check_recent(cl.start),
                    )
                if (
                    _CONJ_END.search(zone)
                    and self.persons(raw[cl.sent_start : cl.start + zone_end])
                    and add(CONF_BOUND - 0.05, ("person:same-sentence", f"verb:{verb}"))
                ):
                    return opts
        # "his immigration status" names a topic; "has no legal status" states a value: such
        # terms bind only through a verb.
        if term.phrase not in self._value_required:
            pm = cues.possessive_tail.search(left[-60:])
            if pm is not None and not cues.generic_possessive.search(left[-70:]):
                owner = pm.group().split()[0]
                low = owner.lower()
                ev = (f"possessive:{owner}",)
                if low in ("his", "her"):
                    if not self.generic_subject(left) and add(CONF_BOUND, ev):
                        return opts
                elif low in ("su", "sus"):
                    # "su" is also "your" (usted): not a third person in a text to the reader.
                    if (
                        not self.generic_subject(left)
                        and not _USTED.search(cl.sentence)
                        and not _ELIGIBLE_AFTER.search(cl.right)
                        and add(CONF_BOUND, ev)
                    ):
                        return opts
                elif low == "their":
                    if not self.generic_subject(left):
                        if self.persons(left[: len(left) - len(pm.group())]):
                            if add(CONF_BOUND - 0.1, ev):
                                return opts
                        else:
                            add(CONF_BOUND - 0.1, ev, check=check_recent(cl.start))
                elif self.persons(left[-60:][: pm.start() + len(owner)]) and add(CONF_BOUND, ev):
                    return opts
            if _YOUR_TAIL.search(left[-50:]) and not cues.generic_possessive.search(left[-70:]):
                # "Your application for SNAP benefits has been APPROVED" in a letter to a
                # named person: the addressee's own benefits, not a program description.
                add(CONF_RECORD, ("possessive:your", "addressed"), check=check_addressed)
            # "she uses a wheelchair", "El Sr. ... no tiene papeles": the phrase carries its
            # verb, and the subject stands right before it.
            near = left[-70:]
            ps = [
                p
                for p in self.persons(near)
                if p.lastgroup != "one" or p.end() == len(near.rstrip())
            ]
            if (
                not ps
                and not weak
                and len(left) <= 30
                and raw[s:e].split(None, 1)[0] in _OWN_VERB_STARTS
            ):
                # "Julian has an IEP": a given name alone opening the sentence, before a
                # phrase that opens with its verb (not "Active DACA recipients")
                ps = cues.lone_name_subject(left)
            if (
                ps
                and cues.adverb_gap.fullmatch(near[ps[-1].end() :])
                and not self.generic_subject(left)
                and not self._generic_spanish(ps[-1].group(), cl)
                and not _HEADER_LABEL.match(near, ps[-1].start())
            ):
                if not self.negation_is_status and _NEG_WORD.search(near[ps[-1].end() :]):
                    opts.append(Option(0.0, (), s, e))
                    return opts
                if add(CONF_BOUND - 0.05, (f"subject:{ps[-1].group().strip()}",)):
                    return opts
        if term.kind is Kind.PREDICATE:
            if (
                (_OWN.search(raw[s:e]) or self.persons(left))
                and not self.generic_subject(left)
                and not self._generic_spanish_zone(left, cl)
                and add(CONF_BOUND - 0.05, ("predicate+person",))
            ):
                return opts
            add(CONF_RECORD, ("predicate+record",), check=check_recent_record(cl.start))
            # the verb the phrase opens with, past a negation ("no tiene dónde vivir")
            words = raw[s:e].lower().split()
            first = (
                words[1] if len(words) > 1 and words[0] in ("no", "nunca", "never") else words[0]
            )
            if subjectless(left):
                # "Slept in car two nights.", "Naturalized 2011.": a note's sentence whose
                # subject is the person the previous sentences name (not a gerund, which
                # opens general statements: "Applying for TPS requires...").
                if not first.endswith("ing"):
                    add(
                        CONF_BOUND - 0.1,
                        ("predicate+previous-sentence",),
                        check=check_recent(cl.start),
                    )
                if first in PRO_DROP_VERBS:
                    add(CONF_NEAR + 0.05, ("predicate+pro-drop",), check=check_not_memo)
            elif (
                first in PRO_DROP_VERBS
                and not _SUBJECT_NP.search(left)
                and not self.generic_subject(left)
                and not cues.has_person(left)
            ):
                # "Antes de que lo arrestaran dormía en la calle": after a subordinate
                # clause, a Spanish verb with no noun subject anywhere before it.
                add(CONF_NEAR + 0.05, ("predicate+pro-drop",), check=check_not_memo)
            if (
                "," in left
                and not first.endswith("ing")
                and subjectless(left[left.rfind(",") + 1 :])
                and not subjectless(left)
                and not self.generic_subject(left)
            ):
                # "Born in Juárez, got deported in 2016": a note's predicates in a row,
                # each one's subject the person the previous sentences name.
                add(
                    CONF_BOUND - 0.15,
                    ("predicate+previous-clause",),
                    check=check_recent(cl.start),
                )
        right60 = cl.right_text(e, 60)
        pr = cues.person_right.match(right60)
        if pr is not None:
            # The word after "on/for/de" must itself be a person ("a detainer on Rosales"),
            # not a program or a place ("beneficios de Medicaid").
            after = _DROP_PREP.sub("", right60[pr.start() :])  # drop the preposition
            word = cues.name_word_re.match(after)
            at_start = [p for p in self.persons(after[:40]) if p.start() == 0]
            if (at_start or (word is not None and cues.lone_name_subject(word.group()))) and add(
                CONF_BOUND - 0.05, ("person-after",)
            ):
                return opts
        if _STATUS_AFTER.match(cl.right_text(e, 40)) and self._fragment_start(left):
            # "Medicaid active.", "SNAP (approved 03/2019)": a status field as a fragment.
            add(CONF_RECORD, ("record:status-line",), check=check_recent_record(cl.start))

        # "Sra. Lucero (católica)", "Mr. Baez (LPR)": a status in parentheses after a name.
        if left.endswith("(") and _CLOSE_PAREN.match(raw, e):
            before = left[:-1].rstrip()
            ps = self.persons(before[-60:])
            if (
                ps
                and ps[-1].end() == len(before[-60:])
                and add(CONF_BOUND - 0.1, (f"apposition:{ps[-1].group().strip()}",))
            ):
                return opts

        # A note line "<person>: <status>".
        pl = _PERSON_LABEL.match(raw, 0, s)
        if pl is not None and cues.adverb_gap.fullmatch(raw, pl.end(), s):
            label = pl.group("label")
            if (
                cues.has_person(label, strict=True)
                and not self.generic_subject(label)
                and not _HEADER_LABEL.match(raw, 0, s)
                and add(CONF_RECORD, ("record:person-label",))
            ):
                return opts

        if term.phrase in self._value_required:
            # "2. Immigration status, country of birth...": the name of a field, which
            # only a verb gives a value ("has no legal status")
            return opts
        # ---- tier B: record structure
        hints = self.field_hints(cl)
        add(CONF_RECORD, (), check=self._field_check(hints), recordish=True)

        # ---- tier C: a person in the clause, record cues around
        if weak:
            return opts
        if self._fragment_start(left) and not generic:
            add(CONF_NEAR + 0.05, ("fragment+record",), check=check_recent_record(cl.start))
        ps = self.persons(left + " " + cl.right, strict=True)
        if (
            ps
            and not self.generic_subject(left)
            and not generic
            and not cues.number_stat.search(cl.sentence)
        ):
            add(CONF_NEAR, (f"person-near:{ps[-1].group().strip()}",), check=check_record)
        return opts

    @staticmethod
    def _generic_spanish(person: str, cl: Clause) -> bool:
        """ "Sus hijos ciudadanos pueden...", "Los padres indocumentados pueden...": a
        "su/sus" (also "your") or "los/las" (also the generic article) subject in a statement
        of what such people may do, or in a text to the reader."""
        if not _SPANISH_GENERIC_DET.match(person):
            return False
        if _ELIGIBLE_AFTER.search(cl.right):
            return True
        return person[:2].lower() == "su" and bool(_USTED.search(cl.sentence))

    @staticmethod
    def _generic_spanish_zone(zone: str, cl: Clause) -> bool:
        """:meth:`_generic_spanish` for a whole subject zone ("Las personas que viven en su
        carro pueden pedir ayuda")."""
        return bool(_ELIGIBLE_AFTER.search(cl.right) and _SPANISH_PLURAL_NP.search(zone))

    @staticmethod
    def _fragment_start(left: str) -> bool:
        """Whether the term opens its clause (a note fragment: "Type 1 diabetic, needs...")."""
        return bool(_FRAGMENT.fullmatch(left))

    @staticmethod
    def _negation_start(left: str, zone_end: int) -> int | None:
        m = _NEG_BEFORE.search(left[max(0, zone_end - 20) :])
        if m is None:
            return None
        return max(0, zone_end - 20) + m.start()

    # ------------------------------------------------------------------ record fields

    def field_hints(self, cl: Clause) -> FieldHints:
        """What the sentence tells about the candidate as a record field.

        A table cell holds the candidate's separator-delimited piece of the sentence, so a
        piece longer than a cell rules the table out (a CSV row likewise needs every comma
        piece short); the 'Label:' lead is part of the sentence.
        """
        raw, s = cl.raw, cl.s
        cell_start = 0
        for m in _CELL_SEPS.finditer(raw, 0, s):
            cell_start = m.end()
        nxt = _CELL_SEPS.search(raw, s)
        piece = raw[cell_start : nxt.start() if nxt else len(raw)]
        table = len(piece.strip()) <= 48 or all(len(c.strip()) <= 40 for c in raw.split(","))
        lead = raw[:s]
        label_need = 0
        if self.cues.label_prefix.match(lead) and not _HEADER_LABEL.match(lead):
            # A label that names the field ("Status:", "SAVE response:", "Diagnosis:")
            # needs less record around it than an arbitrary one.
            label_need = 1 if _FIELD_LABEL.match(lead) else 2
        return FieldHints(table, label_need)

    def _field_check(self, hints: FieldHints) -> Check:
        if not hints.table and not hints.label_need:
            return self._list_check

        def check(doc: DocView, ss: int, hit: Hit) -> Extra | None:
            rec = self.record_field(doc, hit, hints)
            return None if rec is None else (0.0, (rec,))

        return check

    def _list_check(self, doc: DocView, ss: int, hit: Hit) -> Extra | None:
        """The field check of a candidate that can only be a list item (most prose): the
        line's start tells, before anything else is looked at."""
        text = doc.text
        if not _LIST_AT.match(text, text.rfind("\n", 0, hit.start) + 1):
            return None
        rec = self.record_field(doc, hit, _LIST_ONLY)
        return None if rec is None else (0.0, (rec,))

    def record_field(self, doc: DocView, hit: Hit, hints: FieldHints) -> str | None:
        """'Label: value' lines, table cells and list items of a person's record."""
        text = doc.text
        cues = self.cues
        ls, le = doc.line_bounds(hit.start)
        pos = hit.start - ls
        # Table row: a cell of a pipe/tab/wide-space/CSV row that also holds a name or a DOB.
        if hints.table:
            seps, csv_row = doc.line_shape(ls, le)
            if seps >= 2 or csv_row:
                line = text[ls:le]
                cell_start, cell_end = _cell_bounds(line, pos, seps >= 2)
                cell = line[cell_start:cell_end]
                if len(cell.strip()) <= 48 and doc.row_record(ls, le, cell_start, cell_end):
                    return "record:table-row"
        # Label: value, in a block with record cues.
        if hints.label_need:
            need = hints.label_need
            near = doc.record_count(hit.start, 500, 300)
            if near >= need or (
                need == 1
                # a status field of a block that names its person, here or a few lines up
                and (doc.persons_in(ls, le + 120, strict=True) or doc.person_before(ls))
            ):
                return "record:label"
        # List item under a person's name (or naming one).
        if cues.list_item.match(text[ls : min(le, ls + 40)]):
            line = text[ls:le]
            if cues.generic_words.search(line) or self.generic_subject(line):
                return None
            head = line[:pos]
            strong = [p for p in self.persons(head) if p.lastgroup in ("pron", "hon", "caps")]
            if cues.record_line.search(head) or strong:
                return "record:list-item"
            block = text[max(0, ls - 300) : ls]
            block = block[block.rfind("\n\n") + 1 :] if "\n\n" in block else block
            if cues.record_line.search(block):
                return "record:list-block"
        return None

    # ------------------------------------------------------------------ places

    def place_options(self, cl: Clause) -> list[Option]:
        """A place (shelter, parish, a named program site): needs a stay/attend verb + person."""
        left = cl.left
        t120 = left[-120:]
        low = t120.lower()
        m = (
            self.place_tail.search(low)
            if len(low) == len(t120)
            else self.place_tail_caseless.search(t120)
        )
        if m is None:
            return self.record_place(cl)
        place_verb = t120[m.start("verb") : m.end("verb")]
        verb_at = len(left) - len(t120) + m.start()
        zone = left[:verb_at]
        if self.cues.negation_tail.search(zone[-16:]):
            return [Option(0.0, (), cl.s, cl.e)]
        start = cl.start + verb_at
        comma = zone.rfind(",")
        if (
            (
                self.persons(zone)
                or self.cues.possessive_tail.search(zone[-40:] + " ")
                # "Wendy attends ...", "Wendy is from Honduras, attends ...": a given name as
                # the subject, of this verb or of the clause the verb continues
                or self.cues.lone_name_subject(zone)
                or self.cues.lone_name_subject(_AUX_TAIL.sub("", zone))
                or (
                    comma > 0
                    and subjectless(zone[comma + 1 :])
                    and _SINGULAR_VERB.match(zone, zone.find(" ", 1))
                    and self.cues.lone_name_subject(zone[: zone.find(" ", 1) + 1])
                )
            )
            and not self.generic_subject(zone)
        ):
            conf = CONF_BOUND - (0.15 if self.cues.modal.search(zone[-30:]) else 0.0)
            ev = (f"verb:{place_verb}", "place")
            return [Option(conf, ev, start, cl.e, None, ADJ_PLACE)]
        opts: list[Option] = []
        if subjectless(zone):
            opts.append(
                Option(
                    CONF_BOUND - 0.1,
                    ("place", "person:previous-sentence"),
                    start,
                    cl.e,
                    check_recent(cl.start),
                )
            )
            if place_verb.split()[0].lower() in PRO_DROP_VERBS:
                ev = ("place", "person:pro-drop")
                opts.append(Option(CONF_NEAR + 0.05, ev, start, cl.e, check_not_memo))
        return opts + self.record_place(cl)

    def record_place(self, cl: Clause) -> list[Option]:
        """A place as a field of a person's record (a table cell next to a name)."""
        if self._name_cell(cl):
            return []
        hints = self.field_hints(cl)
        if (
            not hints.table
            and not hints.label_need
            and (len(cl.left.split()) > 3 or len(cl.raw[cl.e : cl.end].split()) > 5)
        ):
            # "* Winter coat drive for the Westside shelter", "* Misa bilingüe y posada at
            # San José parish, Dec. 16 at 6 pm": a list item that mentions the place in a
            # sentence of its own, not a field whose value is the place
            return []
        check = self._field_check(hints)
        return [Option(CONF_RECORD - 0.05, ("place",), cl.s, cl.e, check)]

    def _name_cell(self, cl: Clause) -> bool:
        """Whether a capitalized place word opens a cell that a surname fills out: a given
        name ("Refugio Ayala", "Consuelo Baca"), which a name column of a table holds."""
        raw = cl.raw
        if not raw[cl.s : cl.s + 1].isupper() or raw[cl.start : cl.s].strip():
            return False
        cell = raw[cl.e : cl.end]
        m = _NAME_CELL_REST.match(cell)
        return m is not None and not any(w.lower() in _ORG_WORDS for w in cell.split())


# The auxiliaries between a subject and a stay verb ("Marcus has been living at ...").
_AUX_TAIL = re.compile(
    r"\s+(?i:(?:has|had|have)\s+been|is|was|ha\s+estado|había\s+estado|está|estaba|anda|sigue)"
    r"\s*$"
)
# A given name and a surname filling a cell ("Refugio Ayala"): the person, not a place.
_NAME_CELL_REST = re.compile(
    rf"[ ]+[{_UPPER}][{_LOWER}'’\-]+(?:[ ]+[{_UPPER}][{_LOWER}'’\-]+)?\s*$"
)

_CONTRACTION_SUBJECTS = frozenset(
    """
    he she it that who there here what mom dad mother father baby wife husband son
    daughter kid child guy family everyone subject client claimant
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_LAST_WORD = re.compile(r"([\w\-]+)$")


def _cell_bounds(line: str, pos: int, cells: bool) -> tuple[int, int]:
    """The piece of a row around ``pos``: between the separators (:data:`_CELL_SEPS` for a
    ``cells`` row, commas for a CSV row) that end at or before it and that start after it."""
    if cells and "   " in line:
        cell_start = 0
        for m in _CELL_SEPS.finditer(line):
            if m.end() > pos:
                break
            cell_start = m.end()
        sep = _CELL_SEPS.search(line, pos)
        return cell_start, sep.start() if sep else len(line)
    # one-character separators: found by string searches rather than by the pattern
    if cells:
        cell_start = max(line.rfind("|", 0, pos), line.rfind("\t", 0, pos)) + 1
        ends = [f for f in (line.find("|", pos), line.find("\t", pos)) if f >= 0]
        return cell_start, min(ends) if ends else len(line)
    comma = line.find(",", pos)
    return line.rfind(",", 0, pos) + 1, len(line) if comma < 0 else comma


_START = itemgetter(0)
_END = itemgetter(1)


def _is_copula(text: str, tail: TailMatch) -> bool:
    """ "he's a refugee" is a verb; "the State's program" is a possessive."""
    verb = tail.group("verb")
    if verb[:1] not in "'’" or verb[1:].lower() != "s":
        return True
    m = _LAST_WORD.search(text[: tail.start()])
    return bool(m and m.group(1).lower() in _CONTRACTION_SUBJECTS)


def record_finding(text: str, category: str, s: int, e: int, evidence: str) -> Finding:
    """A status read as the value of a record's field, cell or element (``text[s:e]``)."""
    return Finding(
        category=category,
        start=s,
        end=e,
        text=text[s:e],
        confidence=CONF_RECORD,
        detector=f"statuses.{category}",
        evidence=(evidence,),
    )


def _in_address(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` is part of an e-mail address or a URL (one unbroken token)."""
    lo, hi = max(0, s - 80), e + 80
    if text.find("@", lo, hi) < 0 and text.find("://", lo, hi) < 0 and "www." not in text[lo:hi]:
        return False  # the common case, found by C-level searches rather than a walk
    a = s
    while a > 0 and s - a < 80 and not text[a - 1].isspace() and text[a - 1] not in "<>(\"'":
        a -= 1
    b = e
    while b < len(text) and b - e < 80 and not text[b].isspace() and text[b] not in "<>)\"'":
        b += 1
    token = text[a:b]
    return "@" in token or "://" in token or token.startswith("www.")


def _merge(findings: list[Finding]) -> list[Finding]:
    """Drop findings contained in another of the same category."""
    findings.sort(key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    for f in findings:
        if out and f.start >= out[-1].start and f.end <= out[-1].end:
            continue
        out.append(f)
    return out
