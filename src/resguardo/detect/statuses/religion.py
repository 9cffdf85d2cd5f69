"""religion: religious affiliation or practice.

Affiliation words double as names and institutions ("Christian Lopez", "Catholic
Charities"); places of worship count only with an attend verb bound to a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from resguardo.detect.lexicon import CategoryLexicon, Kind, Term
from resguardo.detect.statuses.engine import CategoryRules, CueSet, DocView, Hit, Judgement

__all__ = ["ReligionRules", "rules"]

# "Christian Lopez", "Christian R. Baca": a given name, not a faith.
_NAME_AFTER = re.compile(r"^\s+(?:[A-Z]\.\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")

# "Centennial Care (Presbyterian)", "her MCO is Presbyterian": health plans and hospitals
# bear denominations' names. A capitalized affiliation word shortly after a plan word, in
# the same sentence, names the plan.
_PLAN_BEFORE = re.compile(
    r"(?i)\b(?:centennial care|turquoise care|salud|medicaid|medicare|mco|managed care|"
    r"health ?plan|plan|insurance|insurer|coverage|hospital|clinic|health|seguro|aseguranza|"
    r"hospitalizad[oa] en|admitted to|discharged from)\b[^.\n;]{0,25}$"
)


@dataclass
class ReligionRules(CategoryRules):
    """Religion: the default engine plus a given-name check for affiliation words."""

    def judge(self, doc: DocView, hit: Hit) -> Judgement | None:
        """Skip affiliation words used as given names or health-plan names, then decide as usual."""
        text = doc.text
        word = text[hit.start : hit.end]
        # A place of worship opens its own name ("goes to Iglesia San José"): the given-name
        # and health-plan readings are the affiliation words'.
        if (
            hit.term.kind is not Kind.PLACE
            and word[:1].isupper()
            and (
                _NAME_AFTER.match(text[hit.end : hit.end + 30])
                or _PLAN_BEFORE.search(text[max(0, hit.start - 60) : hit.start])
            )
        ):
            return None
        return super().judge(doc, hit)


def rules(lexicon: CategoryLexicon, cues: CueSet, user_terms: Sequence[Term]) -> CategoryRules:
    """The religion rules."""
    return ReligionRules(lexicon, cues, user_terms)
