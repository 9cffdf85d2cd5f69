"""The dev set end to end: infer each request from its EMAIL, decide under the line's pack.

Every line of ``requests-dev/expectations.jsonl`` must pass: the outcome is one the notes
accept, never one they call wrong, and every ``must_withhold`` category is asked for and
withheld. A category the inference missed counts as a failure: the clerk would answer it
with no decision at all. The agreement of each inferred field with the line's ``request``
(mapped into our vocabulary by ``tests/policy/policy_devset.py``) is measured too.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from policy_devset import DEVSET, load_lines, to_request

from resguardo.intake import Inference, infer_request, parse_email_bytes
from resguardo.policy import Request, decide, get_pack

LINES = load_lines()
EMAILS = sorted({line["email"] for line in LINES})


@cache
def inferred(email: str) -> Inference:
    return infer_request(parse_email_bytes((DEVSET / email).read_bytes()))


def _ids(line: dict[str, Any]) -> str:
    return f"{line['email'].split('/')[-1][:6]}:{line['pack']}"


@pytest.mark.parametrize("line", LINES, ids=[_ids(ln) for ln in LINES])
def test_expectation_from_the_email(line: dict[str, Any]) -> None:
    request = inferred(line["email"]).request
    decision = decide(request, get_pack(line["pack"]))
    outcome = str(decision.outcome)
    assert outcome not in line["never"], f"{outcome} is wrong here: {line['why']}"
    assert outcome in line["expect_any"], f"{outcome} not in {line['expect_any']}"
    for category in line.get("must_withhold", []):
        assert category in decision.categories, f"{category} was not read as asked for"
        assert decision.categories[category].verdict == "withhold", category
    got = {o.id for o in decision.obligations}
    for obligation in line.get("obligations", []):
        assert obligation in got, f"missing obligation {obligation}"


def _fields(r: Request) -> dict[str, object]:
    return {
        "requester.kind": r.requester.kind.value,
        "on_behalf_of": r.on_behalf_of.value if r.on_behalf_of else None,
        "purpose": r.purpose.value,
        "legal_process": sorted(p.kind.value for p in r.legal_process),
        "scope": r.scope.value,
        "record_system": r.record_system.value,
        "categories": sorted(r.categories),
        "written_consent": r.written_consent,
    }


def agreement() -> dict[str, tuple[int, int]]:
    """Per field: (emails where the inferred value equals the dev set's, emails)."""
    out: dict[str, list[int]] = {}
    seen: set[str] = set()
    for line in LINES:
        if line["email"] in seen:
            continue
        seen.add(line["email"])
        got = _fields(inferred(line["email"]).request)
        want = _fields(to_request(line["request"]))
        for key, value in got.items():
            slot = out.setdefault(key, [0, 0])
            slot[0] += value == want[key]
            slot[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def test_field_agreement() -> None:
    table = agreement()
    print()
    for key, (ok, total) in table.items():
        print(f"  {key:16} {ok}/{total}")
    for key, (ok, total) in table.items():
        floor = 0.8 if key == "categories" else 1.0
        assert ok / total >= floor, f"{key}: {ok}/{total}"


def test_inferred_and_engine_only_runs_agree_on_every_line() -> None:
    # README, "How to use it": a difference between the two runs is an inference bug.
    differ = []
    for line in LINES:
        a = decide(inferred(line["email"]).request, get_pack(line["pack"])).outcome
        b = decide(to_request(line["request"]), get_pack(line["pack"])).outcome
        if a != b:
            differ.append((_ids(line), str(a), str(b)))
    assert len(differ) <= 6, differ


@pytest.mark.parametrize("email", EMAILS)
def test_every_inference_explains_itself(email: str) -> None:
    inference = inferred(email)
    fields = {e.field.split(".")[0] for e in inference.evidence}
    assert {"requester", "purpose", "legal_process", "record_system", "scope"} <= fields
    for e in inference.evidence:
        assert "\n" not in str(e)
