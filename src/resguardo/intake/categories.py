"""Which categories of information a request asks for.

Only what the requester *asks* for counts, not every category the message happens to
mention: "DOB 11/02/1988" identifies the person, "for NM plate BRZ592" says which car, "a
family enrolled in the rental assistance program" tells a story. A category phrase counts
when it stands in a sentence, list item or table row that asks (``data/asks.yaml``) and is
not followed by its own value. The phrase lexicon is ``data/categories.yaml``; nationality
words ("confirm he's Guatemalan") come from the detector's list of places and demonyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from resguardo.detect.lexicon import compile_phrase, places
from resguardo.intake.text import (
    Entry,
    Unit,
    compile_entries,
    compile_phrases,
    find_hits,
    given_value,
    load_data,
    snippet,
    units,
)
from resguardo.taxonomy import CATEGORY_IDS

__all__ = ["CategoryHit", "asked_categories", "demanded_categories"]


@dataclass(frozen=True, slots=True)
class CategoryHit:
    """A category asked for, with the words that asked for it."""

    category: str
    phrase: str
    context: str


@cache
def _lexicon() -> tuple[Entry, ...]:
    raw: Any = load_data("categories.yaml")
    entries = compile_entries(raw["entries"], "categories")
    for e in entries:
        for c in e.values:
            if c not in CATEGORY_IDS:
                raise ValueError(f"intake/data/categories.yaml: unknown category {c!r}")
    return (*entries, *_demonym_entries())


@cache
def _demonym_entries() -> tuple[Entry, ...]:
    # "confirm he's Guatemalan", "whether she is a Mexican national", "es hondureño": asking
    # whether someone is of a nationality asks for national origin.
    words: set[str] = set()
    for place in places():
        if place.country:
            words.update(d for d in place.demonyms if d not in place.ambiguous_demonyms)
    alternatives = "|".join(sorted((compile_phrase(w) for w in words), key=len, reverse=True))
    subject = r"(?:he|she|they|he's|she's|they're|him|her|the subject|the family|the person)"
    pattern = re.compile(
        rf"\b(?:{subject}\s+(?:(?:is|are|was|were)\s+)?(?:a\s+|an\s+)?|"
        rf"(?:es|son|sea|sean)\s+(?:un\s+|una\s+)?)(?:{alternatives})"
        r"(?:\s+(?:national|citizen)s?\b)?"
        rf"|(?:{alternatives})\s+(?:national|citizen)s?\b",
        re.IGNORECASE,
    )
    return (Entry("nationality (demonym)", ("national_origin",), pattern),)


@cache
def _asks() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str] | None]:
    raw: Any = load_data("asks.yaml")
    return (
        compile_phrases(raw["ask_cues"]),
        compile_phrases(raw["negations"]),
        compile_phrases(raw["list_leads"]),
    )


_UNTICKED = re.compile(r"^\s*\[\s*\]")
_ADDITIVE = re.compile(
    r"^\W*(?:also|and|plus|as well as|additionally|in addition|además|también|y|e)\b", re.I
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _asks_in(sentence: str) -> bool:
    cue, negation, _ = _asks()
    if negation is not None and negation.search(sentence):
        return False
    if sentence.rstrip().rstrip("\"')]").endswith("?") or sentence.lstrip().startswith("¿"):
        return True
    return cue is not None and bool(cue.search(sentence))


def _is_field_list(text: str, hits: int) -> bool:
    # "Names, DOB, DL#, phone, plates/VINs.": a bare list of data fields asks for them.
    words = _WORD.findall(text)
    return hits >= 2 and len(words) <= 3 * hits + 3 and text.count(",") + text.count("/") >= 1


def _unit_hits(text: str, u: Unit) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for hit in find_hits(_lexicon(), text, u.start, u.end):
        if given_value(text, hit.end):
            continue
        for category in hit.entry.values:
            found.append((category, hit.text))
        if not hit.entry.values:
            found.append(("", hit.text))
    return found


def asked_categories(text: str, *, stop: int | None = None) -> list[CategoryHit]:
    """The categories ``text`` asks for (up to offset ``stop``: the signature block).

    A hit with category ``""`` is something asked for that is no category (a photograph,
    a company's licence records): the request asks, but not for sensitive information.
    """
    end = len(text) if stop is None else stop
    body = text[:end]
    all_units = units(body)
    _, _, leads = _asks()
    asking = [_asks_in(body[u.start : u.end]) for u in all_units]
    any_ask = any(asking)
    out: list[CategoryHit] = []
    for i, u in enumerate(all_units):
        sentence = body[u.start : u.end]
        if _UNTICKED.match(sentence):
            continue
        hits = _unit_hits(body, u)
        if not hits:
            continue
        ok = asking[i]
        if not ok and u.item and u.lead is not None:
            lead_text = body[all_units[u.lead].start : all_units[u.lead].end]
            ok = asking[u.lead] or (
                all_units[u.lead].ends_with_colon
                and leads is not None
                and bool(leads.search(lead_text))
            )
        if not ok and any_ask and _is_field_list(sentence, len(hits)):
            ok = True
        if not ok and i and asking[i - 1] and _ADDITIVE.match(sentence):
            # "Also his last known address." right after an ask continues it.
            ok = len(_WORD.findall(sentence)) <= 10
            asking[i] = ok
        if not ok:
            continue
        context = snippet(body, u.start, u.end)
        for category, phrase in hits:
            out.append(CategoryHit(category, phrase, context))
    return out


_DEMAND_CUE = re.compile(
    r"(?:items?|property|records?|documents?)\s+to\s+be\s+"
    r"(?:seized|produced|released|disclosed|searched for)"
    r"|schedule\s+of\s+records|records\s+(?:requested|sought|to\s+release)"
    r"|(?:commanded|required|ordered|directed)\s+to\s+"
    r"(?:produce|deliver|bring|provide|furnish|seize|search)"
    r"|(?:shall|must|will)\s+(?:also\s+)?(?:produce|deliver|bring|provide|furnish|release)"
    r"|(?:bring|produce|deliver|provide|release|furnish)\s+(?:with\s+you\s*)?(?:the\s+)?"
    r"(?:following|records|documents)"
    r"|to\s+bring\s+with\s+you|the\s+following\s+(?:records|documents|information|items|data)"
    r"|autorizo\b|(?:i|we)\s+authori[sz]e\b|entregar\s+la\s+siguiente"
    r"|informaci[oó]n\s+sobre\s+m[ií]",
    re.IGNORECASE,
)
_DEMAND_STOP = re.compile(
    r"^\s*(?:/s/|date(?:d)?\s*:|issued\b|place\s*:|if you (?:fail|do not)|failure to|you may\b|"
    r"it is further ordered|so ordered|certain provisions|the officer executing|signature|firma|"
    r"propósito|purpose\s*:|this (?:subpoena|warrant|order|summons) (?:is|was|may)|"
    r"return and inventory|"
    r"a la siguiente persona|to\s*:\s*$|i understand)",
    re.IGNORECASE | re.MULTILINE,
)
_ATTACHMENT_HEAD = re.compile(
    r"^\s*(attachment|schedule|exhibit|anexo)\s+[a-z0-9]\b.*$", re.I | re.M
)


def demanded_categories(document: str) -> list[CategoryHit] | None:
    """The categories a legal document demands (or a consent authorises), or ``None`` when
    no demand section could be found.

    The demand section starts at an operative cue ("YOU ARE COMMANDED to produce", "ITEMS
    TO BE SEIZED", "Records to be produced", "I authorize ... to release") or at an
    attachment the document points to, and runs to the signature, date or place line.
    Unticked options ("[ ] Social Security number") and values ("date of birth 1990-...")
    are left out.
    """
    spans: list[tuple[int, int]] = []
    for m in _DEMAND_CUE.finditer(document):
        stop = _DEMAND_STOP.search(document, m.end())
        spans.append((m.start(), stop.start() if stop else min(len(document), m.end() + 2000)))
    if re.search(r"\b(?:attachment|schedule|exhibit)\s+[a-z0-9]\b", document[:4000], re.I):
        for m in _ATTACHMENT_HEAD.finditer(document):
            stop = _DEMAND_STOP.search(document, m.end())
            spans.append((m.end(), stop.start() if stop else len(document)))
    if not spans:
        return None
    out: list[CategoryHit] = []
    seen: set[tuple[int, int]] = set()
    for start, end in spans:
        section = document[start:end]
        for u in units(section):
            text = section[u.start : u.end]
            if _UNTICKED.match(text):
                continue
            for hit in find_hits(_lexicon(), section, u.start, u.end):
                key = (start + hit.start, start + hit.end)
                if key in seen or given_value(section, hit.end):
                    continue
                seen.add(key)
                for category in hit.entry.values:
                    out.append(CategoryHit(category, hit.text, snippet(section, u.start, u.end)))
    return out
