"""Migrations: upgrading keeps every row, and the migrations match the ORM models."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

from resguardo.audit.chain import GENESIS_HASH, make_entry
from resguardo.audit.log import iter_entries, verify_log
from resguardo.store import Base, Store, current_revision, ensure_schema, head_revision, upgrade
from resguardo.store.migrate import alembic_config, downgrade
from resguardo.store.types import UTCDateTime

FIRST_REVISION = "0001"
T0 = datetime(2024, 6, 1, 8, 30, 0, 123456, tzinfo=UTC)

# The tables as revision 0001 made them, written out here rather than taken from the
# models: the models follow head, and this test must keep working when head moves on.
_meta = sa.MetaData()
users_0001 = sa.Table(
    "users",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(150)),
    sa.Column("display_name", sa.String(200)),
    sa.Column("role", sa.String(20)),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("is_active", sa.Boolean),
    sa.Column("must_change_password", sa.Boolean),
    sa.Column("created_at", UTCDateTime()),
    sa.Column("updated_at", UTCDateTime()),
    sa.Column("password_changed_at", UTCDateTime()),
    sa.Column("last_login_at", UTCDateTime()),
    sa.Column("disabled_at", UTCDateTime()),
)
audit_0001 = sa.Table(
    "audit_events",
    _meta,
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("occurred_at", UTCDateTime()),
    sa.Column("actor", sa.String(200)),
    sa.Column("action", sa.String(100)),
    sa.Column("object_type", sa.String(100)),
    sa.Column("object_id", sa.String(200)),
    sa.Column("details", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")),
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("hash", sa.String(64)),
)
head_0001 = sa.Table(
    "audit_chain_head",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("seq", sa.BigInteger),
    sa.Column("hash", sa.String(64)),
)


def _users() -> list[dict[str, Any]]:
    return [
        {
            "id": i + 1,
            "username": name,
            "display_name": display,
            "role": role,
            "password_hash": f"$argon2id$v=19$m=65536,t=3,p=4$fake{i}",
            "is_active": active,
            "must_change_password": i == 1,
            "created_at": T0 + timedelta(days=i),
            "updated_at": T0 + timedelta(days=i, hours=1),
            "password_changed_at": T0 + timedelta(days=i),
            "last_login_at": None if i == 2 else T0 + timedelta(days=10 + i),
            "disabled_at": None if active else T0 + timedelta(days=20),
        }
        for i, (name, display, role, active) in enumerate(
            [
                ("ana", "Ana Pérez", "admin", True),
                ("bea", "Beatriz Núñez", "reviewer", True),
                ("carl", "", "clerk", False),
            ]
        )
    ]


def _populate_first_revision(engine: sa.Engine) -> list[Any]:
    entries = []
    prev_seq, prev_hash = 0, GENESIS_HASH
    for i in range(25):
        entry = make_entry(
            prev_seq,
            prev_hash,
            ts=T0 + timedelta(minutes=i),
            actor="cli:root" if i < 3 else "user:ana",
            action="user.create" if i < 3 else "decision",
            object_type="user" if i < 3 else "request",
            object_id=str(i),
            details={"i": i, "texto": "sí"},
        )
        entries.append(entry)
        prev_seq, prev_hash = entry.seq, entry.hash
    with engine.begin() as conn:
        conn.execute(users_0001.insert(), _users())
        for e in entries:
            conn.execute(
                audit_0001.insert().values(
                    seq=e.seq,
                    occurred_at=e.ts,
                    actor=e.actor,
                    action=e.action,
                    object_type=e.object_type,
                    object_id=e.object_id,
                    details=dict(e.details),
                    prev_hash=e.prev_hash,
                    hash=e.hash,
                )
            )
            conn.execute(head_0001.update().values(seq=e.seq, hash=e.hash))
    return entries


def test_migrations_form_one_line_from_first_to_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, "branched migrations: merge them"
    revisions = [r.revision for r in script.walk_revisions("base", "heads")]
    assert revisions[-1] == FIRST_REVISION
    assert revisions[0] == head_revision()
    assert len(revisions) >= 2


def test_upgrade_from_first_revision_keeps_all_data(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade(store.engine, FIRST_REVISION)
        assert current_revision(store.engine) == FIRST_REVISION
        entries = _populate_first_revision(store.engine)

        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()

        with store.engine.connect() as conn:
            rows = conn.execute(users_0001.select().order_by(users_0001.c.id)).mappings().all()
            assert [dict(r) for r in rows] == _users()
            # Columns added later got their defaults.
            epochs = conn.execute(sa.text("SELECT session_epoch FROM users")).scalars().all()
            assert epochs == [0, 0, 0]
        with store.read_session() as session:
            assert list(iter_entries(session)) == entries
            assert verify_log(session).ok
        # The append-only guard survived the upgrade.
        with pytest.raises(DBAPIError), store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_events WHERE seq = 1"))
    finally:
        store.dispose()


def _diff(engine: sa.Engine, metadata: sa.MetaData) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def test_models_and_migrations_agree(store: Store) -> None:
    assert _diff(store.engine, Base.metadata) == []


def test_the_comparison_would_notice_a_model_change(store: Store) -> None:
    # Guards the test above against comparing nothing: a column only the model has must
    # show up as a difference.
    changed = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["users"].append_column(sa.Column("nickname", sa.String(40)))
    diff = _diff(store.engine, changed)
    assert [d[0] for d in diff] == ["add_column"]
    assert diff[0][3].name == "nickname"


def test_ensure_schema_is_idempotent(db_url: str) -> None:
    store = Store(db_url)
    try:
        assert ensure_schema(store.engine) == "empty"
        assert ensure_schema(store.engine) is None
        assert current_revision(store.engine) == head_revision()
    finally:
        store.dispose()


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade(store.engine)
        downgrade(store.engine, "base")
        assert current_revision(store.engine) is None
        with store.engine.connect() as conn:
            assert not sa.inspect(conn).has_table("audit_events")
        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()
    finally:
        store.dispose()


def test_concurrent_upgrades_of_a_new_database_both_succeed(db_url: str) -> None:
    # Workers starting at once on an empty database: one creates the schema, the others
    # wait for it and then find nothing to do. Six, not two: on SQLite, switching a new
    # file to WAL races between connections, and two rarely hit that race.
    stores = [Store(db_url) for _ in range(6)]
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def start(store: Store) -> None:
        try:
            barrier.wait()
            ensure_schema(store.engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,), daemon=True) for s in stores]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads), "deadlocked"
        assert errors == []
        assert current_revision(stores[0].engine) == head_revision()
    finally:
        for s in stores:
            s.dispose()
