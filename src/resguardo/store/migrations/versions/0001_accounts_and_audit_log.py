"""Accounts and the append-only, hash-chained audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resguardo.store.types

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64

# What the triggers enforce, on both databases, for anyone who has not first dropped them:
# - audit_events rows are never updated or deleted (nor, on PostgreSQL, truncated);
# - a new entry must follow the recorded head: seq = head.seq + 1, prev_hash = head.hash;
# - the head only moves forward one entry at a time, to an entry that exists;
# - the head row is never deleted.
# They stop mistakes and casual edits; a database superuser can still drop them, which is
# what the hash chain and `resguardo audit verify` are for.

_PG_FUNCTIONS = [
    """
    CREATE FUNCTION resguardo_audit_forbid_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % is not allowed',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE FUNCTION resguardo_audit_check_append() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        head_seq bigint;
        head_hash varchar;
    BEGIN
        SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE id = 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the audit chain head row is missing';
        END IF;
        IF NEW.seq <> head_seq + 1 OR NEW.prev_hash <> head_hash THEN
            RAISE EXCEPTION 'audit entry % does not follow the chain head (entry %)',
                NEW.seq, head_seq USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE FUNCTION resguardo_audit_check_head() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
            SELECT 1 FROM audit_events WHERE seq = NEW.seq AND hash = NEW.hash
        ) THEN
            RAISE EXCEPTION 'the audit chain head may only advance to the next entry'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
]

_PG_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION resguardo_audit_forbid_change()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION resguardo_audit_forbid_change()""",
    """CREATE TRIGGER audit_events_append BEFORE INSERT ON audit_events
       FOR EACH ROW EXECUTE FUNCTION resguardo_audit_check_append()""",
    """CREATE TRIGGER audit_chain_head_advance BEFORE UPDATE ON audit_chain_head
       FOR EACH ROW EXECUTE FUNCTION resguardo_audit_check_head()""",
    """CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
       FOR EACH ROW EXECUTE FUNCTION resguardo_audit_forbid_change()""",
    """CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
       FOR EACH STATEMENT EXECUTE FUNCTION resguardo_audit_forbid_change()""",
]

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE is not allowed'); END""",
    """CREATE TRIGGER audit_events_append BEFORE INSERT ON audit_events
       WHEN NOT EXISTS (
           SELECT 1 FROM audit_chain_head
           WHERE id = 1 AND seq + 1 = NEW.seq AND hash = NEW.prev_hash
       )
       BEGIN SELECT RAISE(ABORT, 'audit entry does not follow the chain head'); END""",
    """CREATE TRIGGER audit_chain_head_advance BEFORE UPDATE ON audit_chain_head
       WHEN NEW.id <> OLD.id OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
           SELECT 1 FROM audit_events WHERE seq = NEW.seq AND hash = NEW.hash
       )
       BEGIN SELECT RAISE(ABORT, 'the audit chain head may only advance to the next entry');
       END""",
    """CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
       BEGIN SELECT RAISE(ABORT, 'the audit chain head may not be deleted'); END""",
]

TRIGGER_NAMES = [
    ("audit_events", "audit_events_no_change"),
    ("audit_events", "audit_events_no_truncate"),
    ("audit_events", "audit_events_no_update"),
    ("audit_events", "audit_events_no_delete"),
    ("audit_events", "audit_events_append"),
    ("audit_chain_head", "audit_chain_head_advance"),
    ("audit_chain_head", "audit_chain_head_no_delete"),
    ("audit_chain_head", "audit_chain_head_no_truncate"),
]


def upgrade() -> None:
    """Create users, audit_events and audit_chain_head, and the audit log's triggers."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", resguardo.store.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", resguardo.store.types.UTCDateTime(), nullable=False),
        sa.Column("password_changed_at", resguardo.store.types.UTCDateTime(), nullable=False),
        sa.Column("last_login_at", resguardo.store.types.UTCDateTime(), nullable=True),
        sa.Column("disabled_at", resguardo.store.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('clerk', 'reviewer', 'auditor', 'admin')", name="ck_users_role"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", resguardo.store.types.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("object_type", sa.String(100), nullable=True),
        sa.Column("object_id", sa.String(200), nullable=True),
        sa.Column("details", resguardo.store.types.JSONType, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_object", "audit_events", ["object_type", "object_id"])
    op.create_index("ix_audit_events_occurred_at", "audit_events", ["occurred_at"])
    op.create_index("ix_audit_events_actor", "audit_events", ["actor"])
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_chain_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_chain_head"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH}])

    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_FUNCTIONS + _PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    """Drop everything upgrade() created, the audit log included (development only)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for function in (
            "resguardo_audit_forbid_change",
            "resguardo_audit_check_append",
            "resguardo_audit_check_head",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table("audit_chain_head")
    op.drop_index("ix_audit_events_actor", table_name="audit_events")
    op.drop_index("ix_audit_events_occurred_at", table_name="audit_events")
    op.drop_index("ix_audit_events_object", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_table("users")
