"""Storage of the review service: SQLAlchemy models, engines, Alembic migrations."""

from __future__ import annotations

from resguardo.config import Settings

# ``cases`` is imported so that the case tables join Base.metadata, which the migrations and
# the models-versus-migrations test compare against.
from resguardo.store import cases
from resguardo.store.engine import Store, make_engine, normalize_database_url
from resguardo.store.migrate import current_revision, ensure_schema, head_revision, upgrade
from resguardo.store.models import ApiToken, AuditEvent, Base, LoginAttempt, Role, Scope, User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "LoginAttempt",
    "Role",
    "Scope",
    "Store",
    "User",
    "cases",
    "current_revision",
    "ensure_schema",
    "head_revision",
    "make_engine",
    "normalize_database_url",
    "open_store",
    "upgrade",
]


def open_store(settings: Settings, *, migrate: bool = True) -> Store:
    """The store for ``settings.database_url``; with ``migrate``, upgraded to the newest
    schema first (creating it in a new database)."""
    store = Store(settings.database_url)
    if migrate:
        try:
            ensure_schema(store.engine)
        except BaseException:
            store.dispose()
            raise
    return store
