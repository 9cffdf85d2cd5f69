"""The dev set's (request, pack) → outcome expectations, engine only.

Each line's ``request`` is built straight into a Request (no email reading), so a failure
here is a policy error, not an inference error.
"""

from __future__ import annotations

from typing import Any

import pytest
from policy_devset import load_lines, to_request

from resguardo.policy import decide, get_pack

LINES = load_lines()


def test_the_dev_set_is_all_there() -> None:
    assert len(LINES) == 142


@pytest.mark.parametrize(
    "line", LINES, ids=[f"{ln['email'].split('/')[-1][:6]}:{ln['pack']}" for ln in LINES]
)
def test_expectation(line: dict[str, Any]) -> None:
    decision = decide(to_request(line["request"]), get_pack(line["pack"]))
    outcome = str(decision.outcome)
    assert outcome not in line["never"], f"{outcome} is wrong here: {line['why']}"
    assert outcome in line["expect_any"], f"{outcome} not in {line['expect_any']}: {line['why']}"
    for category in line.get("must_withhold", []):
        assert decision.categories[category].verdict == "withhold", category
    got = {o.id for o in decision.obligations}
    for obligation in line.get("obligations", []):
        assert obligation in got, f"missing obligation {obligation}"


def test_definite_answers_where_the_set_allows_them() -> None:
    # An engine that always escalates passes most lines; this keeps ours honest.
    possible = definite = 0
    for line in LINES:
        if set(line["expect_any"]) - {"escalate"}:
            possible += 1
            decision = decide(to_request(line["request"]), get_pack(line["pack"]))
            definite += decision.outcome != "escalate"
    assert definite / possible >= 0.6, f"{definite}/{possible} definite"
