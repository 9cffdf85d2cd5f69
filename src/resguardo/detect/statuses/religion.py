"""religion: religious affiliation or practice.

Affiliation words double as names and institutions ("Christian Lopez", "Catholic
Charities"); places of worship count only with an attend verb bound to a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from resguardo.detect.lexicon import CategoryLexicon, Term
from resguardo.detect.statuses.engine import CategoryRules, CueSet, DocView, Hit, Judgement

__all__ = ["ReligionRules", "rules"]

# "Christian Lopez", "Christian R. Baca": a given name, not a faith.
_NAME_AFTER = re.compile(r"^\s+(?:[A-Z]\.\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")


@dataclass
class ReligionRules(CategoryRules):
    """Religion: the default engine plus a given-name check for affiliation words."""

    def judge(self, doc: DocView, hit: Hit) -> Judgement | None:
        """Skip affiliation words used as given names, then decide as usual."""
        word = doc.text[hit.start : hit.end]
        if word[:1].isupper() and _NAME_AFTER.match(doc.text[hit.end : hit.end + 30]):
            return None
        return super().judge(doc, hit)


def rules(lexicon: CategoryLexicon, cues: CueSet, user_terms: Sequence[Term]) -> CategoryRules:
    """The religion rules."""
    return ReligionRules(lexicon, cues, user_terms)
