"""The JSON API: tokens and scopes, the decision contract, scans, requests, reviews, the
audit log, error shapes and size limits."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webtest_helpers import DEV_EMAILS, csrf, login

from resguardo.accounts import Actor, create_api_token, revoke_api_token
from resguardo.audit.chain import AuditEntry, verify_chain
from resguardo.policy import Request, decide, get_pack

API = "/api/v1"
REQUEST = {
    "requester": {"name": "Agent Example", "agency": "ICE ERO", "kind": "federal_immigration"},
    "purpose": "immigration_enforcement",
    "legal_process": [],
    "scope": "individual",
    "record_system": "motor_vehicles",
    "categories": ["street_address", "drivers_license"],
}


def _token(app: FastAPI, *scopes: str, name: str = "integration") -> str:
    with app.state.ctx.store.transaction() as db:
        return create_api_token(db, name=name, scopes=scopes, actor=Actor.operator("t")).secret


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _is_error(response: object, status: int, code: str) -> None:
    r = response  # an httpx.Response
    assert r.status_code == status, (r.status_code, r.text[:500])  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_decisions_match_resguardo_check(app: FastAPI, client: TestClient) -> None:
    secret = _token(app, "decisions")
    r = client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(secret))
    assert r.status_code == 200, r.text
    request = Request.model_validate(REQUEST)
    expected = decide(request, get_pack("nm-sb36-2025")).with_inferred_request(request.to_dict())
    assert r.json() == json.loads(expected.to_json())
    assert r.json()["outcome"] in ("deny", "escalate")


def test_decisions_from_a_raw_email(app: FastAPI, client: TestClient) -> None:
    secret = _token(app, "decisions")
    raw = (DEV_EMAILS / "req-05.eml").read_text()
    r = client.post(f"{API}/decisions", json={"email": raw}, headers=_bearer(secret))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["outcome"] in ("deny", "escalate")
    kinds = [p["kind"] for p in body["inferred_request"]["legal_process"]]
    assert kinds == ["administrative_subpoena"]


def test_authentication_and_scopes(app: FastAPI, client: TestClient) -> None:
    _is_error(client.post(f"{API}/decisions", json=REQUEST), 401, "unauthorized")
    r = client.post(f"{API}/decisions", json=REQUEST, headers={"Authorization": "Bearer nope"})
    _is_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    _is_error(
        client.post(f"{API}/decisions", json=REQUEST, headers={"Authorization": "Basic abc"}),
        401,
        "unauthorized",
    )
    scan_only = _token(app, "scan")
    for method, path in (
        ("post", "/decisions"),
        ("get", "/requests"),
        ("post", "/requests"),
        ("get", "/audit/events"),
    ):
        r = getattr(client, method)(
            f"{API}{path}",
            headers=_bearer(scan_only),
            **({"json": REQUEST} if method == "post" else {}),
        )
        if path == "/requests" and method == "post":
            r = client.post(f"{API}{path}", json={"request": REQUEST}, headers=_bearer(scan_only))
        _is_error(r, 403, "insufficient_scope")
    revoked = _token(app, "decisions", name="old")
    with app.state.ctx.store.transaction() as db:
        from sqlalchemy import select

        from resguardo.store.models import ApiToken

        token_id = db.scalars(select(ApiToken.id).where(ApiToken.name == "old")).one()
        revoke_api_token(db, token_id, actor=Actor.operator("t"))
    _is_error(
        client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(revoked)), 401, "unauthorized"
    )


def test_validation_errors_have_the_error_shape(app: FastAPI, client: TestClient) -> None:
    secret = _token(app, "decisions", "requests:read")
    bad = {**REQUEST, "categories": ["not_a_category"]}
    r = client.post(f"{API}/decisions", json=bad, headers=_bearer(secret))
    _is_error(r, 422, "invalid_request")
    assert r.json()["error"]["details"]
    r = client.post(
        f"{API}/decisions",
        content=b"{not json",
        headers={**_bearer(secret), "Content-Type": "application/json"},
    )
    _is_error(r, 422, "invalid_request")
    _is_error(
        client.get(f"{API}/requests/99999999999999", headers=_bearer(secret)),
        422,
        "invalid_request",
    )
    _is_error(client.get(f"{API}/requests/7", headers=_bearer(secret)), 404, "not_found")
    _is_error(client.get(f"{API}/nowhere", headers=_bearer(secret)), 404, "not_found")
    _is_error(client.delete(f"{API}/decisions", headers=_bearer(secret)), 405, "method_not_allowed")


def test_body_size_limit(app: FastAPI, client: TestClient) -> None:
    secret = _token(app, "decisions", "scan")
    big = {"text": "x" * (app.state.ctx.settings.max_json_bytes + 10)}
    _is_error(
        client.post(f"{API}/scan", json=big, headers=_bearer(secret)), 413, "payload_too_large"
    )

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):
            yield b"y" * 32768
        yield b'"}'

    r = client.post(
        f"{API}/scan",
        content=chunks(),
        headers={**_bearer(secret), "Content-Type": "application/json"},
    )
    _is_error(r, 413, "payload_too_large")
    page = TestClient(app).post(
        "/login",
        content=b"x" * (app.state.ctx.settings.max_upload_bytes + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 413


def test_scan_text_and_file(app: FastAPI, client: TestClient) -> None:
    secret = _token(app, "scan")
    text = "Her SSN is 585-20-1234 and she lives at 1420 Calle Luna SW, Albuquerque NM 87105."
    r = client.post(f"{API}/scan", json={"text": text}, headers=_bearer(secret))
    assert r.status_code == 200, r.text
    record = r.json()["documents"][0]
    assert set(record) == {"source", "part", "text_length", "categories", "findings"}
    assert "ssn" in record["categories"]
    finding = next(f for f in record["findings"] if f["category"] == "ssn")
    assert set(finding) == {
        "category",
        "start",
        "end",
        "text",
        "confidence",
        "detector",
        "evidence",
    }
    assert text[finding["start"] : finding["end"]] == "585-20-1234"
    only = client.post(
        f"{API}/scan",
        json={"text": text, "categories": ["street_address"]},
        headers=_bearer(secret),
    )
    assert only.json()["documents"][0]["categories"] == ["street_address"]
    _is_error(
        client.post(
            f"{API}/scan", json={"text": text, "categories": ["x"]}, headers=_bearer(secret)
        ),
        422,
        "unknown_category",
    )
    files = {"file": ("records.csv", b"name,ssn\nAna,585-20-1234\n", "text/csv")}
    r = client.post(f"{API}/scan", files=files, headers=_bearer(secret))
    assert r.status_code == 200, r.text
    assert any("ssn" in d["categories"] for d in r.json()["documents"])
    _is_error(
        client.post(
            f"{API}/scan",
            content=b"hello",
            headers={**_bearer(secret), "Content-Type": "text/plain"},
        ),
        415,
        "unsupported_media_type",
    )


def test_requests_are_visible_to_their_owner_only(app: FastAPI) -> None:
    writer = _token(app, "requests:write", "requests:read", name="gateway")
    other = _token(app, "requests:read", name="other")
    c = TestClient(app)
    r = c.post(f"{API}/requests", json={"request": REQUEST}, headers=_bearer(writer))
    assert r.status_code == 201, r.text
    case = r.json()
    assert r.headers["location"] == f"{API}/requests/{case['id']}"
    assert case["decision"]["outcome"] in ("deny", "escalate")
    assert case["final_outcome"] not in ("release", "release_redacted")
    assert c.get(f"{API}/requests/{case['id']}", headers=_bearer(writer)).status_code == 200
    _is_error(c.get(f"{API}/requests/{case['id']}", headers=_bearer(other)), 404, "not_found")
    assert c.get(f"{API}/requests", headers=_bearer(other)).json() == {"requests": []}
    # A clerk's session sees only the clerk's own; a reviewer sees everything.
    clerk = TestClient(app)
    login(clerk, "ana")
    _is_error(clerk.get(f"{API}/requests/{case['id']}"), 404, "not_found")
    reviewer = TestClient(app)
    login(reviewer, "rita")
    assert reviewer.get(f"{API}/requests/{case['id']}").status_code == 200
    email = c.post(
        f"{API}/requests",
        json={"email": (DEV_EMAILS / "req-05.eml").read_text()},
        headers=_bearer(writer),
    )
    assert email.status_code == 201, email.text
    assert email.json()["source"] == "api"
    _is_error(
        c.post(f"{API}/requests", json={"request": REQUEST, "email": "x"}, headers=_bearer(writer)),
        422,
        "invalid_request",
    )


def test_reviews_need_a_reviewers_session_and_csrf(app: FastAPI) -> None:
    writer = _token(app, "requests:write", "requests:read")
    c = TestClient(app)
    raw = (DEV_EMAILS / "req-05.eml").read_text()
    case = c.post(f"{API}/requests", json={"email": raw}, headers=_bearer(writer)).json()
    assert case["status"] == "in_review"
    body = {"outcome": "deny", "reason": "No judicial process."}
    _is_error(
        c.post(f"{API}/requests/{case['id']}/review", json=body, headers=_bearer(writer)),
        403,
        "forbidden",
    )
    auditor = TestClient(app)
    login(auditor, "olga")
    token = csrf(auditor, "/audit")
    _is_error(
        auditor.post(
            f"{API}/requests/{case['id']}/review", json=body, headers={"X-CSRF-Token": token}
        ),
        403,
        "forbidden",
    )
    reviewer = TestClient(app)
    login(reviewer, "rita")
    queue = reviewer.get(f"{API}/reviews").json()["requests"]
    assert [q["id"] for q in queue] == [case["id"]]
    _is_error(reviewer.post(f"{API}/requests/{case['id']}/review", json=body), 403, "csrf")
    token = csrf(reviewer, "/review")
    ok = reviewer.post(
        f"{API}/requests/{case['id']}/review", json=body, headers={"X-CSRF-Token": token}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["final_outcome"] == "deny"
    assert ok.json()["reviews"][0]["reason"] == "No judicial process."
    _is_error(
        reviewer.post(
            f"{API}/requests/{case['id']}/review", json=body, headers={"X-CSRF-Token": token}
        ),
        409,
        "not_in_review",
    )
    _is_error(TestClient(app).get(f"{API}/reviews", headers=_bearer(writer)), 403, "forbidden")


def test_audit_events_page_and_verify(app: FastAPI, client: TestClient) -> None:
    reader = _token(app, "audit:read")
    decider = _token(app, "decisions")
    for _ in range(3):
        client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(decider))
    events: list[dict[str, object]] = []
    after = 0
    while True:
        page = client.get(
            f"{API}/audit/events", params={"after_seq": after, "limit": 4}, headers=_bearer(reader)
        ).json()
        events.extend(page["events"])
        if page["next_after_seq"] is None:
            break
        after = page["next_after_seq"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert sum(1 for e in events if e["action"] == "decision.check") == 3
    result = verify_chain(AuditEntry.from_record(e) for e in events)
    assert result.ok, result.problems
    checks = client.get(
        f"{API}/audit/events", params={"action": "decision.check"}, headers=_bearer(reader)
    ).json()["events"]
    assert len(checks) == 3
    clerk = TestClient(app)
    login(clerk, "ana")
    _is_error(clerk.get(f"{API}/audit/events"), 403, "insufficient_scope")
    auditor = TestClient(app)
    login(auditor, "olga")
    assert auditor.get(f"{API}/audit/events").status_code == 200


def test_openapi_document(client: TestClient) -> None:
    doc = client.get(f"{API}/openapi.json").json()
    paths = set(doc["paths"])
    assert {
        f"{API}/decisions",
        f"{API}/scan",
        f"{API}/requests",
        f"{API}/requests/{{case_id}}",
        f"{API}/requests/{{case_id}}/review",
        f"{API}/reviews",
        f"{API}/audit/events",
    } <= paths
    assert not any(not p.startswith(API) for p in paths)  # pages are not in the API document
    schemas = doc["components"]["schemas"]
    assert {"DecisionOut", "ErrorOut", "ScanOut", "CaseOut", "AuditEventsOut"} <= set(schemas)
    scan_body = doc["paths"][f"{API}/scan"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(scan_body)


@pytest.mark.parametrize(
    "body",
    [
        {"request": {"requester": {"kind": "x\u0000"}}},
        {"email": "Subject: a\u0000b\n\nhello\u0000"},
    ],
)
def test_nul_characters_do_not_break_anything(
    backend_app: FastAPI, body: dict[str, object]
) -> None:
    writer = _token(backend_app, "requests:write", "requests:read")
    r = TestClient(backend_app).post(f"{API}/requests", json=body, headers=_bearer(writer))
    assert r.status_code in (201, 422), r.text


def _revoke(app: FastAPI, name: str) -> None:
    from sqlalchemy import select

    from resguardo.store.models import ApiToken

    with app.state.ctx.store.transaction() as db:
        token_id = db.scalars(select(ApiToken.id).where(ApiToken.name == name)).one()
        revoke_api_token(db, token_id, actor=Actor.operator("t"))


def test_a_token_revoked_elsewhere_stops_working_once_its_cache_entry_expires(
    app: FastAPI, client: TestClient
) -> None:
    from resguardo.web.token_cache import TokenCache

    now = [1000.0]
    app.state.ctx.token_cache = TokenCache(2.0, clock=lambda: now[0])
    secret = _token(app, "decisions", name="gateway")
    assert client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(secret)).status_code == 200
    _revoke(app, "gateway")  # as the CLI or another worker would: this cache is not told
    now[0] += 1.0
    assert client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(secret)).status_code == 200
    now[0] += 1.5
    _is_error(
        client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(secret)), 401, "unauthorized"
    )


def test_with_the_token_cache_off_a_revocation_applies_to_the_next_call(
    app: FastAPI, client: TestClient
) -> None:
    from resguardo.web.token_cache import TokenCache

    app.state.ctx.token_cache = TokenCache(0)
    secret = _token(app, "decisions", name="gateway")
    assert client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(secret)).status_code == 200
    _revoke(app, "gateway")
    _is_error(
        client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(secret)), 401, "unauthorized"
    )


def test_token_cache_never_outlives_a_token_or_a_revocation_during_lookup() -> None:
    from datetime import timedelta
    from types import SimpleNamespace

    from resguardo.store.types import utcnow
    from resguardo.web.token_cache import TokenCache

    now = [0.0]
    cache = TokenCache(60.0, clock=lambda: now[0])
    expiring = SimpleNamespace(token=SimpleNamespace(expires_at=utcnow() + timedelta(seconds=5)))
    cache.put("a", expiring, generation=cache.generation)  # type: ignore[arg-type]
    assert cache.get("a") is expiring
    now[0] = 6.0
    assert cache.get("a") is None
    started = cache.generation
    cache.clear()  # a revocation while a lookup was in flight
    cache.put("b", SimpleNamespace(token=None), generation=started)  # type: ignore[arg-type]
    assert cache.get("b") is None


def test_a_decision_whose_audit_entry_cannot_be_written_is_not_answered(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    from concurrent.futures import Future

    from resguardo.audit.log import AuditError

    def broken(_event: object) -> Future[object]:
        future: Future[object] = Future()
        future.set_exception(AuditError("the database is gone"))
        return future

    secret = _token(app, "decisions")
    app.state.ctx.audit_writer.submit = broken
    r = client.post(f"{API}/decisions", json=REQUEST, headers=_bearer(secret))
    _is_error(r, 503, "audit_unavailable")
    assert "outcome" not in r.text
    assert "audit entry was not written" in caplog.text
