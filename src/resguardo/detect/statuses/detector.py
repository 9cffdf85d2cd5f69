"""The protected-status detector: nine categories, one prefilter pass, per-category rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.lexicon import (
    STATUS_CATEGORIES,
    Term,
    UserLexicon,
    builtin_lexicons,
    context_cues,
    pattern_specs,
)
from resguardo.detect.patterns import Candidate, PatternSpec
from resguardo.detect.statuses import housing, immigration, origin, religion, simple
from resguardo.detect.statuses.engine import (
    DOC_KEY,
    CategoryRules,
    CuePatterns,
    CueSet,
    DocView,
)
from resguardo.detect.statuses.fields import KEY_PREFIX as FIELD_PREFIX
from resguardo.detect.statuses.fields import field_rules
from resguardo.detect.statuses.structured import KEY_PREFIX as STRUCT_PREFIX
from resguardo.detect.statuses.structured import StructuredRules

__all__ = ["StatusDetector"]

_MODULES = {
    "immigration_status": immigration.rules,
    "national_origin": origin.rules,
    "public_assistance": simple.rules,
    "crime_victim": simple.rules,
    "sexual_orientation": simple.rules,
    "gender_identity": simple.rules,
    "disability": simple.rules,
    "religion": religion.rules,
    "homeless_status": housing.rules,
}


class StatusDetector:
    """Finds statements of a person's protected status, in English and Spanish.

    One detector for the family, so that the document-level views (case-record signs,
    memo/newsletter signs, sentences) are computed once and shared by the nine categories'
    rules. Only lexicon phrases go into the prefilter; the document cues are looked for
    lazily, around candidates that need them (see :mod:`resguardo.detect.statuses.engine`).
    Findings name the category's rules: ``statuses.<category>``.
    """

    def __init__(self, user_lexicons: Sequence[UserLexicon] = ()) -> None:
        lexicons = builtin_lexicons()
        cues = CueSet(context_cues())
        user: dict[str, list[Term]] = {c: [] for c in STATUS_CATEGORIES}
        for ul in user_lexicons:
            for t in ul.terms():
                user[t.category].append(t)
        self._rules: dict[str, CategoryRules] = {
            cat: _MODULES[cat](lexicons[cat], cues, user[cat]) for cat in STATUS_CATEGORIES
        }
        self._cues = cues
        self._cue_patterns = CuePatterns(cues.cues["memo_cues"])
        specs: list[PatternSpec] = []
        self._key_category: dict[str, str] = {}
        for cat, r in self._rules.items():
            cat_specs = pattern_specs(f"statuses.{cat}", r.pattern_terms())
            self._key_category.update((s.key, cat) for s in cat_specs)
            specs.extend(cat_specs)
        # Filled-in fields named by a category's labels ("Religión: ...", "orientation": ...).
        self._fields = field_rules(lexicons)
        for spec in self._fields.specs():
            self._key_category[spec.key] = spec.key[len(FIELD_PREFIX) :]
            specs.append(spec)
        # Checked boxes, XML elements and JSON values of exported records.
        self._structured = StructuredRules(lexicons)
        specs.extend(self._structured.specs())
        self._specs: tuple[PatternSpec, ...] = tuple(specs)

    @property
    def id(self) -> str:
        """Detector id; each finding names its category's rules (``statuses.<category>``)."""
        return "statuses"

    @property
    def categories(self) -> tuple[str, ...]:
        """The nine protected-status categories."""
        return STATUS_CATEGORIES

    def patterns(self) -> Sequence[PatternSpec]:
        """Lexicon phrases (chunked alternations per category)."""
        return self._specs

    def rules(self, category: str) -> CategoryRules:
        """The rules of one category (for tests and tools)."""
        return self._rules[category]

    def _doc_view(self, ctx: ScanContext) -> DocView:
        return DocView(ctx, self._cues, self._cue_patterns)

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Status findings in ``ctx.text``."""
        # Only the keys that matched are in ctx.candidates: walk those, not all ~100 keys.
        groups: dict[str, list[list[Candidate]]] = {}
        fields: list[tuple[str, list[Candidate]]] = []
        structured: list[tuple[str, list[Candidate]]] = []
        for key, cands in ctx.candidates.items():
            if key.startswith(STRUCT_PREFIX):
                structured.append((key, cands))
                continue
            cat = self._key_category.get(key)
            if cat is None:
                continue
            if key.startswith(FIELD_PREFIX):
                fields.append((cat, cands))
            else:
                groups.setdefault(cat, []).append(cands)
        if not groups and not fields and not structured:
            return []
        doc = ctx.shared(DOC_KEY, self._doc_view)
        out: list[Finding] = []
        for cat, cat_groups in groups.items():
            out.extend(self._rules[cat].run(doc, cat_groups))
        for cat, cands in fields:
            out.extend(self._fields.run(doc, cat, cands))
        for key, cands in structured:
            out.extend(self._structured.run(doc, key, cands))
        return out
