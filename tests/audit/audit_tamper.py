"""What an attacker with full database rights does: switch the audit triggers off, then edit."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from resguardo.store import Store

AUDIT_TABLES = ("audit_events", "audit_chain_head")


def drop_audit_triggers(conn: Connection) -> None:
    """Disable (PostgreSQL) or drop (SQLite) every trigger guarding the audit tables."""
    if conn.dialect.name == "postgresql":
        for table in AUDIT_TABLES:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        return
    names = conn.execute(
        text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (:a, :b)"),
        {"a": AUDIT_TABLES[0], "b": AUDIT_TABLES[1]},
    ).scalars()
    for name in list(names):
        conn.execute(text(f'DROP TRIGGER "{name}"'))


def tamper(store: Store, *statements: str, **params: object) -> None:
    """Run ``statements`` in one transaction with the guards off."""
    with store.engine.begin() as conn:
        drop_audit_triggers(conn)
        for statement in statements:
            conn.execute(text(statement), params)


def edit_actor(store: Store, seq: int, actor: str = "user:mallory") -> None:
    """Change one entry's actor, leaving its hash as it was."""
    tamper(store, "UPDATE audit_events SET actor = :actor WHERE seq = :seq", actor=actor, seq=seq)


def delete_entry(store: Store, seq: int) -> None:
    """Remove one entry."""
    tamper(store, "DELETE FROM audit_events WHERE seq = :seq", seq=seq)


def swap_entries(store: Store, a: int, b: int) -> None:
    """Exchange the positions of two entries (their seq values)."""
    tamper(
        store,
        "UPDATE audit_events SET seq = -1 WHERE seq = :a",
        "UPDATE audit_events SET seq = :a WHERE seq = :b",
        "UPDATE audit_events SET seq = :b WHERE seq = -1",
        a=a,
        b=b,
    )
