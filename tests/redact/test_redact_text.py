"""The pure core: redact_text in each style, merging, validation, and its properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resguardo.detect.finding import Finding
from resguardo.redact import RedactionStyle, label_for, plan_redactions, redact_text
from resguardo.redact.text import MASK_CHAR, Span, redact_spans

KEY = b"k" * 32
OTHER_KEY = b"q" * 32


def find(text: str, value: str, category: str = "ssn", nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Finding(category, start, start + len(value), value, 0.9, "test")


# --- styles -------------------------------------------------------------------------------


def test_label_uses_taxonomy_label() -> None:
    text = "SSN 585-20-1234, A# A201-447-583."
    out = redact_text(
        text,
        [find(text, "585-20-1234"), find(text, "A201-447-583", "a_number")],
        RedactionStyle.label(),
    )
    assert out == "SSN [SSN], A# [A-NUMBER]."


def test_unknown_category_gets_upper_case_id() -> None:
    assert label_for("ssn") == "SSN"
    assert label_for("case_worker") == "CASE-WORKER"


def test_mask_keeps_length_and_line_breaks() -> None:
    text = "DL 127703341 addr 412 W Ave\r\nHobbs NM|"
    f1 = find(text, "127703341", "drivers_license")
    f2 = find(text, "412 W Ave\r\nHobbs NM", "street_address")
    out = redact_text(text, [f1, f2], RedactionStyle.mask())
    assert len(out) == len(text)
    assert out == f"DL {MASK_CHAR * 9} addr {MASK_CHAR * 9}\r\n{MASK_CHAR * 8}|"


def test_hash_is_keyed_stable_and_normalized() -> None:
    text = "a 585-20-1234 b 585 20 1234 c 585-20-1235"
    fs = [
        find(text, "585-20-1234"),
        find(text, "585 20 1234"),
        find(text, "585-20-1235"),
    ]
    out = redact_text(text, fs, RedactionStyle.hashed(KEY))
    tokens = re.findall(r"\[SSN:([0-9a-f]+)\]", out)
    assert len(tokens) == 3 and all(len(t) == 12 for t in tokens)
    assert tokens[0] == tokens[1]  # same value, different separators
    assert tokens[0] != tokens[2]  # different value
    again = redact_text(text, fs, RedactionStyle.hashed(KEY))
    assert again == out  # stable across runs
    other = re.findall(
        r"\[SSN:([0-9a-f]+)\]", redact_text(text, fs, RedactionStyle.hashed(OTHER_KEY))
    )
    assert other[0] != tokens[0]  # a different key gives a different token
    assert "585" not in out


def test_hash_length_is_configurable_and_key_is_required() -> None:
    text = "585-20-1234"
    out = redact_text(text, [find(text, text)], RedactionStyle.hashed(KEY, hash_chars=8))
    assert re.fullmatch(r"\[SSN:[0-9a-f]{8}\]", out)
    with pytest.raises(ValueError, match="secret key"):
        RedactionStyle.hashed(b"short")
    with pytest.raises(ValueError, match="secret key"):
        RedactionStyle(kind=RedactionStyle.hashed(KEY).kind)
    assert "kkkk" not in repr(RedactionStyle.hashed(KEY))  # the key is never logged


# --- merging ------------------------------------------------------------------------------


def test_overlapping_and_touching_spans_merge_with_joined_labels() -> None:
    text = "staying at 1 Main St shelter now"
    address = find(text, "1 Main St", "street_address")
    homeless = find(text, "staying at 1 Main St shelter", "homeless_status")
    assert redact_text(text, [address, homeless], RedactionStyle.label()) == (
        "[HOMELESS-STATUS+ADDRESS] now"
    )
    # Touching spans leave no character between two tokens.
    text2 = "x585-20-1234A201447583y"
    f1 = find(text2, "585-20-1234")
    f2 = find(text2, "A201447583", "a_number")
    assert redact_text(text2, [f1, f2], RedactionStyle.label()) == "x[SSN+A-NUMBER]y"
    plan = plan_redactions(text2, [f1, f2], RedactionStyle.label())
    assert [(r.start, r.end, r.categories) for r in plan] == [(1, 22, ("ssn", "a_number"))]


def test_duplicate_findings_give_one_token() -> None:
    text = "SSN 585-20-1234"
    f = find(text, "585-20-1234")
    assert redact_text(text, [f, f], RedactionStyle.label()) == "SSN [SSN]"


def test_split_value_puts_the_token_on_the_lead_piece_only() -> None:
    spans = [Span(0, 3, "ssn", "585-20-1234", lead=True), Span(6, 9, "ssn", "585-20-1234", False)]
    assert redact_spans("585<b>-20</b>", spans, RedactionStyle.label()) == "[SSN]<b></b>"
    masked = redact_spans("585<b>-20</b>", spans, RedactionStyle.mask())
    assert masked == f"{MASK_CHAR * 3}<b>{MASK_CHAR * 3}</b>"


def test_findings_that_do_not_fit_the_text_raise() -> None:
    text = "SSN 585-20-1234"
    with pytest.raises(ValueError, match="does not match"):
        redact_text(text, [Finding("ssn", 0, 3, "585", 1.0, "t")], RedactionStyle.label())
    with pytest.raises(ValueError, match="outside"):
        redact_text(text, [Finding("ssn", 10, 99, "x", 1.0, "t")], RedactionStyle.label())


def test_no_findings_returns_the_text() -> None:
    assert redact_text("nothing here", [], RedactionStyle.mask()) == "nothing here"


# --- properties ---------------------------------------------------------------------------

# Characters that no token uses: no brackets, colon, plus, hyphen, upper case, hex digits
# or the mask. So any copy of a finding's text in the output must come from the text that
# was left outside the findings.
SAFE_ALPHABET = "ghijklmnopqrstuvwxyz .,;áñü\n"
STYLES = [RedactionStyle.label(), RedactionStyle.mask(), RedactionStyle.hashed(KEY)]
CATS = ["ssn", "street_address", "homeless_status", "employer", "custom_thing"]


@st.composite
def text_and_findings(
    draw: st.DrawFn, alphabet: str | None = SAFE_ALPHABET
) -> tuple[str, list[Finding]]:
    text = draw(st.text(alphabet=alphabet, max_size=80) if alphabet else st.text(max_size=80))
    findings = []
    if text:
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            cat = draw(st.sampled_from(CATS))
            findings.append(Finding(cat, start, end, text[start:end], 0.5, "hyp"))
    return text, findings


@settings(max_examples=300, deadline=None)
@given(data=text_and_findings(), style=st.sampled_from(STYLES))
def test_redaction_removes_every_finding(
    data: tuple[str, list[Finding]], style: RedactionStyle
) -> None:
    text, findings = data
    # Mask keeps line breaks, so a finding made only of line breaks is left as it was.
    findings = [f for f in findings if f.text.strip("\r\n")]
    out = redact_text(text, findings, style)
    covered = set()
    for f in findings:
        covered.update(range(f.start, f.end))

    # At its place: the output is the uncovered text with each merged region replaced by
    # a token that contains none of the text's characters.
    plan = plan_redactions(text, findings, style)
    assert set().union(*(range(r.start, r.end) for r in plan)) == covered
    rebuilt, pos = [], 0
    for r in plan:
        assert not set(r.text) & set(SAFE_ALPHABET.replace("\n", ""))
        rebuilt += [text[pos : r.start], r.text]
        pos = r.end
    assert out == "".join([*rebuilt, text[pos:]])

    # Anywhere: a finding's text that does not occur outside findings is not in the output.
    outside = "".join(c if i not in covered else "\x00" for i, c in enumerate(text))
    for f in findings:
        if f.text not in outside:
            assert f.text not in out


@settings(max_examples=200, deadline=None)
@given(data=text_and_findings(alphabet=None), style=st.sampled_from(STYLES))
def test_any_text_redacts_without_error_and_mask_keeps_length(
    data: tuple[str, list[Finding]], style: RedactionStyle
) -> None:
    text, findings = data
    out = redact_text(text, findings, style)
    if style.kind == "mask":
        assert len(out) == len(text)
    if not findings:
        assert out == text
