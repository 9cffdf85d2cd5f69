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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from resguardo.detect.context import ScanContext
from resguardo.detect.lexicon import (
    CategoryLexicon,
    Kind,
    Term,
    expand_phrase,
    fold,
    places,
    word_list_regex,
)
from resguardo.detect.patterns import PatternSet, PatternSpec, fold_text
from resguardo.detect.statuses.engine import (
    CONF_BOUND,
    CONF_NEAR,
    CONF_RECORD,
    HOLDS,
    PRO_DROP_VERBS,
    CategoryRules,
    Check,
    Clause,
    CueSet,
    DocView,
    Extra,
    Hit,
    Option,
    check_not_memo,
    check_recent,
    check_recent_record,
    check_record,
    subjectless,
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
            rf"(?:\s*(?:\([^)\n]{{0,40}}\))?\s*(?::|-|=|(?i:is|was|as|es|era|:))\s*|\s{{2,}}"
            rf"|\s*\|\s*|\s*(?:\.{{3,}}|…+|_{{3,}})\s*|\s)"
            rf"(?:(?i:the)\s+)?{_CHAIN}$"
        )
        # "claimed Guatemala as country of birth", "dio Honduras como país de nacimiento":
        # a field name AFTER the place, joined by "as"/"como", makes the place its value.
        self._as_label = re.compile(
            r"^\s+(?i:as|como)\s+(?:(?i:his|her|their|the|su|sus|el|la)\s+)?"
            rf"(?i:{word_list_regex(ex['label_triggers'])})(?!\w)"
        )
        self._label_word = re.compile(rf"(?i:{word_list_regex(ex['label_triggers'])})")
        self._demonym_label = re.compile(
            rf"(?P<trig>(?i:{word_list_regex(ex['label_triggers'])}))"
            r"\s*(?:\([^)\n]{0,40}\))?\s*(?::|=|\s-\s|\s{2,}|\.{3,}|…+|\|)\s*$"
        )
        # A word of each spelling of each field name (the longest, the last of equals:
        # "birth" of "place of birth"), accented and bare: a text without any of them names
        # no origin field.
        keys: set[str] = set()
        for phrase in ex["label_triggers"]:
            for variant in expand_phrase(phrase):
                words = re.findall(r"\w+", variant.lower())
                if words:
                    word = max(reversed(words), key=len)
                    keys.update((word, fold_text(word)))  # "ciudadanía" or "ciudadania"
        self._label_keys = tuple(sorted(keys))
        # The same words as one multi-pattern scan, for the whole-text test of _may_label:
        # the prefilter's folded, caseless matching finds every spelling the lower-cased
        # substring tests find (accents fold to the bare key).
        self._label_key_set = PatternSet(
            [
                PatternSpec(
                    key="statuses.origin.label-key",
                    regex="|".join(sorted({re.escape(fold_text(k)) for k in keys})),
                    caseless=True,
                    som=False,
                )
            ]
        )
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
            r"originally|too|also|as well|either)\b|\s*\("
            # a tag asking to confirm: "es cubano no?", "he's Guatemalan, right?"
            r"|[\s,]+¿?(?i:no|right|verdad|cierto|correct|correcto)\s*\?)"
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

    def options(self, cl: Clause, term: Term) -> list[Option]:
        """Place triggers, demonym grammar, or (ethnic terms) the default engine."""
        kind = self._kinds.get(fold(cl.raw[cl.s : cl.e]))
        if kind is None:
            return super().options(cl, term)
        if kind in (_PLACE, _REGION):
            return self._place_options(cl, country=kind == _PLACE)
        return self._demonym_options(cl, ambiguous=kind == _AMBIGUOUS)

    # ------------------------------------------------------------------ places

    def _place_options(self, cl: Clause, *, country: bool) -> list[Option]:
        raw, s, e = cl.raw, cl.s, cl.e
        if _NEW_BEFORE.search(raw[max(0, s - 8) : s]) or _US_AFTER.match(cl.right_text(e, 14)):
            return []
        left = cl.left
        cstart = cl.start
        tail = left[-160:]
        off = cstart + len(left) - len(tail)
        opts: list[Option]
        ev: tuple[str, ...]

        m = self._birth.search(tail)
        if m is not None:
            zone = tail[: m.start()]
            start = off + m.start()
            trig = f"trigger:{m.group('trig')}"
            if self.persons(zone) and not self.generic_subject(zone):
                return [Option(CONF_BOUND, (trig, "person"), start, e)]
            if self.generic_subject(zone):
                return []
            check = _check_person_window(cl.sent_start - 300, off + m.start())
            opts = [Option(CONF_BOUND - 0.1, (trig, "person-near"), start, e, check)]
            copula = _COPULA_ZONE.fullmatch(zone)
            if subjectless(zone):
                # "Born in Honduras, came at 15": a note about the person named before.
                ev = (trig, "previous-sentence")
                opts.append(Option(CONF_BOUND - 0.1, ev, start, e, check_recent(cstart)))
            elif copula is not None and subjectless(zone[: copula.start("verb")]):
                # "Es originaria de Oaxaca": the person of the previous sentences, or the
                # unsaid subject of a Spanish verb.
                ev = (trig, "previous-sentence")
                opts.append(Option(CONF_BOUND - 0.1, ev, start, e, check_recent(cstart)))
                if copula.group("verb").lower() in PRO_DROP_VERBS:
                    ev = (trig, "pro-drop")
                    opts.append(Option(CONF_NEAR + 0.05, ev, start, e, check_not_memo))
            return opts

        if self._as_label.match(cl.right_text(e, 60)):
            # A person's country given as a field's value: only with the person it is of.
            if self.persons(left) and not self.generic_subject(left):
                return [Option(CONF_BOUND, ("as-label", "person"), s, e)]
            check = _check_person_window(cl.sent_start - 300, s)
            return [Option(CONF_BOUND - 0.1, ("as-label", "person-near"), s, e, check)]

        m = self._from.search(tail)
        if m is not None:
            zone = tail[: m.start()]
            start = off + m.start("trig")
            verb = m.group("verb")
            if (
                self.persons(zone) or self.cues.lone_name_subject(zone)
            ) and not self.generic_subject(zone):
                return [Option(CONF_BOUND, ("trigger:from", f"verb:{verb}"), start, e)]
            opts = []
            if subjectless(zone):
                ev = ("trigger:from", "previous-sentence")
                opts.append(Option(CONF_BOUND - 0.1, ev, start, e, check_recent(cstart)))
                if verb.lower() in PRO_DROP_VERBS:
                    ev = ("trigger:from", "pro-drop")
                    opts.append(Option(CONF_NEAR + 0.05, ev, start, e, check_not_memo))
            return opts

        opts = []
        m = self._appos_from.search(tail)
        if m is not None:
            ev = ("appositive-from", "record")
            opts.append(Option(CONF_RECORD, ev, off + m.start("trig"), e, self._check_head_record))

        # A label ends in a colon, which also ends a clause: look in the whole sentence.
        # (a record key's underscores and a JSON key's quotes read as spaces, so that
        # "hoh_country_of_birth: Guatemala" and '"pob": "Juárez"' are labels too; the
        # length, and so every offset, stays the same)
        sent_tail = raw[max(cl.sent_start, s - 160) : s].replace("_", " ").replace('"', " ")
        low_tail = sent_tail.lower()
        # (the label pattern is tried only where a field name's word is)
        m = self._label.search(sent_tail) if any(k in low_tail for k in self._label_keys) else None
        if m is not None:
            off = s - len(sent_tail)
            zone = sent_tail[: m.start()]
            start = _skip_separators(raw, off + m.end("trig"), s)
            lab = f"label:{m.group('trig')}"
            if (
                self.persons(zone) or self.cues.possessive_tail.search(zone)
            ) and not self.generic_subject(zone):
                opts.append(Option(CONF_BOUND, (lab, "person"), start, e))
                return opts
            opts.append(Option(CONF_RECORD, (lab, "record"), start, e, check_record))
            if _FIELD_START.fullmatch(raw, 0, off + m.start()) and _VALUE_REST.fullmatch(raw, e):
                # A field of its own line ("COUNTRY OF BIRTH: VIETNAM" in a SAVE result):
                # a form filled in for someone, unless the text is a memo or a notice.
                opts.append(Option(CONF_RECORD - 0.05, (lab, "field"), start, e, check_not_memo))
            return opts

        if left.endswith("(") and _CLOSE_PAREN.match(raw, e):
            # "VÁSQUEZ PÉREZ, Lucía (Honduras)", "Ana Ruiz (Guatemala)": a country set off
            # after a name, as rosters and calendars give a person's origin.
            before = left[:-1].rstrip()[-60:]
            ps = self.persons(before)
            if ps and ps[-1].end() == len(before) and ps[-1].lastgroup != "one":
                return [Option(CONF_BOUND - 0.1, (f"apposition:{ps[-1].group()}",), s, e)]

        if self._paren.search(tail[-30:]):
            ev = ("status(country)",)
            if self.persons(left):
                opts.append(Option(CONF_RECORD, ev, s, e))
                return opts
            opts.append(Option(CONF_RECORD, ev, s, e, check_record))

        opts.append(Option(CONF_RECORD, (), s, e, self._check_table_cell(person_row=country)))
        return opts

    def _check_head_record(self, doc: DocView, ss: int, hit: Hit) -> Extra | None:
        """The line before the candidate holds a name or a DOB ("Ines MORALES, from ...")."""
        ls, _ = doc.line_bounds(hit.start)
        return HOLDS if self.cues.record_line.search(doc.text[ls : hit.start]) else None

    def _check_head_record_or_person(self, doc: DocView, ss: int, hit: Hit) -> Extra | None:
        ls, _ = doc.line_bounds(hit.start)
        head = doc.text[ls : hit.start]
        return HOLDS if self.cues.record_line.search(head) or self.persons(head) else None

    def _check_table_cell(self, *, person_row: bool) -> Check:
        def check(doc: DocView, ss: int, hit: Hit) -> Extra | None:
            return self._table_cell(doc, hit, person_row=person_row)

        return check

    def _table_cell(self, doc: DocView, hit: Hit, *, person_row: bool = True) -> Extra | None:
        """A country cell: under a country-of-birth/nationality header, or in a person row."""
        text = doc.text
        s, e = hit.start, hit.end
        ls, le = doc.line_bounds(s)
        line = text[ls:le]
        sep = "|" if line.count("|") >= 2 else "\t" if line.count("\t") >= 2 else None
        if sep is None:
            if "   " in line and len(_WIDE_GAP3.findall(line)) >= 2:
                sep = "  "
            elif line.count(",") >= 3:
                sep = ","
            else:
                return None
        found = _cell_at(line, sep, s - ls)
        if found is None:
            return None
        col, a, b = found
        if len(line[a:b].strip()) > 40:
            return None
        # Look up (25 lines at most) for a header row with the same separator.
        for _, labels in self._labels_above(doc, ls, sep):
            if sep == "  ":
                # Fixed width: the header cell that overlaps the value's columns.
                if any(ha < b and a < hb for ha, hb in labels):
                    return (0.0, ("table:origin-column",))
            elif col in labels:
                return (0.0, ("table:origin-column",))
        # Without a header, only a cell that is just a country, in a row with a name or a DOB
        # (city names double as surnames: "ZAMORA", "JUAREZ").
        cell = line[a:b].strip(" ,;")
        if person_row and cell == text[s:e] and not cell.isupper() and doc.row_record(ls, le, a, b):
            return (-0.05, ("table:person-row",))
        return None

    def _labels_above(self, doc: DocView, ls: int, sep: str) -> tuple[tuple[int, Any], ...]:
        """The header lines among the 25 lines above ``ls``: (distance, origin-field cells).

        Memoized per line: the rows of a table ask in turn, and each row's answer is the row
        above's answer moved down one line, plus that row itself.
        """
        cache = doc.ctx.shared(_HEADER_CACHE, _Headers)
        key = (ls, sep)
        got = cache.above.get(key)
        if got is not None:
            return got
        text = doc.text
        if cache.may_label is None:
            cache.may_label = self._may_label(doc.ctx)
        if not cache.may_label:
            got = cache.above[key] = ()
            return got
        found: list[tuple[int, Any]] = []
        pos = ls
        for d in range(1, 26):
            if pos <= 0:
                break
            hs = text.rfind("\n", 0, pos - 1) + 1
            labels = self._header_labels(cache, text, hs, pos - 1, sep)
            if labels is not None:
                found.append((d, labels))
            known = cache.above.get((hs, sep))
            if known is not None:
                found.extend((d + k, lab) for k, lab in known if d + k <= 25)
                break
            pos = hs
        got = cache.above[key] = tuple(found)
        return got

    def _may_label(self, ctx: ScanContext) -> bool:
        """Whether the text may name an origin field at all: every field name holds a word
        of :attr:`_label_keys`, and one test of the whole text (once per text) is far
        cheaper than looking at the lines above each table row."""
        if self._label_key_set.backend == "hyperscan":
            # one pass for all the words, where a dozen substring tests of the lower-cased
            # text cost ~20 times more
            return bool(self._label_key_set.scan(ctx.text))
        low = ctx.lower
        return any(k in low for k in self._label_keys)

    def _header_labels(
        self, cache: _Headers, text: str, hs: int, he: int, sep: str
    ) -> Collection[Any] | None:
        """The cells of a possible header line that name an origin field: column indexes,
        or (fixed width) column ranges; None when the line is no header."""
        key = (hs, sep)
        if key in cache.labels:
            return cache.labels[key]
        got: Collection[Any] | None = None
        if sep == "  ":
            header = text[hs:he]
            if len(_WIDE_GAP2.findall(header)) >= 2:
                got = ()
                if self._label_word.search(header):  # most rows hold no field name at all
                    hcells = _split_cells(header, sep)
                    got = [(a, b) for a, b in hcells if self._label_word.search(header[a:b])]
        elif text.count(sep, hs, he) >= 2:
            got = frozenset()
            header = text[hs:he]
            if self._label_word.search(header):
                hcells = _split_cells(header, sep)
                got = frozenset(
                    i for i, (a, b) in enumerate(hcells) if self._label_word.search(header[a:b])
                )
        cache.labels[key] = got
        return got

    # ------------------------------------------------------------------ demonyms

    def _demonym_options(self, cl: Clause, *, ambiguous: bool) -> list[Option]:
        raw, s, e = cl.raw, cl.s, cl.e
        left = cl.left
        right_text = cl.right_text(e, 40)
        if _CLASS_AFTER.match(right_text):
            return []  # "Cuban parolee", "Cuban/Haitian entrant": an immigration class
        if _LANGUAGE_BEFORE.search(left[-40:]):
            return []  # "speaks Spanish", "in Vietnamese"
        noun = self._nat_noun.match(right_text)
        end = e + noun.end("noun") if noun else e
        if noun is None and not self._follow_ok.match(right_text):
            return []  # attributive: "Mexican restaurant", "Guatemalan cotton"
        es_noun = self._es_nat_before.search(left[-30:])
        start = s - (len(left[-30:]) - es_noun.start("noun")) if es_noun else s
        word = raw[s:e].lower()
        plural = word.endswith("s") and not word.endswith(("ese", "ss"))
        opts: list[Option] = []

        # Copula or verb with a person subject: "he's Guatemalan", "es salvadoreño".
        tail = self.verb_tail.search(left[-140:])
        if tail is not None:
            zone = left[: len(left) - len(left[-140:]) + tail.start()]
            if self.cues.negation_tail.search(zone[-16:]) or tail.group("neg"):
                return []
            verb = tail.group("verb")
            if self.persons(zone) and not self.generic_subject(zone):
                return [Option(CONF_BOUND, ("demonym", f"verb:{verb}"), start, end)]
            if subjectless(zone):
                ev = ("demonym", "previous-sentence")
                opts.append(Option(CONF_BOUND - 0.1, ev, start, end, check_recent(cl.start)))
                if verb.lower() in PRO_DROP_VERBS:
                    ev = ("demonym", "pro-drop")
                    opts.append(Option(CONF_NEAR + 0.05, ev, start, end, check_not_memo))
        if ambiguous and noun is None and es_noun is None:
            return opts
        if plural and not self.persons(left):
            return opts
        # "Nacionalidad: hondureña", "Citizenship: Mexican": a field's value.
        lab_lo = max(cl.sent_start, s - 60)
        low_lead = raw[lab_lo:s].lower()
        lab = (
            self._demonym_label.search(raw, lab_lo, s)
            if any(k in low_lead for k in self._label_keys)
            else None
        )
        if lab is not None:
            ev = (f"label:{lab.group('trig')}", "record")
            opts.append(Option(CONF_RECORD, ev, start, end, check_record))
            if _FIELD_START.fullmatch(raw, 0, lab.start()) and _VALUE_REST.fullmatch(raw, end):
                ev = (f"label:{lab.group('trig')}", "field")
                opts.append(Option(CONF_RECORD - 0.05, ev, start, end, check_not_memo))
            return opts
        # "ciudadano guatemalteco", "Mexican national": a nationality phrase.
        if noun is not None or es_noun is not None:
            if self.persons(left) and not self.generic_subject(left):
                opts.append(Option(CONF_BOUND - 0.05, ("nationality-phrase", "person"), start, end))
            else:
                ev = ("nationality-phrase", "record")
                opts.append(Option(CONF_RECORD, ev, start, end, check_recent_record(cl.start)))
            return opts
        # Set off by commas in a line that names a person or gives a DOB.
        if _SET_OFF_BEFORE.search(raw[max(0, s - 3) : s]) and _SET_OFF_AFTER.match(right_text):
            ev = ("appositive", "record")
            opts.append(Option(CONF_RECORD, ev, start, end, self._check_head_record_or_person))
        opts.append(Option(CONF_RECORD, (), s, e, self._check_table_cell(person_row=True)))
        return opts


_HEADER_CACHE = "statuses.origin.headers"
_CLOSE_PAREN = re.compile(r"\s*\)")
# A subject zone that is only a copula: "Es originaria de...", "Was born in..."
_COPULA_ZONE = re.compile(
    r"(?P<pre>.*?)(?P<verb>(?i:es|era|son|eran|fue|soy|somos|is|was|are|were))\s+", re.DOTALL
)
# What may stand before a field label at the start of its line: spaces, a bullet, a quote.
_FIELD_START = re.compile(r"(?:.*(?::|;|\||\t|\s{2}))?[\s>]*(?:[-*•]\s*)?", re.DOTALL)
# The rest of a field's value: more place names, then the end of the line or another
# field ("Country of birth: VIETNAM", "Place of birth: Tijuana, B.C., Mexico; Class: LPR").
_VALUE_REST = re.compile(
    r"(?:,?\s*[A-ZÁÉÍÓÚÑ][\w.'’\-]*)*\s*(?:[;|(\t].*|\s{2,}.*|\.?\s*)", re.DOTALL
)
_WIDE_GAP3 = re.compile(r"\S {3,}\S")
_WIDE_GAP2 = re.compile(r"\S {2,}\S")
_SET_OFF_BEFORE = re.compile(r"(?:[,:(]|\s[-–—])\s*$")
# after the demonym: the end of the phrase, or an age ("hondureño de 17 años", ", 24,")
_SET_OFF_AFTER = re.compile(r"^\s*(?:[,.;)]|$|de\s+\d|\d)")


class _Headers:
    """Per-text memo of table header lines (see OriginRules._labels_above)."""

    def __init__(self, _ctx: ScanContext) -> None:
        self.labels: dict[tuple[int, str], Collection[Any] | None] = {}
        self.above: dict[tuple[int, str], tuple[tuple[int, Any], ...]] = {}
        self.may_label: bool | None = None


def _check_person_window(lo: int, hi: int) -> Check:
    """A person named in the sentence before the trigger or the 300 characters before it
    (offsets relative to the sentence), and case-record cues around the candidate."""

    def check(doc: DocView, ss: int, hit: Hit) -> Extra | None:
        if doc.persons_in(ss + lo, ss + hi) and doc.has_record(hit.start):
            return HOLDS
        return None

    return check


def _cell_at(line: str, sep: str, pos: int) -> tuple[int, int, int] | None:
    """The cell of ``line`` (split on ``sep`` as :func:`_split_cells` does) that holds
    ``pos``: its column and bounds, or None when ``pos`` is on a separator."""
    if sep == "  ":
        cells = _split_cells(line, sep)
        col = next((i for i, (a, b) in enumerate(cells) if a <= pos < b), None)
        return None if col is None else (col, *cells[col])
    # One-character separators: the cell is found around ``pos``, without splitting the
    # whole row (the rows of a table each ask).
    if line.startswith(sep, pos) or pos >= len(line):
        return None
    a = line.rfind(sep, 0, pos) + 1
    b = line.find(sep, pos)
    return line.count(sep, 0, a), a, len(line) if b < 0 else b


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
