"""Categories that the shared engine handles with their lexicons alone.

public_assistance, crime_victim, sexual_orientation, gender_identity and disability differ
only in their phrases, verbs and exclusions (``lexicons/<category>.yaml``); the context
rules are the engine's defaults.
"""

from __future__ import annotations

from collections.abc import Sequence

from resguardo.detect.lexicon import CategoryLexicon, Term
from resguardo.detect.statuses.engine import CategoryRules, CueSet

__all__ = ["rules"]


def rules(lexicon: CategoryLexicon, cues: CueSet, user_terms: Sequence[Term]) -> CategoryRules:
    """Default rules for one category."""
    return CategoryRules(lexicon, cues, user_terms)
