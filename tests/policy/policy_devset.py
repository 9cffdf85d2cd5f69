"""Reading ``requests-dev/expectations.jsonl`` into Requests.

The dev set's request vocabulary follows the README of that folder; the project's Request
model settles on the names in DESIGN and the brief. The mapping here is by meaning, the
same for every line: no line is special-cased.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from resguardo.policy.request import Request

DEVSET = Path(__file__).resolve().parents[1] / "data" / "requests-dev"
EXPECTATIONS = DEVSET / "expectations.jsonl"

REQUESTER_KIND = {
    "private_party": "private",
    "data_subject": "private",  # the person herself: her request carries her consent
}
PURPOSE = {
    "unstated": "unknown",
    "customs_investigation": "civil_enforcement",  # 19 U.S.C. 1509: duties, fines, penalties
    "court_proceeding": "agency_function",  # a court acting in its own proceeding
    "civil_litigation": "civil_enforcement",
    "judgment_collection": "civil_enforcement",
    "subject_directed": "unknown",  # no agency purpose; the consent decides
}
SCOPE = {"one": "individual", "several": "several", "address": "several", "all": "bulk"}
RECORD_SYSTEM = {"city_police": "other", "city_programs": "other", "city_licensing": "other"}


def to_request(raw: dict[str, Any]) -> Request:
    """The Request a reader should infer, in the project's vocabulary."""
    kind = raw["requester_kind"]
    process = raw.get("process", "none")
    consent = process == "written_consent" or kind == "data_subject"
    return Request.model_validate(
        {
            "requester": {"agency": raw.get("requester"), "kind": REQUESTER_KIND.get(kind, kind)},
            "on_behalf_of": raw.get("on_behalf_of"),
            "purpose": PURPOSE.get(raw["purpose"], raw["purpose"]),
            "legal_process": [] if process == "none" else [{"kind": process}],
            "scope": SCOPE[raw["subjects"]],
            "record_system": RECORD_SYSTEM.get(raw["record_system"], raw["record_system"]),
            "categories": raw["categories"],
            "written_consent": consent,
        }
    )


def load_lines() -> list[dict[str, Any]]:
    """Every expectation line."""
    with EXPECTATIONS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
