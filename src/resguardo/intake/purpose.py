"""The purpose a request states, read the careful way (``data/purposes.yaml``).

Vague phrases ("under federal investigation", "violations of federal law") state no purpose
a rule can test and leave it ``unknown``. Among several stated purposes the most restrictive
wins; an emergency counts only when it is someone's life or safety, and never when the
requester is (or relays for) an immigration agency, whose "exigent" or "officer safety" is
about its own operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from resguardo.intake.text import (
    Entry,
    compile_entries,
    compile_phrases,
    find_hits,
    load_data,
    snippet,
)
from resguardo.messages import Joined, Msg, Term
from resguardo.policy.request import AgencyKind, Purpose

__all__ = ["PurposeReading", "federal_law_cited", "read_purpose"]

# Most restrictive first: where two purposes are stated, the earlier wins.
_ORDER = (
    Purpose.IMMIGRATION_ENFORCEMENT,
    Purpose.HEALTH_OR_SAFETY_EMERGENCY,
    Purpose.CRIMINAL_INVESTIGATION,
    Purpose.CIVIL_ENFORCEMENT,
    Purpose.STATISTICAL,
    Purpose.AGENCY_FUNCTION,
)


@dataclass(frozen=True, slots=True)
class PurposeReading:
    """The purpose, and the evidence and doubts behind it (each a
    :class:`~resguardo.messages.Msg`)."""

    purpose: Purpose
    evidence: tuple[str, ...]
    doubts: tuple[str, ...]


@cache
def _tables() -> dict[str, Any]:
    raw: Any = load_data("purposes.yaml")
    return {
        "purposes": compile_entries(raw["purposes"], "purpose"),
        "functions": compile_entries(raw["agency_functions"], "purpose"),
        "vague": compile_phrases(raw["vague"]),
        "urgency": compile_phrases(raw["urgency"]),
        "law": compile_phrases(raw["federal_law_required"]),
        "defaults": {
            AgencyKind(k): Purpose(v) for k, v in (raw.get("kind_defaults") or {}).items()
        },
    }


def _found(entries: Sequence[Entry], texts: Sequence[str]) -> dict[Purpose, list[str]]:
    out: dict[Purpose, list[str]] = {}
    for text in texts:
        for hit in find_hits(entries, text):
            purpose = Purpose(hit.entry.values[0])
            phrase = " ".join(hit.text.split())
            if phrase.lower() not in {p.lower() for p in out.setdefault(purpose, [])}:
                out[purpose].append(phrase)
    return out


def _quoted(phrases: Sequence[str], limit: int = 4) -> str:
    return ", ".join(repr(p) for p in phrases[:limit])


def read_purpose(
    texts: Sequence[str],
    signatures: Sequence[str],
    kinds: set[AgencyKind],
) -> PurposeReading:
    """The purpose stated in the requester's ``texts`` (own words, subject, relayed words),
    with ``signatures`` (the requester's titles and agency lines) for agency functions, and
    ``kinds`` the requester's agency kinds (with the one relayed for)."""
    t = _tables()
    stated = _found(t["purposes"], texts)
    functions = _found(t["functions"], signatures)
    evidence: list[str] = []
    doubts: list[str] = []

    for text in texts:
        vague = t["vague"].search(text) if t["vague"] is not None else None
        if vague:
            phrase = " ".join(vague.group(0).split())
            doubts.append(Msg("intake.purpose.vague", quoted=repr(phrase)))
            break
    urgent: list[str] = []
    for text in texts:
        if t["urgency"] is not None:
            for m in t["urgency"].finditer(text):
                phrase = " ".join(m.group(0).split())
                if phrase.lower() not in {u.lower() for u in urgent}:
                    urgent.append(phrase)

    immigration_party = AgencyKind.FEDERAL_IMMIGRATION in kinds
    if Purpose.HEALTH_OR_SAFETY_EMERGENCY in stated and immigration_party:
        doubts.append(
            Msg(
                "intake.purpose.emergency_immigration",
                phrases=_quoted(stated[Purpose.HEALTH_OR_SAFETY_EMERGENCY], 3),
            )
        )
        del stated[Purpose.HEALTH_OR_SAFETY_EMERGENCY]
    if urgent and Purpose.HEALTH_OR_SAFETY_EMERGENCY not in stated:
        doubts.append(Msg("intake.purpose.urgency", phrases=_quoted(urgent)))

    found = set(stated) | set(functions)
    if not found:
        default = next((t["defaults"][k] for k in sorted(kinds) if k in t["defaults"]), None)
        if default is not None:
            return PurposeReading(
                default,
                (
                    Msg(
                        "intake.purpose.kind_default",
                        kind=Term("agency_kind", sorted(kinds)[0].value),
                    ),
                ),
                tuple(doubts),
            )
        return PurposeReading(
            Purpose.UNKNOWN,
            tuple(evidence),
            tuple(doubts) or (Msg("intake.purpose.none_stated"),),
        )
    chosen = next(p for p in _ORDER if p in found)
    if stated.get(chosen):
        evidence.append(Msg("intake.purpose.stated", phrases=_quoted(stated[chosen])))
    if functions.get(chosen):
        evidence.append(Msg("intake.purpose.title", phrases=_quoted(functions[chosen], 2)))
    others = [p for p in _ORDER if p in found and p is not chosen]
    if others:
        detail = Joined(
            "; ",
            [
                Msg(
                    "intake.purpose.other",
                    purpose=Term("purpose", p.value),
                    phrases=_quoted([*stated.get(p, []), *functions.get(p, [])], 2),
                )
                for p in others
            ],
        )
        if chosen is Purpose.HEALTH_OR_SAFETY_EMERGENCY:
            doubts.append(Msg("intake.purpose.also_emergency", detail=detail))
        else:
            doubts.append(Msg("intake.purpose.also_restrictive", detail=detail))
    return PurposeReading(chosen, tuple(evidence), tuple(doubts))


def federal_law_cited(texts: Sequence[str]) -> str | None:
    """A federal statute the requester says requires the disclosure, as written."""
    law = _tables()["law"]
    if law is None:
        return None
    for text in texts:
        m = law.search(text)
        if m:
            start = text.rfind("\n\n", 0, m.start()) + 1
            return snippet(text, max(start, m.start() - 40), min(len(text), m.end() + 40), 120)
    return None
