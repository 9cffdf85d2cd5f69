"""Outlook .msg files, built with extract-msg's own OLE writer."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from extract_builders import by_part, collect, make_xlsx, write

from msg_builder import make_msg


def test_msg_subject_bodies_and_attachments(tmp_path: Path) -> None:
    data = make_msg(
        "Re: lookup for Juan Campos",
        "DOB 04/11/1982\r\nSSN 585-20-1234",
        html=b"<html><body><p>Plate <b>NJK-205</b></p><table><tr><td>a</td><td>b</td></tr></table>",
        attachments=[
            ("rows.csv", "a,b\n1,Muñoz\n".encode()),
            ("book.xlsx", make_xlsx({"Hoja": [["DL", 127703341]]})),
            ("photo.jpg", b"\xff\xd8\xff\xe0junk"),
        ],
        embedded=("inner subject", "inner body A#201553790"),
    )
    docs, errors = collect(write(tmp_path, "m.msg", data))
    parts = by_part(docs)
    assert list(parts) == [
        "header:subject",
        "body",
        "body.html",
        "attachment:rows.csv",
        "attachment:book.xlsx/sheet:Hoja",
        "attachment:forwarded.msg/header:subject",
        "attachment:forwarded.msg/body",
    ]
    assert parts["header:subject"].text == "Re: lookup for Juan Campos"
    assert parts["body"].text == "DOB 04/11/1982\r\nSSN 585-20-1234"
    assert parts["body.html"].text == "Plate NJK-205\na\tb"
    assert parts["attachment:rows.csv"].text == "a,b\n1,Muñoz\n"
    assert parts["attachment:book.xlsx/sheet:Hoja"].text == "DL\t127703341"
    assert parts["attachment:forwarded.msg/body"].text == "inner body A#201553790"
    assert [(e.part, e.reason.split(" (")[0]) for e in errors] == [
        ("attachment:photo.jpg", "unsupported attachment type")
    ]


def test_msg_without_html_does_not_invent_one(tmp_path: Path) -> None:
    docs, errors = collect(write(tmp_path, "p.msg", make_msg("s", "only plain")))
    assert errors == []
    assert [d.part for d in docs] == ["header:subject", "body"]


def test_msg_attached_to_an_email(tmp_path: Path) -> None:
    outer = EmailMessage()
    outer["From"] = "a@state.nm.us"
    outer["Subject"] = "fwd"
    outer.set_content("see attached\n")
    outer.add_attachment(
        make_msg("attached msg", "DOB 1990-01-22"),
        maintype="application",
        subtype="vnd.ms-outlook",
        filename="Original.msg",
    )
    docs, errors = collect(write(tmp_path, "o.eml", outer.as_bytes()))
    assert errors == []
    assert by_part(docs)["attachment:Original.msg/body"].text == "DOB 1990-01-22"


def test_not_a_msg(tmp_path: Path) -> None:
    for data in (b"", b"short", bytes(range(256)) * 20, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" * 300):
        docs, errors = collect(write(tmp_path, "x.msg", data))
        assert docs == []
        assert len(errors) == 1
        assert "msg" in errors[0].reason.lower() or "empty" in errors[0].reason
