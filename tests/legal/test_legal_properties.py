"""Properties over arbitrary text: the classifier never raises and always answers validly."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resguardo.legal import ProcessClassification, ProcessKind, classify_process

DEV = Path(__file__).resolve().parents[1] / "data" / "requests-dev" / "documents"
DOCS = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("doc-*.txt"))]

# Text that looks like forms: the characters OCR confuses, form punctuation and words that
# are markers, so the search reaches the scoring code and not only the "nothing found" path.
_FORMISH = st.text(
    alphabet=st.sampled_from(list("aAeEiIlLoO0sS15mrn _-/()[]:.,§'\"\n\t")), max_size=300
)
_WORDS = st.lists(
    st.sampled_from(
        [
            "WARRANT",
            "SUBPOENA",
            "ORDER",
            "Judge",
            "Immigration",
            "Clerk",
            "Form",
            "I-200",
            "AO 93",
            "I-247A",
            "DHS",
            "UNITED STATES DISTRICT COURT",
            "/s/",
            "______",
            "[X]",
            "[ ]",
            "authorize",
            "Signature:",
            "ORDERED",
            "grand jury",
            "48 hours",
            "\n",
            "  ",
            "   ",
            "for example",
            "SAMPLE",
            "From: a@b.example",
            "-----------",
        ]
    ),
    max_size=60,
).map(" ".join)


def _check(result: ProcessClassification) -> None:
    assert isinstance(result.kind, ProcessKind)
    assert 0.0 <= result.confidence <= 1.0
    assert all(isinstance(e, str) and e for e in result.evidence)
    assert len(result.evidence) <= 8
    data = result.to_dict()
    assert list(data) == ["kind", "confidence", "evidence", "form", "issuer", "signed_by"]
    json.dumps(data)


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_unicode_text(text: str) -> None:
    _check(classify_process(text))


@_SETTINGS
@given(st.one_of(_FORMISH, _WORDS))
def test_form_like_noise(text: str) -> None:
    _check(classify_process(text))


@_SETTINGS
@given(
    st.sampled_from(DOCS),
    st.integers(0, 4000),
    st.integers(0, 4000),
    st.text(max_size=200),
)
def test_cut_and_spliced_documents(doc: str, a: int, b: int, noise: str) -> None:
    # Excerpts, a page cut mid-line, junk inserted: never an exception.
    _check(classify_process(doc[:a] + noise + doc[b:]))
    _check(classify_process(doc[min(a, b) : max(a, b)]))


@_SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=500))
def test_deterministic(text: str) -> None:
    assert classify_process(text) == classify_process(text)
