"""Statuses in structured records: checked boxes of a form, XML elements, JSON values.

- "Housing: [ ] Own [X] Homeless", "☒ SNAP/cupones ☐ TANF", "Situación migratoria:
  ☐ Ciudadano(a) ☒ Residente permanente": a CHECKED option discloses itself when it names
  a status (a lexicon term) or when the line's label is one of the category's field labels
  (any option of "Citizenship:" is a citizenship status). An unchecked box never counts,
  and a blank template has no checked box at all.
- "Disability?  ☒ Yes  ☐ No  If yes, describe: COPD": a checked yes to a question that
  names a category discloses it, and so does the description that follows.
- ``<Citizenship>NOT A US CITIZEN</Citizenship>``, ``<GenderNote>transgender ...``: an
  element whose name is a field label, or whose value holds a status term.
- ``"benefits": ["Medicaid", "SNAP"]``, ``"housing_status": "unsheltered"``: a JSON string
  or list item that holds a status term.

Everything here is a record's field, so no person binding is asked for; a form or an
export shown in a memo or a training text without record cues is left alone.

The prefilter sees folded text, where every box symbol ("☒", "☐", "✔") is "?": the
pattern finds a "?" standing alone, and the original character decides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from resguardo.detect.finding import Finding
from resguardo.detect.lexicon import CategoryLexicon, Kind, expand_phrase, pattern_specs
from resguardo.detect.patterns import Candidate, PatternSpec, fold_text
from resguardo.detect.statuses.engine import DocView, record_finding

__all__ = ["KEY_PREFIX", "StructuredRules"]

KEY_PREFIX = "statuses.structured."
_BOX_KEY = f"{KEY_PREFIX}box"
_XML_KEY = f"{KEY_PREFIX}xml"
_JSON_KEY = f"{KEY_PREFIX}json"

# Checked and unchecked marks in the ORIGINAL text.
_CHECKED = re.compile(r"\[[xX✔✓✗☒]\]|\([xX]\)|[☒☑✔✓✅]")
_ANY_BOX = re.compile(r"\[[ xX✔✓✗☒]?\]|\([ xX]?\)|[☒☑✔✓✅☐□]")
_YES = frozenset(("yes", "y", "si", "s"))
_NO = frozenset(("no", "n"))
# "If yes, describe: ...", "Explique: ...": the free text that a checked yes opens.
_DESCRIBE = re.compile(
    r"(?i)\b(?:describe|explain|specify|list|which|cu[aá]l(?:es)?|explique|describa|especifique)"
    r"\s*[:?]+[ \t]*"
)
# An option ends at the next box, a tab, a wide gap or the line's end.
_OPTION_END = re.compile(r"\t| {3,}|\[[ xX✔✓✗☒]?\]|\([ xX]?\)|[☒☑✔✓✅☐□]|$", re.M)
_MAX_OPTION = 80
_MAX_OPTION_WORDS = 8
# A form line's label is short and holds no sentence break.
_MAX_LABEL = 90
_PROSE = re.compile(r"[a-z][.!] +[A-Z]")

# <Tag attr="...">value</ : the value of one element, on one line.
# HTML markup elements: their text is a page's prose or title, not a record field's value.
_HTML_TAGS = frozenset(
    [
        "title",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "a",
        "b",
        "i",
        "u",
        "em",
        "strong",
        "span",
        "div",
        "font",
        "li",
        "code",
        "pre",
        "caption",
        "small",
        "big",
        "tt",
        "dt",
        "dd",
        "blockquote",
        "center",
    ]
)
_XML = re.compile(r"<([A-Za-z][\w.\-]*)((?:\s[^<>\n]{0,120})?)>([^<>\n]{1,160})</")
# "key": "value" or "key": ["a", "b"] (one line).
_JSON = re.compile(r'"([\w .\-]{1,60})"\s*:\s*(?:"([^"\n]{1,160})"|\[([^\]\n]{1,300})\])')
_JSON_ITEM = re.compile(r'"([^"\n]{1,120})"')
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|[_\-.\s]+")
_BLANK = frozenset(
    ("", "n/a", "na", "none", "null", "unknown", "unk", "no", "n", "false", "0", "-", "--")
)


@dataclass(frozen=True, slots=True)
class _Category:
    """One category's words for structured values (folded text)."""

    name: str
    terms: tuple[re.Pattern[str], ...]
    labels: re.Pattern[str] | None
    not_values: frozenset[str]


def _labels_rx(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """Field labels as whole words of a folded, lower-case label text."""
    alts = {
        r"\s+".join(re.escape(w) for w in fold_text(v.lower()).split())
        for p in phrases
        for v in expand_phrase(p)
        if v.strip()
    }
    if not alts:
        return None
    body = "|".join(sorted(alts, key=lambda a: (-len(a), a)))
    return re.compile(rf"\b(?:{body})\b")


def _category(lex: CategoryLexicon) -> _Category:
    # Places (a shelter's or a church's name) need a stay or attend verb; a bare name in a
    # field is not a status, so only status words, weak words and predicates are matched.
    terms = [t for t in lex.terms if t.kind is not Kind.PLACE]
    rxs = tuple(
        re.compile(fold_text(s.regex), re.ASCII | (re.IGNORECASE if s.caseless else 0))
        for s in pattern_specs(lex.category, terms)
    )
    labels = _labels_rx([*lex.extra.get("field_labels", ()), *lex.extra.get("record_labels", ())])
    not_values = frozenset(
        fold_text(v.lower())
        for p in lex.extra.get("field_values_not", ())
        for v in expand_phrase(p)
    )
    return _Category(lex.category, rxs, labels, not_values)


class StructuredRules:
    """Checked boxes, XML elements and JSON values that disclose a status."""

    def __init__(self, lexicons: Mapping[str, CategoryLexicon]) -> None:
        self._cats = tuple(_category(lex) for lex in lexicons.values())
        # labels that ask a yes/no question of a category: field labels, flag labels, terms
        self._flags: dict[str, re.Pattern[str] | None] = {
            lex.category: _labels_rx(
                [*lex.extra.get("field_labels", ()), *lex.extra.get("flag_labels", ())]
            )
            for lex in lexicons.values()
        }
        self._specs = (
            # a lone "?" (a folded box symbol), "[X]", "(X)"; ends only
            PatternSpec(_BOX_KEY, r"[\s:]\?[ \t]+[A-Za-z(]|\[[xX?]\]|\([xX]\)", som=False),
            PatternSpec(_XML_KEY, r"<[A-Za-z][\w.\-]*(?:\s[^<>\n]{0,120})?>[^<>\n]", som=False),
            PatternSpec(_JSON_KEY, r'"[\w .\-]{1,60}"\s*:\s*["\[]', som=False),
        )

    def specs(self) -> tuple[PatternSpec, ...]:
        """The prefilter patterns (ends only)."""
        return self._specs

    def run(self, doc: DocView, key: str, cands: Sequence[Candidate]) -> list[Finding]:
        """Findings of one structured kind, each line looked at once."""
        text = doc.text
        out: list[Finding] = []
        done: set[int] = set()
        for _, end in cands:
            ls = text.rfind("\n", 0, end - 1) + 1
            if ls in done:
                continue
            done.add(ls)
            le = text.find("\n", end)
            le = len(text) if le < 0 else le
            if key == _BOX_KEY:
                spans = self._boxes(text, ls, le)
            elif key == _XML_KEY:
                spans = self._xml(text, ls, le)
            else:
                spans = self._json(text, ls, le)
            if not spans or doc.shown_in_memo(ls):
                continue  # a form or an export shown in a memo or a training slide
            out.extend(record_finding(text, cat, s, e, ev) for cat, s, e, ev in spans)
        return out

    # ------------------------------------------------------------------ matching

    def _term_category(self, value: str) -> str | None:
        """The first category with a status term in ``value`` (folded)."""
        for c in self._cats:
            if any(rx.search(value) for rx in c.terms):
                return c.name
        return None

    def _label_category(self, label: str) -> _Category | None:
        """The category one of whose field labels ``label`` (folded, lower case) names."""
        for c in self._cats:
            if c.labels is not None and c.labels.search(label):
                return c
        return None

    def _value_category(self, label: str, value: str) -> str | None:
        """A field's category: a status term in the value, or a value under a label."""
        fv = fold_text(value)
        got = self._term_category(fv)
        if got is not None:
            return got
        c = self._label_category(label)
        if c is None:
            return None
        v = fv.lower().strip(" .,;:\"'")
        if v in _BLANK or v in c.not_values or _ANY_BOX.search(value):
            return None
        return c.name

    # ------------------------------------------------------------------ boxes

    def _boxes(self, text: str, ls: int, le: int) -> list[tuple[str, int, int, str]]:
        line = text[ls:le]
        first = _ANY_BOX.search(line)
        if first is None or _CHECKED.search(line) is None:
            return []
        label = line[: first.start()]
        if len(label) > _MAX_LABEL or _PROSE.search(label):
            # a box mentioned in a sentence ("staff check [X] when..."), not a form line
            return []
        flabel = fold_text(label).lower()
        out: list[tuple[str, int, int, str]] = []
        for m in _CHECKED.finditer(line):
            os_ = m.end()
            while os_ < len(line) and line[os_] in " \t":
                os_ += 1
            stop = _OPTION_END.search(line, os_)
            oe = stop.start() if stop is not None else len(line)
            option = line[os_:oe].rstrip(" ,;")
            oe = os_ + len(option)
            if not option or len(option) > _MAX_OPTION or len(option.split()) > _MAX_OPTION_WORDS:
                continue
            word = fold_text(option).lower().strip(" .:")
            if word in _NO:
                continue
            if word in _YES:
                got = self._question(flabel)
                if got is None:
                    continue
                cat, qs = got
                out.append((cat, ls + qs, ls + oe, "record:checked-yes"))
                desc = _DESCRIBE.search(line, oe)
                if desc is not None:
                    ds = desc.end()
                    de = len(line.rstrip())
                    value = line[ds:de]
                    if value.strip(" _.") and fold_text(value).lower().strip() not in _BLANK:
                        out.append((cat, ls + ds, ls + de, "record:checked-describe"))
                continue
            cat2 = self._value_category(flabel, option)
            if cat2 is not None:
                out.append((cat2, ls + m.start(), ls + oe, "record:checked"))
        return out

    def _question(self, label: str) -> tuple[str, int] | None:
        """The category a yes/no question names (a field or flag label, or a status term),
        with where in ``label`` the naming starts."""
        for c in self._cats:
            rx = self._flags.get(c.name)
            m = rx.search(label) if rx is not None else None
            if m is None:
                m = next((t for rx2 in c.terms if (t := rx2.search(label))), None)
            if m is not None:
                return c.name, m.start()
        return None

    # ------------------------------------------------------------------ exports

    def _xml(self, text: str, ls: int, le: int) -> list[tuple[str, int, int, str]]:
        out: list[tuple[str, int, int, str]] = []
        for m in _XML.finditer(text, ls, le):
            value = m.group(3)
            raw = value.strip()
            if not raw or m.group(1).lower() in _HTML_TAGS:
                continue
            label = " ".join(_CAMEL.split(m.group(1))).lower()
            attrs = fold_text(m.group(2)).lower()
            cat = self._value_category(f"{label} {attrs}".strip(), raw)
            if cat is None:
                continue
            s = m.start(3) + (len(value) - len(value.lstrip()))
            out.append((cat, s, s + len(raw), "record:xml"))
        return out

    def _json(self, text: str, ls: int, le: int) -> list[tuple[str, int, int, str]]:
        out: list[tuple[str, int, int, str]] = []
        for m in _JSON.finditer(text, ls, le):
            if m.group(2) is not None:
                items = [(m.start(2), m.group(2))]
            else:
                base = m.start(3)
                items = [(base + i.start(1), i.group(1)) for i in _JSON_ITEM.finditer(m.group(3))]
            for s, value in items:
                # a term in the value (a label alone is fields.py's business)
                cat = self._term_category(fold_text(value))
                if cat is not None and len(value.split()) <= 12:
                    out.append((cat, s, s + len(value), "record:json"))
        return out
