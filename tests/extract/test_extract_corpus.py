"""The 40 labelled messages of spi-dev: every labelled span is in the extracted text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resguardo.extract import Document, ExtractError, extract_path

DATA = Path(__file__).resolve().parent.parent / "data" / "spi-dev"
MESSAGES = sorted((DATA / "eml").glob("msg-*.eml"))


def _labels() -> dict[str, dict[str, object]]:
    with (DATA / "labels.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {row["id"]: row for row in rows}


LABELS = _labels()


def test_all_forty_messages_are_there() -> None:
    assert len(MESSAGES) == 40


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_every_labelled_span_is_extracted(path: Path) -> None:
    items = list(extract_path(path))
    errors = [i for i in items if isinstance(i, ExtractError)]
    docs = [i for i in items if isinstance(i, Document)]
    assert errors == []
    parts = [d.part for d in docs]
    assert len(parts) == len(set(parts))
    assert parts[:2] == ["header:subject", "body"]
    text = "\n".join(d.text for d in docs)
    doc_id = path.stem.removeprefix("msg-")
    spans = LABELS[doc_id]["spans"]
    assert isinstance(spans, list)
    missing = [s["text"] for s in spans if s["text"] not in text]
    assert missing == []


@pytest.mark.parametrize("path", MESSAGES, ids=lambda p: p.name)
def test_html_version_carries_the_same_spans(path: Path) -> None:
    docs = {d.part: d for d in extract_path(path) if isinstance(d, Document)}
    if "body.html" not in docs:
        pytest.skip("no HTML part")
    spans = LABELS[path.stem.removeprefix("msg-")]["spans"]
    assert isinstance(spans, list)
    in_plain = [s["text"] for s in spans if s["text"] in docs["body"].text]
    assert [t for t in in_plain if t not in docs["body.html"].text] == []
