"""The hash chain of the audit log, as pure functions (no database, no clock).

Each entry's ``hash`` is ``sha256(prev_hash || canonical_json(event))`` as lowercase hex,
where ``prev_hash`` is the previous entry's hash as 64 ASCII hex characters (64 zeros for
the first entry) and the event is the object::

    {"action": ..., "actor": ..., "details": {...}, "object_id": ..., "object_type": ...,
     "ts": "2025-03-01T14:05:09.000123Z"}

serialised with sorted keys, no whitespace, UTF-8 (non-ASCII kept as is).

The position ``seq`` is deliberately *not* part of the hashed event: each entry's position
is already fixed by the ``prev_hash`` link to the one before it, so renumbering or swapping
rows breaks a link either way. Leaving it out lets the verifier tell a reordered entry
(intact content, broken link) from an edited one (content no longer matches its hash).

Changing anything here changes every hash ever written: a new format needs a version field
and a verifier that knows both.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeAlias

__all__ = [
    "GENESIS_HASH",
    "TIMESTAMP_FORMAT",
    "AuditEntry",
    "ChainVerifier",
    "JSONValue",
    "Problem",
    "ProblemKind",
    "VerifyResult",
    "canonical_json",
    "check_details",
    "compute_hash",
    "event_payload",
    "format_timestamp",
    "make_entry",
    "parse_timestamp",
    "verify_chain",
]

# Read-only, covariant containers: a caller's dict[str, list[str]] is accepted as is.
JSONValue: TypeAlias = str | int | bool | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None

GENESIS_HASH = "0" * 64
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_HEX = frozenset("0123456789abcdef")


def format_timestamp(ts: datetime) -> str:
    """``ts`` in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; naive datetimes are taken as UTC."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text: str) -> datetime:
    """Inverse of :func:`format_timestamp` (an aware UTC datetime)."""
    return datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def check_details(value: object, path: str = "details") -> None:
    """Raise ``ValueError`` unless ``value`` is JSON that survives every store exactly.

    Allowed: str, int, bool, None, lists/tuples and str-keyed dicts of these. Floats are
    refused because they have no single canonical text (``1e16`` comes back from PostgreSQL
    JSONB as ``10000000000000000``), which would break the hash of an honest entry; store
    amounts as strings or integers. NUL characters are refused because PostgreSQL cannot
    store them in JSONB or text.
    """
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"{path}: NUL characters cannot be stored")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{path}: not valid Unicode text ({exc.reason})") from None
        return
    if isinstance(value, float):
        kind = "non-finite number" if not math.isfinite(value) else "float"
        raise ValueError(f"{path}: {kind} {value!r} has no canonical JSON form; use str or int")
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            check_details(item, f"{path}[{i}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: key {key!r} is not a string")
            check_details(key, f"{path} key {key!r}")
            check_details(item, f"{path}.{key}")
        return
    raise ValueError(f"{path}: {type(value).__name__} is not JSON; use str, int, bool, list, dict")


def canonical_json(value: object) -> bytes:
    """Sorted keys, no whitespace, UTF-8 with non-ASCII characters kept literally."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def event_payload(
    *,
    ts: datetime,
    actor: str,
    action: str,
    object_type: str | None,
    object_id: str | None,
    details: Mapping[str, JSONValue],
) -> dict[str, object]:
    """The object whose canonical JSON is hashed (see the module docstring)."""
    return {
        "action": action,
        "actor": actor,
        "details": details,
        "object_id": object_id,
        "object_type": object_type,
        "ts": format_timestamp(ts),
    }


def compute_hash(
    prev_hash: str,
    *,
    ts: datetime,
    actor: str,
    action: str,
    object_type: str | None,
    object_id: str | None,
    details: Mapping[str, JSONValue],
) -> str:
    """``sha256(prev_hash || canonical_json(event))`` as 64 lowercase hex characters."""
    payload = event_payload(
        ts=ts,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )
    digest = hashlib.sha256(prev_hash.encode("ascii", errors="replace"))
    digest.update(canonical_json(payload))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry of the log as stored: position, event, and its two hashes."""

    seq: int
    ts: datetime
    actor: str
    action: str
    object_type: str | None
    object_id: str | None
    details: Mapping[str, JSONValue]
    prev_hash: str
    hash: str

    def expected_hash(self) -> str:
        """The hash this entry's content and ``prev_hash`` call for."""
        return compute_hash(
            self.prev_hash,
            ts=self.ts,
            actor=self.actor,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            details=self.details,
        )

    def to_record(self) -> dict[str, object]:
        """A flat JSON-ready dict (the export format; timestamps in the canonical form)."""
        return {
            "seq": self.seq,
            "ts": format_timestamp(self.ts),
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "details": self.details,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> AuditEntry:
        """Inverse of :meth:`to_record`; raises ``ValueError``/``KeyError`` on a bad record."""
        details = record["details"]
        if not isinstance(details, dict):
            raise ValueError("details must be an object")
        seq = record["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise ValueError("seq must be an integer")

        def opt_str(key: str) -> str | None:
            value = record[key]
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{key} must be a string or null")
            return value

        def req_str(key: str) -> str:
            value = record[key]
            if not isinstance(value, str):
                raise ValueError(f"{key} must be a string")
            return value

        return cls(
            seq=seq,
            ts=parse_timestamp(req_str("ts")),
            actor=req_str("actor"),
            action=req_str("action"),
            object_type=opt_str("object_type"),
            object_id=opt_str("object_id"),
            details=details,
            prev_hash=req_str("prev_hash"),
            hash=req_str("hash"),
        )


def make_entry(
    prev_seq: int,
    prev_hash: str,
    *,
    ts: datetime,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: str | None = None,
    details: Mapping[str, JSONValue] | None = None,
) -> AuditEntry:
    """The entry that follows the entry ``(prev_seq, prev_hash)``; start a log with
    ``make_entry(0, GENESIS_HASH, ...)``. Raises ``ValueError`` for details that are not
    canonical JSON (see :func:`check_details`)."""
    details = dict(details or {})
    check_details(details)
    # Pinned to UTC here so that the hash computed now equals the one recomputed later from
    # the stored row, whatever time zone the caller's datetime carried.
    ts = ts.astimezone(UTC) if ts.tzinfo is not None else ts.replace(tzinfo=UTC)
    entry_hash = compute_hash(
        prev_hash,
        ts=ts,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )
    return AuditEntry(
        seq=prev_seq + 1,
        ts=ts,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
        prev_hash=prev_hash,
        hash=entry_hash,
    )


class ProblemKind(StrEnum):
    """What the verifier found wrong at an entry."""

    CHANGED = "changed"  # content (or its hash) no longer matches
    LINK = "link"  # prev_hash is not the previous entry's hash: removed or reordered
    SEQ_GAP = "seq_gap"  # positions are missing or repeated
    HEAD = "head"  # the recorded chain head disagrees with the last entry (truncation)
    ANCHOR = "anchor"  # an externally kept (seq, hash) pair does not match


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of the verifier, ``seq`` being the entry it is reported at."""

    seq: int
    kind: ProblemKind
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class VerifyResult:
    """Outcome of verifying a chain; ``problems[0]`` is the first one in log order."""

    entries: int = 0
    last_seq: int | None = None
    last_hash: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        """The earliest problem, which names the first entry that was tampered with."""
        return self.problems[0] if self.problems else None


def _is_hex64(value: str) -> bool:
    return len(value) == 64 and set(value) <= _HEX


class ChainVerifier:
    """Checks entries fed in ``seq`` order, one at a time, so any length fits in memory.

    For each entry, in this order: its ``seq`` follows the previous one; its hash matches its
    content (else it was *changed*); its ``prev_hash`` equals the previous entry's hash (else
    an entry was *removed or reordered* before it, or the previous one was rewritten with a
    recomputed hash). Checking content before the link is what tells an edit (content and
    hash disagree) from a move (content intact, link broken).

    A slice of a chain (an export made ``--since``) is verified with ``partial=True``: the
    first entry's ``seq`` and ``prev_hash`` are taken as given. With ``start_after=(seq,
    hash)`` of the entry before the slice (say, from an anchor), the slice must follow it.
    """

    def __init__(
        self,
        *,
        partial: bool = False,
        start_after: tuple[int, str] | None = None,
        anchors: Mapping[int, str] | None = None,
    ) -> None:
        self.result = VerifyResult()
        # None: take the first entry's seq and prev_hash as given (a slice of unknown start).
        self._prev: tuple[int, str] | None = start_after
        if start_after is None and not partial:
            self._prev = (0, GENESIS_HASH)
        self._anchors = dict(anchors or {})
        self._finished = False

    def _report(self, seq: int, kind: ProblemKind, message: str) -> None:
        self.result.problems.append(Problem(seq, kind, message))

    def feed(self, entry: AuditEntry) -> None:
        """Check one more entry."""
        prev = self._prev
        if prev is not None:
            prev_seq, prev_hash = prev
            if entry.seq != prev_seq + 1:
                if entry.seq <= prev_seq:
                    self._report(
                        entry.seq,
                        ProblemKind.SEQ_GAP,
                        f"seq {prev_seq} → {entry.seq}: entries are out of order or repeated",
                    )
                elif prev_seq == 0:
                    self._report(
                        1,
                        ProblemKind.SEQ_GAP,
                        f"seq gap 0 → {entry.seq}: the log starts at entry {entry.seq}, "
                        f"entries 1–{entry.seq - 1} are missing",
                    )
                else:
                    missing = (
                        f"entry {prev_seq + 1} is"
                        if entry.seq == prev_seq + 2
                        else f"entries {prev_seq + 1}–{entry.seq - 1} are"
                    )
                    # Reported at the first missing seq: that is the entry removed.
                    self._report(
                        prev_seq + 1,
                        ProblemKind.SEQ_GAP,
                        f"seq gap {prev_seq} → {entry.seq} ({missing} missing)",
                    )
        else:
            prev_hash = entry.prev_hash

        content_ok = _is_hex64(entry.hash) and entry.hash == entry.expected_hash()
        if not content_ok:
            self._report(
                entry.seq,
                ProblemKind.CHANGED,
                f"entry {entry.seq}: hash does not match its content (changed)",
            )
        elif entry.prev_hash != prev_hash:
            assert prev is not None  # else prev_hash was taken from this entry
            if prev[0] == 0:
                where = "the start of the log"
                cause = "entries before it were removed or it was moved"
            else:
                where = f"entry {prev[0]}"
                cause = (
                    f"an entry was removed or reordered, or entry {prev[0]} was rewritten "
                    "with a recomputed hash"
                )
            self._report(
                entry.seq,
                ProblemKind.LINK,
                f"entry {entry.seq}: previous hash does not match {where} ({cause})",
            )

        expected_anchor = self._anchors.pop(entry.seq, None)
        if expected_anchor is not None and expected_anchor != entry.hash:
            self._report(
                entry.seq,
                ProblemKind.ANCHOR,
                f"entry {entry.seq}: hash {entry.hash[:16]}… differs from the anchored "
                f"{expected_anchor[:16]}… (the log was rewritten up to here)",
            )

        self._prev = (entry.seq, entry.hash)
        self.result.entries += 1
        self.result.last_seq = entry.seq
        self.result.last_hash = entry.hash

    def finish(self, head: tuple[int, str] | None = None) -> VerifyResult:
        """End of input. ``head`` is the chain head the store recorded, if it keeps one.

        Without a head or an anchor past the end, removing the *last* entries of a log leaves
        a valid shorter chain: nothing inside the chain can show it. The recorded head (and,
        better, a head copied somewhere the database's administrators cannot write) closes
        that gap.
        """
        if self._finished:
            return self.result
        self._finished = True
        last_seq = self.result.last_seq if self.result.last_seq is not None else 0
        last_hash = self.result.last_hash if self.result.last_hash is not None else GENESIS_HASH
        if head is not None:
            head_seq, head_hash = head
            if head_seq > last_seq:
                missing = (
                    f"entry {head_seq} is"
                    if head_seq == last_seq + 1
                    else f"entries {last_seq + 1}–{head_seq} are"
                )
                self._report(
                    last_seq + 1,
                    ProblemKind.HEAD,
                    f"seq gap {last_seq} → end: the chain head records entry {head_seq}, "
                    f"{missing} missing (removed from the end)",
                )
            elif head_seq < last_seq:
                self._report(
                    head_seq + 1,
                    ProblemKind.HEAD,
                    f"entry {head_seq + 1}: the chain head records only {head_seq} entries "
                    f"but the log has {last_seq} (entries were added behind its back)",
                )
            elif head_hash != last_hash:
                self._report(
                    last_seq,
                    ProblemKind.HEAD,
                    f"entry {last_seq}: hash does not match the recorded chain head",
                )
        for seq, expected in sorted(self._anchors.items()):
            self._report(
                seq,
                ProblemKind.ANCHOR,
                f"entry {seq}: anchored as {expected[:16]}… but no such entry is in the log "
                "(removed)",
            )
        self._anchors.clear()
        self.result.problems.sort(key=lambda p: p.seq)
        return self.result


def verify_chain(
    entries: Iterable[AuditEntry],
    *,
    head: tuple[int, str] | None = None,
    anchors: Mapping[int, str] | None = None,
    partial: bool = False,
) -> VerifyResult:
    """Verify a whole chain (or a slice, with ``partial=True``); see :class:`ChainVerifier`."""
    verifier = ChainVerifier(partial=partial, anchors=anchors)
    for entry in entries:
        verifier.feed(entry)
    return verifier.finish(head)
