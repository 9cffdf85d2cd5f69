"""``resguardo classify-process``: the JSON contract, text output, e-mails and errors."""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from resguardo.cli import legal_cmd

DATA = Path(__file__).resolve().parents[1] / "data"
DEV = DATA / "requests-dev"
CONTRACT_KEYS = ["kind", "confidence", "evidence", "form", "issuer", "signed_by"]
KINDS = {
    "judicial_warrant",
    "court_order",
    "grand_jury_subpoena",
    "court_subpoena",
    "administrative_subpoena",
    "administrative_warrant",
    "detainer",
    "written_consent",
    "none",
    "unknown",
}


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """A stand-in for the resguardo app."""

    legal_cmd.register(app)
    return app


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(_app(), ["classify-process", *args])
    return result.exit_code, result.stdout, result.stderr


def _json(path: Path) -> dict[str, object]:
    code, out, err = _run(str(path), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def _check_contract(data: dict[str, object]) -> None:
    assert list(data) == CONTRACT_KEYS  # exactly these keys, in this order
    assert data["kind"] in KINDS
    assert isinstance(data["confidence"], float)
    assert 0.0 <= data["confidence"] <= 1.0
    assert isinstance(data["evidence"], list)
    assert all(isinstance(e, str) and e for e in data["evidence"])
    for key in ("form", "issuer", "signed_by"):
        assert data[key] is None or (isinstance(data[key], str) and data[key])


@pytest.mark.parametrize("name", [f"doc-{n:02d}.txt" for n in range(1, 21)])
def test_json_contract_on_every_dev_document(name: str) -> None:
    _check_contract(_json(DEV / "documents" / name))


def test_json_is_one_line_and_values_match_the_classifier() -> None:
    code, out, _ = _run(str(DEV / "documents" / "doc-04.txt"), "--format", "json")
    assert code == 0
    assert out.count("\n") == 1 and out.endswith("\n")
    data = json.loads(out)
    _check_contract(data)
    assert data["kind"] == "judicial_warrant"
    assert data["form"] == "AO 93"
    assert data["signed_by"] == "United States Magistrate Judge"


def test_json_nulls_for_plain_text(tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Remember to water the plants on Friday.\n", encoding="utf-8")
    data = _json(f)
    _check_contract(data)
    assert data["kind"] == "none"
    assert data["form"] is None and data["issuer"] is None and data["signed_by"] is None


@pytest.mark.parametrize(
    ("email", "kind"),
    [
        ("req-03.eml", "administrative_warrant"),  # attachment is an I-200 style warrant
        ("req-07.eml", "judicial_warrant"),
        ("req-10.eml", "written_consent"),  # Spanish, the consent is the attachment
        ("req-17.eml", "court_subpoena"),  # ISO-8859-1 message and attachment
        ("req-25.eml", "none"),  # NTA inside a forwarded message/rfc822
        ("req-02.eml", "none"),  # "under federal investigation", no document
    ],
)
def test_email_reports_the_strongest_document(email: str, kind: str) -> None:
    data = _json(DEV / "emails" / email)
    _check_contract(data)
    assert data["kind"] == kind


def test_email_with_a_notice_to_appear_reports_the_notice() -> None:
    data = _json(DEV / "emails" / "req-25.eml")
    assert data["form"] == "I-862"


def test_text_output(tmp_path: Path) -> None:
    code, out, err = _run(str(DEV / "emails" / "req-03.eml"))
    assert code == 0, err
    flat = " ".join(out.split())  # Rich wraps long lines at the terminal width
    assert "administrative_warrant" in flat
    assert "I-200" in flat
    assert "not a judge" in flat
    assert "evidence" in flat
    assert "{" not in out  # a summary for people, not the JSON


def test_file_without_extension_is_read_as_text(tmp_path: Path) -> None:
    f = tmp_path / "warrant"
    f.write_bytes((DEV / "documents" / "doc-01.txt").read_bytes())
    assert _json(f)["kind"] == "administrative_warrant"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "not found"),
        (lambda d: _write(d / "empty.txt", b""), "empty"),
        (lambda d: _write(d / "blank.txt", b"  \n\n \t\n"), "empty"),
        (lambda d: _write(d / "data.txt", bytes(range(256)) * 40), "binary"),
        (lambda d: _write(d / "data.bin", b"\x00\x01\x02\xff" * 500), "binary"),
        (lambda d: _write(d / "broken.pdf", b"%PDF-1.4 not really"), "pdf"),
        (lambda d: d, "folder"),
    ],
    ids=["missing", "empty", "whitespace", "binary-txt", "binary-unknown", "bad-pdf", "folder"],
)
def test_errors_are_one_line_on_stderr(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    for fmt in ("text", "json"):
        code, out, err = _run(str(path), "--format", fmt)
        assert code != 0
        assert out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("error:")
        assert message in lines[0].lower()


def test_bad_format_option_is_rejected() -> None:
    code, out, _ = _run(str(DEV / "documents" / "doc-01.txt"), "--format", "xml")
    assert code != 0
    assert out == ""


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _pdf(pages: list[str | None]) -> bytes:
    """A minimal PDF: each page shows its lines in Helvetica (``None``: a page with no text)."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        lines = []
        for i, line in enumerate((text or "").split("\n") if text is not None else []):
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            lines.append(b"1 0 0 1 72 %d Tm (%s) Tj" % (740 - 14 * i, esc.encode("latin-1")))
        stream = zlib.compress(b"BT /F1 10 Tf " + b" ".join(lines) + b" ET")
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_pdf_document(tmp_path: Path) -> None:
    text = (DEV / "documents" / "doc-11.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    pdf = _write(tmp_path / "subpoena.pdf", _pdf(["\n".join(lines[:30]), "\n".join(lines[30:])]))
    data = _json(pdf)
    _check_contract(data)
    assert data["kind"] == "administrative_subpoena"
    assert data["form"] == "I-138"


def test_pdf_without_a_text_layer_is_an_error(tmp_path: Path) -> None:
    pdf = _write(tmp_path / "scan.pdf", _pdf([None]))
    code, out, err = _run(str(pdf), "--format", "json")
    assert code != 0
    assert out == ""
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1
