"""Intake: a clerk logs an email, checks the request read from it, and gets the decision."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webtest_helpers import DEV_EMAILS, confirm_as_read, log_email, post_form

from resguardo.store.cases import Case, CaseStatus
from resguardo.store.models import AuditEvent

RELEASING = {"release", "release_redacted"}


def _case(app: FastAPI, case_id: int) -> Case:
    with app.state.ctx.store.read_session() as db:
        case = db.get(Case, case_id)
        assert case is not None
        return case


def _events(app: FastAPI, case_id: int) -> list[str]:
    with app.state.ctx.store.read_session() as db:
        return [
            e.action
            for e in db.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_type == "case", AuditEvent.object_id == str(case_id))
                .order_by(AuditEvent.seq)
            )
        ]


def test_administrative_subpoena_is_never_released(backend_app: FastAPI) -> None:
    clerk = TestClient(backend_app)
    from webtest_helpers import login

    login(clerk, "ana")
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes(), name="req-05.eml")
    page = clerk.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert 'id="confirm-form"' in page.text
    # The attached subpoena was classified, and the evidence is shown beside the form.
    assert 'id="evidence"' in page.text
    assert "administrative_subpoena" in page.text
    assert re.search(r'<option value="administrative_subpoena" selected>', page.text)
    assert re.search(r'<option value="federal_immigration" selected>', page.text)
    confirmed = confirm_as_read(clerk, case_id)
    assert confirmed.status_code == 303, confirmed.text[:2000]
    case = _case(backend_app, case_id)
    assert case.outcome in ("deny", "escalate")
    assert case.final_outcome not in RELEASING
    assert not case.released_categories
    decided = clerk.get(f"/cases/{case_id}")
    assert 'id="explanation"' in decided.text and 'id="reply"' in decided.text
    if case.outcome == "escalate":
        assert case.status is CaseStatus.IN_REVIEW
        assert 'id="state-note"' in decided.text
    assert _events(backend_app, case_id) == ["request.create", "decision"]


def test_reply_follows_the_clerks_language(app: FastAPI, clerk: TestClient) -> None:
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    confirm_as_read(clerk, case_id)
    english = clerk.get(f"/cases/{case_id}")
    clerk.get("/lang/es")
    spanish = clerk.get(f"/cases/{case_id}")
    reply_en = re.search(r'<pre class="reply" id="reply">(.*?)</pre>', english.text, re.S)
    reply_es = re.search(r'<pre class="reply" id="reply">(.*?)</pre>', spanish.text, re.S)
    assert reply_en and reply_es
    assert reply_en.group(1) != reply_es.group(1)
    assert (
        "Atentamente" in reply_es.group(1)
        or "Estimad" in reply_es.group(1)
        or "Buenos" in reply_es.group(1)
    )


HOSTILE = b"""From: "Agent <b>Smith</b>" <agent.smith@ice.dhs.gov>
To: clerk@state.nm.us
Subject: Records request <script>alert('subject')</script>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/html; charset="utf-8"

<html><head><script>alert('xss')</script><style>body{display:none}</style></head>
<body><p>Please send the home address of Jane Doe.</p>
<img src="https://tracker.example/pixel.gif" onerror="alert('img')">
<a href="javascript:alert('link')">click</a>
<iframe src="https://evil.example"></iframe>
</body></html>
--b1--
"""


def test_email_html_and_scripts_are_shown_inert(app: FastAPI, clerk: TestClient) -> None:
    case_id = log_email(clerk, HOSTILE, name="hostile.eml")
    page = clerk.get(f"/cases/{case_id}")
    assert page.status_code == 200
    html = page.text
    lowered = html.lower()
    for tag in ("<script", "<iframe", "<img", "<style", "<b>"):
        assert tag not in lowered, tag
    assert 'href="javascript:' not in lowered
    assert " onerror=" not in lowered
    # The subject is there, escaped.
    assert "&lt;script&gt;alert(" in html
    # And no script could run anyway: the page forbids scripts.
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_pasted_body_without_headers(app: FastAPI, clerk: TestClient) -> None:
    text = (
        "Hello, this is Deputy Ruiz with the county sheriff. ICE asked us to get the current "
        "address and license plate for Juan Perez, DOB 03/04/1980. Thanks."
    )
    response = post_form(clerk, "/intake/new", {"email_text": text}, token_from="/intake/new")
    assert response.status_code == 303
    case_id = int(response.headers["location"].rsplit("/", 1)[1])
    page = clerk.get(f"/cases/{case_id}")
    assert "Deputy Ruiz" in page.text
    confirm_as_read(clerk, case_id, record_system="motor_vehicles")
    assert _case(app, case_id).status in (CaseStatus.IN_REVIEW, CaseStatus.DECIDED)


def test_unreadable_email_file_is_refused(app: FastAPI, clerk: TestClient) -> None:
    binary = bytes(range(256)) * 20
    response = post_form(
        clerk,
        "/intake/new",
        files=[("email_file", ("x.eml", binary, "message/rfc822"))],
        token_from="/intake/new",
    )
    assert response.status_code == 400
    assert 'id="intake-error"' in response.text
    with app.state.ctx.store.read_session() as db:
        assert db.scalars(select(Case)).first() is None


def test_short_form_with_a_legal_document(app: FastAPI, clerk: TestClient) -> None:
    doc = (DEV_EMAILS.parent / "documents" / "doc-01.txt").read_bytes()
    response = post_form(
        clerk,
        "/intake/new",
        files=[("legal_file", ("document.txt", doc, "text/plain"))],
        token_from="/intake/new",
    )
    assert response.status_code == 303
    case_id = int(response.headers["location"].rsplit("/", 1)[1])
    page = clerk.get(f"/cases/{case_id}")
    assert 'id="classified-' in page.text
    assert _case(app, case_id).source.value == "form"
    done = confirm_as_read(
        clerk,
        case_id,
        requester_name="Officer Example",
        requester_agency="Example PD",
        requester_kind="local_law_enforcement",
        record_system="motor_vehicles",
        categories=["street_address"],
    )
    assert done.status_code == 303
    assert _case(app, case_id).status is not CaseStatus.DRAFT


def test_invalid_form_is_shown_again(app: FastAPI, clerk: TestClient) -> None:
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    bad = confirm_as_read(clerk, case_id, purpose="world_domination", categories=["ssn", "bogus"])
    assert bad.status_code == 400
    assert 'id="confirm-error"' in bad.text
    assert _case(app, case_id).status is CaseStatus.DRAFT


def test_a_correction_that_would_release_goes_to_review(app: FastAPI, clerk: TestClient) -> None:
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    done = confirm_as_read(clerk, case_id, **{"lp-0-kind": "judicial_warrant"})
    assert done.status_code == 303
    case = _case(app, case_id)
    assert case.final_outcome not in RELEASING
    if case.outcome in RELEASING:
        assert case.status is CaseStatus.IN_REVIEW
        assert case.review_reason == "process_override"
    consent = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    confirm_as_read(clerk, consent, written_consent="yes")
    assert _case(app, consent).final_outcome not in RELEASING


def test_a_case_is_confirmed_once(app: FastAPI, clerk: TestClient) -> None:
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    page = clerk.get(f"/cases/{case_id}")
    confirm_as_read(clerk, case_id)
    from webtest_helpers import form_values

    again = clerk.post(f"/cases/{case_id}/confirm", data=form_values(page.text, "confirm-form"))
    assert again.status_code == 409


def test_clerk_releases_records_the_pack_allows(
    app: FastAPI, clerk: TestClient, clerk2: TestClient
) -> None:
    case_id = log_email(clerk, (DEV_EMAILS / "req-13.eml").read_bytes())
    confirm_as_read(clerk, case_id)
    case = _case(app, case_id)
    assert case.status is CaseStatus.DECIDED
    assert case.final_outcome in RELEASING and case.released_categories
    page = clerk.get(f"/cases/{case_id}")
    assert 'id="records-form"' in page.text
    released = set(case.released_categories or [])
    records = (
        b"name,ssn,home_address,plate\n"
        b"Pat Example,585-20-1234,1420 Calle Luna SW Albuquerque NM 87105,NM ABC-1234\n"
    )
    up = post_form(
        clerk,
        f"/cases/{case_id}/records",
        files=[("records", ("crash.csv", records, "text/csv"))],
        token_from=f"/cases/{case_id}",
    )
    assert up.status_code == 303, up.text[:500]
    link = re.search(
        rf'href="(/cases/{case_id}/releases/\d+)"', clerk.get(f"/cases/{case_id}").text
    )
    assert link
    body = clerk.get(link.group(1)).text
    if "ssn" not in released:
        assert "585-20-1234" not in body
    assert clerk2.get(link.group(1)).status_code == 404


def test_a_corrected_requester_that_would_release_goes_to_review(
    app: FastAPI, clerk: TestClient
) -> None:
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    confirm_as_read(
        clerk,
        case_id,
        requester_kind="local_law_enforcement",
        purpose="criminal_investigation",
        categories=["street_address"],
        record_system="motor_vehicles",
        **{"lp-0-kind": "none"},
    )
    case = _case(app, case_id)
    # The corrected request alone would be released; as read, it would not: a person checks.
    assert case.outcome in RELEASING
    assert case.final_outcome is None and not case.released_categories
    assert case.status is CaseStatus.IN_REVIEW and case.review_reason == "correction"


def _form_case(clerk: TestClient) -> int:
    response = post_form(clerk, "/intake/new", {"email_text": ""}, token_from="/intake/new")
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


@pytest.mark.parametrize(
    ("kind", "categories", "to_review"),
    [
        ("federal_immigration", ["street_address", "ssn"], True),
        ("federal_law_enforcement", ["street_address", "ssn"], True),
        ("federal_law_enforcement", ["street_address"], False),
    ],
)
def test_a_claimed_warrant_nobody_has_read(
    app: FastAPI, clerk: TestClient, kind: str, categories: list[str], to_review: bool
) -> None:
    case_id = _form_case(clerk)
    assert _case(app, case_id).source.value == "form"
    done = confirm_as_read(
        clerk,
        case_id,
        requester_name="Agent Example",
        requester_agency="Example field office",
        requester_kind=kind,
        purpose="criminal_investigation",
        record_system="motor_vehicles",
        categories=categories,
        **{
            "lp-new-kind": "judicial_warrant",
            "lp-new-document": "Search warrant 25-MJ-0001",
            "lp-new-signed_by": "United States Magistrate Judge",
            "lp-new-issuing_court": "United States District Court",
        },
    )
    assert done.status_code == 303, done.text[:500]
    case = _case(app, case_id)
    assert case.outcome == "release"
    if to_review:
        # Released only on the strength of a document no one has seen: a person checks.
        assert case.status is CaseStatus.IN_REVIEW
        assert case.review_reason == "process_override"
        assert not case.released_categories
    else:
        # The claim changes nothing: the pack releases the address without it.
        assert case.status is CaseStatus.DECIDED
        assert case.released_categories == ["street_address"]


def test_pdf_legal_document_is_classified(app: FastAPI, clerk: TestClient) -> None:
    import email
    from email import policy

    message = email.message_from_bytes(
        (DEV_EMAILS.parent.parent / "intake-emails" / "04-pdf-warrant-fbi.eml").read_bytes(),
        policy=policy.default,
    )
    pdf = next(
        part.get_content()
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    )
    response = post_form(
        clerk,
        "/intake/new",
        {"email_text": "Please see the attached warrant. Agent Example, FBI."},
        files=[("legal_file", ("warrant.pdf", pdf, "application/pdf"))],
        token_from="/intake/new",
    )
    assert response.status_code == 303
    case_id = int(response.headers["location"].rsplit("/", 1)[1])
    page = clerk.get(f"/cases/{case_id}")
    match = re.search(r'id="classified-\d+">.*?<strong>(.*?)</strong>', page.text, re.S)
    assert match, page.text[-3000:]
    assert match.group(1) != "Not a legal document"
