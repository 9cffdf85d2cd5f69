"""``resguardo check`` and ``resguardo policy …``: outputs, exit codes and errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from resguardo.cli.policy_cmd import register
from resguardo.policy.pack import PACKS_DIR

runner = CliRunner()


def make_app() -> typer.Typer:
    # Our own app: the module's contract is register(app), whatever else app.py registers.
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


APP = make_app()
REQUEST = {
    "requester": {
        "agency": "ICE Enforcement and Removal Operations",
        "kind": "federal_immigration",
    },
    "purpose": "immigration_enforcement",
    "legal_process": [{"kind": "administrative_warrant", "document": "Form I-200"}],
    "scope": "individual",
    "record_system": "motor_vehicles",
    "categories": ["street_address", "drivers_license"],
}


@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(REQUEST), encoding="utf-8")
    return path


def test_check_json_is_the_contract(request_file: Path) -> None:
    result = runner.invoke(APP, ["check", "--pack", "ny", str(request_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "outcome",
        "pack",
        "pack_version",
        "categories",
        "obligations",
        "explanation",
        "reply",
        "inferred_request",
    }
    assert data["outcome"] == "deny"
    assert data["obligations"] == ["notify_person"]
    assert data["inferred_request"]["requester"]["kind"] == "federal_immigration"
    assert data["inferred_request"]["legal_process"][0]["kind"] == "administrative_warrant"


def test_check_text(request_file: Path) -> None:
    result = runner.invoke(APP, ["check", "--pack", "nm-sb36-2025", str(request_file)])
    assert result.exit_code == 0, result.output
    assert "DENY" in result.stdout
    assert "mvd.immigration_enforcement" in result.stdout
    assert "Explicación" in result.stdout


def test_check_reads_stdin() -> None:
    result = runner.invoke(
        APP, ["check", "--pack", "wa", "-", "--format", "json"], input=json.dumps(REQUEST)
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcome"] == "deny"


def test_unknown_pack_lists_known_ones(request_file: Path) -> None:
    result = runner.invoke(APP, ["check", "--pack", "nm-2030", str(request_file)])
    assert result.exit_code == 2
    assert "unknown pack 'nm-2030'" in result.stderr
    assert "nm-sb36-2025" in result.stderr and "santa-fe" in result.stderr
    assert result.stdout == ""


def test_malformed_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"requester": ', encoding="utf-8")
    result = runner.invoke(APP, ["check", "--pack", "ny", str(bad)])
    assert result.exit_code == 2
    assert "malformed JSON" in result.stderr
    assert result.stdout == ""


def test_invalid_request(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**REQUEST, "categories": ["ssn", "medical"]}), encoding="utf-8")
    result = runner.invoke(APP, ["check", "--pack", "ny", str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert "categories.1" in result.stderr and "unknown category" in result.stderr
    assert result.stdout == ""


def test_missing_request_file(tmp_path: Path) -> None:
    result = runner.invoke(APP, ["check", "--pack", "ny", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "cannot read request" in result.stderr


@pytest.fixture
def broken_packs(tmp_path: Path) -> Path:
    packs = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, packs)
    path = packs / "ny.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("        process: [court_order]\n", "        process: [court_ordr]\n", 1),
        encoding="utf-8",
    )
    return packs


def test_invalid_pack_names_file_line_and_field(request_file: Path, broken_packs: Path) -> None:
    result = runner.invoke(
        APP,
        [
            "check",
            "--pack",
            "ny",
            str(request_file),
            "--packs-dir",
            str(broken_packs),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 2
    bad_line = next(
        i
        for i, line in enumerate((broken_packs / "ny.yaml").read_text().splitlines(), 1)
        if "court_ordr" in line
    )
    assert f"ny.yaml:{bad_line}: regimes[0].bases[0].process[0]" in result.stderr
    assert "nothing was decided" in result.stderr
    assert result.stdout == ""


def test_check_a_draft_pack_file(request_file: Path) -> None:
    result = runner.invoke(
        APP, ["check", "--pack", str(PACKS_DIR / "wa.yaml"), str(request_file), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pack"] == "wa"


def test_policy_list() -> None:
    result = runner.invoke(APP, ["policy", "list"])
    assert result.exit_code == 0, result.output
    for pack_id in (
        "nm-sb36-2025",
        "nm-hb108-2020",
        "nm-2019",
        "wa",
        "ca",
        "ny",
        "nv",
        "nj",
        "santa-fe",
    ):
        assert pack_id in result.stdout


def test_policy_list_reports_a_broken_pack(broken_packs: Path) -> None:
    result = runner.invoke(APP, ["policy", "list", "--packs-dir", str(broken_packs)])
    assert result.exit_code == 2
    assert "INVALID" in result.stdout
    assert "ny.yaml:" in result.stderr


def test_policy_show() -> None:
    result = runner.invoke(APP, ["policy", "show", "ny"])
    assert result.exit_code == 0, result.output
    assert "article_iii_warrant" in result.stdout
    assert "notify_person" in result.stdout
    as_json = runner.invoke(APP, ["policy", "show", "ny", "--format", "json"])
    data = json.loads(as_json.stdout)
    assert data["id"] == "ny" and len(data["version"]) == 64


def test_policy_show_unknown() -> None:
    result = runner.invoke(APP, ["policy", "show", "xx"])
    assert result.exit_code == 2
    assert "known packs" in result.stderr


def test_policy_test_passes() -> None:
    result = runner.invoke(APP, ["policy", "test", "ny"])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.stdout


def test_policy_test_fails_on_a_wrong_expectation(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, packs)
    path = packs / "ny.yaml"
    text = path.read_text(encoding="utf-8")
    marker = (
        "  - id: address-sweep-for-ice\n"
        "    case: nm-2019-cases/mvd_address_sweep\n"
        "    expect: {outcome: deny"
    )
    assert marker in text
    path.write_text(
        text.replace(marker, marker.replace("outcome: deny", "outcome: release")), encoding="utf-8"
    )
    result = runner.invoke(APP, ["policy", "test", "--packs-dir", str(packs)])
    assert result.exit_code == 1
    assert "FAIL ny address-sweep-for-ice" in result.stdout
    assert "outcome deny (expected release)" in result.stdout


def test_policy_diff() -> None:
    result = runner.invoke(
        APP,
        [
            "policy",
            "diff",
            "nm-sb36-2025",
            "wa",
            "--record-system",
            "motor_vehicles",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["a"] == "nm-sb36-2025" and data["b"] == "wa"
    assert data["cells"] == 10 * 7 * 10 * 3
    assert data["differences"]
    first = data["differences"][0]
    assert (
        first["a"]["outcome"] != first["b"]["outcome"]
        or first["a"]["withheld"] != first["b"]["withheld"]
    )
    text = runner.invoke(
        APP, ["policy", "diff", "nm-2019", "nm-sb36-2025", "--record-system", "motor_vehicles"]
    )
    assert text.exit_code == 0
    assert "decided differently" in text.stdout


def test_policy_diff_of_a_pack_with_itself_is_empty() -> None:
    result = runner.invoke(
        APP, ["policy", "diff", "ny", "ny", "--record-system", "health", "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["differences"] == []
