"""PDF, DOCX and XLSX files, and zip bombs."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from extract_builders import by_part, collect, make_docx, make_pdf, make_xlsx, write

from resguardo.extract import Limits


def test_pdf_text_layer(tmp_path: Path) -> None:
    docs, errors = collect(
        write(tmp_path, "a.pdf", make_pdf(["Page one DOB 04/11/1982", "SSN 585-20-1234"]))
    )
    assert errors == []
    [doc] = docs
    assert doc.part is None and doc.content_type == "application/pdf"
    assert doc.metadata["pages"] == "2"
    first, second = doc.text.split("\f")
    assert "DOB 04/11/1982" in first and "585-20-1234" in second


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    docs, errors = collect(write(tmp_path, "scan.pdf", make_pdf([None, None])))
    assert docs == []
    assert [e.reason for e in errors] == ["PDF has no text layer (scanned image?); OCR is not done"]


def test_pdf_with_some_scanned_pages(tmp_path: Path) -> None:
    docs, errors = collect(write(tmp_path, "mixed.pdf", make_pdf(["text", None, None, "more"])))
    assert len(docs) == 1
    assert len(errors) == 1 and "page(s) 2-3 have images but no text layer" in errors[0].reason


def test_pdf_encrypted(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["secret"]))))
    writer.encrypt(user_password="pw", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    docs, errors = collect(write(tmp_path, "enc.pdf", buf.getvalue()))
    assert docs == []
    assert [e.reason for e in errors] == ["PDF is encrypted with a password; not read"]


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4\n garbage", b"hello", make_pdf(["x"])[:200]])
def test_pdf_damaged(tmp_path: Path, data: bytes) -> None:
    docs, errors = collect(write(tmp_path, "bad.pdf", data))
    assert docs == []
    assert len(errors) == 1


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    data = make_docx(
        ["Memo about Mr. Campos", "He lives at 412 W Avenue C."],
        [["Name", "DOB"], ["Campos", "1982-04-11"]],
    )
    docs, errors = collect(write(tmp_path, "m.docx", data))
    assert errors == []
    [doc] = docs
    assert doc.part is None
    assert doc.text == (
        "Memo about Mr. Campos\nHe lives at 412 W Avenue C.\nName\tDOB\nCampos\t1982-04-11"
    )


def test_docx_headers_footers(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Body text")
    document.sections[0].header.paragraphs[0].text = "RE: Juan Campos DOB 04/11/1982"
    document.sections[0].footer.paragraphs[0].text = "Confidential"
    buf = io.BytesIO()
    document.save(buf)
    docs, errors = collect(write(tmp_path, "h.docx", buf.getvalue()))
    assert errors == []
    parts = by_part(docs)
    assert parts[None].text == "Body text"
    assert parts["headers-footers"].text == "RE: Juan Campos DOB 04/11/1982\nConfidential"


def test_docx_embedded_objects_are_reported(tmp_path: Path) -> None:
    data = make_docx(["Body"])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK...")
    docs, errors = collect(write(tmp_path, "e.docx", buf.getvalue()))
    assert [d.text for d in docs] == ["Body"]
    assert [e.reason for e in errors] == [
        "1 embedded object(s) not read (Microsoft_Excel_Worksheet.xlsx)"
    ]


def test_xlsx_sheets(tmp_path: Path) -> None:
    data = make_xlsx(
        {
            "Claimants": [
                ["Name", "SSN", "DOB", "Wage"],
                ["Campos, José", 585201234, dt.datetime(1982, 4, 11), 1234.5],
                [None, None, None, None],
                ["Line\nbreak", True, None, None],
            ],
            "Notas": [["hidden sheet text"]],
        },
        hidden=["Notas"],
    )
    docs, errors = collect(write(tmp_path, "w.xlsx", data))
    assert errors == []
    parts = by_part(docs)
    assert list(parts) == ["sheet:Claimants", "sheet:Notas"]
    assert parts["sheet:Claimants"].text == (
        "Name\tSSN\tDOB\tWage\nCampos, José\t585201234\t1982-04-11\t1234.5\n\nLine break\tTRUE"
    )
    assert parts["sheet:Notas"].metadata["sheet_state"] == "hidden"


def test_xlsx_number_formats_keep_leading_zeros(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = 12345678
    ws["A1"].number_format = "000-00-0000"
    ws["B1"] = 1234
    ws["B1"].number_format = "00000"
    buf = io.BytesIO()
    wb.save(buf)
    docs, _ = collect(write(tmp_path, "f.xlsx", buf.getvalue()))
    assert docs[0].text == "012-34-5678\t01234"


def _bomb(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "inner"), [("bomb.xlsx", "xl/workbook.xml"), ("bomb.docx", "word/document.xml")]
)
def test_zip_bomb_is_not_opened(tmp_path: Path, name: str, inner: str) -> None:
    # 40 MB that compresses to ~40 KB, against a 32 MB limit (the default is 256 MB).
    data = _bomb({"[Content_Types].xml": b"<x/>", inner: b"<" + b"a" * 40_000_000 + b"/>"})
    assert len(data) < 100_000
    docs, errors = collect(write(tmp_path, name, data), Limits(max_unzipped_bytes=32 * 2**20))
    assert docs == []
    assert len(errors) == 1 and "max_unzipped_bytes" in errors[0].reason


def test_zip_member_lying_about_its_size_is_cut_at_the_declared_size(tmp_path: Path) -> None:
    data = bytearray(_bomb({"xl/workbook.xml": b"<" + b"a" * 5_000_000 + b"/>"}))
    # Patch the central directory: claim the member unpacks to 10 bytes.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    docs, errors = collect(write(tmp_path, "lie.xlsx", bytes(data)))
    assert docs == []
    assert len(errors) == 1 and "XLSX" in errors[0].reason


def test_zip_limits_are_configurable(tmp_path: Path) -> None:
    data = make_xlsx({"S": [["x"] * 10] * 100})
    _, errors = collect(write(tmp_path, "s.xlsx", data), Limits(max_unzipped_bytes=1000))
    assert "max_unzipped_bytes" in errors[0].reason
    _, errors = collect(write(tmp_path, "s.xlsx", data), Limits(max_zip_members=2))
    assert "max_zip_members" in errors[0].reason


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.docx", b"not a zip", "not a DOCX file (it is not a zip archive)"),
        (
            "a.xlsx",
            _bomb({"other.xml": b"<x/>"}),
            "not a XLSX file: the zip archive has no xl/workbook.xml",
        ),
        ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted"),
        ("a.xlsx", b"", "empty file (0 bytes); not a valid XLSX file"),
        ("a.docx", _bomb({"word/document.xml": b"<not xml"}), "not a readable DOCX file"),
        ("a.xlsx", _bomb({"xl/workbook.xml": b"<not xml"}), "not a readable XLSX file"),
    ],
)
def test_office_bad_input(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    docs, errors = collect(write(tmp_path, name, data))
    assert docs == []
    assert len(errors) == 1 and reason in errors[0].reason
