"""The API fuzzed from its own OpenAPI document (schemathesis, against the ASGI app).

Every operation of ``/api/v1/openapi.json`` gets generated requests, valid (positive) and
invalid (negative), sent by an integration holding an API token with every scope; the
review operations, which API tokens may not use, are fuzzed again with a reviewer's session
(cookie and CSRF header). A few requests wait in central review, so generated ids find
real cases. Each answer must not be a server error, must use a status code and a content
type the document lists, and must match the documented schema. Examples are bounded and
derandomized, so the module runs in well under a minute and the same way every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from webtest_helpers import DEV_EMAILS, PASSWORD, csrf, login

from resguardo.accounts import Actor, create_api_token, create_user
from resguardo.store.models import Role, Scope
from resguardo.web.app import create_app
from resguardo.web.security import CSRF_HEADER
from resguardo.web.settings import load_web_settings

MAX_EXAMPLES = 25
SEEDED_CASES = 3
OPERATIONS = [
    ("POST", "/decisions"),
    ("POST", "/scan"),
    ("POST", "/requests"),
    ("GET", "/requests"),
    ("GET", "/requests/{case_id}"),
    ("POST", "/requests/{case_id}/review"),
    ("GET", "/reviews"),
    ("GET", "/audit/events"),
]
REVIEW_OPERATIONS = [
    ("GET", "/reviews"),
    ("GET", "/requests/{case_id}"),
    ("POST", "/requests/{case_id}/review"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@dataclass
class Caller:
    """What a generated request carries to authenticate."""

    headers: dict[str, str]
    cookies: dict[str, str]


@dataclass
class FuzzTarget:
    app: FastAPI
    token: Caller
    reviewer: Caller


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    """One app on a fresh SQLite database for the module, an all-scopes API token, a
    reviewer's session, and a few requests waiting in central review."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    app = create_app(
        load_web_settings(
            data_dir=folder,
            database_url=f"sqlite:///{folder / 'r.db'}",
            secret_key="fuzz-secret-key-0123456789-abcdefghijklmnop",
            pack="nm-sb36-2025",
        )
    )
    with app.state.ctx.store.transaction() as db:
        secret = create_api_token(
            db, name="fuzz", scopes=list(Scope), actor=Actor.operator("tests")
        ).secret
        create_user(
            db, username="rita", password=PASSWORD, role=Role.REVIEWER, actor=Actor.operator("t")
        )
    bearer = {"Authorization": f"Bearer {secret}"}
    client = TestClient(app)
    raw = (DEV_EMAILS / "req-05.eml").read_text()
    for _ in range(SEEDED_CASES):
        created = client.post("/api/v1/requests", json={"email": raw}, headers=bearer)
        assert created.status_code == 201, created.text[:500]
        assert created.json()["status"] == "in_review", created.json()
    login(client, "rita")
    token = csrf(client, "/review")
    reviewer = Caller(headers={CSRF_HEADER: token}, cookies=dict(client.cookies.items()))
    yield FuzzTarget(app=app, token=Caller(headers=bearer, cookies={}), reviewer=reviewer)
    app.state.ctx.store.dispose()


@pytest.fixture(scope="module")
def api_schema(target: FuzzTarget) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", target.app)


def test_every_documented_operation_is_fuzzed(api_schema: Any) -> None:
    documented = set()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        documented.add((operation.method.upper(), operation.path))
    assert documented == {(m, f"/api/v1{p}") for m, p in OPERATIONS}


def _fuzz(api_schema: Any, caller: Caller, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[f"/api/v1{path}"][method]
    strategy = operation.as_strategy(generation_mode=mode, headers=caller.headers)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(cookies=caller.cookies)
        case.validate_response(response, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=str)
def test_api_with_a_token(
    api_schema: Any, target: FuzzTarget, method: str, path: str, mode: GenerationMode
) -> None:
    _fuzz(api_schema, target.token, method, path, mode)


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize(("method", "path"), REVIEW_OPERATIONS, ids=str)
def test_review_api_with_a_reviewers_session(
    api_schema: Any, target: FuzzTarget, method: str, path: str, mode: GenerationMode
) -> None:
    _fuzz(api_schema, target.reviewer, method, path, mode)
