"""The prefilter engine: both backends agree, offsets are code points, keys are unique."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resguardo.detect.patterns import HAVE_HYPERSCAN, Candidate, PatternSet, PatternSpec

SPECS = [
    PatternSpec("ssn", r"\b\d{3}-\d{2}-\d{4}\b"),
    PatternSpec("daca", r"\bdaca\b", caseless=True),
    PatternSpec("calle", r"\bcalle\s+[^\s,;]+", caseless=True, unicode=True),
    PatternSpec("situacion", r"situaci[oó]n\s+migratoria", caseless=True, unicode=True),
]

needs_hs = pytest.mark.skipif(not HAVE_HYPERSCAN, reason="hyperscan not installed")


def starts(result: dict[str, list[Candidate]], key: str) -> list[int]:
    return [c.start for c in result.get(key, [])]


@pytest.mark.parametrize("use_hs", [False, pytest.param(True, marks=needs_hs)])
def test_offsets_are_code_points_after_non_ascii(use_hs: bool) -> None:
    text = "Señora Núñez — SSN 585-20-1234, vive en Calle Ñandú; su situación migratoria: DACA"
    res = PatternSet(SPECS, use_hyperscan=use_hs).scan(text)
    (ssn,) = res["ssn"]
    assert text[ssn.start : ssn.end] == "585-20-1234"
    (sit,) = res["situacion"]
    assert text[sit.start : sit.end] == "situación migratoria"
    (daca,) = res["daca"]
    assert text[daca.start : daca.end] == "DACA"
    (calle,) = res["calle"]
    assert text[calle.start : calle.end] == "Calle Ñandú"


@needs_hs
@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "SSN ",
                "585-20-1234",
                " daca ",
                "ñ",
                "é",
                "€",
                "𝄞",
                "\n",
                "x",
                " ",
                "SITUACIÓN",
                " situación  migratoria",
                "calle ",
                "Ñandú",
                ",",
            ]
        ),
        max_size=40,
    )
)
def test_fallback_finds_every_hyperscan_start(pieces: list[str]) -> None:
    text = "".join(pieces)
    hs = PatternSet(SPECS, use_hyperscan=True).scan(text)
    py = PatternSet(SPECS, use_hyperscan=False).scan(text)
    for key in ("ssn", "daca", "calle", "situacion"):
        assert set(starts(hs, key)) <= set(starts(py, key))
        for c in hs.get(key, []):
            assert 0 <= c.start < c.end <= len(text)


def test_duplicate_keys_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate pattern keys: a"):
        PatternSet([PatternSpec("a", "x"), PatternSpec("a", "y")])


def test_empty_inputs() -> None:
    assert PatternSet([]).scan("anything") == {}
    assert PatternSet(SPECS).scan("") == {}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fold_keeps_length_and_is_ascii(text: str) -> None:
    from resguardo.detect.patterns import fold_text

    folded = fold_text(text)
    assert len(folded) == len(text)
    assert folded.isascii()


def test_fold_examples() -> None:
    from resguardo.detect.patterns import fold_text

    assert fold_text("Situación — Núñez, año 2019 “DACA”") == 'Situacion - Nunez, ano 2019 "DACA"'
    assert fold_text("585–20–1234") == "585-20-1234"


def test_split_alternation() -> None:
    from resguardo.detect.patterns import split_alternation

    assert split_alternation(r"a|b(c|d)|[|x]") == ["a", "b(c|d)", "[|x]"]
    assert split_alternation(r"(?:\bfoo\b|bar\s+baz)") == [r"\bfoo\b", r"bar\s+baz"]
    assert split_alternation(r"(?:a|b)c") == [r"(?:a|b)c"]
    assert split_alternation(r"(?:a)|(?:b)") == ["(?:a)", "(?:b)"]
    assert split_alternation(r"(?:a\)|b)") == [r"a\)", "b"]
    assert split_alternation(r"x[]|]y") == [r"x[]|]y"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "|", "(?:", ")", "x", "\\|", "[ab|]"]), max_size=12),
    st.text(alphabet="abx|", max_size=20),
)
def test_split_branches_match_like_the_whole(parts: list[str], text: str) -> None:
    import re

    from resguardo.detect.patterns import split_alternation

    rx = "".join(parts)
    try:
        whole = re.compile(rx)
    except re.error:
        return
    branches = [re.compile(b) for b in split_alternation(rx)]
    for i in range(len(text) + 1):
        assert bool(whole.match(text, i)) == any(b.match(text, i) for b in branches)


def test_default_patterns_are_the_same_in_every_process() -> None:
    """Compiled databases are cached by pattern text: a pattern built from a set would
    differ between processes (hash randomisation) and recompile every time."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json; from resguardo.detect.registry import default_detectors;"
        "print(json.dumps([(s.key, s.regex) for d in default_detectors() for s in d.patterns()]))"
    )
    outputs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code],
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]


@needs_hs
def test_compiled_database_is_cached_and_reloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = PatternSet(SPECS, use_hyperscan=True)
    cached = list((tmp_path / "resguardo" / "hs").glob("*.hsdb"))
    assert len(cached) == 1
    second = PatternSet(SPECS, use_hyperscan=True)  # loads the file instead of compiling
    text = "SSN 585-20-1234 situación migratoria DACA"
    assert second.scan(text) == first.scan(text)
    cached[0].write_bytes(b"garbage")  # a corrupt cache means compile again, not fail
    assert PatternSet(SPECS, use_hyperscan=True).scan(text) == first.scan(text)
