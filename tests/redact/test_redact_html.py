"""HTML: text split by tags or entities, attributes, comments, data URLs, the markup pass."""

from __future__ import annotations

import html

from redact_support import literal_scan
from selectolax.lexbor import LexborHTMLParser

from resguardo.redact import RedactionStyle, redact_html

SSN = "585-20-1234"
SCAN = literal_scan({SSN: "ssn", "412 W Avenue C": "street_address"})
LABEL = RedactionStyle.label()


def redact(markup: str, style: RedactionStyle = LABEL) -> str:
    return redact_html(markup.encode(), scan=SCAN, style=style).data.decode()


def visible_text(markup: str) -> str:
    return LexborHTMLParser(markup).text(separator="")


def test_value_split_by_tags_and_entities() -> None:
    out = redact("<p>SSN <i>585</i>&#45;20-<b>1234</b> and &#53;85-20-1234.</p>")
    assert visible_text(out) == "SSN [SSN] and [SSN]."
    assert out.count("[SSN]") == 2  # one token per value, not one per fragment


def test_block_boundaries_separate_and_inline_ones_join() -> None:
    # "585-20-1234" must not be formed across two table cells ...
    out = redact("<table><tr><td>585-20-</td><td>1234</td></tr></table>")
    assert "[SSN]" not in out
    # ... but whitespace across a <br> still matches an address split over two lines.
    out = redact("<p>412 W<br>Avenue C</p>")
    assert visible_text(out) == "[ADDRESS]"


def test_attribute_values_and_encoded_urls() -> None:
    out = redact(
        f'<a title="SSN {SSN}" href="mailto:a@b.gov?subject=SSN%20585%2D20%2D1234">x</a>'
        f'<img alt="vive en 412 W Avenue C">'
    )
    assert SSN not in html.unescape(out)
    assert "585%2D20" not in out
    assert 'title="SSN [SSN]"' in out
    assert "subject=SSN%20[SSN]" in out
    assert 'alt="vive en [ADDRESS]"' in out


def test_comments_templates_and_data_urls_are_removed() -> None:
    result = redact_html(
        (
            f"<!-- {SSN} --><p>ok</p><template><p>{SSN}</p></template>"
            '<img src="data:image/png;base64,AAAA"><p style="color:red">keep</p>'
        ).encode(),
        scan=SCAN,
        style=LABEL,
    )
    out = result.data.decode()
    assert SSN not in out
    assert "<template>" not in out
    assert "data:" not in out
    assert 'style="color:red"' in out
    assert any("data: URL" in r for r in result.summary.removed)


def test_markup_pass_catches_what_the_tree_does_not_hold() -> None:
    # A doctype's public id is not a node the walk visits.
    out = redact(f'<!DOCTYPE html PUBLIC "-//{SSN}//EN"><p>hi</p>')
    assert SSN not in out
    assert "<p>hi</p>" in out


def test_unchanged_document_is_returned_byte_for_byte() -> None:
    markup = "<P CLASS=x>Nothing&nbsp;here</P>\n"
    assert redact(markup) == markup


def test_mask_keeps_the_charset_with_character_references() -> None:
    markup = '<html><head><meta charset="iso-8859-1"></head><body>Dirección 412 W Avenue C</body>'
    result = redact_html(markup.encode("iso-8859-1"), scan=SCAN, style=RedactionStyle.mask())
    out = result.data.decode("iso-8859-1")
    assert "Dirección &#9608;" in out
    assert visible_text(out) == "Dirección " + "█" * len("412 W Avenue C")


def test_markup_pass_reads_the_source_both_raw_and_decoded() -> None:
    # To a browser this is one long number (no SSN); to a reader of the bytes, or of the
    # bytes with references decoded, it holds the SSN twice.
    out = redact(f"<p>x {SSN}&#53;85-20-1234 y</p>")
    assert SSN not in out and SSN not in html.unescape(out)
    # Inside <script> references are not decoded by HTML, but a reader of the source would.
    out = redact("<script>var s = '&#53;85-20-1234';</script><p>ok</p>")
    assert SSN not in html.unescape(out)
