"""The pure chain functions: canonical form, hashing, and the verifier's diagnoses."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resguardo.audit.chain import (
    GENESIS_HASH,
    AuditEntry,
    ChainVerifier,
    ProblemKind,
    canonical_json,
    check_details,
    compute_hash,
    format_timestamp,
    make_entry,
    parse_timestamp,
    verify_chain,
)

T0 = datetime(2025, 3, 1, 14, 5, 9, 123, tzinfo=UTC)


def build_chain(n: int, start: datetime = T0) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev_seq, prev_hash = 0, GENESIS_HASH
    for i in range(n):
        entry = make_entry(
            prev_seq,
            prev_hash,
            ts=start + timedelta(seconds=i),
            actor=f"user:u{i % 3}",
            action="decision",
            object_type="request",
            object_id=str(100 + i),
            details={"i": i, "verdict": "deny"},
        )
        entries.append(entry)
        prev_seq, prev_hash = entry.seq, entry.hash
    return entries


def head_of(entries: list[AuditEntry]) -> tuple[int, str]:
    return (entries[-1].seq, entries[-1].hash) if entries else (0, GENESIS_HASH)


def swap(entries: list[AuditEntry], i: int, j: int) -> list[AuditEntry]:
    """Exchange the positions of entries i and j, as swapping two rows' seq values does."""
    out = list(entries)
    out[i], out[j] = (
        replace(entries[j], seq=entries[i].seq),
        replace(entries[i], seq=entries[j].seq),
    )
    return out


# --- canonical form and hash -----------------------------------------------------------------


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": [True, None], "ñ": "año"}) == (
        '{"a":[true,null],"b":1,"ñ":"año"}'.encode()
    )


def test_timestamps_have_one_fixed_form() -> None:
    assert format_timestamp(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)) == (
        "2025-01-02T03:04:05.000000Z"
    )
    plus_two = timezone(timedelta(hours=2))
    assert format_timestamp(datetime(2025, 1, 2, 5, 4, 5, 7, tzinfo=plus_two)) == (
        "2025-01-02T03:04:05.000007Z"
    )
    assert format_timestamp(datetime(2025, 1, 2, 3, 4, 5)) == "2025-01-02T03:04:05.000000Z"
    assert parse_timestamp("2025-01-02T03:04:05.000007Z") == datetime(
        2025, 1, 2, 3, 4, 5, 7, tzinfo=UTC
    )


def test_hash_is_sha256_of_prev_hash_then_canonical_event() -> None:
    # Written out by hand so that any change to the hashed form fails here: old logs would
    # stop verifying.
    expected_bytes = (
        GENESIS_HASH.encode()
        + (
            '{"action":"login","actor":"user:ana","details":{"ip":"10.0.0.1","ñ":1},'
            '"object_id":"ana","object_type":"user","ts":"2025-03-01T14:05:09.000123Z"}'
        ).encode()
    )
    got = compute_hash(
        GENESIS_HASH,
        ts=T0,
        actor="user:ana",
        action="login",
        object_type="user",
        object_id="ana",
        details={"ñ": 1, "ip": "10.0.0.1"},
    )
    assert got == hashlib.sha256(expected_bytes).hexdigest()


def test_make_entry_links_to_previous() -> None:
    chain = build_chain(3)
    assert [e.seq for e in chain] == [1, 2, 3]
    assert chain[0].prev_hash == GENESIS_HASH
    assert chain[1].prev_hash == chain[0].hash
    assert all(e.hash == e.expected_hash() for e in chain)


@pytest.mark.parametrize(
    ("details", "fragment"),
    [
        ({"amount": 1.5}, "float"),
        ({"x": float("nan")}, "non-finite"),
        ({"x": "a\x00b"}, "NUL"),
        ({"x": {1: "a"}}, "not a string"),
        ({"x": {"a", "b"}}, "set"),
        ({"x": b"bytes"}, "bytes"),
        ({"x": "\ud800"}, "Unicode"),
    ],
)
def test_details_that_would_not_survive_storage_are_refused(
    details: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        check_details(details)
    with pytest.raises(ValueError):
        make_entry(0, GENESIS_HASH, ts=T0, actor="a", action="b", details=details)


def test_record_round_trip() -> None:
    entry = build_chain(1)[0]
    assert AuditEntry.from_record(entry.to_record()) == entry


# --- the verifier's messages -----------------------------------------------------------------


def test_intact_chain_verifies() -> None:
    chain = build_chain(20)
    result = verify_chain(chain, head=head_of(chain))
    assert result.ok
    assert result.entries == 20
    assert result.last_seq == 20


def test_empty_chain_verifies() -> None:
    assert verify_chain([], head=(0, GENESIS_HASH)).ok


def test_edited_entry_is_named_as_changed() -> None:
    chain = build_chain(20)
    chain[16] = replace(chain[16], actor="user:someone-else")
    result = verify_chain(chain, head=head_of(chain))
    assert not result.ok
    first = result.problems[0]
    assert (first.seq, first.kind) == (17, ProblemKind.CHANGED)
    assert str(first) == "entry 17: hash does not match its content (changed)"


def test_deleted_entry_is_named_as_a_gap() -> None:
    chain = build_chain(20)
    del chain[16]
    first = verify_chain(chain, head=head_of(build_chain(20))).problems[0]
    assert (first.seq, first.kind) == (17, ProblemKind.SEQ_GAP)
    assert first.message == "seq gap 16 → 18 (entry 17 is missing)"


def test_swapped_entries_are_named_as_reordered() -> None:
    chain = swap(build_chain(20), 16, 17)
    first = verify_chain(chain, head=head_of(chain)).problems[0]
    assert (first.seq, first.kind) == (17, ProblemKind.LINK)
    assert first.message.startswith(
        "entry 17: previous hash does not match entry 16 (an entry was removed or reordered"
    )


def test_rewritten_entry_with_recomputed_hash_is_caught_at_the_next_link() -> None:
    chain = build_chain(5)
    forged = make_entry(
        1, chain[0].hash, ts=chain[1].ts, actor="user:x", action="decision", details={}
    )
    chain[1] = forged
    first = verify_chain(chain, head=head_of(chain)).problems[0]
    assert (first.seq, first.kind) == (3, ProblemKind.LINK)
    assert "entry 2 was rewritten" in first.message


def test_removed_tail_is_caught_only_with_a_head_or_anchor() -> None:
    full = build_chain(10)
    cut = full[:8]
    # Nothing inside the chain shows that its end is missing ...
    assert verify_chain(cut).ok
    # ... the recorded head does ...
    first = verify_chain(cut, head=head_of(full)).problems[0]
    assert (first.seq, first.kind) == (9, ProblemKind.HEAD)
    assert "entries 9–10 are missing" in first.message
    # ... and so does an anchor kept elsewhere, even when the head was rewound too.
    anchored = verify_chain(cut, head=head_of(cut), anchors={10: full[9].hash})
    assert [p.kind for p in anchored.problems] == [ProblemKind.ANCHOR]


def test_anchor_detects_a_fully_recomputed_chain() -> None:
    original = build_chain(6)
    rewritten = build_chain(6, start=T0 + timedelta(days=1))  # every hash recomputed
    assert verify_chain(rewritten, head=head_of(rewritten)).ok
    result = verify_chain(rewritten, anchors={4: original[3].hash})
    assert [(p.seq, p.kind) for p in result.problems] == [(4, ProblemKind.ANCHOR)]


def test_log_missing_its_first_entries() -> None:
    chain = build_chain(5)[2:]
    first = verify_chain(chain).problems[0]
    assert first.kind is ProblemKind.SEQ_GAP
    assert first.seq == 1
    assert "entries 1–2 are missing" in first.message


def test_partial_slice_verifies_from_its_own_start() -> None:
    chain = build_chain(10)
    assert verify_chain(chain[4:], partial=True).ok
    assert not verify_chain(chain[4:]).ok


# --- property: any single tampering is found at the right entry ------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_EVENT = st.fixed_dictionaries(
    {
        "actor": _TEXT.filter(bool),
        "action": st.sampled_from(["login", "decision", "release", "download"]),
        "object_type": st.none() | st.sampled_from(["request", "user"]),
        "object_id": st.none() | _TEXT.filter(bool),
        "details": st.dictionaries(_TEXT, _JSON, max_size=4),
        "ts": st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
        ),
    }
)


@st.composite
def chains(draw: st.DrawFn) -> list[AuditEntry]:
    events = draw(st.lists(_EVENT, min_size=2, max_size=25))
    entries: list[AuditEntry] = []
    prev_seq, prev_hash = 0, GENESIS_HASH
    for event in events:
        entry = make_entry(prev_seq, prev_hash, **event)
        entries.append(entry)
        prev_seq, prev_hash = entry.seq, entry.hash
    return entries


_EDITABLE = ["actor", "action", "object_type", "object_id", "details", "ts", "prev_hash", "hash"]


def _different(value: object, field: str) -> object:
    if field == "ts":
        assert isinstance(value, datetime)
        return value + timedelta(microseconds=1)
    if field in ("prev_hash", "hash"):
        assert isinstance(value, str)
        return ("1" if value[0] != "1" else "2") + value[1:]
    if field == "details":
        assert isinstance(value, dict)
        return {**value, "tampered": True} if value.get("tampered") is not True else {}
    if value is None:
        return "x"
    assert isinstance(value, str)
    return value + "x"


@settings(max_examples=150, deadline=None)
@given(chain=chains(), data=st.data())
def test_any_single_edit_is_found_at_that_entry(
    chain: list[AuditEntry], data: st.DataObject
) -> None:
    head = head_of(chain)
    i = data.draw(st.integers(0, len(chain) - 1), label="index")
    field = data.draw(st.sampled_from(_EDITABLE), label="field")
    tampered = list(chain)
    tampered[i] = replace(chain[i], **{field: _different(getattr(chain[i], field), field)})
    first = verify_chain(tampered, head=head).problems[0]
    assert first.seq == chain[i].seq
    assert first.kind is ProblemKind.CHANGED


@settings(max_examples=150, deadline=None)
@given(chain=chains(), data=st.data())
def test_any_single_deletion_is_found_at_that_entry(
    chain: list[AuditEntry], data: st.DataObject
) -> None:
    head = head_of(chain)
    i = data.draw(st.integers(0, len(chain) - 1), label="index")
    renumber = data.draw(st.booleans(), label="renumber the rest")
    tampered = chain[:i] + [replace(e, seq=e.seq - 1) if renumber else e for e in chain[i + 1 :]]
    first = verify_chain(tampered, head=head).problems[0]
    # The removed entry is the one named, whether the gap was left or closed up.
    assert first.seq == chain[i].seq
    if i == len(chain) - 1:
        assert first.kind is ProblemKind.HEAD
    elif renumber:
        assert first.kind is ProblemKind.LINK
    else:
        assert first.kind is ProblemKind.SEQ_GAP


@settings(max_examples=150, deadline=None)
@given(chain=chains(), data=st.data())
def test_any_swap_is_found_at_the_first_moved_entry(
    chain: list[AuditEntry], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(chain) - 2), label="i")
    j = data.draw(st.integers(i + 1, len(chain) - 1), label="j")
    tampered = swap(chain, i, j)
    first = verify_chain(tampered, head=head_of(tampered)).problems[0]
    assert first.seq == chain[i].seq
    assert first.kind is ProblemKind.LINK


@settings(max_examples=100, deadline=None)
@given(chain=chains())
def test_untouched_chains_always_verify(chain: list[AuditEntry]) -> None:
    assert verify_chain(chain, head=head_of(chain)).ok


def test_slice_can_be_tied_to_the_entry_before_it() -> None:
    chain = build_chain(10)
    before = (chain[3].seq, chain[3].hash)
    verifier = ChainVerifier(start_after=before)
    for entry in chain[4:]:
        verifier.feed(entry)
    assert verifier.finish().ok

    wrong = ChainVerifier(start_after=(chain[2].seq + 1, chain[2].hash))
    for entry in chain[4:]:
        wrong.feed(entry)
    first = wrong.finish().problems[0]
    assert (first.seq, first.kind) == (5, ProblemKind.LINK)
