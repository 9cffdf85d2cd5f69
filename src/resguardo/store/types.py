"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["JSONType", "LongId", "UTCDateTime", "utcnow"]

# JSONB on PostgreSQL so later code can index and query details; plain JSON (text) elsewhere.
JSONType: TypeEngine[Any] = JSON().with_variant(postgresql.JSONB(), "postgresql")

# SQLite only auto-numbers an INTEGER PRIMARY KEY (the rowid), so 64-bit keys are declared
# INTEGER there; it is 64-bit in SQLite anyway.
LongId: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back as an aware UTC datetime, on every backend.

    PostgreSQL keeps it as ``timestamptz``; SQLite, which has no time zones, as naive UTC
    text. Either way microseconds survive, which the audit hashes depend on.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column; attach a time zone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
