"""The decision engine: ``decide(request, pack) -> Decision``, a pure function.

How a request is decided:

1. The request is reduced to *features* (parties, purpose, documents with their signer
   class and coverage, scope, record system, consent). Any value the engine does not
   recognise is recorded as a problem, and a request with problems is escalated: a
   malformed request must never be answered by accident.
2. Each requested category is decided by every regime of the pack that governs it for
   that record system. Within a regime a prohibition that applies wins; otherwise the
   first ground that permits release; otherwise a ground that needs judgment (escalate);
   otherwise the regime's default. Across regimes the most restrictive answer wins
   (withhold > escalate > release): any one law that bars disclosure is enough.
3. Federal overlays (DPPA, PRWORA § 404, 8 U.S.C. 1373) adjust the result.
4. The outcome follows from the categories: all released → release; some withheld →
   release_redacted; all withheld → deny; anything held for judgment → escalate.

Packs are compiled once into lookup tables keyed by (record system, category), so a
decision is a few set look-ups per category. Explanations and replies are rendered from
templates only when asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

from resguardo.policy.pack import (
    Basis,
    Condition,
    FederalOverlay,
    Obligation,
    Outcome,
    Pack,
    Prohibition,
    Regime,
    Text,
)
from resguardo.policy.request import (
    AgencyKind,
    LegalProcess,
    ProcessKind,
    Purpose,
    RecordSystem,
    Request,
    Requester,
    Scope,
)
from resguardo.policy.signers import SignerClass, classify_signer
from resguardo.taxonomy import CATEGORY_IDS

__all__ = [
    "CategoryDecision",
    "Decision",
    "ObligationDue",
    "Reason",
    "Rule",
    "decide",
]

Verdict = Literal["release", "withhold"]

# Internal decisions, ordered by restrictiveness so that max() picks the most restrictive.
_ABSTAIN, _RELEASE, _ESCALATE, _WITHHOLD = 0, 1, 2, 3
_CODES = {"release": _RELEASE, "escalate": _ESCALATE, "withhold": _WITHHOLD, "deny": _WITHHOLD}

_PRIVATE_ONLY = frozenset({AgencyKind.PRIVATE})
_ANY = "*"  # pseudo-category: a request that names no category of the taxonomy
_EMPTY: dict[str, Any] = {}

_KINDS = frozenset(AgencyKind)
_PURPOSES = frozenset(Purpose)
_PROCESS_KINDS = frozenset(ProcessKind)
_SCOPES = frozenset(Scope)
_SYSTEMS = frozenset(RecordSystem)
_CATEGORIES = frozenset(CATEGORY_IDS)
_JUDICIAL = frozenset({ProcessKind.JUDICIAL_WARRANT, ProcessKind.COURT_ORDER})
_NOT_A_JUDGE = frozenset({SignerClass.IMMIGRATION_JUDGE, SignerClass.IMMIGRATION_OFFICER})
_COMPULSORY = frozenset(
    {
        ProcessKind.JUDICIAL_WARRANT,
        ProcessKind.COURT_ORDER,
        ProcessKind.GRAND_JURY_SUBPOENA,
        ProcessKind.COURT_SUBPOENA,
    }
)
_LOOKALIKES = frozenset(
    {ProcessKind.ADMINISTRATIVE_SUBPOENA, ProcessKind.ADMINISTRATIVE_WARRANT, ProcessKind.DETAINER}
)


# --------------------------------------------------------------------------- public values


@dataclass(frozen=True, slots=True)
class Rule:
    """The rule behind a verdict: an id within the pack, its citation and a plain
    explanation in English and Spanish, plus the ids of unconfirmed points it rests on."""

    id: str
    citation: str
    en: str
    es: str
    unconfirmed: tuple[str, ...] = ()
    refused: Rule | None = None
    """For a rule that holds an item only because nothing known permits it: the rule as it
    reads when the item is refused together with the rest of the request."""
    cite_in_reply: bool = True
    """False when the citation is context, not the legal ground for refusing (an item
    declined with the rest of a request): the reply to the requester leaves it out."""


@dataclass(frozen=True, slots=True)
class CategoryDecision:
    """How one requested category is decided.

    ``decision`` is the engine's finer answer: ``escalate`` means held for review. The
    contract's ``verdict`` is binary: anything not released is withheld.
    """

    category: str
    decision: Literal["release", "withhold", "escalate"]
    rule: Rule

    @property
    def verdict(self) -> Verdict:
        """``release`` or ``withhold``."""
        return "release" if self.decision == "release" else "withhold"


@dataclass(frozen=True, slots=True)
class ObligationDue:
    """A duty that comes with the decision."""

    id: str
    en: str
    es: str
    citation: str
    within_days: int | None = None
    to: str | None = None
    unconfirmed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    """A request-level remark for the explanation: a template key and its parameters."""

    key: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class UnconfirmedNote:
    """A point the legal notes mark unconfirmed, reported with any decision resting on it."""

    id: str
    en: str
    es: str


@dataclass(frozen=True)
class Decision:
    """The answer to a request under one pack. ``to_json()`` gives the contract shape."""

    outcome: Outcome
    pack: str
    pack_version: str
    categories: Mapping[str, CategoryDecision]
    obligations: tuple[ObligationDue, ...] = ()
    reasons: tuple[Reason, ...] = ()
    unconfirmed: tuple[UnconfirmedNote, ...] = ()
    requester: str | None = None
    pack_title: str = ""
    review: tuple[str, str] = ("", "")
    inferred_request: Mapping[str, Any] = field(default_factory=dict)
    render_cache: dict[Any, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)
    """Texts already rendered for decisions of the same shape (shared, append-only)."""

    @property
    def withheld(self) -> tuple[str, ...]:
        """Categories not released (including those held for review)."""
        return tuple(c for c, d in self.categories.items() if d.verdict == "withhold")

    @property
    def released(self) -> tuple[str, ...]:
        """Categories released (only meaningful when the outcome releases)."""
        return tuple(c for c, d in self.categories.items() if d.verdict == "release")

    @cached_property
    def explanation(self) -> dict[str, str]:
        """Plain-language explanation for the clerk: ``{"en": ..., "es": ...}``."""
        from resguardo.policy.render import render_explanation

        text = self.render_cache.get("explanation")
        if text is None:
            text = self.render_cache["explanation"] = render_explanation(self)
        return dict(text)

    @cached_property
    def reply(self) -> dict[str, str]:
        """A reply the clerk can send to the requester: ``{"en": ..., "es": ...}``."""
        from resguardo.policy.render import render_reply

        key = ("reply", self.requester)
        text = self.render_cache.get(key)
        if text is None:
            text = render_reply(self)
            if len(self.render_cache) < 64:  # names vary; keep the cache small
                self.render_cache[key] = text
        return dict(text)

    def with_inferred_request(self, request: Mapping[str, Any]) -> Decision:
        """A copy carrying the request as inferred (the CLI fills this)."""
        return replace(self, inferred_request=dict(request))

    def to_dict(self) -> dict[str, Any]:
        """The decision contract as a dict (see ``to_json``)."""
        return {
            "outcome": str(self.outcome),
            "pack": self.pack,
            "pack_version": self.pack_version,
            "categories": {
                c: {"verdict": d.verdict, "rule": d.rule.id, "citation": d.rule.citation}
                for c, d in self.categories.items()
            },
            "obligations": [o.id for o in self.obligations],
            "explanation": dict(self.explanation),
            "reply": dict(self.reply),
            "inferred_request": dict(self.inferred_request),
        }

    def to_json(self, indent: int | None = None) -> str:
        """The contract other tools parse::

        {"outcome", "pack", "pack_version",
         "categories": {"<id>": {"verdict", "rule", "citation"}},
         "obligations": ["<id>", ...], "explanation": {"en", "es"},
         "reply": {"en", "es"}, "inferred_request": {...}}
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


# --------------------------------------------------------------------------- features


@dataclass(frozen=True, slots=True)
class _Proc:
    kind: str
    signer: str
    covers: frozenset[str] | None

    def supports(self, category: str) -> bool:
        return self.covers is None or category == _ANY or category in self.covers


@dataclass(slots=True)
class _Features:
    kinds: frozenset[str]
    purpose: str
    procs: tuple[_Proc, ...]
    proc_kinds: frozenset[str]
    scope: str
    record_system: str
    consent: bool
    federal_law: bool
    categories: tuple[str, ...]
    requester: str | None
    problems: list[Reason]
    notices: list[Reason]
    key: tuple[Any, ...] = ()
    """Everything a decision depends on except the categories: the memo key."""


def _enum_value(value: Any, allowed: frozenset[str], fieldname: str, problems: list[Reason]) -> str:
    if isinstance(value, str) and value in allowed:
        return str(value)
    problems.append(Reason("invalid_value", (("field", fieldname), ("value", _short(value)))))
    return "unknown"


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not break a decision
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _get(obj: Any, name: str) -> Any:
    # type() rather than isinstance(Mapping): the ABC check is the slowest step of a decision.
    if type(obj) is dict:
        return obj.get(name)
    return getattr(obj, name, None)


def _opt_str(value: Any, fieldname: str, problems: list[Reason]) -> str | None:
    if value is None or isinstance(value, str):
        return value
    problems.append(Reason("invalid_value", (("field", fieldname), ("value", _short(value)))))
    return None


def _features(request: Request) -> _Features:
    """The request reduced to what rules test; problems recorded, never raised."""
    if type(request) is Request:
        try:
            return _features_fast(request)
        except _Slow:
            pass
    return _features_careful(request)


def _features_careful(request: Request) -> _Features:
    problems: list[Reason] = []
    notices: list[Reason] = []
    requester = _get(request, "requester")
    if requester is None:
        problems.append(Reason("missing_value", (("field", "requester"),)))
    kind = _enum_value(_get(requester, "kind"), _KINDS, "requester.kind", problems)
    kinds = {kind}
    behalf = _get(request, "on_behalf_of")
    if behalf is not None:
        kinds.add(_enum_value(behalf, _KINDS, "on_behalf_of", problems))
    _opt_str(_get(requester, "agency"), "requester.agency", problems)
    name = _opt_str(_get(requester, "name"), "requester.name", problems)
    purpose = _enum_value(_get(request, "purpose"), _PURPOSES, "purpose", problems)
    scope = _enum_value(_get(request, "scope"), _SCOPES, "scope", problems)
    system = _enum_value(_get(request, "record_system"), _SYSTEMS, "record_system", problems)

    raw_procs = _get(request, "legal_process")
    procs: list[_Proc] = []
    if raw_procs is None:
        raw_procs = []
    if not isinstance(raw_procs, list | tuple):
        problems.append(
            Reason("invalid_value", (("field", "legal_process"), ("value", _short(raw_procs))))
        )
        raw_procs = []
    for i, p in enumerate(raw_procs):
        pk = _enum_value(_get(p, "kind"), _PROCESS_KINDS, f"legal_process[{i}].kind", problems)
        signed_by = _opt_str(_get(p, "signed_by"), f"legal_process[{i}].signed_by", problems)
        court = _opt_str(_get(p, "issuing_court"), f"legal_process[{i}].issuing_court", problems)
        signer = str(classify_signer(signed_by, court))
        covers_raw = _get(p, "covers")
        covers: frozenset[str] | None = None
        if covers_raw is not None:
            if isinstance(covers_raw, list | tuple | set | frozenset) and all(
                isinstance(c, str) and c in _CATEGORIES for c in covers_raw
            ):
                covers = frozenset(covers_raw)
            else:
                problems.append(
                    Reason(
                        "invalid_value",
                        ((("field", f"legal_process[{i}].covers")), ("value", _short(covers_raw))),
                    )
                )
                covers = frozenset()
        if pk in _JUDICIAL and signer in _NOT_A_JUDGE:
            # A "warrant" or "order" signed by an immigration officer or an Immigration
            # Judge is not judicial process, whatever the classifier called it: disregard
            # it as process, and let a person look at it.
            notices.append(
                Reason("judicial_kind_not_judge", (("kind", pk), ("signer", signed_by or "")))
            )
            pk = ProcessKind.UNKNOWN
        procs.append(_Proc(pk, signer, covers))

    consent_raw = _get(request, "written_consent")
    if not isinstance(consent_raw, bool):
        if consent_raw is not None:
            problems.append(
                Reason(
                    "invalid_value", (("field", "written_consent"), ("value", _short(consent_raw)))
                )
            )
        consent_raw = False
    law = _get(request, "federal_law_cited")
    if law is not None and not isinstance(law, str):
        problems.append(
            Reason("invalid_value", (("field", "federal_law_cited"), ("value", _short(law))))
        )
    federal_law = isinstance(law, str) and bool(law.strip())

    raw_cats = _get(request, "categories")
    cats: list[str] = []
    if not isinstance(raw_cats, list | tuple):
        problems.append(
            Reason("invalid_value", (("field", "categories"), ("value", _short(raw_cats))))
        )
        raw_cats = []
    for c in raw_cats:
        if isinstance(c, str) and c in _CATEGORIES:
            if c not in cats:
                cats.append(c)
        else:
            problems.append(
                Reason("invalid_value", (("field", "categories"), ("value", _short(c))))
            )
            label = c if isinstance(c, str) else _short(c)
            if label not in cats:
                cats.append(label)
    return _make_features(
        frozenset(kinds),
        purpose,
        tuple(procs),
        scope,
        system,
        bool(consent_raw),
        federal_law,
        tuple(cats),
        name,
        problems,
        notices,
    )


def _make_features(
    kinds: frozenset[str],
    purpose: str,
    procs: tuple[_Proc, ...],
    scope: str,
    system: str,
    consent: bool,
    federal_law: bool,
    cats: tuple[str, ...],
    name: str | None,
    problems: list[Reason],
    notices: list[Reason],
) -> _Features:
    return _Features(
        kinds=kinds,
        purpose=purpose,
        procs=procs,
        proc_kinds=frozenset(p.kind for p in procs),
        scope=scope,
        record_system=system,
        consent=consent,
        federal_law=federal_law,
        categories=cats,
        requester=name,
        problems=problems,
        notices=notices,
        key=(kinds, purpose, procs, scope, system, consent, federal_law, tuple(notices)),
    )


class _Slow(Exception):
    """The fast path met something it does not vouch for; take the careful path."""


def _features_fast(request: Request) -> _Features:
    """Features of a validated ``Request``: enum members and checked ids, so type checks
    suffice. Anything else (e.g. a ``model_construct``ed request) raises ``_Slow``."""
    rq = request.requester
    if type(rq) is not Requester:
        raise _Slow
    kind, behalf = rq.kind, request.on_behalf_of
    purpose, scope, system = request.purpose, request.scope, request.record_system
    if (
        type(kind) is not AgencyKind
        or (behalf is not None and type(behalf) is not AgencyKind)
        or type(purpose) is not Purpose
        or type(scope) is not Scope
        or type(system) is not RecordSystem
    ):
        raise _Slow
    name = rq.name
    if name is not None and type(name) is not str:
        raise _Slow
    raw_procs = request.legal_process
    if type(raw_procs) is not list:
        raise _Slow
    procs: list[_Proc] = []
    notices: list[Reason] = []
    for p in raw_procs:
        if type(p) is not LegalProcess:
            raise _Slow
        pk, signed_by, court, covers = p.kind, p.signed_by, p.issuing_court, p.covers
        if type(pk) is not ProcessKind:
            raise _Slow
        if (signed_by is not None and type(signed_by) is not str) or (
            court is not None and type(court) is not str
        ):
            raise _Slow
        signer = str(classify_signer(signed_by, court))
        cov: frozenset[str] | None = None
        if covers is not None:
            if type(covers) is not list or not all(
                type(c) is str and c in _CATEGORIES for c in covers
            ):
                raise _Slow
            cov = frozenset(covers)
        kind_str: str = pk
        if pk in _JUDICIAL and signer in _NOT_A_JUDGE:
            notices.append(
                Reason("judicial_kind_not_judge", (("kind", pk), ("signer", signed_by or "")))
            )
            kind_str = ProcessKind.UNKNOWN
        procs.append(_Proc(kind_str, signer, cov))
    consent, law = request.written_consent, request.federal_law_cited
    if type(consent) is not bool or (law is not None and type(law) is not str):
        raise _Slow
    raw_cats = request.categories
    if type(raw_cats) is not list:
        raise _Slow
    for c in raw_cats:
        if type(c) is not str or c not in _CATEGORIES:
            raise _Slow
    cats = tuple(dict.fromkeys(raw_cats))
    kinds = frozenset((kind,)) if behalf is None else frozenset((kind, behalf))
    return _make_features(
        kinds,
        purpose,
        tuple(procs),
        scope,
        system,
        consent,
        law is not None and bool(law.strip()),
        cats,
        name,
        [],
        notices,
    )


# --------------------------------------------------------------------------- compiled pack


def _fs(values: Iterable[Any] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(str(v) for v in values)


class _Cond:
    """A compiled ``Condition``."""

    __slots__ = (
        "any_party",
        "consent",
        "federal_law",
        "process",
        "purposes",
        "record_systems",
        "requester_kinds",
        "scopes",
        "signers",
        "trivial",
    )

    def __init__(self, c: Condition | None) -> None:
        self.record_systems = _fs(c.record_systems) if c else None
        self.requester_kinds = _fs(c.requester_kinds) if c else None
        self.any_party = _fs(c.any_party_kinds) if c else None
        self.purposes = _fs(c.purposes) if c else None
        self.process = _fs(c.process) if c else None
        self.signers = _fs(c.signers) if c else None
        self.scopes = _fs(c.scopes) if c else None
        self.consent = c.consent if c else None
        self.federal_law = c.federal_law_cited if c else None
        self.trivial = c is None or all(
            getattr(self, s) is None for s in self.__slots__ if s != "trivial"
        )

    def matches(self, f: _Features, category: str) -> bool:
        if self.trivial:
            return True
        if self.record_systems is not None and f.record_system not in self.record_systems:
            return False
        if self.requester_kinds is not None and not f.kinds <= self.requester_kinds:
            return False
        if self.any_party is not None and not f.kinds & self.any_party:
            return False
        if self.purposes is not None and f.purpose not in self.purposes:
            return False
        if self.scopes is not None and f.scope not in self.scopes:
            return False
        if self.federal_law is not None and f.federal_law != self.federal_law:
            return False
        if self.consent is not None and _has_consent(f, category) != self.consent:
            return False
        if self.process is not None or self.signers is not None:
            for p in f.procs:
                if (
                    (self.process is None or p.kind in self.process)
                    and (self.signers is None or p.signer in self.signers)
                    and p.supports(category)
                ):
                    return True
            return False
        return True


def _has_consent(f: _Features, category: str) -> bool:
    if f.consent:
        return True
    return any(p.kind == ProcessKind.WRITTEN_CONSENT and p.supports(category) for p in f.procs)


_DEFINITE, _POSSIBLE = 2, 1


class _Prohibition:
    __slots__ = (
        "categories",
        "conflicts_with",
        "decision",
        "except_process",
        "except_purposes",
        "possible_for",
        "presumed_for",
        "purposes",
        "rebutted_by",
        "rule",
        "rule_conflict",
        "rule_possible",
    )

    def __init__(
        self, p: Prohibition, rule: Rule, rule_possible: Rule, rule_conflict: Rule
    ) -> None:
        self.categories = _fs(p.categories)
        self.purposes = frozenset(str(x) for x in p.purposes)
        self.presumed_for = frozenset(str(x) for x in p.presumed_for)
        self.rebutted_by = frozenset(str(x) for x in p.rebutted_by)
        self.possible_for = frozenset(str(x) for x in p.possible_for)
        self.except_process = frozenset(str(x) for x in p.except_process)
        self.except_purposes = frozenset(str(x) for x in p.except_purposes)
        self.conflicts_with = frozenset(str(x) for x in p.conflicts_with)
        self.decision = _WITHHOLD if p.decide == "deny" else _ESCALATE
        self.rule = rule
        self.rule_possible = rule_possible
        self.rule_conflict = rule_conflict

    def compelled(self, f: _Features, category: str) -> bool:
        """Whether a produced document compels disclosure in spite of the bar."""
        return any(p.kind in self.conflicts_with and p.supports(category) for p in f.procs)

    def status(self, f: _Features, category: str) -> int:
        if self.except_process and any(
            p.kind in self.except_process and p.supports(category) for p in f.procs
        ):
            return 0
        if f.purpose in self.except_purposes:
            return 0
        if f.purpose in self.purposes:
            return _DEFINITE
        if f.kinds & self.presumed_for and not f.proc_kinds & self.rebutted_by:
            # The requester's own kind makes the barred purpose the working assumption: an
            # unstated purpose confirms it, a claimed other purpose only raises a doubt.
            return _DEFINITE if f.purpose == Purpose.UNKNOWN else _POSSIBLE
        if f.purpose == Purpose.UNKNOWN and f.kinds & self.possible_for:
            return _POSSIBLE
        return 0


class _Basis:
    __slots__ = ("categories", "cond", "decision", "rule")

    def __init__(self, b: Basis, rule: Rule) -> None:
        self.categories = _fs(b.categories)
        self.cond = _Cond(b)
        self.decision = _RELEASE if b.decide == "release" else _ESCALATE
        self.rule = rule


class _Regime:
    __slots__ = ("applies_when", "bases", "default", "default_rule", "prohibitions")

    def __init__(
        self,
        applies_when: tuple[_Cond, ...] | None,
        prohibitions: tuple[_Prohibition, ...],
        bases: tuple[_Basis, ...],
        default: int,
        default_rule: Rule,
    ) -> None:
        self.applies_when = applies_when
        self.prohibitions = prohibitions
        self.bases = bases
        self.default = default
        self.default_rule = default_rule

    def evaluate(self, f: _Features, category: str) -> tuple[int, Rule]:
        possible: _Prohibition | None = None
        for p in self.prohibitions:
            st = p.status(f, category)
            if st == _DEFINITE:
                if p.decision == _WITHHOLD and p.compelled(f, category):
                    return _ESCALATE, p.rule_conflict
                return p.decision, p.rule
            if st == _POSSIBLE and possible is None:
                possible = p
        escalate: _Basis | None = None
        for b in self.bases:
            if b.cond.matches(f, category):
                if b.decision == _RELEASE:
                    if possible is not None:
                        return _ESCALATE, possible.rule_possible
                    return _RELEASE, b.rule
                if escalate is None:
                    escalate = b
        if escalate is not None:
            return _ESCALATE, escalate.rule
        if possible is not None and self.default in (_RELEASE, _ABSTAIN):
            # Silence or a permissive default cannot settle a bar that may apply.
            return _ESCALATE, possible.rule_possible
        return self.default, self.default_rule


class _Overlay:
    __slots__ = ("categories", "from_", "obligations", "rest_rule", "rule", "to", "unless", "when")

    def __init__(
        self,
        o: FederalOverlay,
        rule: Rule,
        rest_rule: Rule | None,
        obligations: tuple[ObligationDue, ...],
    ) -> None:
        self.categories = frozenset(o.category_ids())
        self.when = _Cond(o.when)
        self.unless = tuple(_Cond(u) for u in o.unless)
        self.from_ = frozenset(_CODES[d] for d in o.from_decisions)
        self.to = _CODES[o.to]
        self.rule = rule
        self.rest_rule = rest_rule
        self.obligations = obligations


class _Obligation:
    __slots__ = ("cond", "due", "outcomes")

    def __init__(self, o: Obligation) -> None:
        self.cond = _Cond(o.when)
        self.outcomes = _fs(o.when.outcomes)
        self.due = _due(o)


def _due(o: Obligation) -> ObligationDue:
    return ObligationDue(
        id=o.id,
        en=o.title.en,
        es=o.title.es,
        citation=o.citation,
        within_days=o.within_days,
        to=o.to,
        unconfirmed=tuple(o.unconfirmed),
    )


@dataclass(slots=True)
class _Compiled:
    pack_id: str
    version: str
    title: str
    review: tuple[str, str]
    table: dict[str, dict[str, tuple[_Regime, ...]]]
    uncovered: tuple[int, Rule]
    overlays: tuple[_Overlay, ...]
    overlays_by_category: dict[str, tuple[_Overlay, ...]]
    obligations: tuple[_Obligation, ...]
    notes: dict[str, UnconfirmedNote]
    interned: dict[tuple[str, int, int], CategoryDecision] = field(default_factory=dict)
    memo: dict[tuple[Any, ...], _Core] = field(default_factory=dict)


def _rule(
    rule_id: str,
    citation: str,
    text: Text,
    unconfirmed: Iterable[str],
    refuse_with_rest: bool = False,
) -> Rule:
    notes = tuple(unconfirmed)
    refused = None
    if refuse_with_rest:
        from resguardo.policy.render import messages

        lead = messages().rule_texts["refused_with_rest"]
        refused = Rule(
            rule_id,
            citation,
            f"{text.en} {lead.en}",
            f"{text.es} {lead.es}",
            notes,
            cite_in_reply=False,
        )
    return Rule(rule_id, citation, text.en, text.es, notes, refused)


def _compile_regime(regime: Regime, category: str, templates: Mapping[str, Text]) -> _Regime:
    """The regime as it applies to one category (rules that do not reach it are dropped)."""
    prohibitions = []
    for p in regime.prohibitions:
        if category != _ANY and p.categories is not None and category not in p.categories:
            continue
        if category == _ANY and p.categories is not None:
            continue
        notes = (*regime.unconfirmed, *p.unconfirmed)
        rule = _rule(f"{regime.id}.{p.id}", p.citation, p.explain, notes)
        lead = templates["possible_prohibition"]
        possible = Rule(
            rule.id,
            p.citation,
            f"{lead.en} {p.explain.en}",
            f"{lead.es} {p.explain.es}",
            rule.unconfirmed,
        )
        clash = templates["court_conflict"]
        conflict = Rule(
            rule.id,
            p.citation,
            f"{p.explain.en} {clash.en}",
            f"{p.explain.es} {clash.es}",
            rule.unconfirmed,
        )
        prohibitions.append(_Prohibition(p, rule, possible, conflict))
    bases = []
    for b in regime.bases:
        if category != _ANY and b.categories is not None and category not in b.categories:
            continue
        if category == _ANY and b.categories is not None:
            continue
        notes = (*regime.unconfirmed, *b.unconfirmed)
        bases.append(_Basis(b, _rule(f"{regime.id}.{b.id}", b.citation, b.explain, notes)))
    d = regime.default
    if d.decide == "abstain":
        default, default_rule = _ABSTAIN, Rule(f"{regime.id}.default", regime.citation, "", "")
    else:
        assert d.explain is not None  # checked when the pack was loaded
        default = _CODES[d.decide]
        default_rule = _rule(
            f"{regime.id}.default",
            d.citation or regime.citation,
            d.explain,
            (*regime.unconfirmed, *d.unconfirmed),
            d.refuse_with_rest,
        )
    aw = regime.applies_when
    applies = (
        None if aw is None else tuple(_Cond(c) for c in (aw if isinstance(aw, list) else [aw]))
    )
    return _Regime(applies, tuple(prohibitions), tuple(bases), default, default_rule)


def _compile(pack: Pack) -> _Compiled:
    from resguardo.policy.render import messages

    templates = messages().rule_texts
    table: dict[tuple[str, str], list[_Regime]] = {}
    for regime in pack.regimes:
        cats = regime.category_ids()
        keys = [*cats, _ANY] if regime.categories == "all" else list(cats)
        for system in regime.record_system_ids():
            for cat in keys:
                table.setdefault((str(system), cat), []).append(
                    _compile_regime(regime, cat, templates)
                )
    un = pack.uncovered
    uncovered = (
        _CODES[un.decide],
        _rule("uncovered", un.citation, un.explain, (), un.refuse_with_rest),
    )
    fed = pack.federal_rules
    fed_obligations = {o.id: _due(o) for o in fed.obligations}
    wanted = set(pack.federal)
    overlays = []
    for o in fed.overlays:  # federal.yaml order is the order of application
        if o.id not in wanted:
            continue
        rule = _rule(f"federal.{o.id}", o.citation, o.explain, o.unconfirmed)
        rest = (
            replace(
                _rule(f"federal.{o.id}", o.citation, o.rest_withheld_explain, o.unconfirmed),
                cite_in_reply=False,
            )
            if o.rest_withheld_explain is not None
            else None
        )
        overlays.append(_Overlay(o, rule, rest, tuple(fed_obligations[i] for i in o.obligations)))
    notes = {u.id: UnconfirmedNote(u.id, u.note.en, u.note.es) for u in fed.unconfirmed}
    notes.update({u.id: UnconfirmedNote(u.id, u.note.en, u.note.es) for u in pack.unconfirmed})
    return _Compiled(
        pack_id=pack.id,
        version=pack.version,
        title=pack.title,
        review=(pack.review.en, pack.review.es),
        table=_by_system(table),
        uncovered=uncovered,
        overlays=tuple(overlays),
        overlays_by_category={
            c: tuple(o for o in overlays if c in o.categories) for c in CATEGORY_IDS
        },
        obligations=tuple(_Obligation(o) for o in pack.obligations),
        notes=notes,
    )


def _by_system(
    flat: Mapping[tuple[str, str], list[_Regime]],
) -> dict[str, dict[str, tuple[_Regime, ...]]]:
    out: dict[str, dict[str, tuple[_Regime, ...]]] = {str(s): {} for s in RecordSystem}
    for (system, cat), regimes in flat.items():
        out[system][cat] = tuple(regimes)
    return out


def compiled(pack: Pack) -> _Compiled:
    """The pack's lookup tables, built on first use and kept with the pack."""
    private = pack.__pydantic_private__
    c = private.get("_compiled") if private is not None else None
    if c is None:
        c = _compile(pack)
        pack._compiled = c
    assert type(c) is _Compiled
    return c


# --------------------------------------------------------------------------- deciding


def _decide_category(cp: _Compiled, f: _Features, category: str) -> tuple[int, Rule]:
    best: tuple[int, Rule] | None = None
    for regime in cp.table.get(f.record_system, _EMPTY).get(category, ()):
        if regime.applies_when is not None and not any(
            c.matches(f, category) for c in regime.applies_when
        ):
            continue
        d, rule = regime.evaluate(f, category)
        if d == _ABSTAIN:
            continue
        if best is None or d > best[0]:
            best = (d, rule)
    if best is None:
        if category == _ANY:
            return _RELEASE, cp.uncovered[1]
        return cp.uncovered
    return best


def _problem_decision(
    pack: Pack, cp: _Compiled | None, f: _Features | None, reasons: list[Reason]
) -> Decision:
    from resguardo.policy.render import messages

    text = messages().rule_texts["invalid_request"]
    rule = Rule("engine.invalid_request", "", text.en, text.es)
    cats = f.categories if f is not None else ()
    return Decision(
        outcome=Outcome.ESCALATE,
        pack=getattr(pack, "id", str(pack)),
        pack_version=cp.version if cp is not None else "",
        categories={c: CategoryDecision(c, "escalate", rule) for c in cats},
        reasons=tuple(reasons),
        requester=f.requester if f is not None else None,
        pack_title=cp.title if cp is not None else "",
        review=cp.review if cp is not None else ("", ""),
    )


def decide(request: Request, pack: Pack) -> Decision:
    """Decide ``request`` under ``pack``. Pure and total: it never raises.

    Anything the engine cannot interpret (a value outside the vocabulary, a missing field,
    an internal error) yields ``escalate`` with the reason, never a release.
    """
    cp: _Compiled | None = None
    f: _Features | None = None
    try:
        cp = compiled(pack)
        f = _features(request)
        if f.problems:
            return _problem_decision(pack, cp, f, f.problems)
        return _decide(cp, f)
    except Exception as exc:  # fail closed: an engine error is an escalation, not a crash
        reason = Reason("internal_error", (("error", f"{type(exc).__name__}: {exc}"[:200]),))
        try:
            return _problem_decision(pack, cp, f, [reason])
        except Exception:
            return Decision(
                outcome=Outcome.ESCALATE,
                pack=str(getattr(pack, "id", "")),
                pack_version="",
                categories={},
                reasons=(reason,),
            )


def _category_decision(cp: _Compiled, category: str, code: int, rule: Rule) -> CategoryDecision:
    # Rules live as long as the compiled pack, so their ids are stable keys; reusing the
    # immutable CategoryDecision saves building one per category per decision.
    key = (category, code, id(rule))
    cd = cp.interned.get(key)
    if cd is None:
        name: Literal["release", "withhold", "escalate"] = (
            "release" if code == _RELEASE else "escalate" if code == _ESCALATE else "withhold"
        )
        cd = CategoryDecision(category, name, rule)
        if len(cp.interned) < 100_000:
            cp.interned[key] = cd
    return cd


def _refuse_with_rest(results: dict[str, tuple[int, Rule]], skip: Mapping[str, Rule]) -> None:
    """Refuse items held only for want of a known permission when the rest is refused.

    When part of a request is withheld on definite grounds, nothing is released, no process
    compels anything, and every remaining item is held only because no known rule permits
    it, the agency is refusing the request anyway; refusing those items too is within its
    discretion (nothing compels them) and gives the requester one clear answer.
    """
    codes = [results[c][0] for c in results if c not in skip]
    if _RELEASE in codes or _WITHHOLD not in codes:
        return
    held = [c for c in results if c not in skip and results[c][0] == _ESCALATE]
    if not held or any(results[c][1].refused is None for c in held):
        return
    for c in held:
        refused = results[c][1].refused
        assert refused is not None
        results[c] = (_WITHHOLD, refused)


@dataclass(frozen=True, slots=True)
class _Core:
    """A decision without the per-request details (the requester's name)."""

    outcome: Outcome
    categories: Mapping[str, CategoryDecision]
    obligations: tuple[ObligationDue, ...]
    reasons: tuple[Reason, ...]
    unconfirmed: tuple[UnconfirmedNote, ...]
    render_cache: dict[Any, dict[str, str]] = field(default_factory=dict)


_MEMO_MAX = 200_000


def _decide(cp: _Compiled, f: _Features) -> Decision:
    # A decision depends only on the features and the categories, so the compiled pack
    # keeps a table of the shapes it has seen: requests repeat the same few shapes.
    key = (f.key, f.categories)
    core = cp.memo.get(key)
    if core is None:
        core = _decide_core(cp, f)
        if len(cp.memo) >= _MEMO_MAX:
            cp.memo.clear()
        cp.memo[key] = core
    return Decision(
        outcome=core.outcome,
        pack=cp.pack_id,
        pack_version=cp.version,
        categories=core.categories,
        obligations=core.obligations,
        reasons=core.reasons,
        unconfirmed=core.unconfirmed,
        requester=f.requester,
        pack_title=cp.title,
        review=cp.review,
        render_cache=core.render_cache,
    )


def _decide_core(cp: _Compiled, f: _Features) -> _Core:
    reasons: list[Reason] = list(f.notices)
    obligations: dict[str, ObligationDue] = {}
    note_ids: list[str] = []

    if not f.categories:
        d, rule = _decide_category(cp, f, _ANY)
        outcome = {_RELEASE: Outcome.RELEASE, _ESCALATE: Outcome.ESCALATE}.get(d, Outcome.DENY)
        reasons.append(Reason("no_categories", (("rule", rule.en), ("rule_es", rule.es))))
        note_ids.extend(rule.unconfirmed)
        results: dict[str, tuple[int, Rule]] = {}
    else:
        results = {}
        convertible: dict[str, Rule] = {}
        for cat in f.categories:
            d, rule = _decide_category(cp, f, cat)
            for ov in cp.overlays_by_category.get(cat, ()):
                if d not in ov.from_:
                    continue
                if not ov.when.matches(f, cat) or any(u.matches(f, cat) for u in ov.unless):
                    continue
                d, rule = ov.to, ov.rule
                for o in ov.obligations:
                    obligations.setdefault(o.id, o)
                if ov.rest_rule is not None:
                    convertible[cat] = ov.rest_rule
                else:
                    convertible.pop(cat, None)
            results[cat] = (d, rule)
        if not f.proc_kinds & _COMPULSORY:
            _refuse_with_rest(results, convertible)
        if convertible:
            rest = [results[c][0] for c in results if c not in convertible]
            if rest and all(d == _WITHHOLD for d in rest):
                for cat, rest_rule in convertible.items():
                    if results[cat][0] == _ESCALATE:
                        results[cat] = (_WITHHOLD, rest_rule)
        codes = {d for d, _ in results.values()}
        if _ESCALATE in codes:
            outcome = Outcome.ESCALATE
        elif codes == {_WITHHOLD}:
            outcome = Outcome.DENY
        elif codes == {_RELEASE}:
            outcome = Outcome.RELEASE
        else:
            outcome = Outcome.RELEASE_REDACTED
        for _, rule in results.values():
            note_ids.extend(rule.unconfirmed)

    if outcome in (Outcome.DENY, Outcome.RELEASE_REDACTED) and ProcessKind.UNKNOWN in f.proc_kinds:
        # A document nobody could classify may be the order that settles the request.
        outcome = Outcome.ESCALATE
        reasons.append(Reason("unknown_process"))
    if outcome is not Outcome.RELEASE:
        # Say plainly why the documents clerks most often mistake for court process did
        # not settle the request.
        for kind in sorted(f.proc_kinds & _LOOKALIKES):
            reasons.append(Reason(f"process_{kind}"))
    if f.purpose == Purpose.UNKNOWN and not f.kinds <= _PRIVATE_ONLY:
        reasons.append(Reason("purpose_unstated"))

    outcome_name = str(outcome)
    for ob in cp.obligations:
        if ob.outcomes is not None and outcome_name not in ob.outcomes:
            continue
        if ob.cond.matches(f, _ANY):
            obligations.setdefault(ob.due.id, ob.due)
    for o in obligations.values():
        note_ids.extend(o.unconfirmed)

    seen: set[str] = set()
    notes = []
    for nid in note_ids:
        if nid not in seen and nid in cp.notes:
            seen.add(nid)
            notes.append(cp.notes[nid])

    return _Core(
        outcome=outcome,
        categories=MappingProxyType(
            {c: _category_decision(cp, c, d, rule) for c, (d, rule) in results.items()}
        ),
        obligations=tuple(obligations.values()),
        reasons=tuple(reasons),
        unconfirmed=tuple(notes),
    )
