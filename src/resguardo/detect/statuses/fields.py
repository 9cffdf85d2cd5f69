"""Record fields that name a status category: "Religión (opcional): Testigo de Jehová",
``"identidad_de_genero": "no binario"``, "VICTIM OF VIOLENCE? Y - assaulted by ...".

A filled-in field discloses its value whatever words the value uses, so the value need not
be a lexicon term: the field's label says what it is. Each category lists its labels in its
lexicon (``extra.field_labels``: the value is the status; ``extra.flag_labels``: a yes/no
question, whose value counts only when it answers yes). A label ending in "?" is a question
too. Blank, negative or template values ("none", "N", "____", "[ ]", "Sí / No") disclose
nothing, and neither does a field in a memo or a training text without record cues.

Only the labels go into the prefilter (followed by a colon, "=" or "?"), so text without
such a field costs nothing here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from resguardo.detect.finding import Finding
from resguardo.detect.lexicon import CategoryLexicon, expand_phrase
from resguardo.detect.patterns import Candidate, PatternSpec, fold_text
from resguardo.detect.statuses.engine import DocView, record_finding

__all__ = ["FieldRules", "field_rules"]

KEY_PREFIX = "statuses.fields."

# Values that leave the field empty or answer no (folded, lower case). Structure words of
# any form, not phrases of one category.
_BLANK_WORDS = frozenset(
    (
        *[
            "no",
            "n",
            "none",
            "nada",
            "ninguno",
            "ninguna",
            "ningun",
            "n/a",
            "na",
            "n.a.",
            "nil",
            "null",
            "unknown",
            "unk",
        ],
        *[
            "desconocido",
            "desconocida",
            "declined",
            "declina",
            "refused",
            "pending",
            "tbd",
            "-",
            "--",
            "---",
        ],
        *["?", "other", "otro", "otra", "false", "0"],
        "prefer not to say",
        "prefiere no decir",
        "prefiero no decir",
        "not applicable",
        "no aplica",
        "not asked",
        "not reported",
        "not stated",
        "sin informacion",
        "sin datos",
        "see above",
        "see notes",
        "ver notas",
    )
)

_AFFIRMATIVE = re.compile(r"(?i)(?:y|yes|si|s|x|true|1)\b[\s\-–—:,.;/]*")
# Template marks: blanks to fill in, check boxes, option lists ("M / F / X").
_TEMPLATE = re.compile(
    r"_{3,}|\[\s?\]|☐|□|\.{4,}|[A-Za-z]\s?/\s?[A-Za-z]+\s?/\s?[A-Za-z]"
    r"|^\s*(?i:y|yes|s[ií]|x)\s?/\s?(?i:n|no)\b"
)
_VALUE_END = re.compile(r'["\]}]|\s{3,}|\t|\||;|\n|$')
_LINE_LEAD = re.compile(r"[ \t>*•\-]*$")
_MAX_VALUE = 70
_MAX_WORDS = 9


@dataclass(frozen=True, slots=True)
class _Label:
    """One category's field labels, compiled (folded text)."""

    category: str
    # anchored at the label's end: the key as a whole (line start or a JSON key)
    key_rx: re.Pattern[str]
    flags: re.Pattern[str] | None
    not_values: frozenset[str]


def _label_regex(phrases: Sequence[str]) -> str:
    """An alternation of labels in folded, lower-case spelling, with spaces that may also
    be underscores or hyphens ("country_of_birth", "identidad-de-genero")."""
    alts: set[str] = set()
    for p in phrases:
        for v in expand_phrase(p):
            words = fold_text(v.strip().lower()).split()
            if words:
                alts.add(r"[ _\-]".join(re.escape(w) for w in words))
    return "|".join(sorted(alts, key=lambda a: (-len(a), a)))


# After a label: an optional "(optional)" note, a closing quote, then ":" "=" or "?".
_AFTER_LABEL = r'"?[ \t]*(?:\([^)\n]{0,30}\)[ \t]*)?(?:[:=]|\?+[ \t]*:?)'
_QUESTION = r"[^\n:?]{0,30}\?+[ \t]*:?"


class FieldRules:
    """Finds filled-in status fields of every category that lists field labels."""

    def __init__(self, lexicons: Mapping[str, CategoryLexicon]) -> None:
        self._labels: dict[str, _Label] = {}
        specs: list[PatternSpec] = []
        for cat, lex in lexicons.items():
            fields = lex.extra.get("field_labels", ())
            flags = lex.extra.get("flag_labels", ())
            if not fields and not flags:
                continue
            both = _label_regex([*fields, *flags])
            # The key: at a line's start (after a bullet or quote) or a JSON key, with an
            # optional code prefix ("hoh_", "parent_").
            key_rx = re.compile(
                rf'(?:^|[{{,\[]\s*)[ \t>*•\-]*"?(?:[a-z0-9]+_)*(?:{both})(?:_[a-z0-9]+)*'
                rf"{_AFTER_LABEL}$"
                # or a question on a form's line: "¿Ha sido víctima de violencia? Sí"
                rf"|^[ \t>*•\-]*\??[^\n:?]{{0,60}}?\b(?:{both}){_QUESTION}$"
            )
            flag_rx = re.compile(rf"(?:{_label_regex(flags)})\W*$") if flags else None
            not_values = frozenset(
                fold_text(v.lower())
                for p in lex.extra.get("field_values_not", ())
                for v in expand_phrase(p)
            )
            self._labels[cat] = _Label(cat, key_rx, flag_rx, not_values)
            specs.append(
                PatternSpec(
                    key=f"{KEY_PREFIX}{cat}",
                    regex=rf"(?:{both})(?:(?:_[a-z0-9]+)*{_AFTER_LABEL}|{_QUESTION})",
                    caseless=True,
                    som=False,
                )
            )
        self._specs = tuple(specs)

    def specs(self) -> tuple[PatternSpec, ...]:
        """The prefilter patterns: each category's labels followed by ":", "=" or "?"."""
        return self._specs

    def run(self, doc: DocView, category: str, cands: Sequence[Candidate]) -> list[Finding]:
        """Findings for the field labels of ``category`` that matched (ends only)."""
        lab = self._labels[category]
        text = doc.text
        out: list[Finding] = []
        for _, end in cands:
            got = self._value(doc, lab, end)
            if got is None:
                continue
            s, e = got
            if doc.shown_in_memo(s):
                continue  # a form described in a memo or a training slide
            out.append(record_finding(text, category, s, e, "record:field"))
        return out

    def _value(self, doc: DocView, lab: _Label, end: int) -> tuple[int, int] | None:
        """The span of the field's value, or None for no field, a blank or a no."""
        text = doc.text
        ls = text.rfind("\n", 0, end) + 1
        head = fold_text(text[ls:end]).lower()
        m = lab.key_rx.search(head)
        if m is None:
            return None
        question = head.rstrip().rstrip(":").rstrip().endswith("?")
        flag = question or (lab.flags is not None and bool(lab.flags.search(head)))
        # the value: the rest of the line, a quoted JSON string, or a JSON list
        s = end
        while s < len(text) and text[s] in " \t":
            s += 1
        if text.startswith("[", s):
            e = text.find("]", s, s + 200)
            if e < 0:
                return None
            s += 1
        else:
            while s < len(text) and text[s] == '"':
                s += 1
            stop = _VALUE_END.search(text, s)
            e = stop.start() if stop is not None else len(text)
        raw = text[s:e].rstrip(' ",.')
        e = s + len(raw)
        value = fold_text(raw).lower().strip(' "')
        if not value or _TEMPLATE.search(raw):
            return None
        if flag:
            yes = _AFFIRMATIVE.match(value)
            if yes is None:
                return None
            rest = value[yes.end() :]
            if rest:
                s += len(raw) - len(raw[yes.end() :].lstrip())
            value = rest or value
        if value in _BLANK_WORDS or value in lab.not_values:
            return None
        if len(raw) > _MAX_VALUE or len(value.split()) > _MAX_WORDS:
            return None  # prose after a colon, not a field's value
        return (s, e) if e > s else None


def field_rules(lexicons: Mapping[str, CategoryLexicon]) -> FieldRules:
    """The field rules of every category's lexicon."""
    return FieldRules(lexicons)
