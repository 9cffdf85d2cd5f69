"""``resguardo scan``: the jsonl contract, errors that name the file, filters."""

from __future__ import annotations

import json
import mailbox
from email.message import EmailMessage
from pathlib import Path

from typer.testing import CliRunner

from resguardo.cli.app import app

runner = CliRunner()
KEYS = {"source", "part", "text_length", "categories", "findings"}
FINDING_KEYS = {"category", "start", "end", "text", "confidence", "detector", "evidence"}
NOTE = (
    "Client Jesus Ramirez, DOB 03/14/1988, SSN 585-20-1234.\n"
    "Res: 1127 Atrisco Dr SW, Albuquerque NM 87105\n"
)


def jsonl(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_txt_contract_offsets_index_decoded_text(tmp_path: Path) -> None:
    text = "Señora Núñez — " + NOTE
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["scan", "--format", "jsonl", str(path)])
    assert result.exit_code == 0, result.output
    (rec,) = jsonl(result.stdout)
    assert set(rec) == KEYS
    assert rec["source"] == str(path)
    assert rec["part"] is None
    assert rec["text_length"] == len(text)
    findings = rec["findings"]
    assert isinstance(findings, list) and findings
    for f in findings:
        assert set(f) == FINDING_KEYS
        assert text[f["start"] : f["end"]] == f["text"]
        assert 0.0 <= f["confidence"] <= 1.0
        assert isinstance(f["evidence"], list)
    assert rec["categories"] == sorted({f["category"] for f in findings})
    assert {"ssn", "date_of_birth", "street_address"} <= set(rec["categories"])


def test_latin1_txt_offsets(tmp_path: Path) -> None:
    text = "Número de Seguro Social del señor: 585-20-1234, año 2019.\n"
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("iso-8859-1"))
    (rec,) = jsonl(runner.invoke(app, ["scan", "-f", "jsonl", str(path)]).stdout)
    assert rec["text_length"] == len(text)
    (f,) = [f for f in rec["findings"] if f["category"] == "ssn"]
    assert text[f["start"] : f["end"]] == "585-20-1234"


def _message(subject: str, body: str) -> EmailMessage:
    m = EmailMessage()
    m["From"] = "clerk@state.nm.us"
    m["To"] = "agent@ice.dhs.gov"
    m["Subject"] = subject
    m.set_content(body)
    return m


def test_eml_and_mbox_sources_and_parts(tmp_path: Path) -> None:
    eml = tmp_path / "a.eml"
    eml.write_bytes(bytes(_message("RE: lookup", NOTE)))
    box = mailbox.mbox(tmp_path / "b.mbox")
    box.add(_message("first", "nothing here"))
    box.add(_message("second", NOTE))
    box.close()
    result = runner.invoke(app, ["scan", "-f", "jsonl", str(tmp_path)])
    assert result.exit_code == 0, result.output
    recs = jsonl(result.stdout)
    eml_recs = [r for r in recs if r["source"] == str(eml)]
    assert eml_recs and all(r["part"] for r in eml_recs)
    assert any("ssn" in r["categories"] for r in eml_recs)
    sources = {r["source"] for r in recs}
    assert {f"{tmp_path / 'b.mbox'}#1", f"{tmp_path / 'b.mbox'}#2"} <= sources
    second = [r for r in recs if r["source"] == f"{tmp_path / 'b.mbox'}#2"]
    assert any("ssn" in r["categories"] for r in second)


def test_unreadable_file_is_named_and_scan_goes_on(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"\x00\x01 not a pdf at all")
    (tmp_path / "ok.txt").write_text(NOTE)
    result = runner.invoke(app, ["scan", "-f", "jsonl", str(tmp_path)])
    assert result.exit_code == 1
    assert "broken.pdf" in result.stderr
    assert [r["source"] for r in jsonl(result.stdout)] == [str(tmp_path / "ok.txt")]


def test_filters(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(NOTE)
    only = jsonl(runner.invoke(app, ["scan", "-f", "jsonl", "-c", "ssn", str(path)]).stdout)
    assert only[0]["categories"] == ["ssn"]
    none = jsonl(
        runner.invoke(app, ["scan", "-f", "jsonl", "--min-confidence", "1.0", str(path)]).stdout
    )
    assert all(f["confidence"] >= 1.0 for f in none[0]["findings"])


def test_usage_errors(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(NOTE)
    bad = runner.invoke(app, ["scan", "-c", "passport", str(path)])
    assert bad.exit_code == 2
    assert "passport" in bad.output
    missing = runner.invoke(app, ["scan", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
    assert "nope.txt" in missing.output


def test_json_and_table_formats(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text(NOTE)
    doc = json.loads(runner.invoke(app, ["scan", "-f", "json", str(path)]).stdout)
    assert set(doc) == {"documents", "errors"}
    assert set(doc["documents"][0]) == KEYS
    table = runner.invoke(app, ["scan", str(path)])
    assert table.exit_code == 0
    assert "585-20-1234" in table.stdout and "1 document(s)" in table.stdout
