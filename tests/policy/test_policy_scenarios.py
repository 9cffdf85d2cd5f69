"""Every pack's own scenario tests, and what every pack must contain."""

from __future__ import annotations

import pytest

from resguardo.policy import Pack, default_registry
from resguardo.policy.pack import load_cases
from resguardo.policy.scenarios import check_scenario

_REGISTRY = default_registry()
_PARAMS = [
    pytest.param(pack.id, scenario.id, id=f"{pack.id}:{scenario.id}")
    for pack in _REGISTRY.all()
    for scenario in pack.scenarios
]
EXPECTED_PACKS = {
    "nm-sb36-2025",
    "nm-hb108-2020",
    "nm-2019",
    "wa",
    "ca",
    "ny",
    "nv",
    "nj",
    "santa-fe",
}
NEW_MEXICO = ["nm-sb36-2025", "nm-hb108-2020", "nm-2019", "santa-fe"]
FEDERAL = {"dppa_2721", "prwora_404", "usc_1373_1644"}


@pytest.mark.parametrize(("pack_id", "scenario_id"), _PARAMS)
def test_scenario(pack_id: str, scenario_id: str) -> None:
    pack = _REGISTRY.get(pack_id)
    scenario = next(s for s in pack.scenarios if s.id == scenario_id)
    result = check_scenario(pack, scenario)
    assert result.passed, f"{pack_id}/{scenario_id}: {'; '.join(result.failures)}"


def test_the_packs_the_project_ships(packs: dict[str, Pack]) -> None:
    assert set(packs) >= EXPECTED_PACKS


@pytest.mark.parametrize("pack_id", NEW_MEXICO)
def test_new_mexico_packs_run_every_2019_case(packs: dict[str, Pack], pack_id: str) -> None:
    cases = {k for k in load_cases(_REGISTRY.directory / "cases") if k.startswith("nm-2019-cases/")}
    assert len(cases) == 8
    used = {s.case for s in packs[pack_id].scenarios}
    assert cases <= used, f"missing: {sorted(cases - used)}"


@pytest.mark.parametrize("pack_id", sorted(EXPECTED_PACKS))
def test_every_pack_applies_the_federal_overlays(packs: dict[str, Pack], pack_id: str) -> None:
    assert set(packs[pack_id].federal) == FEDERAL


@pytest.mark.parametrize("pack_id", sorted(EXPECTED_PACKS))
def test_every_pack_carries_unconfirmed_points_and_sources(
    packs: dict[str, Pack], pack_id: str
) -> None:
    pack = packs[pack_id]
    assert pack.sources
    assert pack.unconfirmed, "NOTES section 12 lists unconfirmed points for every jurisdiction"
    assert len(pack.scenarios) >= 8


def test_status_and_dates(packs: dict[str, Pack]) -> None:
    assert packs["nm-hb108-2020"].status == "proposed"
    assert packs["santa-fe"].status == "local_policy"
    assert str(packs["nm-sb36-2025"].effective) == "2025-07-01"
    assert packs["nm-2019"].superseded_by == "nm-sb36-2025"
