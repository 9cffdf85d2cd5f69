"""Schema migrations (Alembic), run from code: no alembic.ini is needed at run time.

Upgrading an existing database is always a migration, never a drop-and-create: the audit
log must survive every release. For developers writing a new migration::

    python -m resguardo.store.migrate revision -m "add cases" --autogenerate
    python -m resguardo.store.migrate upgrade
"""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from resguardo.store.engine import make_engine

__all__ = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "ensure_schema",
    "head_revision",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Arbitrary constant shared by every Resguardo process: the key of the PostgreSQL advisory
# lock that serialises concurrent upgrades (two workers starting at once).
_PG_MIGRATION_LOCK = 0x5245_5347_0001


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic ``Config`` for the packaged migrations, using ``connection`` if given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision in the package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` in one transaction (all or nothing on
    PostgreSQL; SQLite commits some DDL implicitly only on very old versions)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(connection=conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade to ``revision`` (development only: downgrading past 0001 drops the log)."""
    with engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), revision)


def ensure_schema(engine: Engine) -> str | None:
    """Upgrade to head if needed; return the revision it was at before, or None if already
    current."""
    before = current_revision(engine)
    if before == head_revision():
        return None
    upgrade(engine)
    return before or "empty"


def main(argv: list[str] | None = None) -> None:
    """Developer entry point: ``python -m resguardo.store.migrate upgrade|current|revision``."""
    from resguardo.config import load_settings

    parser = argparse.ArgumentParser(prog="python -m resguardo.store.migrate")
    parser.add_argument("--database-url", help="default: from the Resguardo settings")
    sub = parser.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("upgrade")
    up.add_argument("revision", nargs="?", default="head")
    sub.add_parser("current")
    rev = sub.add_parser("revision")
    rev.add_argument("-m", "--message", required=True)
    rev.add_argument("--autogenerate", action="store_true")
    args = parser.parse_args(argv)
    url = args.database_url or load_settings().database_url
    engine = make_engine(url)
    try:
        if args.cmd == "upgrade":
            upgrade(engine, args.revision)
            print(f"at {current_revision(engine)}")
        elif args.cmd == "current":
            print(current_revision(engine) or "empty")
        else:
            with engine.begin() as conn:
                command.revision(
                    alembic_config(connection=conn),
                    message=args.message,
                    autogenerate=args.autogenerate,
                )
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
