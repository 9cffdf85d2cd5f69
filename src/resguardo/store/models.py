"""The ORM models of the review service's storage.

Every change to these models needs a migration in ``store/migrations/versions/``; the test
suite compares the two and fails when they disagree. Cases, requests and reviews are left to
later migrations: nothing here assumes they exist.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from resguardo.store.types import JSONType, LongId, UTCDateTime, utcnow

__all__ = [
    "ApiToken",
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "LoginAttempt",
    "Role",
    "Scope",
    "User",
]

# Named constraints are what let a later migration drop or alter them, on SQLite above all
# (its batch mode rebuilds the table and must know every constraint by name).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

USERNAME_MAX = 150
ACTOR_MAX = 200


class Role(StrEnum):
    """What a person may do. One role per account keeps duties apart: an auditor does not
    also review, so no one audits their own decisions."""

    CLERK = "clerk"  # front-line staff: submits requests, sees the decisions on them
    REVIEWER = "reviewer"  # central review office: decides escalated cases
    AUDITOR = "auditor"  # oversight: reads decisions and the audit log, changes nothing
    ADMIN = "admin"  # manages accounts, tokens and policy packs


class Scope(StrEnum):
    """What an API token may do."""

    DECISIONS = "decisions"
    SCAN = "scan"
    REQUESTS_READ = "requests:read"
    REQUESTS_WRITE = "requests:write"
    AUDIT_READ = "audit:read"


class Base(DeclarativeBase):
    """Declarative base with the project's constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A local staff account. Accounts are disabled, never deleted: the audit log names them."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased (see accounts.normalize_username) so "Ana" and "ana" are one account.
    username: Mapped[str] = mapped_column(String(USERNAME_MAX), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="role",
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda roles: [r.value for r in roles],
            validate_strings=True,
        )
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Bumped on password reset, disable and role change; the web layer puts it in the signed
    # session cookie and rejects cookies carrying an older value, so those changes log the
    # person out everywhere.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def actor(self) -> str:
        """How this person is named in the audit log."""
        return f"user:{self.username}"

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, username={self.username!r}, role={self.role!r})"


class ApiToken(Base):
    """A bearer token for an integration. Only a hash of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the token, kept so an admin can tell tokens apart in a list
    # and match one seen in a log; far too short to help guess the rest.
    token_prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated, sorted (as OAuth scopes are written); see Scope.
    scopes: Mapped[str] = mapped_column(String(500))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(ACTOR_MAX))

    @property
    def scope_set(self) -> frozenset[Scope]:
        """The scopes as enum members (unknown words, if any, are dropped: fail closed)."""
        known = {s.value for s in Scope}
        return frozenset(Scope(word) for word in self.scopes.split() if word in known)

    @property
    def actor(self) -> str:
        """How this token is named in the audit log."""
        return f"token:{self.id}:{self.name}"


class LoginAttempt(Base):
    """One failed login, kept for a while to throttle guessing (see accounts.check_throttle).

    Failures are recorded for names that have no account too, so the throttle's answers do
    not reveal which usernames exist.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_attempted_at", "username", "attempted_at"),
        Index("ix_login_attempts_ip_attempted_at", "ip", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(LongId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX))
    ip: Mapped[str | None] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEvent(Base):
    """One entry of the append-only, hash-chained audit log (see audit.chain).

    Rows are written only by audit.log.append_event; database triggers refuse UPDATE and
    DELETE. A migration that rebuilds this table (SQLite batch mode does) drops those
    triggers and must create them again.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
        Index("ix_audit_events_actor", "actor"),
    )

    # Assigned by append_event under the chain lock, never by the database: a sequence
    # would leave gaps on rollback, and gaps are what the verifier reports as removals.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(ACTOR_MAX))
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str | None] = mapped_column(String(100))
    object_id: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The single row naming the last audit entry: the lock appends queue on, and the
    record that lets the verifier notice entries cut off the end of the log."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
