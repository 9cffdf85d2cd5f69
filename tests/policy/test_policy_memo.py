"""The engine's memo and the rendering caches never change a decision or its JSON.

A decision can come from the memo (a bounded LRU of request shapes, which keeps a shape
from its second sighting on), from the rules run afresh, or from the careful reading of a
request that is not a validated model; all must agree exactly. The explanation and reply
are rendered lazily and cached by what they say; they must read as a plain rendering of
the templates, and ``to_json()`` (assembled from cached pieces) must be
``json.dumps(to_dict(), ensure_ascii=False)`` byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resguardo.policy import Decision, Outcome, Pack, Request, decide, default_registry, render
from resguardo.policy._lru import LRU, AdmittingLRU
from resguardo.policy.engine import (
    MEMO_SIZE,
    CategoryDecision,
    Rule,
    _Features,
    _features_careful,
    _features_fast,
    compiled,
)
from resguardo.policy.matrix import standard_matrix
from resguardo.policy.render import messages
from resguardo.policy.request import (
    AgencyKind,
    LegalProcess,
    ProcessKind,
    Purpose,
    RecordSystem,
    Requester,
    Scope,
)
from resguardo.policy.signers import classify_signer
from resguardo.taxonomy import CATEGORY_IDS, categories

PACKS = {p.id: p for p in default_registry().all()}
PACK_IDS = sorted(PACKS)


def _copy(pack: Pack, memo_size: int = MEMO_SIZE) -> Pack:
    """``pack`` compiled on its own (its own memo, of ``memo_size``; 0: no memo)."""
    clone = pack.model_copy()
    clone._compiled = None
    compiled(clone).memo.resize(memo_size)
    return clone


MEMOISED = {pid: _copy(p) for pid, p in PACKS.items()}
UNMEMOISED = {pid: _copy(p, 0) for pid, p in PACKS.items()}

SIGNERS = [
    None,
    "",
    "United States District Judge",
    "United States Magistrate Judge",
    "District Judge",
    "Magistrate Judge",
    "Clerk of Court",
    "Attorney for plaintiff",
    "Immigration Judge",  # with a warrant or order: "not a judge" remark
    "Supervisory Detention and Deportation Officer",
    "Records Custodian",
]
COURTS = [
    None,
    "United States District Court",
    "Second Judicial District Court, State of New Mexico",
    "Doña Ana County Magistrate Court",
]
processes = st.builds(
    LegalProcess,
    kind=st.sampled_from(ProcessKind),
    signed_by=st.sampled_from(SIGNERS),
    issuing_court=st.sampled_from(COURTS),
    covers=st.one_of(st.none(), st.lists(st.sampled_from(CATEGORY_IDS), max_size=4)),
)
names = st.one_of(st.none(), st.sampled_from(["", "Ana", "José Núñez"]), st.text(max_size=12))
requests = st.builds(
    Request,
    requester=st.builds(Requester, kind=st.sampled_from(AgencyKind), name=names),
    on_behalf_of=st.one_of(st.none(), st.sampled_from(AgencyKind)),
    purpose=st.sampled_from(Purpose),
    legal_process=st.lists(processes, max_size=3),
    scope=st.sampled_from(Scope),
    record_system=st.sampled_from(RecordSystem),
    # duplicates allowed: a request may name a category twice
    categories=st.lists(st.sampled_from(CATEGORY_IDS), max_size=9),
    written_consent=st.booleans(),
    federal_law_cited=st.one_of(st.none(), st.sampled_from(["", " ", "8 U.S.C. 1357"])),
)
pack_ids = st.sampled_from(PACK_IDS)
MANY = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _renamed(request: Request, name: str | None) -> Request:
    """The same request shape from someone else."""
    return request.model_copy(
        update={"requester": request.requester.model_copy(update={"name": name})}
    )


def assert_same(a: Decision, b: Decision, request: Request) -> None:
    assert a == b  # every field but the render cache, rules compared by value
    assert [(c, d.decision, d.rule) for c, d in a.categories.items()] == [
        (c, d.decision, d.rule) for c, d in b.categories.items()
    ]
    assert a.explanation == b.explanation
    assert a.reply == b.reply
    assert a.to_json() == b.to_json()
    inferred = request.to_dict()
    assert a.with_inferred_request(inferred).to_json(indent=2) == b.with_inferred_request(
        inferred
    ).to_json(indent=2)


def neighbours(request: Request, data: st.DataObject) -> list[Request]:
    """Requests that differ from ``request`` in one thing a decision may depend on: if the
    memo's key missed it, they would share the wrong entry."""

    def changed(**update: Any) -> Request:
        return request.model_copy(update=update)

    def other(values: Any, current: Any) -> Any:
        return data.draw(st.sampled_from([v for v in values if v != current]))

    docs = request.legal_process
    cats = request.categories
    out = [
        changed(written_consent=not request.written_consent),
        changed(federal_law_cited=None if request.federal_law_cited else "8 U.S.C. 1357"),
        changed(purpose=other(Purpose, request.purpose)),
        changed(scope=other(Scope, request.scope)),
        changed(record_system=other(RecordSystem, request.record_system)),
        changed(on_behalf_of=other([None, *AgencyKind], request.on_behalf_of)),
        changed(
            requester=request.requester.model_copy(
                update={"kind": other(AgencyKind, request.requester.kind)}
            )
        ),
        changed(legal_process=[*docs, data.draw(processes)]),
        changed(categories=[*reversed(cats), *cats[:1]]),
        changed(categories=cats[1:]),
    ]
    if docs:
        first = docs[0]
        out += [
            changed(legal_process=docs[1:]),
            changed(
                legal_process=[
                    first.model_copy(
                        update={"covers": None if first.covers is not None else cats[:1]}
                    ),
                    *docs[1:],
                ]
            ),
            changed(
                legal_process=[
                    first.model_copy(update={"signed_by": other(SIGNERS, first.signed_by)}),
                    *docs[1:],
                ]
            ),
        ]
    return out


@MANY
@given(request=requests, pack_id=pack_ids, other_name=names, data=st.data())
def test_memoised_and_unmemoised_decisions_are_identical(
    request: Request, pack_id: str, other_name: str | None, data: st.DataObject
) -> None:
    memoised, plain = MEMOISED[pack_id], UNMEMOISED[pack_id]
    memo = compiled(memoised).memo
    shapes = [request, *neighbours(request, data)]
    hits = memo.hits
    # First sighting: decided, not kept; second: kept; third: from the memo. The shapes
    # are interleaved, so that all of them are in the memo together.
    rounds = [[decide(r, memoised) for r in shapes] for _ in range(3)]
    assert memo.hits - hits >= len(shapes), "the third round came from the memo"
    for r, *decisions in zip(shapes, *rounds, strict=True):
        fresh = decide(r, plain)
        for d in decisions:
            assert_same(d, fresh, r)
    # The memo holds the shape, not the requester: another name gets its own reply.
    other = _renamed(request, other_name)
    hits = memo.hits
    from_memo = decide(other, memoised)
    assert memo.hits == hits + 1
    assert from_memo.requester == other.requester.name
    assert_same(from_memo, decide(other, plain), other)
    assert len(compiled(plain).memo) == 0


@SOME
@given(request=requests)
def test_fast_and_careful_readings_of_a_request_agree(request: Request) -> None:
    fast, careful = _features_fast(request), _features_careful(request)
    for name in _Features.__slots__:
        assert getattr(fast, name) == getattr(careful, name), name


@SOME
@given(request=requests, pack_id=pack_ids)
def test_a_request_read_carefully_is_decided_like_a_validated_one(
    request: Request, pack_id: str
) -> None:
    # A dict where a model is expected sends the request down the careful path.
    odd = Request.model_construct(**{**request.__dict__, "requester": request.requester.__dict__})
    assert_same(decide(odd, UNMEMOISED[pack_id]), decide(request, UNMEMOISED[pack_id]), request)


# --------------------------------------------------------------------------- rendering


def _pick(text: Any, lang: str) -> str:
    return str(text.en if lang == "en" else text.es)


def _label(category: str, lang: str) -> str:
    cat = categories().get(category)
    return category if cat is None else cat.description(lang)


def reference_explanation(decision: Decision, lang: str) -> str:
    """The explanation rendered straight from the templates, nothing cached (the
    renderer as it was before rendering was cached)."""
    m = messages()
    review = decision.review[0 if lang == "en" else 1] or (
        "your supervisor" if lang == "en" else "su supervisor"
    )
    headline = _pick(getattr(m.outcomes, str(decision.outcome)), lang).format(review=review)
    groups: dict[tuple[str, str, str], list[str]] = {}
    rules = {}
    for cat, d in decision.categories.items():
        key: tuple[str, str, str] = (d.decision, d.rule.id, d.rule.en)
        groups.setdefault(key, []).append(cat)
        rules[key] = d.rule
    lines = []
    for group, cats in groups.items():
        rule = rules[group]
        lines.append(
            _pick(m.blocks.category_line, lang).format(
                label="; ".join(_label(c, lang) for c in cats),
                decision=_pick(getattr(m.decisions, group[0]), lang),
                explain=(rule.en if lang == "en" else rule.es).strip(),
                citation=rule.citation or rule.id,
            )
        )
    reason_lines = []
    for r in decision.reasons:
        template = m.reasons.get(r.key)
        if template is None:
            reason_lines.append(f"- {r.key}")
            continue
        try:
            reason_lines.append("- " + _pick(template, lang).format(**dict(r.params)))
        except (KeyError, IndexError, ValueError):
            reason_lines.append("- " + _pick(template, lang))
    reasons = (
        _pick(m.blocks.reasons_header, lang) + "\n" + "".join(f"{x}\n" for x in reason_lines)
        if reason_lines
        else ""
    )
    ob_lines = []
    for o in decision.obligations:
        days = (
            _pick(m.blocks.obligation_days, lang).format(days=o.within_days)
            if o.within_days is not None
            else ""
        )
        ob_lines.append(f"- {(o.en if lang == 'en' else o.es).strip()}{days} [{o.citation}]")
    obligations = (
        _pick(m.blocks.obligations_header, lang) + "\n" + "".join(f"{x}\n" for x in ob_lines)
        if ob_lines
        else ""
    )
    unconfirmed = (
        _pick(m.blocks.unconfirmed_header, lang)
        + "\n"
        + "".join(f"- {(u.en if lang == 'en' else u.es).strip()}\n" for u in decision.unconfirmed)
        if decision.unconfirmed
        else ""
    )
    return _pick(m.explanation, lang).format(
        headline=headline,
        categories="".join(f"{line}\n" for line in lines),
        reasons=reasons,
        obligations=obligations,
        unconfirmed=unconfirmed,
        pack=decision.pack,
        pack_title=decision.pack_title,
        version=decision.pack_version[:12],
    )


def reference_reply(decision: Decision, lang: str) -> str:
    m = messages()
    name = f" {decision.requester}" if decision.requester else ""
    greeting = _pick(m.reply.greeting, lang).format(name=name)
    withheld = [c for c, d in decision.categories.items() if d.verdict == "withhold"]
    citations: list[str] = []
    for c in withheld:
        rule = decision.categories[c].rule
        cite = rule.citation if rule.cite_in_reply else ""
        if cite and cite not in citations:
            citations.append(cite)
    none_word = "the information requested" if lang == "en" else "la información solicitada"
    return _pick(getattr(m.reply, str(decision.outcome)), lang).format(
        greeting=greeting,
        withheld="; ".join(_label(c, lang) for c in withheld) or none_word,
        citations="; ".join(citations) or "—",
    )


def assert_renders_plainly(d: Decision) -> None:
    for lang in ("en", "es"):
        assert d.explanation[lang] == reference_explanation(d, lang)
        assert d.reply[lang] == reference_reply(d, lang)
    assert d.to_json() == json.dumps(d.to_dict(), ensure_ascii=False)


@MANY
@given(request=requests, pack_id=pack_ids, outcome=st.sampled_from(Outcome))
def test_cached_texts_and_json_are_a_plain_rendering(
    request: Request, pack_id: str, outcome: Outcome
) -> None:
    for _ in range(3):  # the last one from the memo, sharing its render cache
        d = decide(request, MEMOISED[pack_id])
    assert_renders_plainly(d)
    assert_renders_plainly(d.with_inferred_request(request.to_dict()))
    # A changed copy shares the render cache, but not the texts of the original.
    assert_renders_plainly(dataclasses.replace(d, outcome=outcome))
    fewer = dict(list(d.categories.items())[:1])
    assert_renders_plainly(dataclasses.replace(d, categories=fewer, review=("Boss", "Jefe")))
    assert_renders_plainly(dataclasses.replace(d, requester="Someone Else"))


def test_hand_built_decisions_render_and_encode_as_before() -> None:
    strict = Rule("a.b", "Cite § 1", "Because.", "Porque.")
    quiet = Rule("a.c", "", "Other.", "Otra.", cite_in_reply=False)
    decision = Decision(
        outcome=Outcome.RELEASE_REDACTED,
        pack="p",
        pack_version="0123456789abcdef",
        categories={
            "ssn": CategoryDecision("ssn", "withhold", strict),
            "street_address": CategoryDecision("street_address", "release", quiet),
            "a key of its own": CategoryDecision("ssn", "withhold", strict),
        },
        requester="Ana",
    )
    assert_renders_plainly(decision)
    odd = dataclasses.replace(decision, pack=7, review=["R", "S"])  # type: ignore[arg-type]
    assert odd.to_json() == json.dumps(odd.to_dict(), ensure_ascii=False)
    nothing = Decision(Outcome.DENY, "p", "v", {})
    assert_renders_plainly(nothing)


def test_a_changed_cached_text_is_what_the_json_says() -> None:
    request = Request.model_validate(
        {
            "requester": {"kind": "federal_immigration", "name": "Agent"},
            "scope": "individual",
            "record_system": "motor_vehicles",
            "categories": ["street_address", "ssn"],
        }
    )
    pack = MEMOISED["ny"]
    for _ in range(3):
        d = decide(request, pack)
    d.explanation["en"] = "edited"
    d.reply["es"] = "editado"
    assert d.to_json() == json.dumps(d.to_dict(), ensure_ascii=False)
    assert '"edited"' in d.to_json()
    assert "edited" not in decide(request, pack).to_json()


# --------------------------------------------------------------------------- bounds


def test_the_memo_is_a_bounded_lru_that_keeps_shapes_seen_twice() -> None:
    pack = _copy(PACKS["nm-sb36-2025"], memo_size=50)
    memo = compiled(pack).memo
    shapes = [cell.request for cell in standard_matrix()][:400]  # all different
    for r in shapes:
        decide(r, pack)
    assert len(memo) < 25, "one-off shapes are not kept (a few may collide in the doorkeeper)"
    for r in shapes:
        decide(r, pack)
    assert len(memo) == 50
    hits = memo.hits
    for r in shapes[-50:]:  # the most recently used are the ones kept
        decide(r, pack)
    assert memo.hits == hits + 50
    memo.clear()
    assert len(memo) == 0
    for r in shapes[:10]:  # cleared: the doorkeeper forgot them too
        decide(r, pack)
    assert len(memo) < 10


def test_every_cache_has_a_cap() -> None:
    for pack in PACKS.values():
        assert compiled(pack).memo.maxsize == MEMO_SIZE
    assert render._explanations.maxsize == render.EXPLANATION_CACHE_SIZE
    assert render._replies.maxsize == render.REPLY_CACHE_SIZE
    assert classify_signer.cache_info().maxsize is not None


def test_lru_evicts_the_least_recently_used() -> None:
    lru: LRU[str, int] = LRU(3)
    for i, key in enumerate("abc"):
        lru.store(key, i)
    assert lru.fetch("a") == 0  # now the most recently used
    lru.store("d", 3)
    assert list(lru) == ["c", "a", "d"]
    assert lru.fetch("b") is None
    assert (lru.hits, lru.misses) == (1, 1)
    lru.resize(1)
    assert list(lru) == ["d"]
    lru.resize(0)
    assert lru.store("e", 4) == 4
    assert len(lru) == 0


def test_admitting_lru_admits_on_the_second_offer() -> None:
    lru: AdmittingLRU[tuple[int, ...], int] = AdmittingLRU(10, door_size=1 << 10)
    assert not lru.admit((1, 2))
    assert lru.admit((1, 2))
    lru.clear()
    assert not lru.admit((1, 2))
    with pytest.raises(ValueError, match="power of two"):
        AdmittingLRU(10, door_size=1000)
