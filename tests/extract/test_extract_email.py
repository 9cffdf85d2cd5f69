"""Email messages (.eml): part ids, text parts, attachments, charsets, damage, limits."""

from __future__ import annotations

import base64
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from extract_builders import by_part, collect, make_docx, make_pdf, make_xlsx, write

from resguardo.extract import Limits
from resguardo.extract.email_message import decode_base64, mime_nesting

CSV = "LAST,FIRST,DOB,SSN\nCAMPOS,JOSÉ LUIS,1982-04-11,585-20-1234\nMUÑOZ,ABRAHAM,1995-12-14,\n"
HTML = (
    "<html><head><style>p{margin:0}</style><script>var x = 'no';</script></head><body>"
    "<p>Agent Kessler,</p><p>Her address is<br>412 W Avenue C, Lovington</p>"
    "<table><tr><th>DL</th><th>DOB</th></tr><tr><td><p>127703341</p></td><td>04/11/1982</td>"
    "</tr></table><blockquote><p>On Tue, Dana wrote:</p><p>Is she &nbsp;DACA?</p></blockquote>"
    "</body></html>"
)


def _base(subject: str = "Lea County export — Española") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Marcella Sena <marcella.sena@state.nm.us>"
    msg["To"] = '"Kessler, Dana" <dana.kessler@hsi.dhs.gov>'
    msg["Date"] = "Thu, 09 May 2019 11:58:36 -0600"
    msg["Message-ID"] = "<abc@state.nm.us>"
    msg["Subject"] = subject
    return msg


def _alternative_with_csv(csv_cte: str) -> EmailMessage:
    msg = _base()
    msg.set_content("Plain body. DOB 1982-04-11, Española.\n", cte="quoted-printable")
    msg.add_alternative(HTML, subtype="html", cte="base64")
    msg.add_attachment(
        CSV.encode("utf-8"),
        maintype="text",
        subtype="csv",
        filename="records.csv",
        cte=csv_cte,
        params={"charset": "utf-8"},
    )
    return msg


@pytest.mark.parametrize("csv_cte", ["base64", "quoted-printable"])
def test_alternative_with_csv_attachment(tmp_path: Path, csv_cte: str) -> None:
    path = write(tmp_path, "m.eml", _alternative_with_csv(csv_cte).as_bytes())
    docs, errors = collect(path)
    assert errors == []
    parts = by_part(docs)
    assert list(parts) == ["header:subject", "body", "body.html", "attachment:records.csv"]
    assert parts["header:subject"].text == "Lea County export — Española"
    assert parts["body"].text == "Plain body. DOB 1982-04-11, Española.\n"
    assert parts["attachment:records.csv"].text == CSV
    assert parts["attachment:records.csv"].content_type == "text/csv"
    assert parts["attachment:records.csv"].metadata["filename"] == "records.csv"
    html = parts["body.html"]
    assert html.content_type == "text/html"
    assert html.text == (
        "Agent Kessler,\nHer address is\n412 W Avenue C, Lovington\nDL\tDOB\n"
        "127703341\t04/11/1982\nOn Tue, Dana wrote:\nIs she DACA?"
    )
    for d in docs:
        assert d.source == str(path)
        assert d.metadata["from"] == "Marcella Sena <marcella.sena@state.nm.us>"
        assert d.metadata["date"] == "Thu, 09 May 2019 11:58:36 -0600"
        assert d.metadata["message_id"] == "<abc@state.nm.us>"


def test_iso_8859_1_body_html_and_csv(tmp_path: Path) -> None:
    msg = _base()
    msg.set_content("La señora vive en Española.\n", charset="iso-8859-1", cte="quoted-printable")
    msg.add_alternative(
        "<p>Dirección: Calle Niño 12</p>", subtype="html", charset="iso-8859-1", cte="base64"
    )
    msg.add_attachment(
        "APELLIDO;NOMBRE\nMUÑOZ;JOSÉ\n".encode("iso-8859-1"),
        maintype="text",
        subtype="csv",
        filename="lista.csv",
        params={"charset": "iso-8859-1"},
    )
    docs, errors = collect(write(tmp_path, "es.eml", msg.as_bytes()))
    assert errors == []
    parts = by_part(docs)
    assert parts["body"].text == "La señora vive en Española.\n"
    assert parts["body.html"].text == "Dirección: Calle Niño 12"
    assert parts["attachment:lista.csv"].text == "APELLIDO;NOMBRE\nMUÑOZ;JOSÉ\n"
    assert parts["attachment:lista.csv"].metadata["delimiter"] == ";"


def test_nested_message_rfc822(tmp_path: Path) -> None:
    inner = _base("RE: plate NJK-205")
    inner.set_content("Inner body: VIN 1GCNCPEX58K728960\n")
    inner.add_attachment(b"A,B\n1,2\n", maintype="text", subtype="csv", filename="rows.csv")
    outer = _base("FW: plate")
    outer.set_content("See forwarded message.\n")
    outer.add_attachment(inner, filename="fwd.eml")
    docs, errors = collect(write(tmp_path, "fw.eml", outer.as_bytes()))
    assert errors == []
    parts = by_part(docs)
    assert list(parts) == [
        "header:subject",
        "body",
        "attachment:fwd.eml/header:subject",
        "attachment:fwd.eml/body",
        "attachment:fwd.eml/attachment:rows.csv",
    ]
    assert parts["attachment:fwd.eml/header:subject"].text == "RE: plate NJK-205"
    assert "1GCNCPEX58K728960" in parts["attachment:fwd.eml/body"].text


def test_attached_eml_file_and_unnamed_message(tmp_path: Path) -> None:
    inner = _base("inner")
    inner.set_content("inner text\n")
    outer = _base("outer")
    outer.set_content("outer text\n")
    outer.add_attachment(
        inner.as_bytes(), maintype="application", subtype="octet-stream", filename="old.eml"
    )
    outer.add_attachment(inner)  # message/rfc822 without a filename
    docs, errors = collect(write(tmp_path, "o.eml", outer.as_bytes()))
    assert errors == []
    parts = by_part(docs)
    assert parts["attachment:old.eml/body"].text == "inner text\n"
    assert parts["attachment:3/body"].text == "inner text\n"


def test_office_and_pdf_attachments(tmp_path: Path) -> None:
    msg = _base()
    msg.set_content("Attached.\n")
    msg.add_attachment(
        make_xlsx({"Data": [["Name", "SSN"], ["Campos", "585-20-1234"]]}),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename="book.xlsx",
    )
    msg.add_attachment(
        make_docx(["Letter to Mr. Campos"]),
        maintype="application",
        subtype="octet-stream",
        filename="letter.docx",
    )
    # No extension and a generic type: recognized by its first bytes.
    msg.add_attachment(
        make_pdf(["DOB 04/11/1982"]),
        maintype="application",
        subtype="octet-stream",
        filename="scan",
    )
    docs, errors = collect(write(tmp_path, "a.eml", msg.as_bytes()))
    assert errors == []
    parts = by_part(docs)
    assert parts["attachment:book.xlsx/sheet:Data"].text == "Name\tSSN\nCampos\t585-20-1234"
    assert parts["attachment:letter.docx"].text == "Letter to Mr. Campos"
    assert parts["attachment:scan"].text.strip() == "DOB 04/11/1982"


def test_unsupported_and_duplicate_attachments_are_reported(tmp_path: Path) -> None:
    msg = _base()
    msg.set_content("first\n")
    msg.add_attachment(b"\x89PNG\r\n\x1a\n....", maintype="image", subtype="png", filename="x.png")
    msg.add_attachment(b"a\n", maintype="text", subtype="plain", filename="notes.txt")
    msg.add_attachment(b"b\n", maintype="text", subtype="plain", filename="notes.txt")
    msg.add_attachment(b"PK\x03\x04zz", maintype="application", subtype="zip", filename="all.zip")
    docs, errors = collect(write(tmp_path, "u.eml", msg.as_bytes()))
    parts = by_part(docs)
    assert parts["attachment:notes.txt"].text == "a\n"
    assert parts["attachment:notes.txt (2)"].text == "b\n"
    reasons = {e.part: e.reason for e in errors}
    assert "images are not read" in reasons["attachment:x.png"]
    assert reasons["attachment:all.zip"].startswith("unsupported attachment type")


def test_second_inline_text_part_and_crlf_kept(tmp_path: Path) -> None:
    data = (
        b"From: a@state.nm.us\r\nSubject: two\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nline one\r\nline two\r\n"
        b"--B\r\nContent-Type: text/plain\r\n\r\nsecond part\r\n"
        b"--B\r\nContent-Type: text/csv\r\n\r\na,b\r\n"
        b"--B--\r\n"
    )
    docs, errors = collect(write(tmp_path, "crlf.eml", data))
    assert errors == []
    parts = by_part(docs)
    assert parts["body"].text == "line one\r\nline two"
    assert parts["2 text/plain"].text == "second part"
    assert parts["3 text/csv"].text == "a,b"


def test_wrong_declared_charset_falls_back_to_detection(tmp_path: Path) -> None:
    body = "La señora vive en Española, calle Niño 12.\n"
    data = (
        b"From: a@b.gov\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + body.encode("latin-1")
    )
    docs, errors = collect(write(tmp_path, "cs.eml", data))
    assert errors == []
    d = by_part(docs)["body"]
    assert d.text == body
    assert "not valid 'utf-8'" in d.metadata["encoding_note"]


def test_utf8_labelled_latin1_is_read_as_utf8(tmp_path: Path) -> None:
    data = (
        b"From: a@b.gov\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + "Española\n".encode()
    )
    docs, _ = collect(write(tmp_path, "u8.eml", data))
    assert by_part(docs)["body"].text == "Española\n"


def test_unknown_charset_and_8bit_header(tmp_path: Path) -> None:
    data = (
        b"From: a@b.gov\nSubject: Se\xf1ora Mu\xf1oz\nContent-Type: text/plain; charset=x-bogus\n\n"
        b"hola\n"
    )
    docs, errors = collect(write(tmp_path, "h.eml", data))
    assert errors == []
    parts = by_part(docs)
    assert parts["header:subject"].text == "Señora Muñoz"
    assert parts["body"].text == "hola\n"
    assert "unknown charset" in parts["body"].metadata["encoding_note"]


def test_raw_utf8_filename(tmp_path: Path) -> None:
    data = (
        'From: a@b.gov\nSubject: s\nContent-Type: multipart/mixed; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nbody\n"
        '--B\nContent-Type: text/csv\nContent-Disposition: attachment; filename="Muñoz.csv"\n\n'
        "a,b\n--B--\n"
    ).encode()
    docs, errors = collect(write(tmp_path, "f.eml", data))
    assert errors == []
    assert by_part(docs)["attachment:Muñoz.csv"].metadata["filename"] == "Muñoz.csv"


def test_truncated_base64_decodes_what_it_can(tmp_path: Path) -> None:
    text = b"SSN 585-20-1234 and the rest of a long line of text. " * 30
    b64 = base64.encodebytes(text)
    cut = b64[: len(b64) // 2 + 3]
    data = (
        b'From: a@b.gov\nSubject: t\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="X"'
        b"\n\n--X\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + cut
    )
    docs, errors = collect(write(tmp_path, "t.eml", data))
    body = by_part(docs)["body"]
    assert text.decode().startswith(body.text)
    assert len(body.text) > 100
    reasons = " | ".join(e.reason for e in errors)
    assert "truncated" in reasons
    assert "closing MIME boundary" in reasons


def test_decode_base64_cases() -> None:
    good = base64.b64encode(b"hello world!!")
    assert decode_base64(good) == (b"hello world!!", None)
    data, note = decode_base64(good[:-3])
    assert b"hello world".startswith(data[:5]) and note and "truncated" in note
    data, note = decode_base64(b"aGVs*bG8=")
    assert data == b"hello" and note and "not base64" in note
    data, note = decode_base64(b"aGVsbG8=" + b"IHdvcmxk")  # two encodings pasted together
    assert data == b"hello world" and note is None
    assert decode_base64(b"a")[0] == b""
    assert decode_base64(b"") == (b"", None)


def test_multipart_without_its_boundary_is_read_as_text(tmp_path: Path) -> None:
    data = (
        b'From: a@b.gov\nSubject: s\nContent-Type: multipart/mixed; boundary="nope"\n\n'
        b"The SSN is 585-20-1234.\n"
    )
    docs, errors = collect(write(tmp_path, "nb.eml", data))
    assert any("585-20-1234" in d.text for d in docs)
    assert any("boundary is missing" in e.reason for e in errors)


def test_message_headers_only_and_no_subject(tmp_path: Path) -> None:
    docs, errors = collect(write(tmp_path, "h.eml", b"From: a@b.gov\nTo: c@d.gov\n\n"))
    assert errors == []
    assert [d.part for d in docs] == ["body"]


def test_delivery_status_report(tmp_path: Path) -> None:
    data = (
        b"From: MAILER-DAEMON@x.gov\nSubject: Undeliverable\nContent-Type: multipart/report; "
        b'report-type=delivery-status; boundary="R"\n\n--R\nContent-Type: text/plain\n\nFailed.\n'
        b"--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.gov\n\n"
        b"Final-Recipient: rfc822; agent@ice.dhs.gov\nStatus: 5.1.1\n\n--R--\n"
    )
    docs, errors = collect(write(tmp_path, "dsn.eml", data))
    assert errors == []
    status = by_part(docs)["attachment:2"]
    assert "Final-Recipient: rfc822; agent@ice.dhs.gov" in status.text


# --- limits and hostile structure ------------------------------------------------------


def _nested_multipart(levels: int) -> bytes:
    head = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(levels)
    )
    tail = b"".join(b"\n--b%d--\n" % i for i in reversed(range(levels)))
    return (
        b"From: a@b.gov\nSubject: deep\n"
        + head
        + b"Content-Type: text/plain\n\nhello deep\n"
        + tail
    )


@pytest.mark.parametrize("levels", [1000, 5000])
def test_very_deep_multipart_is_refused_quickly(tmp_path: Path, levels: int) -> None:
    start = time.monotonic()
    docs, errors = collect(write(tmp_path, "deep.eml", _nested_multipart(levels)))
    assert time.monotonic() - start < 30  # minutes without the guards
    assert [d.part for d in docs] == ["header:subject"]
    assert len(errors) == 1 and "nested more than 40 levels" in errors[0].reason


def test_deep_multipart_within_parse_limit_stops_at_max_depth(tmp_path: Path) -> None:
    docs, errors = collect(write(tmp_path, "deep.eml", _nested_multipart(25)))
    assert [d.part for d in docs] == ["header:subject"]
    assert len(errors) == 1 and "max_depth" in errors[0].reason
    docs, errors = collect(write(tmp_path, "ok.eml", _nested_multipart(8)))
    assert errors == [] and by_part(docs)["body"].text == "hello deep\n"


def test_deep_rfc822_chain(tmp_path: Path) -> None:
    data = b"Content-Type: text/plain\n\nhello\n"
    for _ in range(2000):
        data = b"Content-Type: message/rfc822\n\n" + data
    docs, errors = collect(write(tmp_path, "chain.eml", b"From: a@b.gov\n" + data))
    assert docs == []
    assert len(errors) == 1 and "nested" in errors[0].reason


def test_mime_nesting_estimate() -> None:
    assert mime_nesting(_nested_multipart(3), 100) <= 3
    assert mime_nesting(_nested_multipart(200), 50) > 50
    flat = b"".join(
        b'Content-Type: multipart/mixed; boundary="f%d"\n\n--f%d\nx\n--f%d--\n' % (i, i, i)
        for i in range(100)
    )
    assert mime_nesting(flat, 10) <= 2


def test_max_parts(tmp_path: Path) -> None:
    msg = _base()
    msg.set_content("body\n")
    for i in range(30):
        msg.add_attachment(b"row %d\n" % i, maintype="text", subtype="plain", filename=f"{i}.txt")
    docs, errors = collect(write(tmp_path, "many.eml", msg.as_bytes()), Limits(max_parts=10))
    assert len([d for d in docs if d.part and d.part.startswith("attachment:")]) < 10
    assert len(errors) == 1 and "more than 10 parts" in errors[0].reason


def test_max_decoded_bytes(tmp_path: Path) -> None:
    msg = _base()
    msg.set_content("body\n")
    msg.add_attachment(b"x" * 100_000, maintype="text", subtype="plain", filename="big.txt")
    docs, errors = collect(
        write(tmp_path, "b.eml", msg.as_bytes()), Limits(max_decoded_bytes=50_000)
    )
    assert "body" in by_part(docs)
    assert [e.part for e in errors] == ["attachment:big.txt"]
    assert "max_decoded_bytes" in errors[0].reason


def test_huge_headers_stay_fast(tmp_path: Path) -> None:
    to = ", ".join(f'"Agent {i}, X" <agent{i}@ice.dhs.gov>' for i in range(20_000))
    subject = " ".join(["=?utf-8?q?Espa=C3=B1ola?="] * 20_000)
    ctype = 'text/plain; charset="utf-8"; ' + "; ".join(f'p{i}="v"' for i in range(20_000))
    data = f"From: a@b.gov\nTo: {to}\nSubject: {subject}\nContent-Type: {ctype}\n\nbody\n".encode()
    start = time.monotonic()
    docs, errors = collect(write(tmp_path, "hdr.eml", data))
    assert time.monotonic() - start < 30  # minutes without the guards
    parts = by_part(docs)
    assert parts["body"].text == "body\n"
    # RFC 2047: the space between two encoded words is not part of the text.
    assert parts["header:subject"].text.startswith("EspañolaEspañola")
    assert len(parts["body"].metadata["to"]) <= 1000
    assert [e.part for e in errors] == ["header:subject"]
    assert "max_header_chars" in errors[0].reason


def test_long_single_line_body(tmp_path: Path) -> None:
    line = b"SSN 585-20-1234 " * 300_000  # 4.8 MB, no line break
    data = b"From: a@b.gov\nSubject: s\n\n" + line
    docs, errors = collect(write(tmp_path, "line.eml", data))
    assert errors == []
    assert by_part(docs)["body"].text == line.decode()


def test_max_text_chars_cuts_and_reports(tmp_path: Path) -> None:
    data = b"From: a@b.gov\nSubject: s\n\n" + b"a" * 5000
    docs, errors = collect(write(tmp_path, "cut.eml", data), Limits(max_text_chars=1000))
    assert len(by_part(docs)["body"].text) == 1000
    assert [e.part for e in errors] == ["body"] and "max_text_chars" in errors[0].reason


def test_max_message_bytes_applies_to_eml_files(tmp_path: Path) -> None:
    data = b"From: a@b.gov\nSubject: s\n\n" + b"x" * 5000
    docs, errors = collect(write(tmp_path, "big.eml", data), Limits(max_message_bytes=4000))
    assert docs == []
    assert len(errors) == 1 and "max_message_bytes" in errors[0].reason


def test_not_an_email(tmp_path: Path) -> None:
    _, errors = collect(write(tmp_path, "junk.eml", bytes(range(256)) * 20))
    assert [e.reason for e in errors] == [
        "not an email message: it does not start with header fields"
    ]
    _, errors = collect(write(tmp_path, "empty.eml", b""))
    assert [e.reason for e in errors] == ["empty file (0 bytes); not a valid email message"]
    _, errors = collect(write(tmp_path, "blank.eml", b"\n\n  \n"))
    assert [e.reason for e in errors] == ["empty message"]


def test_smtp_policy_message_roundtrip(tmp_path: Path) -> None:
    msg = _alternative_with_csv("base64")
    docs, errors = collect(write(tmp_path, "smtp.eml", msg.as_bytes(policy=SMTP)))
    assert errors == []
    parts = by_part(docs)
    assert parts["attachment:records.csv"].text == CSV  # base64 keeps the bytes as they were
    assert parts["body"].text == "Plain body. DOB 1982-04-11, Española.\r\n"
