"""homeless_status: homelessness or a shelter stay.

"Shelter" and an agency's shelter names are places: they disclose a stay only with a stay
verb bound to a person ("sleeps at the Westside winter shelter"), never in a bed report or
a donation drive.
"""

from __future__ import annotations

from collections.abc import Sequence

from resguardo.detect.lexicon import CategoryLexicon, Term
from resguardo.detect.statuses.engine import CategoryRules, CueSet

__all__ = ["rules"]


def rules(lexicon: CategoryLexicon, cues: CueSet, user_terms: Sequence[Term]) -> CategoryRules:
    """The homeless_status rules."""
    return CategoryRules(lexicon, cues, user_terms)
