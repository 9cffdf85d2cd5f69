"""The marker data file and the OCR-tolerant pattern compiler."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from resguardo.legal import ProcessKind
from resguardo.legal.markers import load_markers, markers
from resguardo.legal.patterns import compile_form, compile_phrase, compile_regex, ocr_regex
from resguardo.legal.text import Layout

RAW = resources.files("resguardo.legal").joinpath("markers.yaml").read_text(encoding="utf-8")


def _edit(change: object) -> str:
    data = yaml.safe_load(RAW)
    change(data)  # type: ignore[operator]
    return yaml.safe_dump(data, allow_unicode=True)


def test_markers_load_once_and_cover_every_kind() -> None:
    ms = markers()
    assert markers() is ms  # loaded and compiled once
    kinds = {k for m in ms.markers for k, w in m.weights.items() if w > 0 and m.defining}
    assert kinds == set(ProcessKind) - {ProcessKind.UNKNOWN}


def test_every_form_of_the_notes_has_a_marker() -> None:
    forms = {m.canonical for m in markers().markers if m.role == "form"}
    for form in ("AO 93", "AO 93C", "AO 442", "AO 110", "AO 89", "AO 89B", "AO 88", "AO 88A",
                 "AO 88B", "I-200", "I-205", "I-203", "I-247", "I-247A", "I-247D", "I-247N",
                 "I-247X", "I-138", "I-862"):  # fmt: skip
        assert form in forms


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["markers"][0]["weights"].update({"magic_warrant": 1}), "magic_warrant"),
        (lambda d: d["markers"].append(dict(d["markers"][0])), "duplicate"),
        (lambda d: d["markers"][-1].update({"patterns": ["(unclosed"]}), "bad regex"),
        (lambda d: d["markers"][-1].update({"colour": "red"}), "colour"),
        (lambda d: d["markers"][-1].pop("patterns"), "no phrases"),
        (lambda d: d["kinds"].remove("detainer"), "kinds"),
        (lambda d: d["decision"].update({"conflict_ratio": 3}), "conflict_ratio"),
        (lambda d: d["markers"][0].update({"form": "XYZ"}), "form id"),
        (lambda d: d.update({"version": 2}), "version"),
    ],
    ids=[
        "unknown-kind",
        "duplicate",
        "bad-regex",
        "unknown-key",
        "nothing-to-match",
        "missing-kind",
        "out-of-range",
        "bad-form",
        "version",
    ],
)
def test_invalid_marker_data_is_rejected_with_a_reason(change: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_markers(_edit(change))


def test_not_yaml() -> None:
    with pytest.raises(ValueError, match="YAML"):
        load_markers("markers: [unclosed")


class TestPhrases:
    @pytest.mark.parametrize(
        "text",
        [
            "Warrant for Arrest of Alien",
            "WARRANT  FOR ARREST OF  A1IEN",
            "Warrant for\nArrest of Alien",
            "W A R R A N T   F O R   A R R E S T   O F   A L I E N",
            "warrant for arrest 0f alien",
        ],
    )
    def test_ocr_and_spacing_variants_match(self, text: str) -> None:
        rx = re.compile(compile_phrase(["Warrant for Arrest of Alien"]), re.I)
        assert rx.search(text)

    def test_phrases_are_bounded_at_word_edges(self) -> None:
        rx = re.compile(compile_phrase(["order"]), re.I)
        assert rx.search("ORDER")
        assert not rx.search("border crossing")
        assert not rx.search("orderly")

    def test_rn_for_m(self) -> None:
        rx = re.compile(compile_phrase(["Homeland Security"], spacing=False), re.I)
        assert rx.search("Horneland Security")

    def test_without_spacing_letters_stay_together(self) -> None:
        rx = re.compile(compile_phrase(["judge"], spacing=False), re.I)
        assert not rx.search("j u d g e")

    def test_optional_punctuation(self) -> None:
        rx = re.compile(compile_phrase(["U.S. Magistrate Judge"]), re.I)
        assert rx.search("US Magistrate Judge")
        assert rx.search("U. S. Magistrate Judge")


class TestForms:
    @pytest.mark.parametrize(
        ("form", "text", "hit"),
        [
            ("I-200", "DHS Form I-200 (Rev. 09/16)", True),
            ("I-200", "I - 2 0 0", True),
            ("I-200", "Form 1-200", True),
            ("I-200", "Room 1200", False),
            ("I-200", "I-2000", False),
            ("I-247", "Form I-247A", False),
            ("I-247A", "Form I-247A (3/17)", True),
            ("AO 93", "AO 93 (Rev. 11/13)", True),
            ("AO 93", "AO 93C", False),
            ("AO 88", "AO 88B", False),
            ("AO 88B", "A0 88B", True),
            ("AO 88B", "AO 88 B", True),
            ("AO 110", "A0 11O", True),
            ("AO 110", "CAO 110", False),
        ],
    )
    def test_form_numbers(self, form: str, text: str, hit: bool) -> None:
        assert bool(re.search(compile_form(form), text, re.I)) is hit

    def test_bad_form_id(self) -> None:
        with pytest.raises(ValueError):
            compile_form("Form 12")


class TestRegex:
    def test_ocr_regex_keeps_regex_syntax(self) -> None:
        src = ocr_regex(r"(?:sections? |§+ ?)236[a-z]{0,2}\s*\(x\)")
        rx = re.compile(src, re.I)
        assert rx.search("sections 236ab (x)")
        assert rx.search("§ 236(x)")
        assert rx.search("SECTl0N 236 (x)")  # OCR inside the literal word
        assert not rx.search("section 236 (y)")  # the escaped parentheses stay literal

    def test_group_ends_are_bounded(self) -> None:
        rx = re.compile(compile_regex([r"(?:authori[sz]e|consent)"], ocr=False), re.I)
        assert rx.search("I authorize")
        assert not rx.search("EMPLOYMENT AUTHORIZED")


class TestLayout:
    def test_columns_are_read_one_after_the_other(self) -> None:
        lay = Layout(
            "Name, Supervisory Detention and          /s/ N. Name\n"
            "Deportation Officer                       ______________\n"
        )
        assert "Supervisory Detention and\nDeportation Officer" in lay.view

    def test_offsets_survive_accents(self) -> None:
        text = "AUTORIZACIÓN PARA DIVULGAR"
        lay = Layout(text)
        assert lay.folded == "AUTORIZACION PARA DIVULGAR"
        assert len(lay.folded) == len(lay.text)
