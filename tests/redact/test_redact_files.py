"""Plain-text files and encodings, and the redact_file dispatcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from redact_support import literal_scan

from resguardo.redact import (
    SUPPORTED_SUFFIXES,
    RedactionStyle,
    UndecodableError,
    UnsupportedFormatError,
    redact_bytes,
    redact_file,
    redact_txt,
)

SSN = "585-20-1234"
SCAN = literal_scan({SSN: "ssn", "Señora Núñez": "employer"})
LABEL = RedactionStyle.label()


def test_txt_keeps_a_latin1_encoding_when_the_tokens_fit() -> None:
    data = f"Señora Núñez\r\nSSN {SSN}\r\nAdiós\r\n".encode("cp1252")
    result = redact_txt(data, scan=SCAN, style=LABEL)
    assert result.data == "[EMPLOYER]\r\nSSN [SSN]\r\nAdiós\r\n".encode("cp1252")
    assert result.summary.counts == {"employer": 1, "ssn": 1}
    assert result.summary.notes == ()


def test_txt_switches_to_utf8_when_the_mask_does_not_fit() -> None:
    data = f"Adiós, SSN {SSN}\n".encode("cp1252")
    result = redact_txt(data, scan=SCAN, style=RedactionStyle.mask())
    assert result.data.decode("utf-8") == "Adiós, SSN " + "█" * 11 + "\n"
    assert result.summary.notes and "utf-8" in result.summary.notes[0]


def test_txt_keeps_a_utf8_bom_and_utf16() -> None:
    bom = "\ufeffSSN 585-20-1234\n".encode("utf-8")
    assert redact_txt(bom, scan=SCAN, style=LABEL).data == "\ufeffSSN [SSN]\n".encode()
    utf16 = f"SSN {SSN}\n".encode("utf-16")
    out = redact_txt(utf16, scan=SCAN, style=RedactionStyle.mask()).data
    assert out.decode("utf-16") == "SSN " + "█" * 11 + "\n"


def test_txt_rejects_binary() -> None:
    with pytest.raises(UndecodableError):
        redact_txt(b"\x00\x01\x02 585-20-1234", scan=SCAN, style=LABEL)


def test_redact_file_dispatches_by_extension(tmp_path: Path) -> None:
    src = tmp_path / "notes.TXT"
    src.write_bytes(f"SSN {SSN}\n".encode())
    out = tmp_path / "out.txt"
    summary = redact_file(src, out, style=LABEL, scan=SCAN)
    assert out.read_bytes() == b"SSN [SSN]\n"
    assert summary.format == "txt" and summary.total == 1
    # In place, atomically: no temporary file is left behind.
    redact_file(out, out, style=RedactionStyle.mask(), scan=literal_scan({"SSN": "ssn"}))
    assert out.read_text(encoding="utf-8") == "███ [███]\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.TXT", "out.txt"]

    csv_src = tmp_path / "a.csv"
    csv_src.write_bytes(f"SSN\n{SSN}\n".encode())
    assert redact_file(csv_src, tmp_path / "b.csv", style=LABEL, scan=SCAN).format == "csv"
    assert (tmp_path / "b.csv").read_bytes() == b"SSN\n[SSN]\n"


def test_unsupported_extensions_fail_clearly(tmp_path: Path) -> None:
    pdf = tmp_path / "file.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(UnsupportedFormatError, match=r"cannot redact \.pdf.*\.eml"):
        redact_file(pdf, tmp_path / "out.pdf", style=LABEL, scan=SCAN)
    assert not (tmp_path / "out.pdf").exists()
    with pytest.raises(UnsupportedFormatError, match="without an extension"):
        redact_bytes(b"", "", scan=SCAN, style=LABEL)
    assert {".txt", ".csv", ".xlsx", ".eml"} <= set(SUPPORTED_SUFFIXES)
