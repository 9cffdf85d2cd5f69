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

How it is made fast (a mail gateway and bulk checks call it per message and per record):

- A pack is compiled once, when first used, into tables per record system. Every
  condition becomes a byte table indexed by one integer that encodes the request's
  parties, purpose, scope, cited federal law and consent, plus a bit mask of the
  (document kind, signer class) pairs it accepts; a prohibition becomes two small tables
  indexed by (parties, purpose). Testing a condition is one index and one ``&``.
- Categories that the same regimes, rules and overlays govern in a record system share
  one compiled *class*; a request decides each class once (per pattern of document
  coverage), not each category.
- Every possible (decision, rule) result, with its per-category ``CategoryDecision`` and
  the unconfirmed notes it reports, is built at compile time: deciding builds no
  intermediate objects.
- A request is read once into a few integers (no pydantic access after that).
- A bounded LRU memo (``MEMO_SIZE`` shapes per pack) keeps the decisions of request
  shapes seen more than once (a decision depends only on the request's shape, not on the
  requester's name). A shape seen once is not kept: one-off shapes would evict the ones
  that repeat, and every object kept costs garbage-collector time again and again.

Explanations and replies are rendered from templates only when asked for
(``resguardo.policy.render``), and cached by what they say.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from itertools import combinations
from types import MappingProxyType
from typing import Any, Literal

from resguardo.policy._lru import AdmittingLRU
from resguardo.policy.pack import (
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

_ANY = "*"  # pseudo-category: a request that names no category of the taxonomy

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
    render_cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Shared by the decisions of one memoised request shape: what rendering learned about
    them (their texts, the JSON of their verdicts); see ``render._Shape``."""

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
        from resguardo.policy.render import explanation_texts

        return dict(explanation_texts(self).texts)

    @cached_property
    def reply(self) -> dict[str, str]:
        """A reply the clerk can send to the requester: ``{"en": ..., "es": ...}``."""
        from resguardo.policy.render import reply_texts

        return dict(reply_texts(self).texts)

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

        Byte for byte ``json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)``;
        without ``indent`` it is assembled from cached, already encoded pieces.
        """
        if indent is None:
            from resguardo.policy.render import decision_json

            text = decision_json(self)
            if text is not None:
                return text
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


# --------------------------------------------------------------------------- vocabulary
#
# A request's parties, purpose, scope, cited federal law and consent are encoded as one
# integer, the index into every compiled condition's table:
#
#     index = ((((kindset * P + purpose) * S + scope) * 2 + federal_law) * 2 + consent)
#
# where ``kindset`` numbers the set of party kinds (one kind, or a relay of two). A
# document is a bit (kind, signer class); a request's documents are the OR of theirs.

_KIND_ORDER: tuple[str, ...] = tuple(str(k) for k in AgencyKind)
_KIND_BIT = {k: 1 << i for i, k in enumerate(_KIND_ORDER)}
_KINDSETS: tuple[frozenset[str], ...] = (
    *(frozenset((k,)) for k in _KIND_ORDER),
    *(frozenset(pair) for pair in combinations(_KIND_ORDER, 2)),
)
_KINDSET_OF: dict[int, int] = {
    sum(_KIND_BIT[k] for k in s): i for i, s in enumerate(_KINDSETS)
}  # party-kind bit mask -> kindset number
_PURPOSE_ORDER: tuple[str, ...] = tuple(str(p) for p in Purpose)
_PURPOSE_INDEX = {p: i for i, p in enumerate(_PURPOSE_ORDER)}
_SCOPE_ORDER: tuple[str, ...] = tuple(str(s) for s in Scope)
_SCOPE_INDEX = {s: i for i, s in enumerate(_SCOPE_ORDER)}
_SYSTEM_ID = {s: str(s) for s in RecordSystem}  # plain strings: a memo key holds no enum
_N_PURPOSES, _N_SCOPES = len(_PURPOSE_ORDER), len(_SCOPE_ORDER)
_INNER = _N_PURPOSES * _N_SCOPES * 4  # table entries per kindset
_TABLE_SIZE = len(_KINDSETS) * _INNER

_PROCESS_ORDER: tuple[str, ...] = tuple(str(k) for k in ProcessKind)
_PROCESS_BIT = {k: 1 << i for i, k in enumerate(_PROCESS_ORDER)}
_SIGNER_ORDER: tuple[str, ...] = tuple(str(s) for s in SignerClass)
_PAIR_BIT: dict[tuple[str, str], int] = {
    (k, s): 1 << (ki * len(_SIGNER_ORDER) + si)
    for ki, k in enumerate(_PROCESS_ORDER)
    for si, s in enumerate(_SIGNER_ORDER)
}


def _pairs_of_kinds(kinds: Iterable[str]) -> int:
    """The mask of every (kind, signer) document whose kind is one of ``kinds``."""
    wanted = {str(k) for k in kinds}
    return sum(bit for (k, _), bit in _PAIR_BIT.items() if k in wanted)


def _process_mask(kinds: Iterable[str]) -> int:
    return sum(_PROCESS_BIT[str(k)] for k in set(kinds))


_WRITTEN_CONSENT_PAIRS = _pairs_of_kinds([ProcessKind.WRITTEN_CONSENT])
_COMPULSORY_MASK = _process_mask(_COMPULSORY)
_UNKNOWN_PROCESS_BIT = _PROCESS_BIT[ProcessKind.UNKNOWN]
_LOOKALIKE_MASK = _process_mask(_LOOKALIKES)
_UNKNOWN_PURPOSE = _PURPOSE_INDEX[Purpose.UNKNOWN]
_PRIVATE = str(AgencyKind.PRIVATE)
# (kindset, purpose) -> "no purpose was stated" is worth saying (not a private requester).
_UNSTATED = bytes(
    p == _UNKNOWN_PURPOSE and not s <= {_PRIVATE} for s in _KINDSETS for p in range(_N_PURPOSES)
)


# --------------------------------------------------------------------------- features


@dataclass(frozen=True, slots=True)
class _Proc:
    kind: str
    signer: str
    covers: frozenset[str] | None


_NO_PROBLEMS: Sequence[Reason] = ()


class _Features:
    """A request reduced to what rules test, as integers (see "vocabulary" above)."""

    __slots__ = (
        "base",
        "categories",
        "consent",
        "covered",
        "kp",
        "notices",
        "pairs",
        "pk",
        "problems",
        "procs",
        "requester",
        "system",
    )

    def __init__(
        self,
        categories: tuple[str, ...],
        requester: str | None,
        problems: Sequence[Reason],
        notices: tuple[Reason, ...] = (),
        system: str = "",
        base: int = 0,
        kp: int = 0,
        consent: bool = False,
        procs: tuple[tuple[int, frozenset[str] | None], ...] = (),
        pairs: int = 0,
        pk: int = 0,
        covered: bool = False,
    ) -> None:
        self.categories = categories
        self.requester = requester
        self.problems = problems
        self.notices = notices
        self.system = system
        self.base = base
        """The condition-table index with the consent bit clear."""
        self.kp = kp
        """(kindset, purpose) number: the index into prohibition tables."""
        self.consent = consent
        """Written consent stated on the request itself (not by a document)."""
        self.procs = procs
        """(document bit, categories it covers or None), one per document."""
        self.pairs = pairs
        """The OR of every document's bit."""
        self.pk = pk
        """The OR of every document's kind bit (kinds as decided, after the signer check)."""
        self.covered = covered
        """Whether some document limits itself to some categories."""


def _encode(
    kinds: int,
    purpose: str,
    scope: str,
    system: str,
    consent: bool,
    federal_law: bool,
    procs: list[tuple[str, str, frozenset[str] | None]],
    categories: tuple[str, ...],
    requester: str | None,
    notices: tuple[Reason, ...],
) -> _Features:
    """Features from validated values: ``kinds`` is the bit mask of the parties' kinds,
    ``procs`` (kind as decided, signer class, coverage) per document."""
    p = _PURPOSE_INDEX[purpose]
    kp = _KINDSET_OF[kinds] * _N_PURPOSES + p
    base = (kp * _N_SCOPES + _SCOPE_INDEX[scope]) * 4 + (2 if federal_law else 0)
    pairs = pk = 0
    covered = False
    encoded = []
    for kind, signer, covers in procs:
        bit = _PAIR_BIT[kind, signer]
        pairs |= bit
        pk |= _PROCESS_BIT[kind]
        if covers is not None:
            covered = True
        encoded.append((bit, covers))
    return _Features(
        categories,
        requester,
        _NO_PROBLEMS,
        notices,
        system,
        base,
        kp,
        consent,
        tuple(encoded),
        pairs,
        pk,
        covered,
    )


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
    if problems:
        return _Features(tuple(cats), name, problems)
    return _encode(
        sum(_KIND_BIT[k] for k in kinds),
        purpose,
        scope,
        system,
        bool(consent_raw),
        federal_law,
        [(str(p.kind), p.signer, p.covers) for p in procs],
        tuple(cats),
        name,
        tuple(notices),
    )


class _Slow(Exception):
    """The fast path met something it does not vouch for; take the careful path."""


_MISSING: Any = object()


def _features_fast(request: Request) -> _Features:
    """Features of a validated ``Request``: enum members and checked ids, so type checks
    suffice. Anything else (e.g. a ``model_construct``ed request) raises ``_Slow``.

    The same encoding as ``_encode`` (the careful path), inlined: this is the hot path.
    Fields are read from the models' ``__dict__`` (a quarter of the cost of pydantic's
    attribute access), in the order of the checks. A required field that a
    ``model_construct``ed model lacks is read as an attribute, to fail exactly as that
    does; optional fields are always there (``model_construct`` fills their defaults).
    """
    values = request.__dict__
    rq = values.get("requester", _MISSING)
    if rq is _MISSING:
        rq = request.requester
    if type(rq) is not Requester:
        raise _Slow
    rq_values = rq.__dict__
    kind = rq_values.get("kind", _MISSING)
    if kind is _MISSING:
        kind = rq.kind
    behalf, purpose = values["on_behalf_of"], values["purpose"]
    scope = values.get("scope", _MISSING)
    if scope is _MISSING:
        scope = request.scope
    system = values.get("record_system", _MISSING)
    if system is _MISSING:
        system = request.record_system
    if (
        type(kind) is not AgencyKind
        or (behalf is not None and type(behalf) is not AgencyKind)
        or type(purpose) is not Purpose
        or type(scope) is not Scope
        or type(system) is not RecordSystem
    ):
        raise _Slow
    name = rq_values["name"]
    if name is not None and type(name) is not str:
        raise _Slow
    raw_procs = values["legal_process"]
    if type(raw_procs) is not list:
        raise _Slow
    procs: tuple[tuple[int, frozenset[str] | None], ...] = ()
    notices: tuple[Reason, ...] = ()
    pairs = kinds_produced = 0
    covered = False
    for p in raw_procs:
        if type(p) is not LegalProcess:
            raise _Slow
        p_values = p.__dict__
        pk = p_values.get("kind", _MISSING)
        if pk is _MISSING:
            pk = p.kind
        signed_by, court, covers = (
            p_values["signed_by"],
            p_values["issuing_court"],
            p_values["covers"],
        )
        if type(pk) is not ProcessKind:
            raise _Slow
        if (signed_by is not None and type(signed_by) is not str) or (
            court is not None and type(court) is not str
        ):
            raise _Slow
        signer = classify_signer(signed_by, court)
        cov: frozenset[str] | None = None
        if covers is not None:
            if type(covers) is not list:
                raise _Slow
            for c in covers:
                if type(c) is not str or c not in _CATEGORIES:
                    raise _Slow
            cov = frozenset(covers)
            covered = True
        if pk in _JUDICIAL and signer in _NOT_A_JUDGE:
            notices += (
                Reason("judicial_kind_not_judge", (("kind", pk), ("signer", signed_by or ""))),
            )
            pk = ProcessKind.UNKNOWN
        bit = _PAIR_BIT[pk, signer]
        pairs |= bit
        kinds_produced |= _PROCESS_BIT[pk]
        procs += ((bit, cov),)
    consent, law = values["written_consent"], values["federal_law_cited"]
    if type(consent) is not bool or (law is not None and type(law) is not str):
        raise _Slow
    raw_cats = values.get("categories", _MISSING)
    if raw_cats is _MISSING:
        raw_cats = request.categories
    if type(raw_cats) is not list:
        raise _Slow
    cats = tuple(dict.fromkeys(raw_cats))
    for c in cats:
        if type(c) is not str:
            raise _Slow
    if not _CATEGORIES.issuperset(cats):
        raise _Slow
    kinds = _KIND_BIT[kind] if behalf is None else _KIND_BIT[kind] | _KIND_BIT[behalf]
    kp = _KINDSET_OF[kinds] * _N_PURPOSES + _PURPOSE_INDEX[purpose]
    return _Features(
        cats,
        name,
        _NO_PROBLEMS,
        notices,
        _SYSTEM_ID[system],
        (kp * _N_SCOPES + _SCOPE_INDEX[scope]) * 4 + (2 if law is not None and law.strip() else 0),
        kp,
        consent,
        procs,
        pairs,
        kinds_produced,
        covered,
    )


# --------------------------------------------------------------------------- compiled pack


class _Result:
    """One possible answer for a category: a decision code and the rule behind it, with
    everything a decision needs from it built once, when the pack is compiled."""

    __slots__ = ("bit", "by_category", "code", "no_categories", "notes", "refused", "rule")

    def __init__(self, code: int, rule: Rule, notes: tuple[UnconfirmedNote, ...]) -> None:
        self.code = code
        self.bit = 1 << code
        self.rule = rule
        self.notes = notes
        """The unconfirmed notes the rule rests on (those the pack knows), in order."""
        self.refused: _Result | None = None
        """The result when the item is refused with the rest (``refuse_with_rest``)."""
        name: Literal["release", "withhold", "escalate"] = (
            "release" if code == _RELEASE else "escalate" if code == _ESCALATE else "withhold"
        )
        self.by_category = {c: CategoryDecision(c, name, rule) for c in CATEGORY_IDS}
        self.no_categories = Reason("no_categories", (("rule", rule.en), ("rule_es", rule.es)))


_Test = tuple[bytes, int]
"""A compiled condition: (table, document mask). It holds when ``table[index]`` is set and
either the mask is 0 (no document needed) or some document's bit is in the mask."""
_CompiledProhibition = tuple[int, int, bytes, bytes, int, _Result, _Result, _Result]
"""(except-process mask, rebuttal kinds, status table, status table when rebutted,
court-conflict mask, result, result on a court conflict, result when it may apply)."""
_CompiledBasis = tuple[bytes, int, bool, _Result]
"""(table, document mask, releases?, result)."""
_CompiledRegime = tuple[
    tuple[_Test, ...] | None,
    tuple[_CompiledProhibition, ...],
    tuple[_CompiledBasis, ...],
    _Result | None,
    bool,
]
"""(applies_when tests or None, prohibitions, bases, default result or None for abstain,
whether the default is permissive: release or abstain)."""
_CompiledOverlay = tuple[
    frozenset[int],
    bytes,
    int,
    tuple[_Test, ...],
    _Result,
    tuple[ObligationDue, ...],
    _Result | None,
]
"""(decisions it changes, when-table, when-mask, unless tests, result, obligations, result
when the rest of the request is withheld)."""
_CompiledObligation = tuple[frozenset[str] | None, bytes, int, ObligationDue]

_DEFINITE, _POSSIBLE = 2, 1


class _Class:
    """How the categories of one equivalence class are decided in one record system."""

    __slots__ = ("fallback", "overlays", "regimes")

    def __init__(
        self,
        regimes: tuple[_CompiledRegime, ...],
        overlays: tuple[_CompiledOverlay, ...],
        fallback: _Result,
    ) -> None:
        self.regimes = regimes
        self.overlays = overlays
        self.fallback = fallback
        """The result when no regime decides (the pack's ``uncovered`` rule)."""


class _System:
    """The compiled pack for one record system."""

    __slots__ = ("any_class", "classes", "obligations")

    def __init__(
        self,
        classes: dict[str, _Class],
        any_class: _Class,
        obligations: tuple[_CompiledObligation, ...],
    ) -> None:
        self.classes = classes
        self.any_class = any_class
        self.obligations = obligations


MEMO_SIZE = 10_000
"""How many request shapes a compiled pack remembers (least recently used evicted); a
shape is remembered from its second sighting on (see ``AdmittingLRU``). An entry takes
about 1 kB, and about 0.7 kB more once its texts were asked for."""


@dataclass(slots=True)
class _Compiled:
    pack_id: str
    version: str
    title: str
    review: tuple[str, str]
    systems: dict[str, _System]
    due_notes: dict[int, tuple[UnconfirmedNote, ...]]
    """id(ObligationDue) -> the notes it rests on (the dues live as long as this)."""
    dues: tuple[ObligationDue, ...]
    memo: AdmittingLRU[tuple[Any, ...], dict[str, Any]] = field(
        default_factory=lambda: AdmittingLRU(MEMO_SIZE)
    )


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


def _allowed(values: Iterable[Any] | None, order: tuple[str, ...]) -> list[bool]:
    if values is None:
        return [True] * len(order)
    wanted = {str(v) for v in values}
    return [v in wanted for v in order]


class _Builder:
    """Compiles one pack; interns tables and results so that equal things are shared."""

    def __init__(self, notes: Mapping[str, UnconfirmedNote]) -> None:
        self.notes = notes
        self.tables: dict[bytes, bytes] = {}
        # (code, id(rule)) -> result; the result holds the rule, so the id stays its own
        self.results: dict[tuple[int, int], _Result] = {}
        self.never = self.table(bytes(_TABLE_SIZE))

    def table(self, data: bytes) -> bytes:
        return self.tables.setdefault(data, data)

    def result(self, code: int, rule: Rule) -> _Result:
        key = (code, id(rule))
        r = self.results.get(key)
        if r is None:
            notes = tuple(self.notes[n] for n in rule.unconfirmed if n in self.notes)
            r = self.results[key] = _Result(code, rule, notes)
            if rule.refused is not None:
                r.refused = self.result(_WITHHOLD, rule.refused)
        return r

    def condition(self, c: Condition | None, system: str) -> _Test:
        """A condition as it applies in ``system``."""
        if c is None:
            return self.table(b"\x01" * _TABLE_SIZE), 0
        if c.record_systems is not None and system not in {str(s) for s in c.record_systems}:
            return self.never, 0
        every = None if c.requester_kinds is None else {str(k) for k in c.requester_kinds}
        some = None if c.any_party_kinds is None else {str(k) for k in c.any_party_kinds}
        purposes = _allowed(c.purposes, _PURPOSE_ORDER)
        scopes = _allowed(c.scopes, _SCOPE_ORDER)
        law = [c.federal_law_cited is None or c.federal_law_cited == v for v in (False, True)]
        consent = [c.consent is None or c.consent == v for v in (False, True)]
        inner = bytes(
            purposes[p] and scopes[s] and law[f] and consent[k]
            for p in range(_N_PURPOSES)
            for s in range(_N_SCOPES)
            for f in (0, 1)
            for k in (0, 1)
        )
        blank = bytes(_INNER)
        table = b"".join(
            inner if (every is None or s <= every) and (some is None or s & some) else blank
            for s in _KINDSETS
        )
        mask = 0
        if c.process is not None or c.signers is not None:
            kinds = _allowed(c.process, _PROCESS_ORDER)
            signers = _allowed(c.signers, _SIGNER_ORDER)
            mask = sum(
                _PAIR_BIT[k, s]
                for ki, k in enumerate(_PROCESS_ORDER)
                for si, s in enumerate(_SIGNER_ORDER)
                if kinds[ki] and signers[si]
            )
            if not mask:  # no document can satisfy it
                return self.never, 0
        return self.table(table), mask

    def prohibition(
        self, p: Prohibition, rule: Rule, possible: Rule, conflict: Rule
    ) -> _CompiledProhibition:
        decision = _WITHHOLD if p.decide == "deny" else _ESCALATE
        purposes = {str(x) for x in p.purposes}
        except_purposes = {str(x) for x in p.except_purposes}
        presumed = {str(x) for x in p.presumed_for}
        possible_for = {str(x) for x in p.possible_for}
        unknown = str(Purpose.UNKNOWN)

        def status(kinds: frozenset[str], purpose: str, rebutted: bool) -> int:
            if purpose in except_purposes:
                return 0
            if purpose in purposes:
                return _DEFINITE
            if kinds & presumed and not rebutted:
                # The requester's own kind makes the barred purpose the working assumption:
                # an unstated purpose confirms it, a claimed other purpose only raises a doubt.
                return _DEFINITE if purpose == unknown else _POSSIBLE
            if purpose == unknown and kinds & possible_for:
                return _POSSIBLE
            return 0

        tables = [
            bytes(status(s, purpose, rebutted) for s in _KINDSETS for purpose in _PURPOSE_ORDER)
            for rebutted in (False, True)
        ]
        return (
            _pairs_of_kinds(p.except_process),
            _process_mask(str(x) for x in p.rebutted_by),
            tables[0],
            tables[1],
            # Only a bar that withholds yields to a court's command (then: escalate).
            _pairs_of_kinds(p.conflicts_with) if decision == _WITHHOLD else 0,
            self.result(decision, rule),
            self.result(_ESCALATE, conflict),
            self.result(_ESCALATE, possible),
        )


def _applies_to(category: str, categories: list[str] | None) -> bool:
    """Whether a rule limited to ``categories`` (None: all) reaches ``category``."""
    if categories is None:
        return True
    return category != _ANY and category in categories


def _compile(pack: Pack) -> _Compiled:
    from resguardo.policy.render import messages

    templates = messages().rule_texts
    fed = pack.federal_rules
    notes = {u.id: UnconfirmedNote(u.id, u.note.en, u.note.es) for u in fed.unconfirmed}
    notes.update({u.id: UnconfirmedNote(u.id, u.note.en, u.note.es) for u in pack.unconfirmed})
    b = _Builder(notes)

    # Rules (and their results) are built once per rule of the pack, whatever the category.
    prohibitions: dict[tuple[int, int], _CompiledProhibition] = {}
    basis_rules: dict[tuple[int, int], _Result] = {}
    defaults: dict[int, tuple[_Result | None, bool]] = {}
    for ri, regime in enumerate(pack.regimes):
        for pi, p in enumerate(regime.prohibitions):
            unconfirmed = (*regime.unconfirmed, *p.unconfirmed)
            rule = _rule(f"{regime.id}.{p.id}", p.citation, p.explain, unconfirmed)
            lead, clash = templates["possible_prohibition"], templates["court_conflict"]
            possible = Rule(
                rule.id,
                p.citation,
                f"{lead.en} {p.explain.en}",
                f"{lead.es} {p.explain.es}",
                rule.unconfirmed,
            )
            conflict = Rule(
                rule.id,
                p.citation,
                f"{p.explain.en} {clash.en}",
                f"{p.explain.es} {clash.es}",
                rule.unconfirmed,
            )
            prohibitions[ri, pi] = b.prohibition(p, rule, possible, conflict)
        for bi, basis in enumerate(regime.bases):
            unconfirmed = (*regime.unconfirmed, *basis.unconfirmed)
            rule = _rule(f"{regime.id}.{basis.id}", basis.citation, basis.explain, unconfirmed)
            code = _RELEASE if basis.decide == "release" else _ESCALATE
            basis_rules[ri, bi] = b.result(code, rule)
        defaults[ri] = _default(b, regime)

    un = pack.uncovered
    uncovered_rule = _rule("uncovered", un.citation, un.explain, (), un.refuse_with_rest)
    uncovered = b.result(_CODES[un.decide], uncovered_rule)
    uncovered_any = b.result(_RELEASE, uncovered_rule)

    fed_dues = {o.id: _due(o) for o in fed.obligations}
    wanted = set(pack.federal)
    overlays = []  # federal.yaml order is the order of application
    for o in fed.overlays:
        if o.id not in wanted:
            continue
        rule = _rule(f"federal.{o.id}", o.citation, o.explain, o.unconfirmed)
        rest = (
            b.result(
                _WITHHOLD,
                replace(
                    _rule(f"federal.{o.id}", o.citation, o.rest_withheld_explain, o.unconfirmed),
                    cite_in_reply=False,
                ),
            )
            if o.rest_withheld_explain is not None
            else None
        )
        dues = tuple(fed_dues[i] for i in o.obligations)
        overlays.append((o, b.result(_CODES[o.to], rule), rest, dues))
    pack_dues = [(o, _due(o)) for o in pack.obligations]
    all_dues = (*fed_dues.values(), *(d for _, d in pack_dues))

    rules = _PackRules(
        pack, b, prohibitions, basis_rules, defaults, overlays, pack_dues, uncovered, uncovered_any
    )
    systems = {str(s): _SystemCompiler(rules, str(s)).system() for s in RecordSystem}

    return _Compiled(
        pack_id=pack.id,
        version=pack.version,
        title=pack.title,
        review=(pack.review.en, pack.review.es),
        systems=systems,
        due_notes={id(d): tuple(notes[n] for n in d.unconfirmed if n in notes) for d in all_dues},
        dues=all_dues,
    )


@dataclass(slots=True)
class _PackRules:
    """A pack's rules compiled once (whatever the record system), for ``_SystemCompiler``."""

    pack: Pack
    builder: _Builder
    prohibitions: dict[tuple[int, int], _CompiledProhibition]
    bases: dict[tuple[int, int], _Result]
    defaults: dict[int, tuple[_Result | None, bool]]
    overlays: list[tuple[FederalOverlay, _Result, _Result | None, tuple[ObligationDue, ...]]]
    obligations: list[tuple[Obligation, ObligationDue]]
    uncovered: _Result
    uncovered_any: _Result


class _SystemCompiler:
    """Compiles a pack for one record system: conditions into tables, categories into
    classes (categories the same rules govern share one)."""

    def __init__(self, rules: _PackRules, system: str) -> None:
        self.rules = rules
        self.system_id = system
        self.tests: dict[int, _Test] = {}  # id(condition) -> test
        self.overlays = [
            (
                frozenset(o.category_ids()),
                (
                    frozenset(_CODES[d] for d in o.from_decisions),
                    *self.test(o.when),
                    tuple(self.test(u) for u in o.unless),
                    result,
                    dues,
                    rest,
                ),
            )
            for o, result, rest, dues in rules.overlays
        ]
        self.regimes = [
            (ri, r)
            for ri, r in enumerate(rules.pack.regimes)
            if system in {str(s) for s in r.record_system_ids()}
        ]
        self.classes: dict[tuple[Any, ...], _Class] = {}

    def test(self, c: Condition | None) -> _Test:
        key = id(c)
        t = self.tests.get(key)
        if t is None:
            t = self.tests[key] = self.rules.builder.condition(c, self.system_id)
        return t

    def system(self) -> _System:
        return _System(
            {c: self.class_of(c) for c in CATEGORY_IDS},
            self.class_of(_ANY),
            tuple(
                (
                    None if o.when.outcomes is None else frozenset(str(x) for x in o.when.outcomes),
                    *self.test(o.when),
                    due,
                )
                for o, due in self.rules.obligations
            ),
        )

    def class_of(self, category: str) -> _Class:
        """The class of ``category``: which regimes govern it, with which of their rules,
        and which overlays reach it."""
        chosen = []
        for ri, regime in self.regimes:
            if category == _ANY:
                if regime.categories != "all":
                    continue
            elif category not in regime.category_ids():
                continue
            chosen.append(
                (
                    ri,
                    tuple(
                        pi
                        for pi, p in enumerate(regime.prohibitions)
                        if _applies_to(category, p.categories)
                    ),
                    tuple(
                        bi
                        for bi, basis in enumerate(regime.bases)
                        if _applies_to(category, basis.categories)
                    ),
                )
            )
        overlays = (
            ()
            if category == _ANY
            else tuple(i for i, (cats, _) in enumerate(self.overlays) if category in cats)
        )
        key = (category == _ANY, tuple(chosen), overlays)
        cls = self.classes.get(key)
        if cls is None:
            r = self.rules
            cls = self.classes[key] = _Class(
                tuple(self.regime(r.pack.regimes[ri], ri, pis, bis) for ri, pis, bis in chosen),
                tuple(self.overlays[i][1] for i in overlays),
                r.uncovered_any if category == _ANY else r.uncovered,
            )
        return cls

    def regime(
        self, regime: Regime, ri: int, prohibitions: tuple[int, ...], bases: tuple[int, ...]
    ) -> _CompiledRegime:
        r = self.rules
        aw = regime.applies_when
        applies = (
            None
            if aw is None
            else tuple(self.test(c) for c in (aw if isinstance(aw, list) else [aw]))
        )
        default, permissive = r.defaults[ri]
        return (
            applies,
            tuple(r.prohibitions[ri, pi] for pi in prohibitions),
            tuple(
                (*self.test(regime.bases[bi]), r.bases[ri, bi].code == _RELEASE, r.bases[ri, bi])
                for bi in bases
            ),
            default,
            permissive,
        )


def _default(b: _Builder, regime: Regime) -> tuple[_Result | None, bool]:
    d = regime.default
    if d.decide == "abstain":
        return None, True
    assert d.explain is not None  # checked when the pack was loaded
    code = _CODES[d.decide]
    rule = _rule(
        f"{regime.id}.default",
        d.citation or regime.citation,
        d.explain,
        (*regime.unconfirmed, *d.unconfirmed),
        d.refuse_with_rest,
    )
    return b.result(code, rule), code == _RELEASE


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


def _evaluate(
    regimes: tuple[_CompiledRegime, ...], index: int, kp: int, pk: int, pairs: int
) -> _Result | None:
    """The most restrictive answer of the regimes that govern a category (None: none)."""
    best: _Result | None = None
    for applies, prohibitions, bases, default, permissive in regimes:
        if applies is not None:
            for table, mask in applies:
                if table[index] and (not mask or pairs & mask):
                    break
            else:
                continue
        # Within a regime: a prohibition that applies; else the first ground that permits;
        # else a ground that needs judgment; else the default.
        result: _Result | None = None
        possible: _Result | None = None
        for (
            excepted,
            rebuttal,
            status,
            rebutted,
            conflict,
            barred,
            compelled,
            maybe,
        ) in prohibitions:
            if pairs & excepted:
                continue
            st = (rebutted if pk & rebuttal else status)[kp]
            if st == _DEFINITE:
                result = compelled if pairs & conflict else barred
                break
            if st and possible is None:
                possible = maybe
        if result is None:
            judgment: _Result | None = None
            for table, mask, releases, ground in bases:
                if table[index] and (not mask or pairs & mask):
                    if releases:
                        result = ground if possible is None else possible
                        break
                    if judgment is None:
                        judgment = ground
            else:
                if judgment is not None:
                    result = judgment
                elif possible is not None and permissive:
                    # Silence or a permissive default cannot settle a bar that may apply.
                    result = possible
                else:
                    result = default
            if result is None:  # the regime abstains
                continue
        if best is None or result.code > best.code:
            best = result
    return best


def _decide_class(
    cls: _Class, index: int, kp: int, pk: int, pairs: int
) -> tuple[_Result, tuple[ObligationDue, ...], _Result | None]:
    """A category's result after the federal overlays, the obligations they attach, and
    its result should the rest of the request be withheld (None: no such rule)."""
    result = _evaluate(cls.regimes, index, kp, pk, pairs) or cls.fallback
    dues: tuple[ObligationDue, ...] = ()
    rest: _Result | None = None
    for changes, table, mask, unless, to, obligations, rest_result in cls.overlays:
        if result.code not in changes:
            continue
        if not (table[index] and (not mask or pairs & mask)):
            continue
        for t, m in unless:
            if t[index] and (not m or pairs & m):
                break
        else:
            result, rest = to, rest_result
            dues += obligations
    return result, dues, rest


_RELEASED, _HELD, _WITHHELD = 1 << _RELEASE, 1 << _ESCALATE, 1 << _WITHHOLD
_HELD_AND_WITHHELD = _HELD | _WITHHELD
# The decision codes of the categories (a bit each) -> the outcome.
_OUTCOME_OF = {
    seen: (
        Outcome.ESCALATE
        if seen & _HELD
        else Outcome.DENY
        if seen == _WITHHELD
        else Outcome.RELEASE
        if seen == _RELEASED
        else Outcome.RELEASE_REDACTED
    )
    for seen in range(1, 1 << (_WITHHOLD + 1))
}
_NO_CATEGORY_OUTCOMES = {_RELEASE: Outcome.RELEASE, _ESCALATE: Outcome.ESCALATE}
_REASON_UNKNOWN_PROCESS = Reason("unknown_process")
_REASON_PURPOSE_UNSTATED = Reason("purpose_unstated")
# Lookalike documents (a mask of their kinds) -> the remarks, in the order of their names.
_LOOKALIKE_REASONS = {
    mask: tuple(
        Reason(f"process_{k}")
        for k in sorted(str(x) for x in _LOOKALIKES)
        if _PROCESS_BIT[k] & mask
    )
    for mask in range(_LOOKALIKE_MASK + 1)
    if not mask & ~_LOOKALIKE_MASK
}


def _decide_core(cp: _Compiled, f: _Features) -> dict[str, Any]:
    """The decision as the attributes of a ``Decision``, without the requester's name."""
    system = cp.systems[f.system]
    pairs, pk, kp, base = f.pairs, f.pk, f.kp, f.base
    consent = f.consent or bool(pairs & _WRITTEN_CONSENT_PAIRS)
    reasons = f.notices
    obligations: dict[str, ObligationDue] = {}
    decided: dict[str, CategoryDecision]
    cats = f.categories

    if not cats:
        result = _evaluate(system.any_class.regimes, base + consent, kp, pk, pairs)
        if result is None:
            result = system.any_class.fallback
        outcome = _NO_CATEGORY_OUTCOMES.get(result.code, Outcome.DENY)
        reasons += (result.no_categories,)
        decided = {}
        distinct: Iterable[_Result] = (result,)
    else:
        classes = system.classes
        covered = f.covered
        done: dict[Any, tuple[_Result, tuple[ObligationDue, ...], _Result | None]] = {}
        results: list[_Result] = []
        rests: dict[int, _Result] = {}
        decided = {}
        seen = 0  # bit per decision code
        for cat in cats:
            cls = classes[cat]
            if covered:  # a document supports only the categories it covers
                supported = 0
                for bit, covers in f.procs:
                    if covers is None or cat in covers:
                        supported |= bit
                key: Any = (cls, supported)
                got = done.get(key)
                if got is None:
                    cat_consent = f.consent or bool(supported & _WRITTEN_CONSENT_PAIRS)
                    got = done[key] = _decide_class(cls, base + cat_consent, kp, pk, supported)
                    for o in got[1]:
                        obligations.setdefault(o.id, o)
            else:
                got = done.get(cls)
                if got is None:
                    got = done[cls] = _decide_class(cls, base + consent, kp, pk, pairs)
                    for o in got[1]:
                        obligations.setdefault(o.id, o)
            if got[2] is not None:
                rests[len(results)] = got[2]
            result = got[0]
            results.append(result)
            decided[cat] = result.by_category[cat]
            seen |= result.bit

        # Withheld and held items together, nothing released: see _refuse_with_rest.
        if rests or (seen & _HELD_AND_WITHHELD == _HELD_AND_WITHHELD and not seen & _RELEASED):
            if not pk & _COMPULSORY_MASK:
                _refuse_with_rest(results, rests)
            if rests:
                # An item escalated only by a federal rule that yields when the rest is
                # withheld is withheld with the rest.
                others = [r.code for i, r in enumerate(results) if i not in rests]
                if others and all(code == _WITHHOLD for code in others):
                    for i, rest in rests.items():
                        if results[i].code == _ESCALATE:
                            results[i] = rest
            seen = 0
            for cat, result in zip(cats, results, strict=True):
                seen |= result.bit
                decided[cat] = result.by_category[cat]
        outcome = _OUTCOME_OF[seen]
        distinct = dict.fromkeys(results)  # in order of first use

    if (outcome is Outcome.DENY or outcome is Outcome.RELEASE_REDACTED) and (
        pk & _UNKNOWN_PROCESS_BIT
    ):
        # A document nobody could classify may be the order that settles the request.
        outcome = Outcome.ESCALATE
        reasons += (_REASON_UNKNOWN_PROCESS,)
    if outcome is not Outcome.RELEASE and pk & _LOOKALIKE_MASK:
        # Say plainly why the documents clerks most often mistake for court process did
        # not settle the request.
        reasons += _LOOKALIKE_REASONS[pk & _LOOKALIKE_MASK]
    if _UNSTATED[kp]:
        reasons += (_REASON_PURPOSE_UNSTATED,)

    if system.obligations:
        index = base + consent
        for outcomes, table, mask, due in system.obligations:
            if outcomes is not None and outcome not in outcomes:
                continue
            if table[index] and (not mask or pairs & mask):
                obligations.setdefault(due.id, due)

    # The unconfirmed points the decision rests on, each once, in order of first mention.
    notes: tuple[UnconfirmedNote, ...] = ()
    for r in distinct:
        if r.notes:
            notes += r.notes
    for o in obligations.values():
        notes += cp.due_notes[id(o)]
    if len(notes) > 1:
        unique: dict[str, UnconfirmedNote] = {}
        for n in notes:
            unique.setdefault(n.id, n)
        if len(unique) < len(notes):
            notes = tuple(unique.values())

    return {
        "outcome": outcome,
        "pack": cp.pack_id,
        "pack_version": cp.version,
        "categories": MappingProxyType(decided),
        "obligations": tuple(obligations.values()),
        "reasons": reasons,
        "unconfirmed": notes,
        "pack_title": cp.title,
        "review": cp.review,
        "render_cache": {},
    }


def _refuse_with_rest(results: list[_Result], skip: Mapping[int, _Result]) -> None:
    """Refuse items held only for want of a known permission when the rest is refused.

    When part of a request is withheld on definite grounds, nothing is released, no process
    compels anything, and every remaining item is held only because no known rule permits
    it, the agency is refusing the request anyway; refusing those items too is within its
    discretion (nothing compels them) and gives the requester one clear answer.
    """
    withheld = False
    held: list[tuple[int, _Result]] = []
    for i, r in enumerate(results):
        if i in skip:
            continue
        if r.code == _RELEASE:
            return
        if r.code == _WITHHOLD:
            withheld = True
        elif r.code == _ESCALATE:
            if r.refused is None:
                return
            held.append((i, r.refused))
    if withheld:
        for i, refused in held:
            results[i] = refused


_CORE_FIELDS = frozenset(
    {
        "outcome",
        "pack",
        "pack_version",
        "categories",
        "obligations",
        "reasons",
        "unconfirmed",
        "pack_title",
        "review",
        "render_cache",
    }
)
assert _CORE_FIELDS | {"requester", "inferred_request"} == {f.name for f in fields(Decision)}
_new_object = object.__new__
_set_attribute = object.__setattr__


def _decision(core: dict[str, Any], requester: str | None) -> Decision:
    """A ``Decision`` with the attributes of ``core``: what the dataclass constructor
    does, without its per-field ``object.__setattr__`` calls (most of its cost)."""
    state = core.copy()
    state["requester"] = requester
    state["inferred_request"] = {}
    decision: Decision = _new_object(Decision)
    _set_attribute(decision, "__dict__", state)
    return decision


def _decide(cp: _Compiled, f: _Features) -> Decision:
    # A decision depends only on the features and the categories, so the compiled pack
    # keeps a bounded table of the shapes it has seen more than once: requests repeat the
    # same few shapes.
    memo = cp.memo
    if memo.maxsize > 0:
        key = (f.system, f.base, f.consent, f.procs, f.notices, f.categories)
        core = memo.fetch(key)
        if core is None:
            core = _decide_core(cp, f)
            if memo.admit(key):
                memo.store(key, core)
    else:
        core = _decide_core(cp, f)
    return _decision(core, f.requester)


def _problem_decision(
    pack: Pack, cp: _Compiled | None, f: _Features | None, reasons: Sequence[Reason]
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
