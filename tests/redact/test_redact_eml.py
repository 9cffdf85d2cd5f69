"""Email redaction: no redacted value survives anywhere in the output, decoded or not."""

from __future__ import annotations

import base64
import io
import quopri
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from redact_support import DATA, eml_views, literal_scan, load_labels, occurrences

from resguardo.detect.finding import Finding
from resguardo.redact import RedactionStyle, redact_eml
from resguardo.taxonomy import Group, categories

SSN = "585-20-1234"
SSN_DIGITS = "585201234"
ANUM = "A201-447-583"
ADDR = "412 W Avenue C, Lovington, NM 88260"
VALUES = {SSN: "ssn", SSN_DIGITS: "ssn", ANUM: "a_number", ADDR: "street_address"}
# The SSN with any separators, or none, between its digit groups.
SSN_ANY = re.compile(r"(?<!\d)585\W{0,3}20\W{0,3}1234(?!\d)")

STYLES = {
    "label": RedactionStyle.label(),
    "mask": RedactionStyle.mask(),
    "hash": RedactionStyle.hashed(b"test-key-0123456789abcdef"),
}
IDENTIFIERS = frozenset(c.id for c in categories().values() if c.group is Group.IDENTIFIER)


def parse(raw: bytes) -> EmailMessage:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    return msg


def defects(msg: EmailMessage) -> list[str]:
    found = []
    for part in msg.walk():
        found += [f"{part.get_content_type()}: {d!r}" for d in part.defects]
        for value in part.values():  # header parse defects show on access
            found += [f"{part.get_content_type()} header: {d!r}" for d in value.defects]
    return found


def workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Casos"
    ws.append(["Nombre", "SSN", "A-number", "Dirección", "Notas"])
    ws.append(["Juan Pérez", 585201234, ANUM, ADDR, "ok"])
    ws["E2"].comment = Comment(f"verificado {SSN}", "clerk")
    ws.oddHeader.center.text = f"Caso {SSN}"
    hidden = wb.create_sheet("Oculta")
    hidden.sheet_state = "hidden"
    hidden["A1"] = f"copia {SSN}"
    wb.properties.title = f"Pérez {SSN}"
    wb.properties.subject = ADDR
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def b64(data: bytes) -> bytes:
    return base64.encodebytes(data)


def encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


def build_message() -> bytes:
    """One message holding the values in every place a copy can hide."""
    plain = (
        f"Señor agente: el Sr. Pérez, SSN {SSN}, número A {ANUM}, vive en {ADDR}. "
        "Llame si necesita más información sobre este caso, que lleva tiempo abierto "
        f"y sin cambios; repito el número {SSN} por si acaso.\n"
    ).encode()
    html_doc = (
        "<html><head><title>Caso</title></head><body>"
        f'<p title="SSN {SSN}">SSN 585&#45;20&#45;1234 y &#53;85-20-1234</p>'
        "<p>A<b>201</b>-447-583</p>"
        f'<a href="mailto:agent@ice.dhs.gov?subject={ANUM}%20P%C3%A9rez">correo</a>'
        f'<img alt="{ADDR}" src="data:image/png;base64,iVBORw0KGgo=">'
        f"<!-- {SSN} -->"
        "<table><tr><td>Dirección</td><td>412 W Avenue C,<br>Lovington, NM 88260</td></tr>"
        "</table></body></html>"
    ).encode()
    latin = f"Dirección: {ADDR}. Número: {SSN}. Señal\n".encode("iso-8859-1")
    csv_data = f'NOMBRE,SSN,A_NUMBER,DIRECCION\nJuan Pérez,{SSN},{ANUM},"{ADDR}"\nAna,,,\n'.encode()
    inner = (
        b"From: clerk@state.nm.us\n"
        b"Subject: =?utf-8?q?Fwd=3A_P=C3=A9rez_585-20-1234?=\n"
        b"MIME-Version: 1.0\n"
        b'Content-Type: text/plain; charset="utf-8"\n'
        b"Content-Transfer-Encoding: base64\n\n" + b64(f"Reenvío: {ANUM} / {ADDR}\n".encode())
    )
    pdf = b"%PDF-1.4\n1 0 obj << >> stream\nSSN 585-20-1234\nendstream\n%%EOF\n"
    parts = [
        b'--MIX\nContent-Type: multipart/alternative; boundary="ALT"\n\n'
        b'--ALT\nContent-Type: text/plain; charset="utf-8"\n'
        b"Content-Transfer-Encoding: quoted-printable\n\n" + quopri.encodestring(plain) + b"\n"
        b'--ALT\nContent-Type: text/html; charset="utf-8"\n'
        b"Content-Transfer-Encoding: base64\n\n" + b64(html_doc) + b"--ALT--\n",
        b'--MIX\nContent-Type: text/plain; charset="iso-8859-1"\n'
        b"Content-Transfer-Encoding: 8bit\n\n" + latin,
        b'--MIX\nContent-Type: text/csv; charset="utf-8"; name="casos.csv"\n'
        b"Content-Disposition: attachment; filename*=utf-8''casos_585-20-1234.csv\n"
        b"Content-Transfer-Encoding: base64\n\n" + b64(csv_data),
        b"--MIX\nContent-Type: application/vnd.openxmlformats-officedocument."
        b'spreadsheetml.sheet\nContent-Disposition: attachment; filename="casos.xlsx"\n'
        b"Content-Transfer-Encoding: base64\n\n" + b64(workbook_bytes()),
        b"--MIX\nContent-Type: message/rfc822\n\n" + inner,
        b'--MIX\nContent-Type: application/pdf; name="ficha.pdf"\n'
        b'Content-Disposition: attachment; filename="ficha.pdf"\n'
        b"Content-Transfer-Encoding: base64\n\n" + b64(pdf),
        b"--MIX\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\n"
        + b64(b"\x89PNG\r\n\x1a\n" + SSN.encode()),
    ]
    headers = (
        f'From: "Pérez, Juan {SSN}" <clerk@state.nm.us>\n'
        f"To: {encoded_word('Agente ' + ANUM)} <agent@ice.dhs.gov>,\n"
        f" other@ice.dhs.gov (re {SSN})\n"
        f"Subject: {encoded_word('RE: Pérez SSN ' + SSN)}\n"
        "Thread-Topic: =?iso-8859-1?q?P=E9rez_585-20-1234?=\n"
        f"X-Case-Note: vive en 412 W Avenue C,\n Lovington, NM 88260\n"
        "Date: Thu, 09 May 2019 11:58:36 -0600\n"
        "Message-ID: <case-1@state.nm.us>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="MIX"\n\n'
        f"Preámbulo {SSN}\n"
    ).encode()
    return headers + b"".join(parts) + f"--MIX--\nEpílogo {ANUM}\n".encode()


@pytest.mark.parametrize("style_name", list(STYLES))
def test_no_value_survives_anywhere(style_name: str) -> None:
    raw = build_message()
    before = eml_views(raw)
    for value in VALUES:  # the views do see the values before redaction
        assert occurrences(before, value), value
    assert any(SSN_ANY.search(v) for v in before)

    result = redact_eml(raw, scan=literal_scan(VALUES), style=STYLES[style_name])
    out = result.data

    after = eml_views(out)
    for value in VALUES:
        assert occurrences(after, value) == [], value
    assert [v for v in after if SSN_ANY.search(v)] == []

    msg = parse(out)
    assert defects(msg) == []
    assert msg["Message-ID"] == "<case-1@state.nm.us>"
    assert msg["Date"] == "Thu, 09 May 2019 11:58:36 -0600"
    types = [p.get_content_type() for p in msg.walk()]
    assert types == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/plain",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "message/rfc822",
        "text/plain",
        "text/plain",  # the PDF, withheld
        "text/plain",  # the image, withheld
    ]
    summary = result.summary
    assert summary.counts["ssn"] >= 10 and summary.counts["a_number"] >= 5
    assert len(summary.removed) >= 3  # the PDF, the image, the data: URL in the HTML
    assert any("application/pdf" in r for r in summary.removed)


def test_structure_and_encodings_are_kept() -> None:
    out = redact_eml(build_message(), scan=literal_scan(VALUES), style=STYLES["label"]).data
    msg = parse(out)
    leaves = [p for p in msg.walk() if not p.is_multipart()]
    plain, html_part, latin, csv_part, xlsx_part = leaves[:5]
    assert plain["Content-Transfer-Encoding"] == "quoted-printable"
    assert html_part["Content-Transfer-Encoding"] == "base64"
    assert csv_part["Content-Transfer-Encoding"] == "base64"
    assert latin.get_content_charset() == "iso-8859-1"  # label tokens fit in Latin-1
    assert latin["Content-Transfer-Encoding"] == "8bit"
    assert "Señal" in latin.get_content()
    assert "Señor agente: el Sr. Pérez, SSN [SSN], número A [A-NUMBER]" in plain.get_content()
    assert str(msg["Subject"]) == "RE: Pérez SSN [SSN]"
    assert "[SSN]" in str(msg["Thread-Topic"])
    assert msg["To"].addresses[0].display_name == "Agente [A-NUMBER]"
    assert [a.addr_spec for a in msg["To"].addresses] == [
        "agent@ice.dhs.gov",
        "other@ice.dhs.gov",
    ]
    assert csv_part.get_filename() == "casos_[SSN].csv"
    html_text = html_part.get_content()
    assert "[SSN]" in html_text and "<b></b>" in html_text  # token once for a split value
    assert "data:image" not in html_text
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_part.get_content()))
    ws = wb["Casos"]
    assert [c.value for c in ws[2]] == ["Juan Pérez", "[SSN]", "[A-NUMBER]", "[ADDRESS]", "ok"]
    withheld = leaves[-1]
    assert "withheld" in (withheld.get_filename() or "")
    assert "image/png" in withheld.get_content()


def test_mask_style_switches_a_latin1_part_to_utf8() -> None:
    result = redact_eml(build_message(), scan=literal_scan(VALUES), style=STYLES["mask"])
    msg = parse(result.data)
    latin = [p for p in msg.walk() if not p.is_multipart()][2]
    assert latin.get_content_charset() == "utf-8"
    assert "█" * len(SSN) in latin.get_content()
    assert any("charset changed" in n for n in result.summary.notes)
    html_part = next(p for p in msg.walk() if p.get_content_type() == "text/html")
    assert "&#9608;" in html_part.get_content() or "█" in html_part.get_content()


def test_identifiers_propagate_to_copies_without_context() -> None:
    """A value the scan finds only next to "SSN" is also redacted where it stands alone."""

    def scan(text: str) -> list[Finding]:
        return [
            Finding("ssn", m.start(1), m.end(1), m.group(1), 0.9, "ctx")
            for m in re.finditer(r"SSN:? (\d{3}-\d{2}-\d{4})", text)
        ]

    raw = (
        "From: a@state.nm.us\nSubject: re 585 20 1234\nMIME-Version: 1.0\n"
        'Content-Type: text/plain; charset="utf-8"\n\n'
        f"His SSN: {SSN}. Also written 585201234 in the file.\n"
    ).encode()
    kept = redact_eml(raw, scan=scan, style=STYLES["label"], propagate=False)
    assert "585 20 1234" in str(parse(kept.data)["Subject"])
    out = redact_eml(raw, scan=scan, style=STYLES["label"])
    msg = parse(out.data)
    assert str(msg["Subject"]) == "re [SSN]"
    assert msg.get_content() == "His SSN: [SSN]. Also written [SSN] in the file.\n"
    assert not any(SSN_ANY.search(v) for v in eml_views(out.data))


def test_unredactable_attachments_are_withheld_not_passed() -> None:
    docx = b"PK\x03\x04 word/document.xml 585-20-1234"
    raw = (
        b"From: a@state.nm.us\nSubject: files\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="B"\n\n'
        b"--B\nContent-Type: text/plain\n\nsee attached\n"
        b'--B\nContent-Type: application/octet-stream; name="carta.docx"\n'
        b"Content-Transfer-Encoding: base64\n\n" + b64(docx) + b"--B\n"
        b'Content-Type: text/plain; name="scan.txt"\n\nbinary\x00\x01 585-20-1234\n'
        b"--B\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;"
        b' name="roto.xlsx"\nContent-Transfer-Encoding: base64\n\n' + b64(b"not a zip") + b"--B\n"
        b'Content-Type: text/csv; name="datos.pdf"\n\n585-20-1234\n'
        b'--B\nContent-Type: application/ms-tnef; name="winmail.dat"\n'
        b"Content-Transfer-Encoding: base64\n\n" + b64(b"x585-20-1234") + b"--B--\n"
    )
    result = redact_eml(raw, scan=literal_scan({}), style=STYLES["label"])
    msg = parse(result.data)
    parts = [p for p in msg.walk() if not p.is_multipart()]
    assert [p.get_content_type() for p in parts] == ["text/plain"] * 6
    assert parts[0].get_content() == "see attached"
    for p in parts[1:]:
        assert p.get_filename().endswith(".withheld.txt")
        assert "Resguardo withheld" in p.get_content()
    assert len(result.summary.removed) == 5
    assert not any(SSN_ANY.search(v) for v in eml_views(result.data))


def test_format_flowed_value_split_by_soft_break() -> None:
    raw = (
        b"From: a@state.nm.us\nSubject: x\nMIME-Version: 1.0\n"
        b'Content-Type: text/plain; charset="utf-8"; format=flowed; delsp=yes\n'
        b"Content-Transfer-Encoding: 7bit\n\n"
        b"His number is 585-20- \n1234 and he lives\nnearby.\n"
    )
    out = redact_eml(raw, scan=literal_scan({SSN: "ssn"}), style=STYLES["label"]).data
    assert parse(out).get_content() == "His number is [SSN] and he lives\nnearby.\n"


def test_base64_message_rfc822_and_eml_attachment_are_recursed() -> None:
    inner = f"Subject: {SSN}\nContent-Type: text/plain\n\nbody {SSN}\n".encode()
    raw = (
        b"From: a@state.nm.us\nSubject: fwd\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="B"\n\n'
        b"--B\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
        + b64(inner)
        + b'--B\nContent-Type: application/octet-stream; name="old.eml"\n'
        b"Content-Transfer-Encoding: base64\n\n" + b64(inner) + b"--B--\n"
    )
    result = redact_eml(raw, scan=literal_scan({SSN: "ssn"}), style=STYLES["label"])
    assert result.summary.counts["ssn"] == 4
    msg = parse(result.data)
    for part in msg.get_payload():
        # Python parses message/rfc822 as a message even under base64: undo that to read it.
        carried = (
            base64.b64decode(part.get_payload(0).as_bytes())
            if part.is_multipart()
            else part.get_payload(decode=True)
        )
        nested = parse(carried)
        assert str(nested["Subject"]) == "[SSN]"
        assert nested.get_content() == "body [SSN]\n"


def test_crlf_message_stays_crlf_and_clean_message_is_unchanged() -> None:
    raw = (
        b"From: a@state.nm.us\r\nSubject: SSN 585-20-1234\r\nMessage-ID: <x@y>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nnothing\r\n"
    )
    out = redact_eml(raw, scan=literal_scan({SSN: "ssn"}), style=STYLES["label"]).data
    assert out == raw.replace(b"585-20-1234", b"[SSN]")
    clean = raw.replace(b"585-20-1234", b"none")
    assert redact_eml(clean, scan=literal_scan({SSN: "ssn"}), style=STYLES["label"]).data == clean


# --- the labeled corpus -------------------------------------------------------------------

EML_FILES = sorted((DATA / "eml").glob("msg-*.eml"))
LABELS = load_labels()


def test_corpus_is_present() -> None:
    assert len(EML_FILES) == 40


@pytest.mark.parametrize("path", EML_FILES, ids=lambda p: p.stem)
def test_corpus_message_leaks_no_labeled_identifier(path: Path) -> None:
    doc = LABELS[path.stem.removeprefix("msg-")]
    spans = doc["spans"]
    assert isinstance(spans, list)
    values = {s["text"]: s["category"] for s in spans}
    identifiers = [v for v, c in values.items() if c in IDENTIFIERS]
    raw = path.read_bytes()
    before = eml_views(raw)
    for value in values:
        assert occurrences(before, value), f"{value!r} not found before redaction"

    style = STYLES["mask"] if path.stem.endswith(("1", "3", "5", "7", "9")) else STYLES["label"]
    result = redact_eml(raw, scan=literal_scan(values), style=style)

    after = eml_views(result.data)
    leaks = {v: occurrences(after, v)[:1] for v in identifiers if occurrences(after, v)}
    assert leaks == {}
    assert result.summary.total >= len(values)

    msg, original = parse(result.data), parse(raw)
    assert defects(msg) == []
    assert [p.get_content_type() for p in msg.walk()] == [
        p.get_content_type() for p in original.walk()
    ]
    for header in ("Message-ID", "Date", "In-Reply-To", "References", "From"):
        assert msg[header] == original[header]


def test_a_message_whose_body_is_a_pdf_keeps_its_headers_and_loses_the_pdf() -> None:
    raw = (
        b"From: a@state.nm.us\nSubject: ficha\nMessage-ID: <p@q>\nMIME-Version: 1.0\n"
        b'Content-Type: application/pdf; name="ficha.pdf"\nContent-Transfer-Encoding: base64\n\n'
        + b64(b"%PDF-1.4 585-20-1234")
    )
    result = redact_eml(raw, scan=literal_scan({SSN: "ssn"}), style=STYLES["label"])
    msg = parse(result.data)
    assert msg["Message-ID"] == "<p@q>" and str(msg["Subject"]) == "ficha"
    assert msg.get_content_type() == "text/plain"
    assert "application/pdf" in msg.get_content()
    assert result.summary.removed and result.summary.removed[0].startswith("body: ")
    assert defects(msg) == []


def test_signatures_and_delivery_reports_are_withheld() -> None:
    raw = (
        b"From: a@state.nm.us\nSubject: s\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/signed; protocol="application/pkcs7-signature";'
        b' micalg=sha-256; boundary="S"\n\n'
        b"--S\nContent-Type: text/plain\n\nSSN 585-20-1234\n"
        b"--S\nContent-Type: application/pkcs7-signature; name=smime.p7s\n"
        b"Content-Transfer-Encoding: base64\n\n" + b64(b"sig") + b"--S--\n"
    )
    msg = parse(redact_eml(raw, scan=literal_scan({SSN: "ssn"}), style=STYLES["label"]).data)
    text, sig = msg.get_payload()
    assert text.get_content() == "SSN [SSN]"
    assert sig.get_content_type() == "text/plain" and "pkcs7" in sig.get_content()

    report = (
        b"From: postmaster@x\nSubject: undeliverable\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="R"\n\n'
        b"--R\nContent-Type: text/plain\n\nnot delivered\n"
        b"--R\nContent-Type: message/delivery-status\n\n"
        b"Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; 585-20-1234@x\nAction: failed\n"
        b"--R--\n"
    )
    out = redact_eml(report, scan=literal_scan({}), style=STYLES["label"])
    assert len(out.summary.removed) == 1 and "delivery-status" in out.summary.removed[0]
    assert not any(SSN_ANY.search(v) for v in eml_views(out.data))
