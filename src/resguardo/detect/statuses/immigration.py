"""immigration_status: immigration or citizenship status or history.

Negation does not cancel here: "is not a citizen" and "no legal status" disclose a status
just as "is a U.S. citizen" does (LABELING.md), so the span takes the negation in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from resguardo.detect.lexicon import CategoryLexicon, Term, places, word_list_regex
from resguardo.detect.statuses.engine import (
    CategoryRules,
    Clause,
    CueSet,
    DocView,
    Hit,
    Judgement,
)

__all__ = ["ImmigrationRules", "rules"]


# "a citizen of Mexico" is a nationality (national_origin), "a citizen of the U.S." is not.
_FOREIGN_OF = re.compile(
    r"^\s+(?:of|de)\s+(?!(?i:the\s+u|the\s+united|u\.?s|united|america|usa|ee\.?\s?uu|"
    r"los\s+estados|estados)\b)(?:the\s+|la\s+|el\s+)?[A-ZÁÉÍÓÚÑ]"
)


# When an event happened: "removed in 2013", "deportado en 2020", "removed on 3/4/2019",
# "removed back in March 2018". A dated event is a person's history, not a topic.
_DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:(?i:back\s+)?(?i:in|on|en|el|around|hacia|about|during|durante)\s+)"
    r"(?:(?i:early|late|mid|principios de|finales de|mediados de)[\s\-]+)?"
    r"(?:(?:[A-Za-zÁÉÍÓÚáéíóú]+\.?\s+(?:(?i:de|of)\s+)?)?(?:19|20)\d\d\b"
    r"|\d{1,2}[/-]\d{1,2}[/-](?:19|20)?\d\d\b)"
)


def _foreign_demonym_tail() -> re.Pattern[str]:
    dems = [d for p in places() for d in p.demonyms]
    return re.compile(rf"(?i:{word_list_regex(dems)})\s+$")


@dataclass
class ImmigrationRules(CategoryRules):
    """Immigration status: the default engine, with negation kept and foreign citizenship left
    to national_origin ("a Mexican citizen" is a nationality, not a U.S. status)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self._foreign_tail = _foreign_demonym_tail()
        dems = [d for p in places() for d in p.demonyms]
        # "ciudadano guatemalteco": Spanish puts the nationality after the noun.
        self._foreign_head = re.compile(rf"^\s+(?i:{word_list_regex(dems)})")
        # Terms whose required context words a date after them stands in for.
        self._dated = frozenset(self.lexicon.extra.get("dated_events", ()))
        self._undated: dict[str, Term] = {}

    def basic_ok(self, cl: Clause, term: Term) -> bool:
        """The default exclusions; a dated event ("was removed in 2013") needs no other
        context word."""
        if term.near and term.phrase in self._dated and _DATE_AFTER.match(cl.right_text(cl.e, 40)):
            bare = self._undated.get(term.phrase)
            if bare is None:
                bare = self._undated[term.phrase] = replace(term, near=())
            term = bare
        return CategoryRules.basic_ok(self, cl, term)

    def judge(self, doc: DocView, hit: Hit) -> Judgement | None:
        """The default decision, except for "<foreign demonym> citizen"."""
        # (the term's phrase starts as the matched text does: no slicing for most terms)
        if hit.term.phrase.startswith(("citizen", "ciudadan")):
            right = doc.text[hit.end : hit.end + 40]
            if (
                self._foreign_tail.search(doc.text[max(0, hit.start - 40) : hit.start])
                or self._foreign_head.match(right)
                or _FOREIGN_OF.match(right)
            ):
                return None
        # (the base method named directly: cheaper than super() for every candidate)
        return CategoryRules.judge(self, doc, hit)


def rules(lexicon: CategoryLexicon, cues: CueSet, user_terms: Sequence[Term]) -> CategoryRules:
    """The immigration_status rules."""
    return ImmigrationRules(lexicon, cues, user_terms, negation_is_status=True)
