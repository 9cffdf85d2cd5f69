"""The machinery under the identifier detectors: the folded view, end-only prefilter
patterns, and the per-text analyses that are built lazily and shared.

Speed is measured by the benchmarks, not here; these tests pin down the behaviour that makes
the lazy paths safe: same answers whichever way they are reached.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from resguardo.detect import identifiers
from resguardo.detect.context import ScanContext
from resguardo.detect.identifiers._index import SHARED, Index, index_of
from resguardo.detect.patterns import HAVE_HYPERSCAN, PatternSet, PatternSpec, fold_text
from resguardo.detect.scanner import Scanner

needs_hs = pytest.mark.skipif(not HAVE_HYPERSCAN, reason="hyperscan not installed")


def _fold_char(c: str) -> str:
    """The folding rule, one character at a time (the reference for fold_text)."""
    return fold_text(c) if c.isascii() else fold_text("x" + c)[1]


def test_fold_text_is_the_per_character_fold_across_scripts() -> None:
    rng = random.Random(7)
    pool = [
        *map(chr, range(0x20, 0x250)),
        "\u2014", "\u2019", "\u201c", "\u2028", "\u00a0", "\U0001d11e", "\u4e2d", "\u0660",
        "\ud800", "\u0301",
    ]  # fmt: skip
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        folded = fold_text(text)
        assert len(folded) == len(text) and folded.isascii()
        assert folded == "".join(_fold_char(c) for c in text)


def test_fold_text_on_spanish_and_typography() -> None:
    assert fold_text("Señora Núñez — “¿Situación?”") == 'Senora Nunez - "?Situacion?"'
    assert fold_text("\u00a0") == " " and unicodedata.category("\u00a0") == "Zs"


@pytest.mark.parametrize("use_hs", [False, pytest.param(True, marks=needs_hs)])
def test_end_only_patterns_report_ends_in_both_backends(use_hs: bool) -> None:
    street = r"\b\d{1,6}[ \t]+(?:\S+[ \t]+){0,3}(?:st|ave)\b"
    specs = [
        PatternSpec("street", street, caseless=True, som=False),
        PatternSpec("ssn", r"\b\d{3}-\d{2}-\d{4}\b"),
    ]
    text = "lives at 412 N Main St, near 9 Elm Ave; SSN 585-20-1234"
    res = PatternSet(specs, use_hyperscan=use_hs).scan(text)
    assert [(c.start, c.end) for c in res["street"]] == [
        (text.index("St,") + 2, text.index("St,") + 2),
        (text.index("Ave;") + 3, text.index("Ave;") + 3),
    ]
    (ssn,) = res["ssn"]
    assert text[ssn.start : ssn.end] == "585-20-1234"


def test_texts_without_identifier_candidates_build_nothing() -> None:
    scanner = Scanner(identifiers.detectors())
    text = "The office phone and the home address labels are on the DOB form."
    ctx = ScanContext(text, scanner.patterns.scan(text))
    for d in scanner.detectors:
        assert list(d.detect(ctx)) == []
    assert SHARED not in ctx._shared  # no word index for a text that needs none


def test_the_word_index_is_shared_by_the_detectors_of_a_text() -> None:
    scanner = Scanner(identifiers.detectors())
    text = "Client DOB 03/14/1988, SSN 585-20-1234. Lives at 12 Elm St, Hatch NM 87937."
    ctx = ScanContext(text, scanner.patterns.scan(text))
    first = index_of(ctx)
    for d in scanner.detectors:
        list(d.detect(ctx))
    assert index_of(ctx) is first


def test_the_lazy_index_answers_as_a_whole_text_index_would() -> None:
    text = (
        "Res: 1127 Atrisco Dr SW. Office phone 505-555-0100.\n" * 5
        + "Employer address: 2 Elm St\nDL_NO, DOB, home address\n"
    ) * 3
    whole = Index(text)
    whole.cover([(0, len(text))])
    rng = random.Random(3)
    for _ in range(50):
        lazy = Index(text)
        for _ in range(8):  # questions in any order, over any windows
            a = rng.randrange(len(text))
            lazy.ensure(a, min(len(text), a + rng.randint(1, 200)))
        lazy.ensure(0, len(text))
        assert lazy.labels_in(0, len(text)) == whole.labels_in(0, len(text))
        for name in ("org", "addrneg", "title", "person"):
            assert lazy.words(name).last_in(0, len(text)) == whole.words(name).last_in(0, len(text))
