"""The review service's case records: requests received, their documents, decisions, reviews,
assignments and the redacted records released.

A *case* is one request an agency received. A clerk logs it (or an integration posts it),
the pack decides it, and a request the pack leaves open waits in the central review queue
until a reviewer decides it. Nothing here is ever deleted: the audit log refers to these
rows by id, and an oversight body must be able to read what was decided years later.

Unredacted records are deliberately *not* kept: a release stores the redacted file and the
SHA-256 of what was uploaded, so the database never becomes a second copy of the very
records the law keeps inside the agency that collected them.

Every change here needs a migration (see ``0003_cases_and_reviews``); the store tests
compare the two.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from resguardo.store.models import ACTOR_MAX, Base
from resguardo.store.types import JSONType, UTCDateTime, utcnow

__all__ = [
    "Assignment",
    "Case",
    "CaseDecision",
    "CaseDocument",
    "CaseSource",
    "CaseStatus",
    "DecisionSource",
    "DocumentKind",
    "ReleasedFile",
    "Review",
]


def _enum(cls: type[StrEnum], name: str) -> Enum:
    # Stored as short strings with a CHECK constraint (not a native enum type): adding a
    # value later is then a constraint change, not an ALTER TYPE that PostgreSQL cannot run
    # inside a transaction.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class CaseStatus(StrEnum):
    """Where a case is in its life."""

    DRAFT = "draft"  # logged; the clerk has not yet confirmed the request read from it
    DECIDED = "decided"  # the pack decided it (release, release part, deny)
    IN_REVIEW = "in_review"  # waiting for central review
    REVIEWED = "reviewed"  # a reviewer decided it


class CaseSource(StrEnum):
    """How the request came in."""

    EMAIL = "email"  # an email pasted or uploaded by a clerk
    FORM = "form"  # a clerk filled in the request by hand
    API = "api"  # an integration posted it to /api/v1/requests


class DocumentKind(StrEnum):
    """What a stored document is."""

    EMAIL = "email"  # the request email as received (.eml, .msg or pasted text)
    LEGAL_DOCUMENT = "legal_document"  # a warrant, subpoena, consent... the requester produced


class DecisionSource(StrEnum):
    """Who decided."""

    PACK = "pack"  # the policy engine, applying the configured pack
    REVIEW = "review"  # a person in the central review office


class Case(Base):
    """One request received by the agency, and where it stands."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_escalated_at", "status", "escalated_at"),
        Index("ix_cases_created_by_user_id", "created_by_user_id"),
        Index("ix_cases_assigned_to_user_id", "assigned_to_user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus, "case_status"))
    source: Mapped[CaseSource] = mapped_column(_enum(CaseSource, "case_source"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Who logged it, as named in the audit log, and the account or token behind that name:
    # a clerk sees only the cases they logged, a token only the cases it posted.
    created_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    # Copied out of the request for the review queue's filters and lists.
    subject: Mapped[str] = mapped_column(String(500), default="")
    requester_name: Mapped[str | None] = mapped_column(String(300))
    requester_agency: Mapped[str | None] = mapped_column(String(300))
    requester_address: Mapped[str | None] = mapped_column(String(320))
    requester_kind: Mapped[str | None] = mapped_column(String(40))
    record_system: Mapped[str | None] = mapped_column(String(40))
    # The language the clerk worked in: the reply is shown in it.
    lang: Mapped[str] = mapped_column(String(8), default="en")
    # The request as read from the email, with evidence, unknowns and notes (None for a
    # request typed in by hand), and the request as the clerk confirmed it.
    inference: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    request: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    pack_id: Mapped[str | None] = mapped_column(String(100))
    pack_version: Mapped[str | None] = mapped_column(String(100))
    # The pack's outcome (release, release_redacted, deny, escalate) and the final one
    # (after review when there was one): only the final outcome may release anything.
    outcome: Mapped[str | None] = mapped_column(String(30))
    final_outcome: Mapped[str | None] = mapped_column(String(30))
    released_categories: Mapped[list[str] | None] = mapped_column(JSONType)
    # Why the case waits for review: "pack" (the pack leaves it open) or "process_override"
    # (the clerk changed the legal process the classifier read into one that could release).
    review_reason: Mapped[str | None] = mapped_column(String(40))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assigned_to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"Case(id={self.id!r}, status={self.status!r}, outcome={self.final_outcome!r})"


class CaseDocument(Base):
    """A file that came with a case: the email itself, or a legal document attached to it."""

    __tablename__ = "case_documents"
    __table_args__ = (Index("ix_case_documents_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind, "document_kind"))
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The text read from it (shown to staff as escaped text, never as HTML).
    text: Mapped[str | None] = mapped_column(Text)
    # For a legal document: the classifier's result (kind, confidence, evidence...).
    classification: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    uploaded_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseDecision(Base):
    """A decision on a case: the pack's (the ``resguardo check`` JSON) or a reviewer's."""

    __tablename__ = "case_decisions"
    __table_args__ = (Index("ix_case_decisions_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    source: Mapped[DecisionSource] = mapped_column(_enum(DecisionSource, "decision_source"))
    outcome: Mapped[str] = mapped_column(String(30))
    pack_id: Mapped[str | None] = mapped_column(String(100))
    pack_version: Mapped[str | None] = mapped_column(String(100))
    decision: Mapped[dict[str, Any]] = mapped_column(JSONType)
    decided_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Review(Base):
    """A central reviewer's decision on an escalated case, with the reason it requires."""

    __tablename__ = "case_reviews"
    __table_args__ = (Index("ix_case_reviews_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("case_decisions.id"))
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer: Mapped[str] = mapped_column(String(ACTOR_MAX))
    outcome: Mapped[str] = mapped_column(String(30))
    released_categories: Mapped[list[str]] = mapped_column(JSONType)
    withheld_categories: Mapped[list[str]] = mapped_column(JSONType)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Assignment(Base):
    """One change of who holds a case in the review queue (history; the current holder is
    ``Case.assigned_to_user_id``). ``assignee_user_id`` None means put back in the queue."""

    __tablename__ = "case_assignments"
    __table_args__ = (Index("ix_case_assignments_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReleasedFile(Base):
    """Records released on a case, redacted to what the final decision allows.

    Only the redacted bytes are kept; the upload is identified by its hash and size.
    """

    __tablename__ = "released_files"
    __table_args__ = (Index("ix_released_files_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("case_decisions.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(200))
    original_sha256: Mapped[str] = mapped_column(String(64))
    original_size: Mapped[int] = mapped_column(Integer)
    redacted: Mapped[bytes] = mapped_column(LargeBinary)
    redacted_sha256: Mapped[str] = mapped_column(String(64))
    redacted_size: Mapped[int] = mapped_column(Integer)
    released_categories: Mapped[list[str]] = mapped_column(JSONType)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_by: Mapped[str] = mapped_column(String(ACTOR_MAX))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
