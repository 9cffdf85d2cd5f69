"""The classifier's evidence in English and Spanish: every line is a structured message
whose English is what ``classify-process --format json`` prints, and which renders in
Spanish; the markers' own words are written in both languages."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
import yaml

from resguardo.legal import classify_process
from resguardo.legal.markers import markers
from resguardo.messages import LANGS, Localized, Msg, catalog, from_json, to_json

DATA = Path(__file__).resolve().parents[1] / "data"
LEGAL = Path(__file__).resolve().parents[2] / "src" / "resguardo" / "legal"
DOCUMENTS = sorted((DATA / "requests-dev" / "documents").glob("*.txt")) + sorted(
    (DATA / "legal-specimens").glob("*.txt")
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_legal_catalog_is_complete() -> None:
    entries = catalog("legal")
    assert len(entries) > 40
    for key, texts in entries.items():
        assert set(texts) == set(LANGS), key
        assert _fields(texts["en"]) == _fields(texts["es"]), key
    # Every role and place the classifier can name has its words.
    for role in ("form", "title", "issuer", "signer", "party", "statute", "operative"):
        assert f"legal.role.{role}" in entries and f"legal.evidence_kind.{role}" in entries


def test_marker_words_are_written_in_both_languages() -> None:
    raw = yaml.safe_load((LEGAL / "markers.yaml").read_text("utf-8"))
    seen = 0
    for marker in raw["markers"]:
        for name in ("note", "show", "veto", "label"):
            if name in marker:
                seen += 1
                assert set(marker[name]) == set(LANGS), (marker["id"], name)
    assert seen >= 20
    for m in markers().markers:
        for text in (m.note, m.show, m.veto, m.label):
            assert text is None or isinstance(text, Localized)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_every_evidence_line_is_structured_and_renders(path: Path) -> None:
    result = classify_process(path.read_text(encoding="utf-8"))
    assert result.evidence
    for line in result.evidence:
        assert isinstance(line, Msg), line
        spanish = line.render("es")
        assert spanish
        assert from_json(json.loads(json.dumps(to_json(line)))) == line
    # The JSON contract: plain strings, exactly the English.
    data = json.loads(json.dumps(result.to_dict()))
    assert data["evidence"] == [str(e) for e in result.evidence]


def test_a_consent_signer_and_a_veto_render_in_spanish() -> None:
    consent = classify_process(
        "AUTHORIZATION FOR RELEASE OF RECORDS\n\n"
        "I, Marta L. Quiroz, authorize the Motor Vehicle Division to release my driver "
        "license record and current address to the Bernalillo County Public Defender.\n\n"
        "Signature: /s/ Marta L. Quiroz        Date: 02/05/2026\n"
    )
    assert consent.kind == "written_consent"
    assert isinstance(consent.signed_by, Msg)
    assert consent.signed_by == "person named (data subject)"
    assert consent.signed_by.render("es") == "la persona nombrada (titular de los datos)"
    assert consent.to_dict()["signed_by"] == "person named (data subject)"
    proposed = classify_process(
        "UNITED STATES DISTRICT COURT\nDISTRICT OF NEW MEXICO\n\n[PROPOSED] ORDER\n\n"
        "IT IS HEREBY ORDERED that the agency produce the records.\n\n"
        "______________________\nUnited States District Judge\n"
    )
    assert proposed.kind == "unknown"
    veto = proposed.evidence[0]
    assert veto.startswith("marked proposed: a draft submitted to the court")
    assert isinstance(veto, Msg)
    assert veto.render("es") == (
        "marcada como propuesta: un borrador presentado al tribunal, no una orden que haya "
        'firmado ("[PROPOSED] ORDER")'
    )
    # The kind named in a line is a term a page shows by its label; quoted words stay.
    labeled = proposed.evidence[1].render("es", lambda group, value: f"<{value}>")
    assert labeled == '<court_order>: dice: "IT IS HEREBY ORDERED" [texto corrido]'
