"""The decision engine: the JSON contract, fail-closed behaviour, process and signer rules."""

from __future__ import annotations

import json
import re

import pytest
from policy_helpers import make_request

from resguardo.policy import Pack, Request, decide
from resguardo.policy.engine import compiled
from resguardo.policy.render import messages
from resguardo.policy.request import Requester
from resguardo.policy.signers import SignerClass, classify_signer

CONTRACT_KEYS = {
    "outcome",
    "pack",
    "pack_version",
    "categories",
    "obligations",
    "explanation",
    "reply",
    "inferred_request",
}


def test_json_contract_shape(packs: dict[str, Pack]) -> None:
    request = make_request(categories=["street_address", "immigration_status", "ssn"])
    decision = decide(request, packs["ny"]).with_inferred_request(request.to_dict())
    data = json.loads(decision.to_json())
    assert set(data) == CONTRACT_KEYS
    assert data["outcome"] in {"release", "release_redacted", "deny", "escalate"}
    assert data["pack"] == "ny"
    assert re.fullmatch(r"[0-9a-f]{64}", data["pack_version"])
    assert set(data["categories"]) == {"street_address", "immigration_status", "ssn"}
    for verdict in data["categories"].values():
        assert set(verdict) == {"verdict", "rule", "citation"}
        assert verdict["verdict"] in {"release", "withhold"}
        assert verdict["rule"] and verdict["citation"]
    assert data["obligations"] == [o for o in data["obligations"] if isinstance(o, str)]
    assert "notify_person" in data["obligations"]
    for key in ("explanation", "reply"):
        assert set(data[key]) == {"en", "es"}
        assert data[key]["en"].strip() and data[key]["es"].strip()
        assert data[key]["en"] != data[key]["es"]
    assert data["inferred_request"] == request.to_dict()
    assert decision.to_dict() == data


def test_inferred_request_is_empty_until_filled(packs: dict[str, Pack]) -> None:
    assert decide(make_request(), packs["wa"]).to_dict()["inferred_request"] == {}


def test_pack_version_is_the_hash_of_the_pack_data(packs: dict[str, Pack]) -> None:
    pack = packs["nm-sb36-2025"]
    same = Pack.model_validate(pack.model_dump())
    assert same.version == pack.version
    changed = Pack.model_validate({**pack.model_dump(), "title": pack.title + " (edited)"})
    assert changed.version != pack.version
    assert decide(make_request(), pack).pack_version == pack.version


def test_decisions_are_deterministic(packs: dict[str, Pack]) -> None:
    request = make_request(categories=["ssn", "employer"], record_system="workforce")
    first = decide(request, packs["nm-sb36-2025"]).to_json()
    compiled(packs["nm-sb36-2025"]).memo.clear()
    assert decide(request, packs["nm-sb36-2025"]).to_json() == first


def test_vague_purpose_is_not_process_and_fails_closed(packs: dict[str, Pack]) -> None:
    # "under federal investigation" is read as no stated purpose.
    request = make_request(purpose="unknown", categories=["street_address", "license_plate"])
    decision = decide(request, packs["nm-sb36-2025"])
    assert decision.outcome == "deny"
    assert "purpose_unstated" in {r.key for r in decision.reasons}


def test_immigration_agency_claiming_criminal_purpose_without_process_escalates(
    packs: dict[str, Pack],
) -> None:
    request = make_request(purpose="criminal_investigation")
    assert decide(request, packs["nm-sb36-2025"]).outcome == "escalate"
    with_warrant = make_request(
        purpose="criminal_investigation",
        legal_process=[{"kind": "judicial_warrant", "signed_by": "United States District Judge"}],
    )
    assert decide(with_warrant, packs["nm-sb36-2025"]).outcome == "release"


@pytest.mark.parametrize("kind", ["administrative_warrant", "administrative_subpoena", "detainer"])
def test_agency_documents_are_not_court_process(packs: dict[str, Pack], kind: str) -> None:
    request = make_request(legal_process=[{"kind": kind}], categories=["street_address", "ssn"])
    for pack_id in ("nm-sb36-2025", "wa", "ny", "ca"):
        decision = decide(request, packs[pack_id])
        assert decision.outcome in {"deny", "escalate"}, pack_id
        assert decision.released == ()
        assert f"process_{kind}" in {r.key for r in decision.reasons}


def test_immigration_judge_signature_is_not_a_court(packs: dict[str, Pack]) -> None:
    request = make_request(
        purpose="criminal_investigation",
        legal_process=[{"kind": "court_order", "signed_by": "Immigration Judge"}],
    )
    decision = decide(request, packs["ny"])
    assert decision.outcome == "escalate"
    assert decision.released == ()
    assert "judicial_kind_not_judge" in {r.key for r in decision.reasons}


def test_unknown_process_kind_escalates_instead_of_denying(packs: dict[str, Pack]) -> None:
    request = make_request(legal_process=[{"kind": "unknown"}])
    assert decide(request, packs["ny"]).outcome == "escalate"


def test_new_york_wants_an_article_iii_judge(packs: dict[str, Pack]) -> None:
    def with_signer(title: str | None) -> Request:
        return make_request(
            purpose="criminal_investigation",
            legal_process=[{"kind": "judicial_warrant", "signed_by": title}],
        )

    assert decide(with_signer("United States District Judge"), packs["ny"]).outcome == "release"
    assert decide(with_signer("United States Magistrate Judge"), packs["ny"]).outcome == "escalate"
    assert decide(with_signer("District Judge"), packs["ny"]).outcome == "escalate"
    assert decide(with_signer(None), packs["ny"]).outcome == "escalate"


def test_process_supports_only_the_categories_it_covers(packs: dict[str, Pack]) -> None:
    # A subpoena for the address does not reach the SSN asked alongside it.
    request = make_request(
        requester={"agency": "State Police", "kind": "state_law_enforcement"},
        purpose="criminal_investigation",
        legal_process=[{"kind": "judicial_warrant", "covers": ["street_address"]}],
        categories=["street_address", "ssn"],
    )
    decision = decide(request, packs["nj"])
    assert decision.categories["ssn"].verdict == "withhold"
    uncovered = make_request(
        requester={"agency": "State Police", "kind": "state_law_enforcement"},
        purpose="criminal_investigation",
        legal_process=[{"kind": "judicial_warrant"}],
        categories=["ssn"],
    )
    assert decide(uncovered, packs["nj"]).categories["ssn"].verdict == "release"


def test_status_to_immigration_agency_is_never_barred_by_state_law_alone(
    packs: dict[str, Pack],
) -> None:
    # 8 U.S.C. 1373: asked alone, status escalates to counsel in every pack that would refuse.
    request = make_request(categories=["immigration_status"])
    for pack in packs.values():
        decision = decide(request, pack)
        assert decision.categories["immigration_status"].decision in {"escalate", "release"}, (
            pack.id
        )


def test_prwora_keeps_status_at_benefit_agencies_escalated(packs: dict[str, Pack]) -> None:
    request = make_request(record_system="human_services", categories=["immigration_status", "ssn"])
    decision = decide(request, packs["nm-sb36-2025"])
    assert decision.categories["immigration_status"].rule.id == "federal.prwora_404"
    assert decision.outcome == "escalate"


def test_no_categories_means_nothing_sensitive(packs: dict[str, Pack]) -> None:
    fbi = make_request(
        requester={"agency": "FBI", "kind": "federal_law_enforcement"},
        purpose="criminal_investigation",
        record_system="other",
        categories=[],
    )
    assert decide(fbi, packs["santa-fe"]).outcome == "release"
    ice = make_request(record_system="other", categories=[])
    assert decide(ice, packs["santa-fe"]).outcome == "deny"


def test_odd_values_escalate_and_release_nothing(packs: dict[str, Pack]) -> None:
    odd = Request.model_construct(
        requester=Requester.model_construct(kind="martian"),
        purpose="vibes",
        legal_process=[{"kind": "judicial_warrant"}, 42],
        scope="galaxy",
        record_system=None,
        categories=["ssn", "not_a_category", 7],
        written_consent="yes",
    )
    decision = decide(odd, packs["nm-2019"])
    assert decision.outcome == "escalate"
    assert decision.released == ()
    assert {r.key for r in decision.reasons} == {"invalid_value"}
    assert json.loads(decision.to_json())["outcome"] == "escalate"


@pytest.mark.parametrize("request_value", [None, "a string", 12, {"requester": None}, []])
def test_not_a_request_at_all(packs: dict[str, Pack], request_value: object) -> None:
    decision = decide(request_value, packs["wa"])  # type: ignore[arg-type]
    assert decision.outcome == "escalate"
    assert decision.released == ()


def test_an_engine_error_escalates(packs: dict[str, Pack], monkeypatch: pytest.MonkeyPatch) -> None:
    from resguardo.policy import engine

    def boom(*_: object) -> None:
        raise RuntimeError("rule table corrupted")

    monkeypatch.setattr(engine, "_decide", boom)
    decision = decide(make_request(), packs["nm-2019"])
    assert decision.outcome == "escalate"
    assert decision.categories["street_address"].verdict == "withhold"
    assert "internal_error" in {r.key for r in decision.reasons}


def test_cached_decisions_cannot_be_altered(packs: dict[str, Pack]) -> None:
    decision = decide(make_request(), packs["nm-2019"])
    with pytest.raises(TypeError):
        decision.categories["street_address"] = None  # type: ignore[index]


def test_every_reason_the_engine_gives_has_words() -> None:
    keys = set(messages().reasons)
    for key in (
        "invalid_value",
        "missing_value",
        "internal_error",
        "no_categories",
        "unknown_process",
        "judicial_kind_not_judge",
        "purpose_unstated",
        "process_administrative_warrant",
        "process_administrative_subpoena",
        "process_detainer",
    ):
        assert key in keys


@pytest.mark.parametrize(
    ("title", "court", "expected"),
    [
        ("United States District Judge", None, SignerClass.ARTICLE_III_JUDGE),
        ("U.S. District Judge", None, SignerClass.ARTICLE_III_JUDGE),
        (
            "District Judge",
            "United States District Court, District of New Mexico",
            SignerClass.ARTICLE_III_JUDGE,
        ),
        (
            "District Judge",
            "Second Judicial District Court, State of New Mexico",
            SignerClass.STATE_JUDGE,
        ),
        ("United States Magistrate Judge", None, SignerClass.FEDERAL_MAGISTRATE_JUDGE),
        ("Magistrate Judge", "U.S. District Court", SignerClass.FEDERAL_MAGISTRATE_JUDGE),
        ("Magistrate Judge", "Doña Ana County Magistrate Court", SignerClass.STATE_JUDGE),
        ("Immigration Judge", None, SignerClass.IMMIGRATION_JUDGE),
        ("Supervisory Detention and Deportation Officer", None, SignerClass.IMMIGRATION_OFFICER),
        ("Field Office Director", None, SignerClass.IMMIGRATION_OFFICER),
        ("Clerk of Court", None, SignerClass.CLERK),
        ("Deputy Clerk", "United States District Court", SignerClass.CLERK),
        ("Attorney for Plaintiff", None, SignerClass.ATTORNEY),
        ("", None, SignerClass.UNKNOWN),
        (None, None, SignerClass.UNKNOWN),
        ("Records Custodian", None, SignerClass.UNKNOWN),
    ],
)
def test_signer_classes(title: str | None, court: str | None, expected: SignerClass) -> None:
    assert classify_signer(title, court) is expected


def test_explanations_report_unconfirmed_points(packs: dict[str, Pack]) -> None:
    decision = decide(make_request(), packs["nm-sb36-2025"])
    assert decision.unconfirmed, "the MVD bar rests on unconfirmed text"
    note = decision.unconfirmed[0]
    assert note.en in decision.explanation["en"]
    assert note.es in decision.explanation["es"]


def test_reply_does_not_cite_state_law_for_discretionary_status_refusal(
    packs: dict[str, Pack],
) -> None:
    request = make_request(
        legal_process=[{"kind": "administrative_warrant"}],
        categories=["street_address", "immigration_status"],
    )
    decision = decide(request, packs["ny"])
    assert decision.outcome == "deny"
    assert decision.categories["immigration_status"].rule.id == "federal.usc_1373_1644"
    assert "1373" not in decision.reply["en"]
