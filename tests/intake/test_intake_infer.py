"""infer_request end to end on small messages: each inference rule once."""

from __future__ import annotations

import json

from intake_helpers import infer

from resguardo.intake import infer_request, parse_email_bytes
from resguardo.policy import AgencyKind, ProcessKind, Purpose, RecordSystem, Scope
from resguardo.taxonomy import CATEGORY_IDS

SIGNED_CONSENT = (
    "AUTHORIZATION TO RELEASE RECORDS\n\n"
    "I, Rosa Diaz, authorize the Motor Vehicle Division to release the following records "
    "about me to my attorney:\n"
    "    [X]  My driving record\n"
    "    [X]  My address of record\n\n"
    "Signature:  /s/ Rosa Diaz              Date: 03/01/2026\n"
)


def test_evidence_reads_like_the_brief() -> None:
    inference = infer("Please send his address.\n\nThanks,\nJo\nDeportation Officer\nICE ERO\n")
    lines = [str(e) for e in inference.evidence]
    assert "requester.kind: federal_immigration (sender domain ice.dhs.gov)" in lines
    assert inference.for_field("requester")
    data = inference.to_dict()
    assert set(data) == {"request", "evidence", "unknowns", "notes"}
    json.dumps(data)


def test_internal_inline_forward_finds_the_original_requester() -> None:
    body = (
        "Can you handle this?\n\nLee\n\n"
        "-----Original Message-----\n"
        "From: Cruz, Dan <dan.cruz@hsi.dhs.gov>\n"
        "Sent: Monday, March 2, 2026 9:00 AM\n"
        "To: Lee, Pat (DWS) <pat.lee@dws.state.nm.us>\n"
        "Subject: info\n\n"
        "Please send his employer and home address.\n\nDan Cruz\nHSI\n"
    )
    r = infer(
        body,
        sender="Lee, Pat (DWS) <pat.lee@dws.state.nm.us>",
        to="Records (DWS) <records@dws.state.nm.us>",
        subject="FW: info",
    ).request
    assert r.requester.kind is AgencyKind.FEDERAL_IMMIGRATION
    assert r.record_system is RecordSystem.WORKFORCE
    assert set(r.categories) == {"employer", "street_address"}
    assert r.on_behalf_of is None


def test_a_relay_sets_on_behalf_of() -> None:
    body = (
        "Tony, ICE asked us to find this guy. Can you send me his address?\n\n"
        "Sgt. Mora\nCounty Sheriff's Office\n\n"
        "---------- Forwarded message ---------\n"
        "From: Ana Ruiz <ana.ruiz@ice.dhs.gov>\n"
        "Date: Mon, Mar 2, 2026\n"
        "Subject: lookup\n"
        "To: Sgt. Mora <mora@county.example>\n\n"
        "Looking for his address and his hearing date.\n\nAna\nICE ERO\n"
    )
    r = infer(
        body,
        sender="Sgt. Mora <mora@county.example>",
        to="PO Tony (NMCD-PPD) <tony@state.nm.us>",
        subject="FW: lookup",
    ).request
    assert r.requester.kind is AgencyKind.LOCAL_LAW_ENFORCEMENT
    assert r.on_behalf_of is AgencyKind.FEDERAL_IMMIGRATION
    assert r.purpose is Purpose.IMMIGRATION_ENFORCEMENT
    assert set(r.categories) == {"street_address", "scheduled_appearance"}


def test_the_clerk_s_quoted_words_do_not_count() -> None:
    body = (
        "It's for an ongoing federal investigation.\n\n"
        "-----Original Message-----\n"
        "From: Clerk, Ann (TRD-MVD) <ann.clerk@state.nm.us>\n"
        "Sent: Monday\n"
        "To: Agent <test.agent@ice.dhs.gov>\n"
        "Subject: RE: request\n\n"
        "Is this for deportation? We cannot give out his SSN or his immigration status.\n\n"
        "-----Original Message-----\n"
        "From: Agent <test.agent@ice.dhs.gov>\n"
        "Sent: Friday\n"
        "To: Clerk, Ann (TRD-MVD) <ann.clerk@state.nm.us>\n"
        "Subject: request\n\n"
        "Please send his address.\n"
    )
    r = infer(body).request
    assert r.purpose is Purpose.UNKNOWN
    assert r.categories == ["street_address"]


def test_a_claimed_warrant_is_not_process() -> None:
    inference = infer("Attached is a signed warrant. Please send his address.\n\nJo\nICE ERO\n")
    assert inference.request.legal_process == []
    assert any("not attached" in u for u in inference.unknowns)


def test_an_attached_administrative_warrant_is_noted_as_such() -> None:
    warrant = (
        "U.S. DEPARTMENT OF HOMELAND SECURITY\n\n        WARRANT FOR ARREST OF ALIEN\n\n"
        "To: Any immigration officer authorized pursuant to sections 236 and 287 of the "
        "Immigration and Nationality Act and part 287 of title 8, Code of Federal Regulations\n\n"
        "        /s/ Kim Lo\n        ____________________________\n"
        "        (Signature of Authorized Immigration Officer)\n"
        "        Supervisory Detention and Deportation Officer\n\nForm I-200 (Rev. 09/16)\n"
    )
    inference = infer(
        "Attached is a signed warrant. Please send his address.\n\nJo\nICE ERO\n",
        attachments=(("warrant.txt", warrant),),
    )
    kinds = [p.kind for p in inference.request.legal_process]
    assert kinds == [ProcessKind.ADMINISTRATIVE_WARRANT]
    assert any("the document decides" in n for n in inference.notes)


def test_nothing_recognisable_asked_assumes_every_category() -> None:
    inference = infer("Please send whatever you have on Juan Perez.\n\nJo\n")
    assert inference.request.categories == list(CATEGORY_IDS)
    assert any("every category" in u for u in inference.unknowns)


def test_asking_only_for_non_personal_records_is_no_category() -> None:
    r = infer(
        "Please send copies of the business license records for Acme LLC.\n\nAgent\nFBI\n",
        sender="Agent <a@fbi.gov>",
        to="Licensing <lic@city.example>",
    ).request
    assert r.categories == []


def test_record_system_override() -> None:
    inference = infer_request(
        parse_email_bytes(
            b"From: a@fbi.gov\nTo: someone@city.example\nSubject: x\n\nPlease send his address.\n"
        ),
        record_system=RecordSystem.CORRECTIONS,
    )
    assert inference.request.record_system is RecordSystem.CORRECTIONS
    assert any("--record-system" in str(e) for e in inference.evidence)


def test_consent_must_cover_everything_asked() -> None:
    full = infer(
        "Please send my driving record and my address to my attorney.\n\nRosa Diaz\n",
        sender="Rosa Diaz <rosa@example.org>",
        attachments=(("consent.txt", SIGNED_CONSENT),),
    ).request
    assert full.requester.kind is AgencyKind.PRIVATE
    assert full.written_consent
    assert [p.kind for p in full.legal_process] == [ProcessKind.WRITTEN_CONSENT]
    partial = infer(
        "Please send my driving record, my address and my SSN to my attorney.\n\nRosa Diaz\n",
        sender="Rosa Diaz <rosa@example.org>",
        attachments=(("consent.txt", SIGNED_CONSENT),),
    ).request
    assert not partial.written_consent
    assert partial.legal_process[0].covers == ["drivers_license", "street_address"]


def test_a_program_client_implies_public_assistance() -> None:
    r = infer(
        "She is a WIC client at your clinic. When is her next appointment?\n\nJo\nICE ERO\n",
        to="Clinic (DOH) <clinic@state.nm.us>",
    ).request
    assert set(r.categories) == {"scheduled_appearance", "public_assistance"}
    assert r.record_system is RecordSystem.HEALTH


def test_any_record_of_a_benefits_office_discloses_public_assistance() -> None:
    r = infer(
        "Please send his phone number.\n\nJo\nICE ERO\n",
        to="Case worker (HCA-ISD) <cw@state.nm.us>",
    ).request
    assert r.record_system is RecordSystem.HUMAN_SERVICES
    assert set(r.categories) == {"phone_number", "public_assistance"}


def test_html_only_message() -> None:
    r = infer(
        "",
        html="<p>Please send the <b>date of birth</b> and address.</p><p>Det. Ray<br>"
        "City Police Department</p>",
        sender="Det. Ray <ray@citypd.example>",
    ).request
    assert r.requester.kind is AgencyKind.LOCAL_LAW_ENFORCEMENT
    assert set(r.categories) == {"date_of_birth", "street_address"}
    assert r.scope is Scope.INDIVIDUAL


def test_federal_law_cited_is_recorded() -> None:
    r = infer(
        "8 U.S.C. 1373 requires you to share his immigration status. Please confirm it.\n\n"
        "Jo\nICE ERO\n"
    ).request
    assert r.federal_law_cited and "1373" in r.federal_law_cited
    assert "immigration_status" in r.categories
