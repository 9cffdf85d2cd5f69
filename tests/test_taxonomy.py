"""The taxonomy data file holds exactly the LABELING.md categories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resguardo.taxonomy import CATEGORY_IDS, Group, categories, category, is_category

LABELING = Path(__file__).parent / "data" / "LABELING.md"


def test_matches_labeling_guide() -> None:
    guide_ids = set(re.findall(r"^\| `([a-z_]+)` \|", LABELING.read_text(), re.M))
    assert guide_ids == set(CATEGORY_IDS)
    assert len(CATEGORY_IDS) == 21


def test_groups_and_labels() -> None:
    groups = {c.id: c.group for c in categories().values()}
    assert groups["ssn"] is Group.IDENTIFIER
    assert groups["homeless_status"] is Group.STATUS
    assert groups["employer"] is Group.LOCATING
    labels = [c.label for c in categories().values()]
    assert len(set(labels)) == len(labels)
    assert all(c.en and c.es and c.en != c.es for c in categories().values())


def test_lookup() -> None:
    assert category("vin").label == "VIN"
    assert category("vin").description("es").startswith("Número")
    assert is_category("itin") and not is_category("iTin")
    with pytest.raises(KeyError, match="unknown category 'passport'"):
        category("passport")
