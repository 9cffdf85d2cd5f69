"""national_origin: country of birth, nationality, national or ethnic origin.

A place name or a demonym alone says nothing about anyone ("shipped from Monterrey,
Mexico", "the Mexican restaurant"). It becomes a person's origin through:

- a trigger before the place: "born in", "nació en", "native of", "originario de";
  "<person> is/came/fled from <place>"; a record label ("Country of birth: Mexico",
  "lists place of birth as Hermosillo, Sonora, Mexico");
- a country in parentheses after a status: "TPS (El Salvador)";
- a demonym said of a person: "he's Guatemalan", "es salvadoreño", "a Salvadoran
  national", "ciudadano guatemalteco", or set off in a record: "Sandra MORALES, DOB
  08/03/1992, Honduran.";
- a table column headed country of birth / nationality, or a country cell in a row that
  holds a name or a date of birth.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from resguardo.detect.lexicon import (
    CategoryLexicon,
    Kind,
    Term,
    at_word_boundary,
    fold,
    places,
    word_list_regex,
)
from resguardo.detect.statuses.engine import (
    CONF_BOUND,
    CONF_NEAR,
    CONF_RECORD,
    CategoryRules,
    Clause,
    CueSet,
    DocView,
    Hit,
    Judgement,
)

__all__ = ["OriginRules", "rules"]

_PLACE = "place"
_REGION = "region"
_DEMONYM = "demonym"
_AMBIGUOUS = "ambiguous"

# A chain of capitalized place words between a trigger and the matched place:
# "born in Fresnillo, " + "Zacatecas".
_CHAIN = (
    r"(?:[A-ZÁÉÍÓÚÑ][\w.'’\-]*"
    r"(?:\s+(?:de\s+(?:la\s+|las\s+|los\s+)?|del\s+)?[A-ZÁÉÍÓÚÑ][\w.'’\-]*)*,\s*){0,2}"
)
_US_AFTER = re.compile(
    r"^,?\s*(?:NM|N\.M\.|New Mexico|TX|Texas|AZ|Arizona|CO|Colorado|CA|California|USA|U\.S\.A?\.?|"
    r"OK|Oklahoma|UT|Utah|KS|Kansas|NY|New York|FL|Florida)\b"
)
_NEW_BEFORE = re.compile(r"(?i:\b(?:new|nuevo|nueva|gulf of|golfo de)\s+)$")
_CLASS_AFTER = re.compile(r"(?i)^\s*(?:/\s*\w+\s+)?(?:parolee|parolees|entrant|entrants)\b")
_LANGUAGE_BEFORE = re.compile(
    r"(?i)\b(?:speaks?|spoke|speaking|habla|hablan|hablaba|in|en|translate[ds]?|interpreter|"
    r"intérprete|traductor|bilingual|bilingüe|learning|aprende|class|clases?)\s+(?:\w+\s+){0,2}$"
)


@dataclass
class OriginRules(CategoryRules):
    """National origin: place and demonym grammar on top of the shared engine."""

    def __post_init__(self) -> None:
        self._kinds: dict[str, str] = {}
        place_terms: list[Term] = []
        for p in places():
            for n in p.names:
                place_terms.append(Term("national_origin", n, Kind.STATUS, cased=False))
                self._mark(n, _PLACE if p.country else _REGION)
            for d in p.demonyms:
                amb = d in p.ambiguous_demonyms
                place_terms.append(Term("national_origin", d, Kind.WEAK if amb else Kind.STATUS))
                self._mark(d, _AMBIGUOUS if amb else _DEMONYM)
        self._place_terms = place_terms
        super().__post_init__()
        for t in place_terms:
            self.index.add(t)
        ex = self.lexicon.extra
        cues = self.cues
        self._birth = re.compile(
            rf"(?P<trig>(?i:{word_list_regex(ex['birth_triggers'])}))\s+(?:(?i:the)\s+)?{_CHAIN}$"
        )
        from_verbs = word_list_regex([v for v in ex["from_verbs"] if not v.startswith("'")])
        self._from = re.compile(
            rf"(?P<verb>(?<![\w'’])(?i:{from_verbs})"
            rf"|(?<=\w)['’](?:s|re)\b)"
            rf"(?P<mid>(?:\s+(?!(?i:but|because|who|which|that|if|when|pero|porque|que|cuando)\b)"
            rf"[^\s,;.!?()]+){{0,3}})"
            rf"\s+(?P<trig>(?i:from|de|desde))\s+(?:(?i:the|la|el)\s+)?{_CHAIN}$"
        )
        self._appos_from = re.compile(rf",\s*(?P<trig>(?i:from|de))\s+(?:(?i:the)\s+)?{_CHAIN}$")
        self._label = re.compile(
            rf"(?P<trig>(?i:{word_list_regex(ex['label_triggers'])}))"
            rf"(?:\s*(?:\(\w+\))?\s*(?::|-|=|(?i:is|was|as|es|era|:))\s*|\s{{2,}}|\s*\|\s*"
            rf"|\s*\.{{3,}}\s*)"
            rf"(?:(?i:the)\s+)?{_CHAIN}$"
        )
        self._label_word = re.compile(rf"(?i:{word_list_regex(ex['label_triggers'])})")
        self._paren = re.compile(
            rf"(?i:{word_list_regex(ex['status_with_country'])})\s*(?:\(|,\s*)$"
        )
        self._nat_noun = re.compile(
            rf"^[\s\-]*(?P<noun>(?i:{word_list_regex(ex['nationality_nouns'])}))(?![\w])"
        )
        self._es_nat_before = re.compile(
            rf"(?P<noun>(?i:{word_list_regex(ex['es_nationality_nouns'])}))\s+$"
        )
        self._follow_ok = re.compile(
            r"^(?:\s*$|\s*[,.;:!?)\]–—/]|-(?=(?i:american|born|americano|americana))"
            r"|\s+-\s|\s+(?i:and|or|but|y|e|o|ni|pero|who|que|by|de|por|"
            r"originally|too|also|as well|either)\b|\s*\()"
        )
        self.cues_ = cues

    def _mark(self, phrase: str, kind: str) -> None:
        from resguardo.detect.lexicon import expand_phrase

        for v in expand_phrase(phrase):
            key = fold(v)
            # A spelling that is both a place and a demonym ("Kosovo"?) stays a place.
            if key and (key not in self._kinds or kind in (_PLACE, _REGION)):
                self._kinds[key] = kind

    def pattern_terms(self) -> list[Term]:
        """Lexicon terms plus every place name and demonym."""
        return [*self.terms, *self._place_terms]

    def judge(self, doc: DocView, hit: Hit) -> Judgement | None:
        """Place triggers, demonym grammar, or (ethnic terms) the default engine."""
        text = doc.text
        s, e = hit.start, hit.end
        kind = self._kinds.get(fold(text[s:e]))
        if kind is None:
            return super().judge(doc, hit)
        if not at_word_boundary(text, s, e):
            return None
        if not self.basic_ok(doc, hit):
            return None
        cl = self.clause(doc, s, e)
        if kind in (_PLACE, _REGION):
            j = self._judge_place(doc, hit, cl, country=kind == _PLACE)
        else:
            j = self._judge_demonym(doc, hit, cl, ambiguous=kind == _AMBIGUOUS)
        if j is None or self.killed(doc, hit, cl):
            return None
        return j

    # ------------------------------------------------------------------ places

    def _judge_place(
        self, doc: DocView, hit: Hit, cl: Clause, *, country: bool
    ) -> Judgement | None:
        text = doc.text
        s, e = hit.start, hit.end
        if _NEW_BEFORE.search(text[max(0, s - 8) : s]) or _US_AFTER.match(text[e : e + 14]):
            return None
        left = cl.left
        cstart = cl.start
        sent_start = cl.sent_start
        tail = left[-160:]
        off = cstart + len(left) - len(tail)

        m = self._birth.search(tail)
        if m is not None:
            zone = tail[: m.start()]
            start = off + m.start()
            if self.persons(zone) and not self.generic_subject(zone):
                return Judgement(start, e, CONF_BOUND, (f"trigger:{m.group('trig')}", "person"))
            window = text[max(0, sent_start - 300) : off + m.start()]
            if not self.generic_subject(zone) and self.persons(window) and doc.record_near(s) > 0:
                conf = CONF_BOUND - 0.1 if doc.record_near(s) else CONF_NEAR
                return Judgement(start, e, conf, (f"trigger:{m.group('trig')}", "person-near"))
            return None

        m = self._from.search(tail)
        if m is not None:
            zone = tail[: m.start()]
            start = off + m.start("trig")
            persons = self.persons(zone)
            if persons and not self.generic_subject(zone):
                return Judgement(start, e, CONF_BOUND, ("trigger:from", f"verb:{m.group('verb')}"))
            if not zone.strip(" -•*") and self._recent_person(doc, cstart):
                return Judgement(start, e, CONF_BOUND - 0.1, ("trigger:from", "previous-sentence"))
            if not zone.strip(" -•*") and self.pro_drop(doc, s, m.group("verb")):
                return Judgement(start, e, CONF_NEAR + 0.05, ("trigger:from", "pro-drop"))
            return None

        m = self._appos_from.search(tail)
        if m is not None:
            ls, _ = doc.line_bounds(s)
            head = text[ls:s]
            if self.cues.record_line.search(head):
                return Judgement(
                    off + m.start("trig"), e, CONF_RECORD, ("appositive-from", "record")
                )

        m = self._label.search(tail)
        if m is not None:
            zone = tail[: m.start()]
            start = off + m.end("trig")
            start = _skip_separators(text, start, s)
            if self.persons(zone) and not self.generic_subject(zone):
                return Judgement(start, e, CONF_BOUND, (f"label:{m.group('trig')}", "person"))
            if doc.record_near(s) > 0:
                return Judgement(start, e, CONF_RECORD, (f"label:{m.group('trig')}", "record"))
            return None

        if self._paren.search(tail[-30:]) and (self.persons(left) or doc.record_near(s)):
            return Judgement(s, e, CONF_RECORD, ("status(country)",))

        return self._table_cell(doc, hit, person_row=country)

    def _table_cell(self, doc: DocView, hit: Hit, *, person_row: bool = True) -> Judgement | None:
        """A country cell: under a country-of-birth/nationality header, or in a person row."""
        text = doc.text
        s, e = hit.start, hit.end
        ls, le = doc.line_bounds(s)
        line = text[ls:le]
        sep = "|" if line.count("|") >= 2 else "\t" if line.count("\t") >= 2 else None
        if sep is None:
            if len(re.findall(r"\S {3,}\S", line)) >= 2:
                sep = "  "
            elif line.count(",") >= 3:
                sep = ","
            else:
                return None
        cells = _split_cells(line, sep)
        col = next((i for i, (a, b) in enumerate(cells) if a <= s - ls < b), None)
        if col is None:
            return None
        a, b = cells[col]
        if len(line[a:b].strip()) > 40:
            return None
        # Look up for a header row with the same separator.
        pos = ls
        for _ in range(25):
            if pos <= 0:
                break
            hs = text.rfind("\n", 0, pos - 1) + 1
            header = text[hs : pos - 1]
            pos = hs
            if (sep == "  " and len(re.findall(r"\S {2,}\S", header)) >= 2) or (
                sep != "  " and header.count(sep) >= 2
            ):
                hcells = _split_cells(header, sep)
                if sep == "  ":
                    # Fixed width: the header cell that overlaps the value's columns.
                    for ha, hb in hcells:
                        if ha < b and a < hb and self._label_word.search(header[ha:hb]):
                            return Judgement(s, e, CONF_RECORD, ("table:origin-column",))
                elif col < len(hcells):
                    ha, hb = hcells[col]
                    if self._label_word.search(header[ha:hb]):
                        return Judgement(s, e, CONF_RECORD, ("table:origin-column",))
        row_rest = line[:a] + " " + line[b:]
        # Without a header, only a cell that is just a country, in a row with a name or a DOB
        # (city names double as surnames: "ZAMORA", "JUAREZ").
        cell = line[a:b].strip(" ,;")
        if (
            person_row
            and cell == text[s:e]
            and not cell.isupper()
            and self.cues.record_line.search(row_rest)
        ):
            return Judgement(s, e, CONF_RECORD - 0.05, ("table:person-row",))
        return None

    # ------------------------------------------------------------------ demonyms

    def _judge_demonym(
        self, doc: DocView, hit: Hit, cl: Clause, *, ambiguous: bool
    ) -> Judgement | None:
        text = doc.text
        s, e = hit.start, hit.end
        left = cl.left
        right_text = text[e : e + 40]
        if _CLASS_AFTER.match(right_text):
            return None  # "Cuban parolee", "Cuban/Haitian entrant": an immigration class
        if _LANGUAGE_BEFORE.search(left[-40:]):
            return None  # "speaks Spanish", "in Vietnamese"
        noun = self._nat_noun.match(right_text)
        end = e + noun.end("noun") if noun else e
        if noun is None and not self._follow_ok.match(right_text):
            return None  # attributive: "Mexican restaurant", "Guatemalan cotton"
        es_noun = self._es_nat_before.search(left[-30:])
        start = hit.start - (len(left[-30:]) - es_noun.start("noun")) if es_noun else s
        plural = text[s:e].lower().endswith("s") and not text[s:e].lower().endswith(("ese", "ss"))

        # Copula or verb with a person subject: "he's Guatemalan", "es salvadoreño".
        tail = self.verb_tail.search(left[-140:])
        if tail is not None:
            zone = left[: len(left) - len(left[-140:]) + tail.start()]
            if self.cues.negation_tail.search(zone[-16:]) or tail.group("neg"):
                return None
            if self.persons(zone) and not self.generic_subject(zone):
                return Judgement(start, end, CONF_BOUND, ("demonym", f"verb:{tail.group('verb')}"))
            if not zone.strip() and self._recent_person(doc, cl.start):
                return Judgement(start, end, CONF_BOUND - 0.1, ("demonym", "previous-sentence"))
            if not zone.strip() and self.pro_drop(doc, s, tail.group("verb")):
                return Judgement(start, end, CONF_NEAR + 0.05, ("demonym", "pro-drop"))
        if ambiguous and noun is None and es_noun is None:
            return None
        if plural and not self.persons(left):
            return None
        # "ciudadano guatemalteco", "Mexican national": a nationality phrase.
        if noun is not None or es_noun is not None:
            if self.persons(left) and not self.generic_subject(left):
                return Judgement(start, end, CONF_BOUND - 0.05, ("nationality-phrase", "person"))
            if self._recent_person(doc, cl.start) and doc.record_near(s) > 0:
                return Judgement(start, end, CONF_RECORD, ("nationality-phrase", "record"))
            return None
        # Set off by commas in a line that names a person or gives a DOB.
        if re.search(r"[,:(]\s*$", text[max(0, s - 3) : s]) and re.match(
            r"^\s*(?:[,.;)]|$)", right_text
        ):
            ls, _ = doc.line_bounds(s)
            if self.cues.record_line.search(text[ls:s]) or self.persons(text[ls:s]):
                return Judgement(start, end, CONF_RECORD, ("appositive", "record"))
        rec = self._table_cell(doc, hit)
        if rec is not None:
            return rec
        return None


def _split_cells(line: str, sep: str) -> list[tuple[int, int]]:
    if sep == "  ":
        return [(m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", line)]
    out: list[tuple[int, int]] = []
    pos = 0
    for part in line.split(sep):
        out.append((pos, pos + len(part)))
        pos += len(part) + len(sep)
    return out


def _skip_separators(text: str, start: int, limit: int) -> int:
    while start < limit and not text[start].isalnum():
        start += 1
    m = re.match(r"(?i)(?:is|was|as|es|era)\s+", text[start:limit])
    if m:
        start += m.end()
    return start


def rules(lexicon: CategoryLexicon, cues: CueSet, user_terms: Sequence[Term]) -> CategoryRules:
    """The national_origin rules."""
    return OriginRules(lexicon, cues, user_terms)
