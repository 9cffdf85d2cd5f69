"""Each role is refused what it must not see or do, including by guessing ids in URLs."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webtest_helpers import DEV_EMAILS, confirm_as_read, csrf, log_email, login, post_form


@pytest.fixture
def escalated(app: FastAPI, clerk: TestClient) -> int:
    """A case of ``ana`` waiting for review."""
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    assert confirm_as_read(clerk, case_id).status_code == 303
    return case_id


def test_anonymous_is_sent_to_login(client: TestClient, escalated: int) -> None:
    for path in (
        "/cases",
        f"/cases/{escalated}",
        "/review",
        "/audit",
        "/admin/users",
        "/intake/new",
        "/audit/export",
        f"/cases/{escalated}/releases/1",
    ):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path


def test_a_clerk_cannot_see_another_clerks_case(
    app: FastAPI, clerk2: TestClient, escalated: int
) -> None:
    assert clerk2.get(f"/cases/{escalated}").status_code == 404
    assert f'/cases/{escalated}"' not in clerk2.get("/cases").text
    token = csrf(clerk2, "/cases")
    assert clerk2.post(f"/cases/{escalated}/confirm", data={"csrf_token": token}).status_code == 404
    assert clerk2.get(f"/cases/{escalated}/releases/1").status_code == 404
    # Guessed ids: missing and absurd ones are plain "not found" or a bad request, never 500.
    assert clerk2.get("/cases/999").status_code == 404
    assert clerk2.get("/cases/99999999999999999999").status_code == 400
    assert clerk2.get("/cases/-1").status_code == 400
    assert clerk2.get("/cases/abc").status_code == 400


def test_clerk_is_refused_other_roles_pages(clerk: TestClient, escalated: int) -> None:
    for path in (
        "/review",
        "/audit",
        "/audit/verify",
        "/audit/export",
        "/admin/users",
        "/admin/tokens",
        "/admin/settings",
    ):
        assert clerk.get(path).status_code == 403, path
    r = post_form(
        clerk,
        f"/cases/{escalated}/review",
        {"outcome": "release", "reason": "I decide"},
        token_from="/cases",
    )
    assert r.status_code == 403
    assert post_form(clerk, f"/cases/{escalated}/take", token_from="/cases").status_code == 403
    r = post_form(clerk, "/admin/users", {"username": "x1", "role": "admin"}, token_from="/cases")
    assert r.status_code == 403


def test_auditor_reads_but_changes_nothing(auditor: TestClient, escalated: int) -> None:
    page = auditor.get(f"/cases/{escalated}")
    assert page.status_code == 200
    assert 'id="review-form"' not in page.text and 'id="confirm-form"' not in page.text
    token = csrf(auditor, "/audit")
    for path, data in (
        (f"/cases/{escalated}/review", {"outcome": "release", "reason": "x"}),
        (f"/cases/{escalated}/take", {}),
        (f"/cases/{escalated}/assign", {"assignee": ""}),
        (f"/cases/{escalated}/confirm", {}),
        ("/intake/new", {"email_text": "hi"}),
        ("/admin/users", {"username": "x2", "role": "admin"}),
        ("/admin/tokens", {"name": "t", "scopes": "scan"}),
    ):
        r = auditor.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 403, path
    files = [("records", ("r.csv", b"a,b\n1,2\n", "text/csv"))]
    r = auditor.post(f"/cases/{escalated}/records", data={"csrf_token": token}, files=files)
    assert r.status_code == 403
    assert auditor.get("/review").status_code == 403


def test_reviewer_cannot_manage_accounts(reviewer: TestClient) -> None:
    for path in ("/admin/users", "/admin/tokens", "/admin/settings", "/audit", "/intake/new"):
        assert reviewer.get(path).status_code == 403, path
    for path, data in (
        ("/admin/users", {"username": "x3", "role": "admin"}),
        ("/admin/users/ana/disable", {}),
        ("/admin/users/rita/role", {"role": "admin"}),
        ("/admin/tokens", {"name": "t", "scopes": "scan"}),
    ):
        r = post_form(reviewer, path, data, token_from="/review")
        assert r.status_code == 403, path


def test_admin_sees_no_cases(admin: TestClient, escalated: int) -> None:
    for path in (
        "/cases",
        f"/cases/{escalated}",
        "/review",
        "/audit",
        f"/cases/{escalated}/releases/1",
    ):
        assert admin.get(path).status_code == 403, path


def test_reviewer_sees_cases_but_cannot_confirm_them(
    app: FastAPI, clerk: TestClient, reviewer: TestClient
) -> None:
    draft = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    assert reviewer.get(f"/cases/{draft}").status_code == 200
    r = post_form(reviewer, f"/cases/{draft}/confirm", {"purpose": "unknown"}, token_from="/review")
    assert r.status_code == 403


def test_disabled_reviewer_loses_access(app: FastAPI, admin: TestClient) -> None:
    rita = TestClient(app)
    login(rita, "rita")
    assert rita.get("/review").status_code == 200
    r = post_form(admin, "/admin/users/rita/disable", token_from="/admin/users")
    assert r.status_code == 303
    assert rita.get("/review", follow_redirects=False).status_code == 303


def test_hostile_query_values_are_not_server_errors(backend_app: FastAPI) -> None:
    """NUL characters, absurd numbers and bad dates in URLs: never a 500, on either
    database (PostgreSQL refuses NUL in text outright)."""
    reviewer = TestClient(backend_app, raise_server_exceptions=False)
    login(reviewer, "rita")
    auditor = TestClient(backend_app, raise_server_exceptions=False)
    login(auditor, "olga")
    for person, path in (
        (reviewer, "/review?agency=%00&requester=a%00b&age=-5&record_system=%00"),
        (reviewer, "/cases?status=%00"),
        (reviewer, "/cases/2147483648"),
        (auditor, "/audit?actor=%00&object_type=%00&action=%00&object_id=%00"),
        (auditor, "/audit?before=99999999999999999999999&since=2025-13-45&until=%00"),
        (auditor, "/audit/export?format=csv&since=%00&until=nope"),
        (auditor, "/api/v1/audit/events?actor=%00x&object_id=%00"),
        (auditor, "/api/v1/requests?status=%00"),
    ):
        r = person.get(path)
        assert r.status_code < 500, (path, r.status_code, r.text[:300])
