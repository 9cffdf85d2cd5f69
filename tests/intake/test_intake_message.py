"""Building a ParsedMessage: headers, bodies, attachments, attached messages, bad input."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage

import pytest
from intake_builders import make_pdf
from intake_helpers import eml

from msg_builder import make_msg
from resguardo.intake import MessageError, parse_email, parse_email_bytes, parse_msg_bytes
from resguardo.intake.message import attachment_text, mailboxes, parse_address


def test_headers_keep_the_office_in_a_display_name() -> None:
    m = parse_email_bytes(
        b"From: Agent <a@ice.dhs.gov>\nTo: Ana (HCA-ISD) <ana@state.nm.us>, "
        b'"Baca, Lorraine (DWS)" <lb@dws.state.nm.us>\nCc: x@y.example\n'
        b"Subject: =?utf-8?q?Solicitud_de_informaci=C3=B3n?=\n\nhello\n"
    )
    assert m.from_ is not None and m.from_.address == "a@ice.dhs.gov"
    assert [b.name for b in m.to] == ["Ana (HCA-ISD)", "Baca, Lorraine (DWS)"]
    assert m.to[1].domain == "dws.state.nm.us"
    assert m.cc[0].address == "x@y.example"
    assert m.subject == "Solicitud de información"
    assert m.body.strip() == "hello"


def test_plain_and_html_alternatives_read_the_plain_text() -> None:
    m = parse_email_bytes(eml("plain words", html="<p>html <b>words</b></p>"))
    assert m.body.strip() == "plain words"
    assert {b.content_type for b in m.bodies} == {"text/plain", "text/html"}


def test_html_only_message_becomes_text() -> None:
    m = parse_email_bytes(eml("", html="<p>Please send his <b>address</b>.</p><p>Thanks</p>"))
    assert "Please send his address." in m.body
    assert "<" not in m.body


def test_attachments_are_read_as_text() -> None:
    m = parse_email_bytes(eml("see attached", attachments=(("order.txt", "ORDER\nso ordered"),)))
    (att,) = m.attachments
    assert att.name == "order.txt" and att.text is not None and "so ordered" in att.text


def test_nested_rfc822_forward_is_followed() -> None:
    inner = EmailMessage(policy=email.policy.default)
    inner["From"] = "Officer <o@ice.dhs.gov>"
    inner["To"] = "Boss <boss@dws.state.nm.us>"
    inner["Subject"] = "inner"
    inner.set_content("inner body")
    inner.add_attachment("NOTICE TO APPEAR", filename="nta.txt")
    outer = EmailMessage(policy=email.policy.default)
    outer["From"] = "Boss <boss@dws.state.nm.us>"
    outer["To"] = "Clerk <clerk@dws.state.nm.us>"
    outer["Subject"] = "FW: inner"
    outer.set_content("see attached")
    outer.add_attachment(inner, filename="fwd.eml")
    m = parse_email(outer)
    (att,) = m.attachments
    assert att.message is not None
    assert att.message.from_ is not None and att.message.from_.address == "o@ice.dhs.gov"
    assert (att.message.attachments[0].text or "").strip() == "NOTICE TO APPEAR"
    assert [x.subject for x in m.walk()] == ["FW: inner", "inner"]


def test_an_eml_file_attached_as_bytes_is_parsed_as_a_message() -> None:
    raw = b"From: a@fbi.gov\nTo: b@state.nm.us\nSubject: s\n\nbody text\n"
    outer = EmailMessage(policy=email.policy.default)
    outer["From"] = "c@state.nm.us"
    outer["Subject"] = "fw"
    outer.set_content("fw")
    outer.add_attachment(raw, maintype="application", subtype="octet-stream", filename="x.eml")
    (att,) = parse_email(outer).attachments
    assert att.message is not None and att.message.body.strip() == "body text"


def test_latin1_body_is_decoded() -> None:
    data = (
        b"From: a@example.net\nTo: b@state.nm.us\nSubject: x\n"
        b"Content-Type: text/plain; charset=iso-8859-1\n\n"
        + "Doña Ana, dirección\n".encode("latin-1")
    )
    assert "Doña Ana, dirección" in parse_email_bytes(data).body


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x00\x01\x02\x03binary\x00\x00\xff" * 20, "binary"),
        (b"just some words, no headers at all\n", "not an email"),
    ],
)
def test_bad_input_is_a_message_error(data: bytes, words: str) -> None:
    with pytest.raises(MessageError, match=words):
        parse_email_bytes(data)


def test_msg_file() -> None:
    data = make_msg(
        "records",
        "Please send his address.\r\n",
        headers="From: Det. Ruiz <druiz@pd.example>\r\nTo: MVD Records <mvd@state.nm.us>",
        attachments=(("warrant.txt", b"SEARCH WARRANT"),),
    )
    m = parse_msg_bytes(data)
    assert m.from_ is not None and m.from_.address == "druiz@pd.example"
    assert m.to[0].name == "MVD Records"
    assert "send his address" in m.body
    assert m.attachments[0].text == "SEARCH WARRANT"


def test_not_a_msg() -> None:
    with pytest.raises(MessageError):
        parse_msg_bytes(b"From: a@b.c\n\nhello")


def test_attachment_text_reads_a_pdf() -> None:
    text, problem = attachment_text(make_pdf(["SEARCH AND SEIZURE WARRANT"]), "w.pdf", None)
    assert text is not None and "SEARCH AND SEIZURE WARRANT" in text
    assert problem is None


def test_attachment_text_of_an_image_is_a_problem() -> None:
    text, problem = attachment_text(b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "scan.png", "image/png")
    assert text is None and problem is not None


def test_addresses_as_written_in_forwarded_headers() -> None:
    box = parse_address("Medrano, Celia <celia.medrano@ice.dhs.gov>")
    assert box is not None and box.name == "Medrano, Celia"
    assert box.address == "celia.medrano@ice.dhs.gov"
    box = parse_address("Herrera, Marco A. (TRD-MVD) [mailto:m.h@state.nm.us]")
    assert box is not None and box.address == "m.h@state.nm.us" and "(TRD-MVD)" in box.name
    only_name = parse_address("Herrera, Marco A. (TRD-MVD)")
    assert (
        only_name is not None and only_name.address == "" and only_name.name.startswith("Herrera")
    )
    boxes = mailboxes("A, B <a@x.gov>; C D <c@y.gov>")
    assert [b.address for b in boxes] == ["a@x.gov", "c@y.gov"]
