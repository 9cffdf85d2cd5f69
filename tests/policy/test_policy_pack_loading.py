"""Pack files: validation errors name the file, the line and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from resguardo.policy import PackError, PackNotFoundError, PackRegistry, load_pack
from resguardo.policy.pack import PACKS_DIR

GOOD = """\
id: {id}
jurisdiction: Testland
title: Test pack
status: enacted
summary: {{en: A test., es: Una prueba.}}
review: {{en: counsel, es: asesoría}}
sources:
  - citation: Test Act
federal: [usc_1373_1644]
unconfirmed:
  - id: text
    note: {{en: Not seen., es: No visto.}}
regimes:
  - id: act
    title: Test Act
    citation: Test Act s. 1
    categories: [ssn]
    bases:
      - id: court
        process: [court_order]
        citation: Test Act s. 2
        explain: {{en: Court order., es: Orden judicial.}}
    default:
      decide: deny
      explain: {{en: Protected., es: Protegido.}}
uncovered:
  citation: none
  explain: {{en: Nothing., es: Nada.}}
scenarios:
  - id: court-order
    request:
      requester: {{kind: court}}
      legal_process: [{{kind: court_order}}]
      scope: individual
      record_system: other
      categories: [ssn]
    expect: {{outcome: release}}
"""


def write(tmp_path: Path, text: str, name: str = "test-pack") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def load_error(path: Path) -> PackError:
    with pytest.raises(PackError) as info:
        load_pack(path)
    return info.value


def test_the_template_pack_is_valid(tmp_path: Path) -> None:
    pack = load_pack(write(tmp_path, GOOD.format(id="test-pack")))
    assert pack.id == "test-pack"
    assert pack.protected_categories() == ("ssn",)


def test_bad_enum_value_names_file_line_and_field(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace("process: [court_order]", "process: [court_ordr]")
    path = write(tmp_path, text)
    err = load_error(path)
    assert err.file == str(path)
    assert err.line == line_of(text, "court_ordr")
    assert err.field == "regimes[0].bases[0].process[0]"
    assert "court_order" in str(err)  # pydantic lists the allowed values
    assert f"{path}:{err.line}: regimes[0].bases[0].process[0]" in str(err)


def test_unknown_category_is_reported_at_its_line(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace(
        "categories: [ssn]\n    bases", "categories: [ssn, sn]\n    bases"
    )
    err = load_error(write(tmp_path, text))
    assert err.line == line_of(text, "categories: [ssn, sn]")
    assert err.field == "regimes[0].categories[1]"
    assert "unknown category 'sn'" in str(err)


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace(
        "      decide: deny\n", "      decide: deny\n      decid: release\n"
    )
    err = load_error(write(tmp_path, text))
    assert err.line == line_of(text, "decid: release")
    assert err.field == "regimes[0].default.decid"


def test_missing_field_points_at_its_parent(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace("        citation: Test Act s. 2\n", "")
    err = load_error(write(tmp_path, text))
    assert err.field == "regimes[0].bases[0].citation"
    assert err.line == line_of(text, "- id: court")
    assert "required" in str(err).lower()


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace("title: Test pack", "title: [Test pack")
    err = load_error(write(tmp_path, text))
    assert err.line is not None
    assert "YAML error" in str(err)


def test_duplicate_keys_are_rejected(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace(
        "      decide: deny\n", "      decide: deny\n      decide: release\n"
    )
    err = load_error(write(tmp_path, text))
    assert "duplicate key 'decide'" in str(err)
    assert err.line == line_of(text, "decide: release")


def test_references_must_exist(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace(
        "        citation: Test Act s. 2\n",
        "        citation: Test Act s. 2\n        unconfirmed: [txt]\n",
    )
    err = load_error(write(tmp_path, text))
    assert err.field == "regimes[0].bases[0].unconfirmed[0]"
    assert err.line == line_of(text, "unconfirmed: [txt]")
    assert "unknown unconfirmed note 'txt'" in str(err)


def test_unknown_federal_overlay(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace("federal: [usc_1373_1644]", "federal: [usc_1337]")
    err = load_error(write(tmp_path, text))
    assert err.field == "federal[0]"
    assert err.line == line_of(text, "federal:")


def test_pack_id_must_match_file_name(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, GOOD.format(id="other-id")))
    assert err.field == "id"
    assert err.line == 1


def test_scenario_request_is_validated_too(tmp_path: Path) -> None:
    text = GOOD.format(id="test-pack").replace("scope: individual", "scope: everyone")
    err = load_error(write(tmp_path, text))
    assert err.field == "scenarios[0].request.scope"
    assert err.line == line_of(text, "scope: everyone")


def test_empty_file(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, ""))
    assert "empty" in str(err)


def test_registry_lists_known_packs_on_a_miss(tmp_path: Path) -> None:
    write(tmp_path, GOOD.format(id="test-pack"))
    registry = PackRegistry(tmp_path)
    with pytest.raises(PackNotFoundError) as info:
        registry.get("nope")
    assert info.value.known == ("test-pack",)
    assert "test-pack" in str(info.value)


def test_shipped_packs_can_be_copied_and_loaded_elsewhere(tmp_path: Path) -> None:
    shutil.copytree(PACKS_DIR, tmp_path / "packs")
    registry = PackRegistry(tmp_path / "packs")
    assert "nm-sb36-2025" in registry.ids()
    assert registry.get("nm-sb36-2025").version == PackRegistry().get("nm-sb36-2025").version
