"""Text, CSV and HTML files; encoding detection; HTML → text."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from extract_builders import collect, write

from resguardo.extract import Limits
from resguardo.extract.encoding import decode_text, is_binary
from resguardo.extract.html import convert_html, html_to_text

SPANISH = "La señora Muñoz vive en Española; su dirección es Calle Niño 12, Nuevo México.\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SPANISH.encode("utf-8"), SPANISH),
        (codecs.BOM_UTF8 + SPANISH.encode("utf-8"), SPANISH),
        (codecs.BOM_UTF16_LE + SPANISH.encode("utf-16-le"), SPANISH),
        (codecs.BOM_UTF16_BE + SPANISH.encode("utf-16-be"), SPANISH),
        (SPANISH.encode("iso-8859-1"), SPANISH),
        (SPANISH.encode("cp1252"), SPANISH),
        ("“Quoted” – dash\n".encode("cp1252"), "“Quoted” – dash\n"),
        (b"", ""),
    ],
)
def test_txt_decodes_to_exact_text(tmp_path: Path, data: bytes, expected: str) -> None:
    docs, errors = collect(write(tmp_path, "t.txt", data))
    assert errors == []
    assert len(docs) == 1
    assert docs[0].part is None and docs[0].text == expected


def test_line_endings_are_kept_verbatim(tmp_path: Path) -> None:
    text = "one\r\ntwo\rthree\nfour\r\n"
    docs, _ = collect(write(tmp_path, "crlf.txt", text.encode()))
    assert docs[0].text == text


def test_binary_txt_is_an_error(tmp_path: Path) -> None:
    docs, errors = collect(write(tmp_path, "bin.txt", bytes(range(256)) * 40))
    assert docs == []
    assert [e.reason for e in errors] == ["not text: the content is binary data"]


def test_long_single_line(tmp_path: Path) -> None:
    # The 50 MB case, scaled down; the same code path runs for any size.
    line = b"585-20-1234 " * 500_000
    docs, errors = collect(write(tmp_path, "line.txt", line))
    assert errors == [] and docs[0].text == line.decode()
    docs, errors = collect(write(tmp_path, "line.txt", line), Limits(max_text_chars=1_000_000))
    assert len(docs[0].text) == 1_000_000
    assert len(errors) == 1 and "max_text_chars" in errors[0].reason


def test_max_file_bytes(tmp_path: Path) -> None:
    docs, errors = collect(write(tmp_path, "big.txt", b"x" * 5000), Limits(max_file_bytes=4000))
    assert docs == []
    assert "max_file_bytes" in errors[0].reason


def test_decode_text_rules() -> None:
    assert decode_text(b"abc").how == "utf-8"
    assert decode_text(b"caf\xe9", "utf-8").text == "café"
    assert decode_text("café".encode(), "iso-8859-1").text == "café"
    assert decode_text(b"\x93hi\x94", "iso-8859-1").text == "“hi”"
    assert decode_text(b"\x81", "windows-1252").text == "\x81"
    assert decode_text(b"hi", "base64").note == "unknown charset 'base64'"
    assert decode_text("Привет, как дела у тебя сегодня".encode("cp1251")).encoding == "cp1251"
    d = decode_text(b"\x00\x01\x02\x03 binary \xff\xfe\x00")
    assert is_binary(b"\x00\x01\x02\x03 binary \xff\xfe\x00", d)
    assert not is_binary(
        codecs.BOM_UTF16_LE + "hi".encode("utf-16-le"), decode_text(b"\xff\xfeh\x00")
    )


def test_csv(tmp_path: Path) -> None:
    text = "APELLIDO;NOMBRE;FECHA\nMUÑOZ;JOSÉ;1982-04-11\n"
    docs, errors = collect(write(tmp_path, "l.csv", text.encode("iso-8859-1")))
    assert errors == []
    assert docs[0].text == text
    assert docs[0].content_type == "text/csv"
    assert docs[0].metadata["delimiter"] == ";"
    docs, _ = collect(write(tmp_path, "t.tsv", b"a\tb\n1\t2\n"))
    assert docs[0].metadata["delimiter"] == "\t"


def test_html_file(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>t</title></head>'
        "<body><h1>Informe</h1><p>Se\xf1ora Mu\xf1oz</p></body></html>"
    ).encode("latin-1")
    docs, errors = collect(write(tmp_path, "p.html", page))
    assert errors == []
    assert docs[0].text == "Informe\nSeñora Muñoz"
    assert docs[0].content_type == "text/html"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("plain words", "plain words"),
        ("<p>a   b\n c</p><p>d</p>", "a b c\nd"),
        ("<div>one<br>two<br><br>three</div>", "one\ntwo\n\nthree"),
        ("<table><tr><td>a</td><td></td><td>c</td></tr><tr><td>d</td></tr></table>", "a\t\tc\nd"),
        ("<table><tr><td><p>x</p><p>y</p></td><td>z</td></tr></table>", "x\ny\tz"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        (
            "<blockquote>On Tue, X wrote:<blockquote>inner</blockquote></blockquote>",
            "On Tue, X wrote:\ninner",
        ),
        ("<pre>a  b\n  c</pre>", "a  b\n  c"),
        ("<p>x&nbsp;&amp;&nbsp;y</p>", "x & y"),
        ("<style>p{}</style><script>alert(1)</script><!-- c -->ok", "ok"),
        ("<b>bold</b>text <i>it</i>", "boldtext it"),
        ('<span style="display:none">hidden 585-20-1234</span>', "hidden 585-20-1234"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 200_000 + "deep 585-20-1234" + "</div>" * 200_000,
        # Flat blocks under a deep stack cost as much as nested blocks.
        "<x-a>" * 100_000 + "<div>row</div>" * 100_000 + "deep 585-20-1234",
        "<span>" * 100_000 + "<li>item" * 100_000 + "deep 585-20-1234",
    ],
)
def test_deeply_nested_html_is_read_quickly_without_layout(tmp_path: Path, html: str) -> None:
    start = time.monotonic()
    docs, errors = collect(write(tmp_path, "deep.html", html.encode()))
    assert time.monotonic() - start < 30  # minutes without the guards
    assert docs[0].text.endswith("deep 585-20-1234")
    assert [e.reason for e in errors] == [
        "HTML is nested more than 512 levels deep; read without its layout"
    ]


def test_markup_in_scripts_and_comments_does_not_count_as_nesting() -> None:
    html = "<div><p>para</p><script>var x='<div>'</script><!-- <div> --></div>" * 2000
    text, note = convert_html(html)
    assert note is None and text == "\n".join(["para"] * 2000)
