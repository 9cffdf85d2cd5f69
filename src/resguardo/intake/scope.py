"""How many people a request reaches (``data/scope.yaml``) and whose records it asks for
(``data/record_systems.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from resguardo.intake.message import Mailbox
from resguardo.intake.text import (
    Entry,
    compile_entries,
    compile_phrases,
    find_hits,
    load_data,
    snippet,
)
from resguardo.messages import Msg
from resguardo.policy.request import RecordSystem, Scope

__all__ = ["Reading", "read_record_system", "read_scope"]

_ONE_PERSON = re.compile(
    r"\b(?:for|on|of|about|concerning)\s+(?:the\s+)?(?:individual|person|subject|defendant|"
    r"applicant|him|her)\b(?:\s+(?:below|named|listed))?|\b(?:individual|person|subject)\s+below\b",
    re.IGNORECASE,
)
# A list item that is a person's name: "1. Adela Ruiz Soto", "- GARCIA, Pedro".
_NAME_ITEM = re.compile(
    r"^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+[A-ZÁÉÍÓÚÑ][\w'’.-]+"
    r"(?:[ ,]+[A-ZÁÉÍÓÚÑa-záéíóúñ][\w'’.-]*){1,5}[ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """A value and the reasons for it (each a :class:`~resguardo.messages.Msg`)."""

    value: str
    evidence: tuple[str, ...]
    certain: bool = True


@cache
def _scope_tables() -> dict[str, Any]:
    raw: Any = load_data("scope.yaml")
    return {
        "bulk": compile_phrases(raw["bulk"]),
        "address": compile_phrases(raw["address_sweep"]),
        "several": compile_phrases(raw["several"]),
    }


def _sentence_at(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\n\n", 0, start))
    right_candidates = [i for i in (text.find(".", end), text.find("\n\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : right]


def read_scope(texts: Sequence[str]) -> Reading:
    """The scope stated in the requester's own words."""
    t = _scope_tables()
    # Lines wrap anywhere: "all the people registered\nat 2207 ..." is one phrase.
    raw = list(texts)
    texts = [" ".join(x.split()) for x in raw]
    for text in texts:
        m = t["address"].search(text) if t["address"] is not None else None
        if m:
            return Reading(
                Scope.SEVERAL.value,
                (Msg("intake.scope.address", quoted=repr(snippet(text, m.start(), m.end()))),),
            )
    for text in texts:
        for m in t["bulk"].finditer(text) if t["bulk"] is not None else ():
            if _ONE_PERSON.search(_sentence_at(text, m.start(), m.end())):
                continue
            return Reading(Scope.BULK.value, (Msg("intake.scope.bulk", quoted=repr(m.group(0))),))
    for text, lines in zip(texts, raw, strict=True):
        m = t["several"].search(text) if t["several"] is not None else None
        if m:
            return Reading(
                Scope.SEVERAL.value, (Msg("intake.scope.several", quoted=repr(m.group(0))),)
            )
        # Items that look like names: two or more capitalised words ("Ana Ruiz Soto"), not
        # a capitalised field ("Current address").
        names = [
            n
            for n in (m.group(0) for m in _NAME_ITEM.finditer(lines))
            if sum(w[:1].isupper() for w in n.split()[1:]) >= 2
        ]
        if len(names) >= 2:
            return Reading(Scope.SEVERAL.value, (Msg("intake.scope.names", count=str(len(names))),))
    return Reading(Scope.INDIVIDUAL.value, (Msg("intake.scope.one"),))


# --------------------------------------------------------------------------- record system


@dataclass(frozen=True, slots=True)
class _System:
    system: RecordSystem
    domains: tuple[str, ...]


@cache
def _system_tables() -> tuple[tuple[_System, ...], tuple[Entry, ...], tuple[Entry, ...]]:
    raw: Any = load_data("record_systems.yaml")
    systems = tuple(
        _System(
            RecordSystem(row["system"]), tuple(str(d).lower() for d in row.get("domains") or ())
        )
        for row in raw["systems"]
    )
    names = compile_entries(
        [{"system": r["system"], "phrases": r.get("names") or []} for r in raw["systems"]], "system"
    )
    text = compile_entries(
        [{"system": r["system"], "phrases": r.get("text") or []} for r in raw["systems"]], "system"
    )
    return systems, names, text


def _by_domain(box: Mailbox) -> RecordSystem | None:
    systems, _, _ = _system_tables()
    best: tuple[int, RecordSystem] | None = None
    for s in systems:
        for d in s.domains:
            matches = box.domain == d or box.domain.endswith("." + d)
            if matches and (best is None or len(d) > best[0]):
                best = (len(d), s.system)
    return best[1] if best else None


def _by_words(entries: Sequence[Entry], text: str) -> tuple[RecordSystem, str] | None:
    hits = find_hits(entries, text)
    if not hits:
        return None
    best = max(hits, key=lambda h: (h.end - h.start, -h.start))
    return RecordSystem(best.entry.values[0]), best.text


def read_record_system(recipients: Sequence[Sequence[Mailbox]], texts: Sequence[str]) -> Reading:
    """The record system, from the recipients (in order of trust: each group is tried in
    turn, e.g. the To of the message, then the To of the forwarded original) and else from
    what the requester's ``texts`` call the records."""
    _, names, text_entries = _system_tables()
    for group in recipients:
        for box in group:
            system = _by_domain(box)
            if system is not None:
                return Reading(system.value, (Msg("intake.system.domain", domain=box.domain),))
        for box in group:
            # The display name ("Lee, Ann (TRD-MVD)"), the mailbox ("mvd.records") and the
            # domain's labels ("hca" in hca.nm.gov) may each name the office.
            labels = box.domain.split(".")[:-1]
            words = " ".join(
                x for x in (box.name, box.local.replace(".", " ").replace("_", " "), *labels) if x
            )
            found = _by_words(names, words)
            if found is not None:
                why = Msg(
                    "intake.system.recipient", recipient=repr(str(box)), quoted=repr(found[1])
                )
                return Reading(found[0].value, (why,))
    for text in texts:
        found = _by_words(text_entries, text)
        if found is not None:
            return Reading(found[0].value, (Msg("intake.system.words", quoted=repr(found[1])),))
    return Reading(RecordSystem.OTHER.value, (Msg("intake.system.none"),), certain=False)
