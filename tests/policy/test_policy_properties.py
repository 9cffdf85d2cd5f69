"""Properties of ``decide`` over generated requests (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from resguardo.policy import Decision, Pack, Request, decide, default_registry
from resguardo.policy.request import (
    AgencyKind,
    LegalProcess,
    ProcessKind,
    Purpose,
    RecordSystem,
    Requester,
    Scope,
)
from resguardo.policy.signers import SignerClass, classify_signer
from resguardo.taxonomy import CATEGORY_IDS

PACKS = {p.id: p for p in default_registry().all()}
PACK_IDS = sorted(PACKS)

SIGNER_TITLES = [
    None,
    "United States District Judge",
    "United States Magistrate Judge",
    "District Judge",
    "Clerk of Court",
    "Attorney for plaintiff",
    "Immigration Judge",
    "Supervisory Detention and Deportation Officer",
]
COURTS = [
    None,
    "United States District Court",
    "Second Judicial District Court, State of New Mexico",
]
# A title for each signer class, so an added document can satisfy a signer condition.
TITLE_FOR = {
    SignerClass.ARTICLE_III_JUDGE: "United States District Judge",
    SignerClass.FEDERAL_MAGISTRATE_JUDGE: "United States Magistrate Judge",
    SignerClass.STATE_JUDGE: "District Judge",
    SignerClass.CLERK: "Clerk of Court",
    SignerClass.ATTORNEY: "Attorney for plaintiff",
    SignerClass.UNKNOWN: None,
}

processes = st.builds(
    LegalProcess,
    kind=st.sampled_from(ProcessKind),
    signed_by=st.sampled_from(SIGNER_TITLES),
    issuing_court=st.sampled_from(COURTS),
    covers=st.one_of(st.none(), st.lists(st.sampled_from(CATEGORY_IDS), unique=True, max_size=4)),
)
requests = st.builds(
    Request,
    requester=st.builds(Requester, kind=st.sampled_from(AgencyKind)),
    on_behalf_of=st.one_of(st.none(), st.sampled_from(AgencyKind)),
    purpose=st.sampled_from(Purpose),
    legal_process=st.lists(processes, max_size=3),
    scope=st.sampled_from(Scope),
    record_system=st.sampled_from(RecordSystem),
    categories=st.lists(st.sampled_from(CATEGORY_IDS), unique=True, max_size=8),
    written_consent=st.booleans(),
    federal_law_cited=st.one_of(st.none(), st.just("8 U.S.C. 1357"), st.just("13 U.S.C. 6")),
)
pack_ids = st.sampled_from(PACK_IDS)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sufficient(pack: Pack) -> list[tuple[ProcessKind, str | None]]:
    """(kind, signer title) pairs that some release ground of the pack accepts."""
    out: set[tuple[ProcessKind, str | None]] = set()
    for regime in pack.regimes:
        for basis in regime.bases:
            if basis.decide != "release" or not basis.process:
                continue
            signers = basis.signers or [SignerClass.UNKNOWN, SignerClass.STATE_JUDGE]
            for kind in basis.process:
                for signer in signers:
                    if signer in TITLE_FOR:
                        out.add((kind, TITLE_FOR[signer]))
    return sorted(out, key=str)


def released(d: Decision) -> set[str]:
    return set(d.released)


@SETTINGS
@given(request=requests, pack_id=pack_ids, data=st.data())
def test_adding_sufficient_process_never_makes_a_decision_less_permissive(
    request: Request, pack_id: str, data: st.DataObject
) -> None:
    pack = PACKS[pack_id]
    options = sufficient(pack)
    if not options:
        return
    kind, title = data.draw(st.sampled_from(options))
    assert title is None or classify_signer(title) in TITLE_FOR
    added = LegalProcess(kind=kind, signed_by=title)
    more = request.model_copy(update={"legal_process": [*request.legal_process, added]})
    before, after = decide(request, pack), decide(more, pack)
    assert released(before) <= released(after), (before.outcome, after.outcome)
    if before.outcome != "deny":
        assert after.outcome != "deny"
    if before.outcome == "release":
        assert after.outcome == "release"


@SETTINGS
@given(request=requests, pack_id=pack_ids, data=st.data())
def test_removing_a_category_never_adds_a_withheld_one(
    request: Request, pack_id: str, data: st.DataObject
) -> None:
    if not request.categories:
        return
    drop = data.draw(st.sampled_from(request.categories))
    fewer = request.model_copy(update={"categories": [c for c in request.categories if c != drop]})
    pack = PACKS[pack_id]
    before, after = decide(request, pack), decide(fewer, pack)
    assert set(after.withheld) <= set(before.withheld) - {drop}


@SETTINGS
@given(request=requests, pack_id=pack_ids)
def test_verdicts_agree_with_the_outcome(request: Request, pack_id: str) -> None:
    d = decide(request, PACKS[pack_id])
    verdicts = {v.verdict for v in d.categories.values()}
    if d.outcome == "release":
        assert verdicts <= {"release"}
    if d.outcome == "deny":
        assert verdicts <= {"withhold"}
    if d.outcome == "release_redacted":
        assert verdicts == {"release", "withhold"}
    if d.outcome == "escalate":
        assert any(v.decision == "escalate" for v in d.categories.values()) or d.reasons
    assert set(d.categories) == set(request.categories)


# Anything at all, including values no validator would let through.
junk: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.text(max_size=20),
        st.sampled_from(
            [*AgencyKind, *Purpose, *ProcessKind, *Scope, *RecordSystem, *CATEGORY_IDS]
        ),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
        st.builds(lambda k: Requester.model_construct(kind=k), inner),
        st.builds(lambda k, s: LegalProcess.model_construct(kind=k, signed_by=s), inner, inner),
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            name: junk
            for name in (
                "requester",
                "on_behalf_of",
                "purpose",
                "legal_process",
                "scope",
                "record_system",
                "categories",
                "written_consent",
                "federal_law_cited",
            )
        },
    ),
    pack_id=pack_ids,
)
def test_decide_never_raises_and_never_releases_what_it_cannot_read(
    fields: dict[str, Any], pack_id: str
) -> None:
    odd = Request.model_construct(**fields)
    decision = decide(odd, PACKS[pack_id])
    assert decision.outcome in {"release", "release_redacted", "deny", "escalate"}
    decision.to_json()  # rendering must not raise either
    try:
        Request.model_validate(fields)
    except ValidationError:
        assert decision.outcome == "escalate"
        assert decision.released == ()


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_model_constructed_valid_values_decide_like_validated_ones(pack_id: str) -> None:
    raw = {
        "requester": Requester(kind=AgencyKind.LOCAL_LAW_ENFORCEMENT),
        "purpose": Purpose.CRIMINAL_INVESTIGATION,
        "legal_process": [],
        "scope": Scope.INDIVIDUAL,
        "record_system": RecordSystem.MOTOR_VEHICLES,
        "categories": ["street_address", "license_plate"],
    }
    a = decide(Request.model_construct(**raw), PACKS[pack_id])
    b = decide(Request.model_validate(raw), PACKS[pack_id])
    assert a.to_dict() == b.to_dict()
