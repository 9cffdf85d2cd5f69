"""Lexicon loading, phrase syntax, compilation and user lexicons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resguardo.detect.lexicon import (
    STATUS_CATEGORIES,
    Kind,
    TermIndex,
    at_word_boundary,
    builtin_lexicons,
    compile_phrase,
    context_cues,
    expand_phrase,
    fold,
    load_user_lexicon,
    pattern_specs,
    places,
    word_list_regex,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "lexicons" / "abq-shelters.yaml"


def _py(phrase: str) -> re.Pattern[str]:
    # The prefilter runs byte-mode caseless; Python's ASCII caseless mode is the same.
    return re.compile(compile_phrase(phrase), re.IGNORECASE | re.ASCII)


# --------------------------------------------------------------------------- phrase syntax


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("situación migratoria", "su situacion migratoria"),
        ("situación migratoria", "SITUACIÓN MIGRATORIA"),
        ("situación migratoria", "situación\nmigratoria"),
        ("same-sex partner", "her same sex partner"),
        ("same-sex partner", "her samesex partner"),
        ("same sex partner", "her same-sex partner"),
        ("u.s. citizen", "is a US citizen"),
        ("u.s. citizen", "is a U. S. citizen"),
        ("jehovah's witness", "a Jehovah’s Witness"),
        ("jehovah's witness", "a Jehovahs Witness"),
        ("indocumentad(o|a|os|as)", "son indocumentadas"),
        ("born in (the u.s.|this country)", "was born in this country"),
        ("non-binary", "is nonbinary"),
    ],
)
def test_phrase_matches_spelling_variants(phrase: str, text: str) -> None:
    assert _py(phrase).search(text), (phrase, text)


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("gay", "Gaylord"),  # word boundaries
        ("ssi", "possible"),
        ("situación migratoria", "situacional migratoria"),
        ("indocumentad(o|a)", "documentado"),
    ],
)
def test_phrase_does_not_match_inside_words(phrase: str, text: str) -> None:
    m = _py(phrase).search(text)
    assert m is None or not at_word_boundary(text, m.start(), m.end())


def test_accented_edges_are_checked_in_python() -> None:
    # No ASCII \b can sit next to an accented letter; at_word_boundary does that job.
    rx = _py("nació")
    text = "renació en Juárez; nació en Oaxaca"
    hits = [m for m in rx.finditer(text) if at_word_boundary(text, m.start(), m.end())]
    assert [text[m.start() : m.end()] for m in hits] == ["nació"]


def test_expand_and_fold() -> None:
    assert sorted(expand_phrase("refugiad(o|a)(s)?")) == [
        "refugiada",
        "refugiadas",
        "refugiado",
        "refugiados",
    ]
    assert fold("Situación  Migratoria") == fold("situacion-migratoria") == "situacionmigratoria"


@pytest.mark.parametrize("bad", ["(a|b", "a|b)", "a?", "x (y))"])
def test_bad_phrase_syntax_raises(bad: str) -> None:
    with pytest.raises(ValueError):
        compile_phrase(bad)


def test_word_list_regex_trie_matches_like_a_flat_alternation() -> None:
    words = ["is", "is not", "was", "has", "has been", "he's", "situación", "sin papeles"]
    trie = re.compile(word_list_regex(words), re.IGNORECASE)
    text = "He has been here. He's not; was it? sin  papeles, situacion, This island is"
    got = [m.group() for m in trie.finditer(text)]
    assert got == ["has been", "He's", "was", "situacion", "is"]


def test_term_index_maps_spellings_back() -> None:
    lex = builtin_lexicons()["immigration_status"]
    idx = TermIndex()
    for t in lex.terms:
        idx.add(t)
    term = idx.get("Situación Irregular")
    assert term is not None and term.category == "immigration_status"
    assert idx.get("no such phrase") is None


# --------------------------------------------------------------------------- built-in data


def test_builtin_lexicons_cover_every_status_category() -> None:
    lex = builtin_lexicons()
    assert set(lex) == set(STATUS_CATEGORIES)
    for cat, cl in lex.items():
        assert cl.terms, cat
        assert all(t.category == cat for t in cl.terms)
    # "a few hundred phrases" plus every country in both languages
    assert sum(len(c.terms) for c in lex.values()) > 800
    names = {fold(n) for p in places() for n in p.names}
    for country in (
        "Mexico",
        "México",
        "Guatemala",
        "El Salvador",
        "Honduras",
        "Haití",
        "Afghanistan",
    ):
        assert fold(country) in names


def test_every_builtin_phrase_compiles_for_python() -> None:
    for cl in builtin_lexicons().values():
        for t in cl.terms:
            re.compile(compile_phrase(t.phrase))
    for p in places():
        for n in (*p.names, *p.demonyms):
            re.compile(compile_phrase(n))
    cues = context_cues()
    for key in ("person_pronouns", "verbs", "generic_plurals", "hypothetical", "prohibition"):
        re.compile(word_list_regex(cues[key]))


def test_pattern_specs_stay_under_the_hyperscan_length_limit() -> None:
    terms = [t for cl in builtin_lexicons().values() for t in cl.terms]
    specs = pattern_specs("test", terms)
    assert specs and all(len(s.regex) < 1000 for s in specs)
    assert len({s.key for s in specs}) == len(specs)
    # No look-around, back-references or named groups (not Hyperscan-compatible).
    for s in specs:
        assert not re.search(r"\(\?[=!<P]", s.regex), s.regex


# --------------------------------------------------------------------------- user lexicons


def test_sample_user_lexicon_loads() -> None:
    ul = load_user_lexicon(SAMPLE)
    assert ul.name
    cats = {e.category for e in ul.entries}
    assert "homeless_status" in cats
    shelters = [e for e in ul.entries if e.category == "homeless_status"]
    assert all(e.kind is Kind.PLACE for e in shelters)
    assert any(not e.requires_person_context for e in ul.entries)
    terms = ul.terms()
    assert any(t.phrase == "Westside Emergency Housing Center" for t in terms)
    assert all(t.source == ul.name for t in terms)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "lex.yaml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name: x\nentries:\n  - category: shelters\n    terms: [A]\n",
            "unknown category 'shelters'",
        ),
        ("name: x\nentries:\n  - category: ssn\n    terms: [A]\n", "unknown category 'ssn'"),
        ("name: x\nentries: [\n", "invalid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("name: x\nentries: []\n", "'entries' must be a non-empty list"),
        ("name: x\nentries:\n  - category: religion\n    terms: []\n", "'terms' must be"),
        ("name: x\nentries:\n  - category: religion\n    terms: [' ']\n", "'terms' must be"),
        (
            "name: x\nentries:\n  - category: religion\n    terms: [A]\n"
            "    requires_person_context: maybe\n",
            "'requires_person_context' must be true or false",
        ),
        ("name: x\nentries:\n  - category: religion\n    term: [A]\n", "unknown keys"),
        (
            "name: x\nentries:\n  - category: religion\n    terms: [A]\n    kind: odd\n",
            "unknown kind",
        ),
    ],
)
def test_bad_user_lexicon_raises_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(ValueError) as err:
        load_user_lexicon(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)  # the error names the file


def test_missing_user_lexicon_file_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        load_user_lexicon(tmp_path / "nope.yaml")


def test_user_terms_are_literal_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "name: odd\nentries:\n  - category: homeless_status\n"
        "    terms: ['St. Martin (Downtown) Hospitality Center']\n",
    )
    term = load_user_lexicon(path).terms()[0]
    assert _py(term.phrase).search("at St. Martin Downtown Hospitality Center")
