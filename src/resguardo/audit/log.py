"""The audit log in the database: append, read, verify and export.

Appending is safe with any number of writers, threads or processes: each append first locks
the single chain-head row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the write
session's ``BEGIN IMMEDIATE`` already holds the database's one write lock), reads the last
seq and hash, writes the new entry and moves the head, so two appends can never both build
on the same entry. The lock is held until the caller's transaction ends: append the event
as the *last* step before committing, so other writers wait as little as possible.

:func:`append_event` does not commit. Call it with the session that makes the change being
recorded; the entry then commits or rolls back together with that change.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import IO, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from resguardo.audit.chain import (
    AuditEntry,
    ChainVerifier,
    JSONValue,
    Problem,
    ProblemKind,
    VerifyResult,
    canonical_json,
    check_details,
    format_timestamp,
    make_entry,
)
from resguardo.store.engine import SQLITE_BEGIN_INFO_KEY
from resguardo.store.models import ACTOR_MAX, AuditChainHead, AuditEvent
from resguardo.store.types import utcnow

__all__ = [
    "EXPORT_FIELDS",
    "Action",
    "AuditError",
    "Event",
    "ExportFormat",
    "append_event",
    "append_events",
    "chain_head",
    "export_log",
    "iter_entries",
    "read_export",
    "verify_log",
]

_ACTION_MAX = 100
_OBJECT_TYPE_MAX = 100
_OBJECT_ID_MAX = 200


class AuditError(Exception):
    """The event cannot be recorded, or the log cannot be read."""


class Action(StrEnum):
    """Action names used across Resguardo; other strings are allowed, these keep reports
    consistent."""

    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOGIN_THROTTLED = "login.throttled"
    LOGOUT = "logout"
    USER_CREATE = "user.create"
    USER_DISABLE = "user.disable"
    USER_ENABLE = "user.enable"
    USER_PASSWORD_RESET = "user.password_reset"
    USER_PASSWORD_CHANGE = "user.password_change"
    USER_ROLE_CHANGE = "user.role_change"
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"
    REQUEST_CREATE = "request.create"
    DECISION = "decision"
    REVIEW = "review"
    RELEASE = "release"
    DOWNLOAD = "download"
    PACK_CHANGE = "pack.change"


def _check_text(name: str, value: str | None, limit: int, *, required: bool) -> None:
    if value is None:
        if required:
            raise AuditError(f"{name} is required")
        return
    if not value.strip():
        # Empty and missing must not both exist: exports (CSV) cannot tell them apart.
        raise AuditError(f"{name} must not be empty" + ("" if required else "; pass None"))
    if len(value) > limit:
        raise AuditError(f"{name} is longer than {limit} characters")
    if "\x00" in value:
        raise AuditError(f"{name} contains a NUL character")


# Built once: statements with bound parameters skip SQLAlchemy's per-call construction and
# cache-key work, which was most of an append's cost. Core tables, not ORM entities, so no
# ORM bookkeeping runs and nothing stale lands in the session's identity map. The head is
# read by column for the same reason; reading it through the session still autoflushes the
# caller's pending changes before we queue on the lock.
_events = cast(Table, AuditEvent.__table__)
_head = cast(Table, AuditChainHead.__table__)
_LOCK_HEAD = select(_head.c.seq, _head.c.hash).where(_head.c.id == 1).with_for_update()
_INSERT_EVENT = _events.insert()
_MOVE_HEAD = (
    _head.update()
    .where(_head.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)


def _require_write_transaction(session: Session) -> None:
    conn = session.connection()
    if conn.dialect.name == "sqlite" and conn.info.get(SQLITE_BEGIN_INFO_KEY) != "IMMEDIATE":
        # A deferred transaction could not wait for the write lock; it would fail with
        # "database is locked" under load instead of queueing.
        raise AuditError(
            "audit events must be appended in a write session (Store.session()), "
            "whose SQLite transaction begins IMMEDIATE"
        )


@dataclass(frozen=True, slots=True)
class Event:
    """An event to append, checked: see :func:`append_event` for the fields."""

    actor: str
    action: str
    object_type: str | None = None
    object_id: str | None = None
    details: dict[str, JSONValue] = field(default_factory=dict)

    @classmethod
    def checked(
        cls,
        *,
        actor: str,
        action: str,
        object_type: str | None = None,
        object_id: str | int | None = None,
        details: Mapping[str, JSONValue] | None = None,
    ) -> Event:
        """The event, or :class:`AuditError` naming what cannot be recorded."""
        _check_text("actor", actor, ACTOR_MAX, required=True)
        _check_text("action", action, _ACTION_MAX, required=True)
        _check_text("object_type", object_type, _OBJECT_TYPE_MAX, required=False)
        oid = str(object_id) if object_id is not None else None
        _check_text("object_id", oid, _OBJECT_ID_MAX, required=False)
        payload: dict[str, JSONValue] = dict(details or {})
        try:
            check_details(payload)
        except ValueError as exc:
            raise AuditError(str(exc)) from exc
        return cls(str(actor), str(action), object_type, oid, payload)


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    details: Mapping[str, JSONValue] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one event to the log inside ``session``'s transaction; return the entry.

    ``actor`` names who acted (``user:ana``, ``token:3:dmv-gateway``, ``cli:root``,
    ``anonymous``); ``details`` is JSON without floats (see chain.check_details). The
    timestamp is taken after the chain lock is held, so timestamps follow ``seq`` order on
    one clock. Does not commit.
    """
    event = Event.checked(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details,
    )
    return append_events(session, [event], now=now)[0]


def append_events(
    session: Session, events: Sequence[Event], *, now: datetime | None = None
) -> list[AuditEntry]:
    """Append checked events, in order, inside ``session``'s transaction; their entries.

    The chain head is locked once for all of them, so a batch costs one lock wait and,
    when the caller commits, one durable write. Does not commit.
    """
    _require_write_transaction(session)
    head = session.execute(_LOCK_HEAD).one_or_none()
    if head is None:
        raise AuditError("the audit chain head is missing: is the database schema migrated?")
    seq, prev_hash = head.seq, head.hash
    ts = now if now is not None else utcnow()
    entries: list[AuditEntry] = []
    for event in events:
        entry = make_entry(
            seq,
            prev_hash,
            ts=ts,
            actor=event.actor,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            details=event.details,
        )
        # In this order: the insert trigger checks the entry against the old head, the head
        # trigger checks that the new head's entry exists.
        session.execute(
            _INSERT_EVENT,
            {
                "seq": entry.seq,
                "occurred_at": entry.ts,
                "actor": entry.actor,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "details": event.details,
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
            },
        )
        session.execute(_MOVE_HEAD, {"new_seq": entry.seq, "new_hash": entry.hash})
        seq, prev_hash = entry.seq, entry.hash
        entries.append(entry)
    return entries


def chain_head(session: Session) -> tuple[int, str] | None:
    """``(seq, hash)`` of the last entry as the head row records it (``(0, GENESIS_HASH)``
    for an empty log), or None if the head row is missing.

    Copy this pair somewhere the database's administrators cannot write (a ticket, a signed
    email, a printed report): ``verify --anchor`` then proves the log up to there was not
    rewritten or cut short, which the chain alone cannot.
    """
    row = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == 1)
    ).one_or_none()
    return (row.seq, row.hash) if row is not None else None


def iter_entries(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    batch_size: int = 1000,
) -> Iterator[AuditEntry]:
    """Entries in ``seq`` order, streamed (server-side cursor on PostgreSQL).

    ``since`` is inclusive and ``until`` exclusive, both compared with the entry's UTC
    timestamp.
    """
    stmt = select(
        AuditEvent.seq,
        AuditEvent.occurred_at,
        AuditEvent.actor,
        AuditEvent.action,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.details,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    ).order_by(AuditEvent.seq)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < until)
    result = session.execute(stmt.execution_options(yield_per=batch_size))
    for row in result:
        yield AuditEntry(
            seq=row.seq,
            ts=row.occurred_at,
            actor=row.actor,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            details=row.details,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )


def verify_log(session: Session, *, anchors: Mapping[int, str] | None = None) -> VerifyResult:
    """Check the whole chain and the recorded head; see chain.ChainVerifier.

    Use a read session: on PostgreSQL the single streaming SELECT sees one snapshot, on
    SQLite the deferred transaction does. The head is read in the same transaction.
    """
    try:
        head = chain_head(session)
        verifier = ChainVerifier(anchors=anchors)
        for entry in iter_entries(session):
            verifier.feed(entry)
    except (OperationalError, ProgrammingError) as exc:
        raise AuditError(f"cannot read the audit log: {exc.orig or exc}") from exc
    result = verifier.finish(head)
    if head is None:
        result.problems.append(
            Problem(
                (result.last_seq or 0) + 1,
                ProblemKind.HEAD,
                "the chain head row is missing (deleted): entries may have been cut off the end",
            )
        )
    return result


class ExportFormat(StrEnum):
    """Formats of ``audit export``."""

    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"


EXPORT_FIELDS = (
    "seq",
    "ts",
    "actor",
    "action",
    "object_type",
    "object_id",
    "details",
    "prev_hash",
    "hash",
)


def _json_line(entry: AuditEntry) -> str:
    return canonical_json(entry.to_record()).decode("utf-8")


def export_log(
    session: Session,
    out: IO[str],
    fmt: ExportFormat,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Write entries to ``out`` as they are read; return how many were written.

    Every format carries all stored fields, so an export can be verified on its own
    (:func:`read_export` + chain.verify_chain with ``partial=True`` for a ``since`` slice).
    CSV puts details in one column as canonical JSON. Cells are written as stored, not
    defused for spreadsheets: an auditor opening a CSV in a spreadsheet program should
    import it as text.
    """
    count = 0
    entries = iter_entries(session, since=since, until=until)
    if fmt is ExportFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_FIELDS)
        for entry in entries:
            writer.writerow(
                [
                    entry.seq,
                    format_timestamp(entry.ts),
                    entry.actor,
                    entry.action,
                    "" if entry.object_type is None else entry.object_type,
                    "" if entry.object_id is None else entry.object_id,
                    canonical_json(entry.details).decode("utf-8"),
                    entry.prev_hash,
                    entry.hash,
                ]
            )
            count += 1
    elif fmt is ExportFormat.JSONL:
        for entry in entries:
            out.write(_json_line(entry) + "\n")
            count += 1
    else:
        # A JSON array written element by element, so a large log never sits in memory.
        out.write("[")
        for entry in entries:
            out.write(("\n" if count == 0 else ",\n") + _json_line(entry))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count


def read_export(stream: IO[str], fmt: ExportFormat) -> Iterator[AuditEntry]:
    """Entries from an :func:`export_log` file. CSV cannot tell an empty string from a
    missing object type/id; both read back as missing, which is how append writes them."""
    if fmt is ExportFormat.JSONL:
        for line in stream:
            if line.strip():
                yield AuditEntry.from_record(json.loads(line))
    elif fmt is ExportFormat.JSON:
        data = json.load(stream)
        if not isinstance(data, list):
            raise ValueError("a JSON export is an array of entries")
        for record in data:
            yield AuditEntry.from_record(record)
    else:
        reader = csv.DictReader(stream)
        for row in reader:
            yield AuditEntry.from_record(
                {
                    "seq": int(row["seq"]),
                    "ts": row["ts"],
                    "actor": row["actor"],
                    "action": row["action"],
                    "object_type": row["object_type"] or None,
                    "object_id": row["object_id"] or None,
                    "details": json.loads(row["details"]),
                    "prev_hash": row["prev_hash"],
                    "hash": row["hash"],
                }
            )
