"""The committed request schema matches the model; the model validates what it should."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from resguardo.policy import Request
from resguardo.policy.schema import SCHEMA_PATH, render_request_schema, request_json_schema
from resguardo.taxonomy import CATEGORY_IDS


def test_committed_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_request_schema(), (
        "docs/request.schema.json is stale: run .venv/bin/python -m resguardo.policy.schema"
    )


def test_schema_lists_the_vocabulary() -> None:
    schema = request_json_schema()
    defs = schema["$defs"]
    assert "federal_immigration" in defs["AgencyKind"]["enum"]
    assert "administrative_warrant" in defs["ProcessKind"]["enum"]
    assert schema["properties"]["categories"]["items"]["enum"] == list(CATEGORY_IDS)
    assert set(schema["required"]) == {"requester", "scope", "record_system", "categories"}
    json.dumps(schema)


def test_request_rejects_unknown_categories_and_fields() -> None:
    base = {
        "requester": {"kind": "court"},
        "scope": "individual",
        "record_system": "health",
        "categories": ["disability"],
    }
    assert Request.model_validate(base).purpose == "unknown"
    with pytest.raises(ValidationError, match="unknown category"):
        Request.model_validate({**base, "categories": ["medical"]})
    with pytest.raises(ValidationError):
        Request.model_validate({**base, "subpoena": True})
    with pytest.raises(ValidationError):
        Request.model_validate({**base, "legal_process": [{"kind": "warrant"}]})


def test_process_kinds_match_the_legal_classifier() -> None:
    # The classifier's output feeds LegalProcess.kind; the two vocabularies must not drift.
    kinds = pytest.importorskip("resguardo.legal.kinds")
    from resguardo.policy.request import ProcessKind

    assert {str(k) for k in kinds.ProcessKind} == {str(k) for k in ProcessKind}
