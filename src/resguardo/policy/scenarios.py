"""Running a pack's own scenario tests (``resguardo policy test`` and the pytest suite)."""

from __future__ import annotations

from dataclasses import dataclass

from resguardo.policy.engine import Decision, decide
from resguardo.policy.pack import Pack, Scenario

__all__ = ["ScenarioResult", "check_scenario", "run_scenarios"]


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """One scenario's decision and what (if anything) was wrong with it."""

    pack: str
    scenario: str
    decision: Decision
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when the decision met every expectation."""
        return not self.failures


def check_scenario(pack: Pack, scenario: Scenario) -> ScenarioResult:
    """Decide a scenario's request and compare with its expectations."""
    decision = decide(pack.scenario_request(scenario), pack)
    exp = scenario.expect
    failures: list[str] = []
    if decision.outcome not in exp.outcomes():
        wanted = " or ".join(str(o) for o in exp.outcomes())
        failures.append(f"outcome {decision.outcome} (expected {wanted})")
    for cat in exp.withheld:
        d = decision.categories.get(cat)
        if d is None or d.verdict != "withhold":
            failures.append(f"{cat} should be withheld ({'absent' if d is None else d.verdict})")
    for cat in exp.released:
        d = decision.categories.get(cat)
        if d is None or d.verdict != "release":
            failures.append(f"{cat} should be released ({'absent' if d is None else d.verdict})")
    got = {o.id for o in decision.obligations}
    failures += [f"missing obligation {o}" for o in exp.obligations if o not in got]
    failures += [f"unexpected obligation {o}" for o in exp.no_obligations if o in got]
    for cat, rule in exp.rules.items():
        d = decision.categories.get(cat)
        if d is None or d.rule.id != rule:
            failures.append(
                f"{cat} decided by {'nothing' if d is None else d.rule.id} (expected {rule})"
            )
    return ScenarioResult(pack.id, scenario.id, decision, tuple(failures))


def run_scenarios(pack: Pack) -> list[ScenarioResult]:
    """Every scenario of ``pack``, in file order."""
    return [check_scenario(pack, s) for s in pack.scenarios]
