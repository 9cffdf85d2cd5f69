"""Alembic environment: run the packaged migrations on the connection given in code.

Note for migration authors: on SQLite, ``op.batch_alter_table`` rebuilds the table (copy,
drop, rename), which silently drops its triggers. Any migration that rebuilds
``audit_events`` or ``audit_chain_head`` must re-create their append-only triggers (see
0001), and the tamper tests will fail if it does not.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from resguardo.store.engine import make_engine
from resguardo.store.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode (copy and move) is how
        # autogenerate must write those changes.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
        user_module_prefix="resguardo.store.types.",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the caller's connection (and its transaction) if it passed one; else connect."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass a connection or set sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
