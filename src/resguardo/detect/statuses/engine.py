"""The context engine shared by the protected-status categories.

A status word is a disclosure only where the text states it OF A PERSON (LABELING.md):
"Mr. Ruiz is a DACA recipient" is one, "Our office no longer answers questions about DACA
status" is not. The prefilter finds every lexicon phrase in one pass; for each candidate
this module looks only at the sentence around it and decides, in order:

1. **Quick rejections** - glued to a longer word, or followed/preceded by a word that makes
   it a thing rather than a status ("Catholic Charities", "disability insurance").
2. **Kills** - the sentence is a question, a hypothetical ("if the applicant is
   undocumented"), a prohibition ("do not ask whether..."), names a topic ("questions about
   DACA status"), sits in an FAQ question, or is negated ("is not homeless"; for
   immigration a negation is itself the status: "not a citizen").
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

Everything runs on windows of a few hundred characters around candidates, with
pre-compiled regexes; nothing loops over the whole text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.lexicon import (
    CategoryLexicon,
    ContextCues,
    Kind,
    Term,
    TermIndex,
    at_word_boundary,
    word_list_regex,
)
from resguardo.detect.patterns import PatternSpec

__all__ = [
    "CONF_BOUND",
    "CONF_NEAR",
    "CONF_RECORD",
    "MIN_CONFIDENCE",
    "CategoryRules",
    "Clause",
    "CueSet",
    "DocView",
    "Hit",
    "Judgement",
    "record_cue_specs",
    "resolve_hits",
    "sentence_bounds",
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
    tel ext dob d.o.b lic pob cob no.
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_SENTENCE_LIMIT = 300


_END_CHARS = re.compile(r"[.!?\n]")


def sentence_bounds(
    text: str, start: int, end: int, limit: int = _SENTENCE_LIMIT
) -> tuple[int, int]:
    """The sentence around ``[start, end)``: up to '.', '!', '?' or a newline, skipping the
    periods of abbreviations, initials and numbers. ``limit`` caps the look each way."""
    lo = max(0, start - limit)
    s = lo
    pos = start
    while pos > lo:
        # The nearest candidate end before pos, by C-speed rfind; stop at the first real one.
        i = max(
            text.rfind("\n", lo, pos),
            text.rfind(".", lo, pos),
            text.rfind("!", lo, pos),
            text.rfind("?", lo, pos),
        )
        if i < 0:
            break
        if text[i] != "." or _ends_sentence(text, i):
            s = i + 1
            break
        pos = i
    hi = min(len(text), end + limit)
    e = hi
    for m in _END_CHARS.finditer(text, end, hi):
        i = m.start()
        ch = text[i]
        if ch == "\n":
            e = i
            break
        if ch in "!?":
            if i + 1 >= len(text) or text[i + 1] in " \n\t\r\"”'":
                e = i
                break
            continue
        if _ends_sentence(text, i):
            e = i
            break
    return s, e


def _ends_sentence(text: str, i: int) -> bool:
    """Whether the period at ``text[i]`` ends a sentence."""
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt not in " \n\t\r\"”')":
        return False  # "3.5", "U.S.A", "a.m."
    if i > 0 and text[i - 1] == ".":
        return False  # dotted leaders: "Country of birth ........ Mexico"
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:i].lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and text[i - 1].isupper()):
        return False
    # A lowercase word after the period continues the sentence.
    k = i + 1
    while k < len(text) and text[k] in " \t":
        k += 1
    return not (k < len(text) and text[k].islower())


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

_CHUNK = 1024

_PRO_DROP_VERBS = frozenset(
    """
    es está era estaba fue son están eran fueron tiene tenía tienen tenían tuvo recibe
    reciben recibía recibían recibió vive viven vivía duerme dormía sufre sufría padece
    padecía nació llegó vino va iba asiste asistía usa utiliza se queda se quedaba
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_FORM_LINE = re.compile(r"\[\s?\]|\[[xX✓]\]|_{4,}|\bY/N\b|\(yes/no\)|\bsí/no\b|□|☐")

_USTED = re.compile(r"(?i)\b(?:usted|ustedes|you|your)\b")

_CLAUSE_SEPARATORS = re.compile(r";|\s--?\s|\s[–—]\s|\s-\s|\|| • |\t|:\s(?=[A-Z¿])")
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
    library museum center
    """.split()  # noqa: SIM905 - a word list reads better as text
)

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


@dataclass(frozen=True, slots=True)
class Hit:
    """A prefilter candidate resolved to its lexicon term."""

    term: Term
    start: int
    end: int


@dataclass(slots=True)
class Judgement:
    """A decision to raise a finding: span, confidence and the evidence used."""

    start: int
    end: int
    confidence: float
    evidence: tuple[str, ...] = ()


# --------------------------------------------------------------------------- cue patterns

# Record cues are declared as prefilter patterns so that "is there a case record near
# here?" costs a bisect, not a regex over the text. Keys: "statuses.cue.record.N" and
# "statuses.cue.memo.N".
_RECORD_CUES: tuple[tuple[str, bool], ...] = (
    (
        r"\b(?:DOB|D\.O\.B|[Dd]ate of [Bb]irth|[Bb]irth ?[Dd]ate|[Ff]echa de [Nn]acimiento"
        r"|[Ff]\. ?[Nn]ac)\b",
        False,
    ),
    (r"\b(?:EAC|WAC|LIN|SRC|NBC|MSC|IOE|YSC)\d{10}\b", False),
    (r"\b(?:Mr|Mrs|Ms|Sr|Sra|Srta)\.? [A-Z][a-z]", False),
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

# Record cues without a literal to anchor on (dates, numbers, "First LAST" names, street
# addresses) would slow the one-pass prefilter down several times; they are counted with
# Python on the window around a candidate instead, and only when there is a candidate.
_WINDOW_RECORD_CUES = re.compile(
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


def record_cue_specs(memo_words: Sequence[str]) -> tuple[list[PatternSpec], list[str], list[str]]:
    """Prefilter specs for record and memo cues, with their keys split by kind."""
    from resguardo.detect.lexicon import compile_phrase

    specs: list[PatternSpec] = []
    rec_keys: list[str] = []
    memo_keys: list[str] = []
    for i, (rx, caseless) in enumerate(_RECORD_CUES):
        key = f"statuses.cue.record.{i}"
        specs.append(PatternSpec(key=key, regex=rx, caseless=caseless))
        rec_keys.append(key)
    memo_alt = "(?:" + "|".join(sorted({compile_phrase(w) for w in memo_words})) + ")"
    for i, rx in enumerate((memo_alt, *_MEMO_EXTRA)):
        key = f"statuses.cue.memo.{i}"
        specs.append(PatternSpec(key=key, regex=rx, caseless=(i == 0)))
        memo_keys.append(key)
    return specs, rec_keys, memo_keys


# --------------------------------------------------------------------------- compiled cues


def _alt(words: Iterable[str]) -> str:
    return word_list_regex(words)


def _strict(word: str) -> str:
    """A regex for ``word`` where accented letters must keep their accent (either case)."""
    return "".join(f"[{c}{c.upper()}]" if not c.isascii() else re.escape(c) for c in word)


class CueSet:
    """The context regexes built from ``context.yaml``, compiled once per detector."""

    def __init__(self, cues: ContextCues) -> None:
        self.cues = cues
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
        self.person = re.compile(
            rf"(?P<pron>(?<![\w'’\-])(?i:{pronouns})(?![\w\-]))"
            rf"|(?P<i>\bI(?=['’ ](?:am|was|have|had|m|ve|d|got|receive|get)\b))"
            rf"|(?P<hon>\b(?i:{honor})\.?\s+(?:{name_word}|{caps_word})(?:\s+(?:{name_word}|{caps_word}))*"
            rf"(?!\s+(?:County|Co\b|City|Street|St\b|Road|Rd\b|Ave)))"
            rf"|(?P<caps>\b{name_word}(?:\s+{name_word})*\s+{caps_word}(?:[\s\-]+{caps_word})*\b"
            rf"|\b{caps_word}(?:\s+{caps_word})*,\s*{name_word})"
            rf"|(?P<group>(?:(?i:the following|these|all (?:three|four|five)"
            rf"|the (?:two|three|four|five)"
            rf"|los tres|las tres)"
            rf"\s+(?i:people|persons|individuals|clients|residents|customers|members|adults"
            rf"|children|kids|family members|personas|clientes|miembros|niños)"
            rf"|(?<![\w\-])(?i:both|los dos|las dos|ambos|ambas))(?![\w\-]))"
            rf"|(?P<role>(?i:{self.det_alt})\s+(?:[\w\-]+\s+){{0,2}}?(?i:{self.role_alt})(?![\w\-]))"
            rf"|(?P<fam>(?:^|(?<=[.!?:;\n>\-,(]\s)|(?<=^\s)|(?<=\n))(?i:{bare})(?=[\s,:]))"
            rf"|(?P<name>\b(?!(?:El|La|Los|Las|The|This|That|These|Those|His|Her|Their|Our|My|Su|Sus"
            rf"|Un|Una|A|An|Mr|Mrs|Ms|Dr|Sr|Sra|Srta|Don|Doña)\b){name_word}"
            rf"(?:\s+(?:de\s+la\s+|de\s+|del\s+)?{name_word})+)"
            rf"|(?P<one>(?<=[a-z,;]\s){name_word})",
        )
        self.indefinite = re.compile(rf"(?i:{_alt(cues['indefinite_persons'])})")
        self.generic_plural = re.compile(rf"(?i:{_alt(cues['generic_plurals'])})")
        self.hypothetical = re.compile(rf"(?i:{_alt(cues['hypothetical'])})")
        self.prohibition = re.compile(rf"(?i:{_alt(cues['prohibition'])})")
        self.topic_tail = re.compile(
            rf"(?i:{_alt(cues['topic'])})(?:\s+[\w'’\-]+){{0,3}}\s*[\"“']?$"
        )
        self.generic_words = re.compile(rf"(?i:{_alt(cues['generic_words'])})")
        self.modal = re.compile(rf"(?i:{_alt(cues['modals'])})")
        self.adverbs_alt = _alt(cues["adverbs"])
        self.breakers_alt = _alt(cues["breakers"])
        self.negation_tail = re.compile(
            r"(?i:(?:\bnot|n['’]t|\bnever|\bno longer|\bno|\bnunca|\bya no|\bni)\b\s*"
            r"(?:\w+\s+){0,1}$)"
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

    def verb_tail(self, verbs: Sequence[str]) -> VerbTail:
        """A disclosure verb (plus adverbs, a particle, up to 3 modifiers) ending a text."""
        plain = [v for v in verbs if not v.startswith("'")]
        contractions = sorted({v[1:] for v in verbs if v.startswith("'")}, key=len, reverse=True)
        contr = (
            rf"(?<=\w)['’](?:{'|'.join(map(re.escape, contractions))})\b"
            if contractions
            else "(?!)"
        )
        particles = r"(?:on|in|at|as|of|for|with|through|into|en|de|con|como|por|a)"
        verb = re.compile(rf"{contr}|(?<![\w'’])(?i:{_alt(plain)})")
        rest = re.compile(
            rf"(?P<neg>\s+(?i:not|never|no longer|no|nunca|ya no)\b|n['’]t\b)?"
            rf"(?:\s+(?i:{self.adverbs_alt}))*"
            rf"(?:\s+(?i:{particles})\b)?"
            rf"(?:\s+(?!(?i:{self.breakers_alt})(?![\w\-]))[^\s,;:.!?()\[\]]+){{0,3}}"
            rf"\s*[\"“(]?"
        )
        return VerbTail(verb, rest)


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
    we want the nearest one, so verbs are tried from the right.
    """

    def __init__(self, verb: re.Pattern[str], rest: re.Pattern[str]) -> None:
        self.verb = verb
        self.rest = rest

    def search(self, text: str) -> TailMatch | None:
        """The nearest verb whose remainder up to the end of ``text`` is adverbs/modifiers."""
        for m in reversed(list(self.verb.finditer(text))):
            r = self.rest.fullmatch(text, m.end())
            if r is not None:
                return TailMatch(m.start(), m.group(), r.group("neg") or "")
            if len(text) - m.end() > 80:
                break
        return None


# --------------------------------------------------------------------------- document view


class DocView:
    """Cheap, cached views of one scanned text for the rules."""

    def __init__(self, ctx: ScanContext, record_keys: Sequence[str], memo_keys: Sequence[str]):
        self.ctx = ctx
        self.text = ctx.text
        self._record_keys = record_keys
        self._memo_keys = memo_keys
        self._chunk_cues: dict[int, list[int]] = {}
        self._sentences: dict[tuple[int, int], tuple[int, int]] = {}

    @cached_property
    def record_starts(self) -> list[int]:
        """Start offsets of the prefiltered (literal) record cues, sorted."""
        out: list[int] = []
        for k in self._record_keys:
            out.extend(c.start for c in self.ctx.hits(k))
        out.sort()
        return out

    @cached_property
    def memo_starts(self) -> list[int]:
        """Start offsets of every memo/notice/newsletter cue, sorted."""
        out: list[int] = []
        for k in self._memo_keys:
            out.extend(c.start for c in self.ctx.hits(k))
        out.sort()
        return out

    def _window_cues(self, chunk: int) -> list[int]:
        """Starts of the unanchored record cues in one 1 KB chunk, scanned once."""
        got = self._chunk_cues.get(chunk)
        if got is None:
            lo = chunk * _CHUNK
            # Overlap into the next chunk so that a cue across the border is not lost;
            # keep only cues that start inside this chunk.
            got = []
            for m in _WINDOW_RECORD_CUES.finditer(
                self.text, lo, min(len(self.text), lo + _CHUNK + 80)
            ):
                if m.start() >= lo + _CHUNK:
                    break
                caps = re.findall(r"[A-Z]{2,}", m.group())
                if caps and all(w in _ACRONYM_STOP for w in caps):
                    continue  # "Active DACA", "Households SNAP": acronyms, not surnames
                got.append(m.start())
            self._chunk_cues[chunk] = got
        return got

    def record_near(self, pos: int, before: int = 700, after: int = 300) -> int:
        """How many case-record cues lie within a window around ``pos``."""
        lo, hi = max(0, pos - before), pos + after
        starts = self.record_starts
        n = bisect.bisect_right(starts, hi) - bisect.bisect_left(starts, lo)
        for chunk in range(lo // _CHUNK, min(hi, len(self.text)) // _CHUNK + 1):
            n += sum(1 for c in self._window_cues(chunk) if lo <= c <= hi)
        return n

    def clause_at(self, start: int, end: int) -> tuple[int, int]:
        """Cached sentence bounds of a span."""
        key = (start, end)
        got = self._sentences.get(key)
        if got is None:
            got = sentence_bounds(self.text, start, end)
            self._sentences[key] = got
        return got

    def memo_near(self, pos: int, width: int = 4000) -> int:
        """How many memo cues lie within ``width`` characters of ``pos``."""
        starts = self.memo_starts
        lo = bisect.bisect_left(starts, pos - width)
        hi = bisect.bisect_right(starts, pos + width)
        return hi - lo

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """The line holding ``pos``."""
        return self.ctx.line_bounds(pos)


# --------------------------------------------------------------------------- the rules


@dataclass
class Clause:
    """The sentence and clause around a candidate, and the text on either side of it."""

    sent_start: int
    sent_end: int
    start: int
    end: int
    left: str
    right: str
    sentence: str
    question: bool


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
        self.place_tail = re.compile(
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
        self._near_cache: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._nb_cache: dict[tuple[str, ...], re.Pattern[str]] = {}
        # Compile the per-term word lists now rather than on a first scan.
        for t in self.terms:
            if t.near:
                self._near(t.near)
            if t.not_before:
                self._nb(t.not_before)
        self._person_memo: dict[tuple[str, bool], list[re.Match[str]]] = {}
        self._generic_memo: dict[str, bool] = {}

    # ------------------------------------------------------------------ prefilter

    def pattern_terms(self) -> list[Term]:
        """The terms whose phrases go into the prefilter."""
        return self.terms

    def resolve(self, text: str, start: int, end: int) -> Term | None:
        """The term a candidate span spells, if any."""
        return self.index.get(text[start:end])

    # ------------------------------------------------------------------ driver

    def run(self, doc: DocView, hits: Sequence[Hit]) -> list[Finding]:
        """Judge every candidate of this category and return the findings."""
        out: list[Finding] = []
        seen_until = -1
        last: tuple[int, float, tuple[str, ...]] | None = None  # end, confidence, evidence
        for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
            if hit.end <= seen_until:
                continue  # contained in a longer candidate already judged
            seen_until = max(seen_until, hit.end)
            j = self.judge(doc, hit)
            if j is None and last is not None:
                j = self._coordinated(doc, hit, last)
            if j is None or j.confidence < MIN_CONFIDENCE:
                continue
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
        return _merge(out)

    def _coordinated(
        self, doc: DocView, hit: Hit, last: tuple[int, float, tuple[str, ...]]
    ) -> Judgement | None:
        """ "on SNAP and Medicaid": a term coordinated with an accepted one inherits it."""
        end, conf, ev = last
        gap = doc.text[end : hit.start]
        if len(gap) > 12 or not re.fullmatch(r"\s*(?:,|and|or|y|e|o|ni|&|/|\+)\s*(?:,\s*)?", gap):
            return None
        if not at_word_boundary(doc.text, hit.start, hit.end):
            return None
        return Judgement(hit.start, hit.end, conf, (*ev, "coordinated"))

    # ------------------------------------------------------------------ judging

    def judge(self, doc: DocView, hit: Hit) -> Judgement | None:
        """Decide one candidate. Subclasses override for category-specific grammar."""
        if not self.basic_ok(doc, hit):
            return None
        cl = self.clause(doc, hit.start, hit.end)
        if not hit.term.person_context:
            return Judgement(hit.start, hit.end, CONF_RECORD, ("user-lexicon",))
        # Binding first: in ordinary text most candidates find no person and stop there,
        # so the kill checks (hypothetical, prohibition, topic...) run only for the rest.
        if hit.term.kind is Kind.PLACE:
            j = self.judge_place(doc, hit, cl)
        else:
            j = self.bind(doc, hit, cl)
        if j is None or self.killed(doc, hit, cl):
            return None
        return j

    def basic_ok(self, doc: DocView, hit: Hit) -> bool:
        """Boundaries, 'followed by'/'preceded by' exclusions and 'requires near' words."""
        text = doc.text
        s, e = hit.start, hit.end
        if not at_word_boundary(text, s, e):
            return False
        right = text[e : e + 40]
        left = text[max(0, s - 40) : s]
        if self.not_followed and self.not_followed.match(right):
            return False
        if hit.term.not_before and self._nb(hit.term.not_before).match(right):
            return False
        if self.not_preceded and self.not_preceded.search(left):
            return False
        if hit.term.near:
            ss, se = doc.clause_at(s, e)
            if not self._near(hit.term.near).search(text, ss, se):
                return False
        return True

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

    def clause(self, doc: DocView, s: int, e: int) -> Clause:
        """The sentence and the clause (between ';', ' -- ', '|'...) around ``[s, e)``."""
        text = doc.text
        ss, se = doc.clause_at(s, e)
        sentence = text[ss:se]
        # Quoted-reply markers are not part of the sentence.
        lead = re.match(r"[\s>]*", sentence)
        if lead and lead.end():
            ss += lead.end()
            sentence = text[ss:se]
        cs = ss
        for m in _CLAUSE_SEPARATORS.finditer(text, ss, s):
            cs = m.end()
        ce = se
        m2 = _CLAUSE_SEPARATORS.search(text, e, se)
        if m2:
            ce = m2.start()
        question = (se < len(text) and text[se] == "?") or "¿" in sentence[: s - ss + 1]
        if not question and "?" in text[e:se]:
            question = True
        return Clause(ss, se, cs, ce, text[cs:s], text[e:ce], sentence, question)

    def killed(self, doc: DocView, hit: Hit, cl: Clause) -> bool:
        """Questions, hypotheticals, prohibitions, topics and FAQ questions."""
        cues = self.cues
        if cl.question:
            return True
        text = doc.text
        # A hypothetical marker governs the rest of its clause up to a comma.
        last_hyp = None
        for m in cues.hypothetical.finditer(cl.left):
            last_hyp = m
        if last_hyp is not None and "," not in cl.left[last_hyp.end() :]:
            return True
        sent_left = text[cl.sent_start : hit.start]
        if cues.prohibition.search(sent_left):
            return True
        if cues.topic_tail.search(cl.left[-60:]):
            return True
        ls, le = doc.line_bounds(hit.start)
        line_head = text[ls : ls + 12].lstrip(" >\t")
        if re.match(r"(?:Q|P|Pregunta)\s?[:.]\s", line_head):
            return True
        if _FORM_LINE.search(text, ls, le):
            return True  # a blank form: "Is this person a U.S. citizen? [ ] Yes [ ] No"
        # FAQ answers talk about cases in general, like the questions they answer.
        return bool(
            re.match(r"(?:A|R|Respuesta)\s?[:.]\s", line_head)
            and re.search(r"(?m)^\s*(?:Q|P|Pregunta)\s?[:.]\s", text[max(0, ls - 1500) : ls])
        )

    # ------------------------------------------------------------------ binding

    def persons(self, text: str, *, strict: bool = False) -> list[re.Match[str]]:
        """Person references in a short text, without generic or name-lookalike ones.

        ``strict`` drops lone capitalized words ("Vegas" of "Las Vegas"), which are good
        enough as the subject right before a verb but not as a person merely nearby.
        """
        key = (text, strict)
        cached = self._person_memo.get(key)
        if cached is not None:
            return cached
        out: list[re.Match[str]] = []
        for m in self.cues.person.finditer(text):
            kind = m.lastgroup
            if strict and kind == "one":
                continue
            val = m.group()
            if kind in ("name", "one", "caps", "hon"):
                words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’\-]+", val)]
                if kind != "hon" and any(w.lower() in _NOT_NAMES for w in words[:1]):
                    continue
                if any(w.lower() in _ORG_WORDS for w in words[1:] if not w.isupper()):
                    continue
                if kind in ("name", "one") and any(w.lower() in _ORG_WORDS for w in words):
                    continue
                if kind == "caps":
                    caps = [w for w in words if w.isupper()]
                    if caps and all(w in _ACRONYM_STOP for w in caps):
                        continue
                if kind == "one" and (val.lower() in _NOT_NAMES or val.isupper()):
                    continue
            out.append(m)
        if len(self._person_memo) > 4096:
            self._person_memo.clear()  # windows repeat within a document, not across them
        self._person_memo[key] = out
        return out

    def generic_subject(self, zone: str) -> bool:
        """Whether the subject zone is about people in general (no specific person after)."""
        cached = self._generic_memo.get(zone)
        if cached is None:
            cached = self._generic_subject(zone)
            if len(self._generic_memo) > 4096:
                self._generic_memo.clear()
            self._generic_memo[zone] = cached
        return cached

    def _generic_subject(self, zone: str) -> bool:
        cues = self.cues
        gen_end = -1
        for m in cues.generic_plural.finditer(zone):
            # "the two kids", "both children": a definite plural is specific people.
            before = zone[max(0, m.start() - 20) : m.start()].lower()
            if re.search(
                r"\b(?:the|these|both|his|her|their|our|my|los|las|sus|estos|estas)\s+(?:\w+\s+)?$",
                before,
            ):
                continue
            gen_end = m.end()
        for m in cues.indefinite.finditer(zone):
            gen_end = max(gen_end, m.end())
        if gen_end < 0:
            return False
        return not any(p.start() >= gen_end for p in self.persons(zone))

    def bind(self, doc: DocView, hit: Hit, cl: Clause) -> Judgement | None:
        """Tie the phrase to a person: tiers A (bound), B (record field), C (nearby)."""
        cues = self.cues
        term = hit.term
        text = doc.text
        s, e = hit.start, hit.end
        left = cl.left
        span_start = s
        evidence: list[str] = []
        conf = 0.0

        # ---- tier A: person + verb, possessive, own-verb phrase, person after
        tail = self.verb_tail.search(left[-140:])
        if tail is not None and not _is_copula(left[-140:], tail):
            tail = None
        if tail is not None:
            zone_end = len(left) - len(left[-140:]) + tail.start()
            zone = left[:zone_end]
            negated = bool(tail.group("neg")) or bool(cues.negation_tail.search(zone[-16:]))
            if negated and not self.negation_is_status:
                return None
            persons = self.persons(zone) or (
                [] if term.kind is Kind.WEAK else self._lone_name_subject(zone)
            )
            if persons and not self.generic_subject(zone):
                conf = CONF_BOUND
                evidence += [f"person:{persons[-1].group().strip()}", f"verb:{tail.group('verb')}"]
                if negated:
                    neg_at = self._negation_start(left, zone_end)
                    if neg_at is not None:
                        span_start = cl.start + neg_at
            elif not zone.strip() or re.fullmatch(r"\s*(?:[-*•]|\d+[.)])?\s*", zone):
                # Subjectless clause ("Tiene diabetes", "- es evangélico"): the person is
                # the one the previous sentences are about.
                if self._recent_person(doc, cl.start):
                    conf = CONF_BOUND - 0.1
                    evidence += ["person:previous-sentence", f"verb:{tail.group('verb')}"]
                elif self.pro_drop(doc, s, tail.group("verb").split()[0]):
                    conf = CONF_NEAR + 0.05
                    evidence += ["person:pro-drop", f"verb:{tail.group('verb')}"]
            elif _RECORD_SUBJECT.search(zone[-60:]) and self._recent_person(doc, cl.start):
                # "The record shows a gender marker change": the record of the person at hand.
                conf = CONF_BOUND - 0.05
                evidence += ["record-subject", f"verb:{tail.group('verb')}"]
            elif re.search(
                r"(?i)\b(?:porque|because|since|ya que|pues|as|so|and|y|but|pero)\s*$", zone
            ) and self.persons(text[cl.sent_start : cl.start + zone_end]):
                conf = CONF_BOUND - 0.05
                evidence += ["person:same-sentence", f"verb:{tail.group('verb')}"]
        if not conf:
            pm = cues.possessive_tail.search(left[-60:])
            if pm is not None and not cues.generic_possessive.search(left[-70:]):
                owner = pm.group().split()[0]
                low = owner.lower()
                if low in ("his", "her"):
                    ok = not self.generic_subject(left)
                elif low in ("su", "sus"):
                    # "su" is also "your" (usted): not a third person in a text to the reader.
                    ok = not self.generic_subject(left) and not _USTED.search(cl.sentence)
                elif low == "their":
                    ok = not self.generic_subject(left) and (
                        bool(self.persons(left[: len(left) - len(pm.group())]))
                        or self._recent_person(doc, cl.start)
                    )
                else:
                    ok = bool(self.persons(left[-60:][: pm.start() + len(owner)]))
                if ok:
                    conf = CONF_BOUND - (0.1 if low == "their" else 0.0)
                    evidence.append(f"possessive:{owner}")
        if not conf:
            # "she uses a wheelchair", "El Sr. ... no tiene papeles": the phrase carries its
            # verb, and the subject stands right before it.
            near = left[-70:]
            ps = [
                p
                for p in self.persons(near)
                if p.lastgroup != "one" or p.end() == len(near.rstrip())
            ]
            if (
                ps
                and re.fullmatch(
                    rf"\s*(?:(?i:{cues.adverbs_alt})\s*)*(?:,\s*)?", near[ps[-1].end() :]
                )
                and not self.generic_subject(left)
            ):
                conf = CONF_BOUND - 0.05
                evidence.append(f"subject:{ps[-1].group().strip()}")
                if self.negation_is_status:
                    pass
                elif re.search(r"(?i)\b(?:not|never|no|nunca)\b", near[ps[-1].end() :]):
                    return None
        # "his immigration status" names a topic; "has no legal status" states a value.
        if (
            conf
            and term.phrase in self.lexicon.extra.get("value_required", ())
            and not any(e.startswith("verb:") for e in evidence)
        ):
            conf = 0.0
            evidence.clear()
        if not conf and term.kind is Kind.PREDICATE:
            own = re.search(r"(?i)\b(?:his|her|their|him|su)\b", doc.text[s:e])
            ps = self.persons(left)
            if (own or ps) and not self.generic_subject(left):
                conf = CONF_BOUND - 0.05
                evidence.append("predicate+person")
            elif self._recent_person(doc, cl.start) and doc.record_near(s) > 0:
                conf = CONF_RECORD
                evidence.append("predicate+record")
            elif self._fragment_start(left) and self.pro_drop(doc, s, doc.text[s:e].split()[0]):
                conf = CONF_NEAR + 0.05
                evidence.append("predicate+pro-drop")
        pr = cues.person_right.match(text[e : e + 60]) if not conf else None
        if pr is not None:
            # The word after "on/for/de" must itself be a person ("a detainer on Rosales"),
            # not a program or a place ("beneficios de Medicaid").
            after = text[e : e + 60][pr.start() :]
            after = re.sub(r"^\s+\S+\s+", "", after)  # drop the preposition
            first = re.match(cues.name_word, after)
            at_start = [p for p in self.persons(after[:40]) if p.start() == 0]
            if at_start or (first is not None and self._lone_name_subject(first.group())):
                conf = CONF_BOUND - 0.05
                evidence.append("person-after")
        if (
            not conf
            and _STATUS_AFTER.match(text[e : e + 40])
            and self._fragment_start(left)
            and self._recent_person(doc, cl.start)
            and doc.record_near(s) > 0
        ):
            conf = CONF_RECORD
            evidence.append("record:status-line")

        # ---- tier B: record structure
        if not conf:
            rec = self.record_field(doc, hit)
            if rec is not None:
                conf = CONF_RECORD
                evidence.append(rec)

        # ---- tier C: a person in the clause, record cues around
        if (
            not conf
            and term.kind is not Kind.WEAK
            and self._fragment_start(left)
            and self._recent_person(doc, cl.start)
            and doc.record_near(s) > 0
            and not cues.generic_words.search(cl.sentence)
        ):
            conf = CONF_NEAR + 0.05
            evidence.append("fragment+record")
        if not conf and term.kind is not Kind.WEAK:
            ps = self.persons(left + " " + cl.right, strict=True)
            if (
                ps
                and not self.generic_subject(left)
                and doc.record_near(s) > 0
                and not cues.generic_words.search(cl.sentence)
                and not cues.number_stat.search(cl.sentence)
            ):
                conf = CONF_NEAR
                evidence.append(f"person-near:{ps[-1].group().strip()}")

        if not conf:
            return None
        if term.kind is Kind.WEAK and conf < CONF_RECORD:
            return None

        # ---- adjustments
        if cues.modal.search(left[-40:]) and "record" not in " ".join(evidence):
            conf -= 0.15
            evidence.append("modal")
        if cues.generic_words.search(cl.sentence):
            conf -= 0.05
        if doc.memo_near(s) and doc.record_near(s) == 0:
            conf -= 0.15
            evidence.append("memo-like")
            if term.kind is Kind.WEAK:
                conf -= 0.15
        if doc.record_near(s) > 0:
            conf += 0.03
        return Judgement(span_start, e, conf, tuple(evidence))

    def pro_drop(self, doc: DocView, pos: int, verb: str) -> bool:
        """A Spanish verb with no subject ("Es hondureña", "Tiene esquizofrenia") refers to a
        specific person: generic Spanish uses "se", infinitives or plural subjects. Not in
        memo-like text, where the reader is addressed."""
        return verb.lower() in _PRO_DROP_VERBS and not doc.memo_near(pos)

    def _lone_name_subject(self, zone: str) -> list[re.Match[str]]:
        """ "Rodrigo is ...": a single capitalized word opening the clause, as its subject."""
        m = re.fullmatch(rf"\s*(?:[-*•>]\s*)?({self.cues.name_word})\s*", zone)
        if m is None:
            return []
        word = re.sub(r"['’]s$", "", m.group(1)).lower()
        if (
            word in _NOT_NAMES
            or word in _ORG_WORDS
            or self.cues.generic_plural.fullmatch(m.group(1))
        ):
            return []
        return [m]

    @staticmethod
    def _fragment_start(left: str) -> bool:
        """Whether the term opens its clause (a note fragment: "Type 1 diabetic, needs...")."""
        return bool(
            re.fullmatch(r"[\s>]*(?:[-*•]|\d{1,3}[.)])?\s*(?:(?i:still|also|now|and|y))?\s*", left)
        )

    def _negation_start(self, left: str, zone_end: int) -> int | None:
        m = re.search(r"(?i)\b(?:not|never|no|ni)\b[^.;]*$", left[max(0, zone_end - 20) :])
        if m is None:
            return None
        return max(0, zone_end - 20) + m.start()

    def _recent_person(self, doc: DocView, pos: int) -> bool:
        """Whether a specific person is mentioned in the ~300 characters before ``pos``."""
        window = doc.text[max(0, pos - 300) : pos]
        return bool(self.persons(window, strict=True))

    def record_field(self, doc: DocView, hit: Hit) -> str | None:
        """'Label: value' lines, table cells and list items of a person's record."""
        text = doc.text
        cues = self.cues
        ls, le = doc.line_bounds(hit.start)
        line = text[ls:le]
        pos = hit.start - ls
        head = line[:pos]
        # Table row: a cell of a pipe/tab/wide-space/CSV row that also holds a name or a DOB.
        seps = line.count("|") + line.count("\t") + len(re.findall(r"\S {3,}\S", line))
        csv_row = line.count(",") >= 3 and all(len(c.strip()) <= 40 for c in line.split(","))
        if seps >= 2 or csv_row:
            cell_re = r"\||\t| {3,}" if seps >= 2 else ","
            bounds = [0] + [m.end() for m in re.finditer(cell_re, line)]
            cell_start = max(b for b in bounds if b <= pos)
            nxt = re.search(cell_re, line[pos:])
            cell = line[cell_start : pos + (nxt.start() if nxt else len(line) - pos)]
            row_rest = line[:cell_start] + " " + line[cell_start + len(cell) :]
            if len(cell.strip()) <= 48 and cues.record_line.search(row_rest):
                return "record:table-row"
        # Label: value, in a block with record cues.
        sent_start = max(ls, doc.clause_at(hit.start, hit.end)[0])
        lead = text[sent_start : hit.start]
        if cues.label_prefix.match(lead) and not _HEADER_LABEL.match(lead):
            # A label that names the field ("Status:", "SAVE response:", "Diagnosis:") needs
            # less record around it than an arbitrary one.
            need = 1 if _FIELD_LABEL.match(lead) else 2
            near = doc.record_near(hit.start, 500, 300)
            if near >= need or (need == 1 and self.persons(text[ls : le + 120], strict=True)):
                return "record:label"
        # List item under a person's name (or naming one).
        if cues.list_item.match(line):
            sent = text[ls:le]
            if cues.generic_words.search(sent) or self.generic_subject(sent):
                return None
            strong = [p for p in self.persons(head) if p.lastgroup in ("pron", "hon", "caps")]
            if cues.record_line.search(head) or strong:
                return "record:list-item"
            block = text[max(0, ls - 300) : ls]
            block = block[block.rfind("\n\n") + 1 :] if "\n\n" in block else block
            if cues.record_line.search(block):
                return "record:list-block"
        return None

    # ------------------------------------------------------------------ places

    def judge_place(self, doc: DocView, hit: Hit, cl: Clause) -> Judgement | None:
        """A place (shelter, parish, a named program site): needs a stay/attend verb + person."""
        m = self.place_tail.search(cl.left[-120:])
        if m is None:
            return self.record_place(doc, hit, cl)
        verb_at = len(cl.left) - len(cl.left[-120:]) + m.start()
        zone = cl.left[:verb_at]
        if self.cues.negation_tail.search(zone[-16:]):
            return None
        if (
            self.persons(zone) or self.cues.possessive_tail.search(zone[-40:] + " ")
        ) and not self.generic_subject(zone):
            start = cl.start + verb_at
            conf = CONF_BOUND
            if self.cues.modal.search(zone[-30:]):
                conf -= 0.15
            if doc.memo_near(hit.start) and doc.record_near(hit.start) == 0:
                conf -= 0.15
            return Judgement(start, hit.end, conf, (f"verb:{m.group('verb')}", "place"))
        if not zone.strip() and self._recent_person(doc, cl.start):
            start = cl.start + verb_at
            return Judgement(
                start, hit.end, CONF_BOUND - 0.1, ("place", "person:previous-sentence")
            )
        first = m.group("verb").split()[0]
        if not zone.strip() and self.pro_drop(doc, hit.start, first):
            start = cl.start + verb_at
            return Judgement(start, hit.end, CONF_NEAR + 0.05, ("place", "person:pro-drop"))
        return self.record_place(doc, hit, cl)

    def record_place(self, doc: DocView, hit: Hit, cl: Clause) -> Judgement | None:
        """A place as a field of a person's record (a table cell next to a name)."""
        rec = self.record_field(doc, hit)
        if rec is None:
            return None
        return Judgement(hit.start, hit.end, CONF_RECORD - 0.05, (rec, "place"))


_CONTRACTION_SUBJECTS = frozenset(
    """
    he she it that who there here what mom dad mother father baby wife husband son
    daughter kid child guy family everyone subject client claimant
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def _is_copula(text: str, tail: TailMatch) -> bool:
    """ "he's a refugee" is a verb; "the State's program" is a possessive."""
    verb = tail.group("verb")
    if verb[:1] not in "'’" or verb[1:].lower() != "s":
        return True
    m = re.search(r"([\w\-]+)$", text[: tail.start()])
    return bool(m and m.group(1).lower() in _CONTRACTION_SUBJECTS)


def _merge(findings: list[Finding]) -> list[Finding]:
    """Drop findings contained in another of the same category."""
    findings.sort(key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    for f in findings:
        if out and f.start >= out[-1].start and f.end <= out[-1].end:
            continue
        out.append(f)
    return out


def resolve_hits(rules: CategoryRules, text: str, spans: Iterable[tuple[int, int]]) -> list[Hit]:
    """Candidates turned into hits (dropping spans that spell no known term)."""
    out: list[Hit] = []
    for s, e in spans:
        term = rules.resolve(text, s, e)
        if term is not None:
            out.append(Hit(term, s, e))
    return out
