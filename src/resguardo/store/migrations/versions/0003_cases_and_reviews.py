"""Cases, their documents, decisions, reviews, assignments and released (redacted) files.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resguardo.store.types

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = resguardo.store.types.UTCDateTime
_JSON = resguardo.store.types.JSONType


def upgrade() -> None:
    """Create the case tables. Only new tables: existing rows (accounts, the audit log) are
    not touched, so upgrading keeps every audit entry and its hash."""
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("updated_at", _UTC(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_by_token_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("requester_name", sa.String(300), nullable=True),
        sa.Column("requester_agency", sa.String(300), nullable=True),
        sa.Column("requester_address", sa.String(320), nullable=True),
        sa.Column("requester_kind", sa.String(40), nullable=True),
        sa.Column("record_system", sa.String(40), nullable=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("inference", _JSON, nullable=True),
        sa.Column("request", _JSON, nullable=True),
        sa.Column("pack_id", sa.String(100), nullable=True),
        sa.Column("pack_version", sa.String(100), nullable=True),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("final_outcome", sa.String(30), nullable=True),
        sa.Column("released_categories", _JSON, nullable=True),
        sa.Column("review_reason", sa.String(40), nullable=True),
        sa.Column("escalated_at", _UTC(), nullable=True),
        sa.Column("decided_at", _UTC(), nullable=True),
        sa.Column("assigned_to_user_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", _UTC(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'decided', 'in_review', 'reviewed')", name="ck_cases_case_status"
        ),
        sa.CheckConstraint("source IN ('email', 'form', 'api')", name="ck_cases_case_source"),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name="fk_cases_created_by_user_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_token_id"],
            ["api_tokens.id"],
            name="fk_cases_created_by_token_id_api_tokens",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to_user_id"], ["users.id"], name="fk_cases_assigned_to_user_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_status_escalated_at", "cases", ["status", "escalated_at"])
    op.create_index("ix_cases_created_by_user_id", "cases", ["created_by_user_id"])
    op.create_index("ix_cases_assigned_to_user_id", "cases", ["assigned_to_user_id"])

    op.create_table(
        "case_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=True),
        sa.Column("content_type", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("classification", _JSON, nullable=True),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('email', 'legal_document')", name="ck_case_documents_document_kind"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_documents_case_id_cases"),
        sa.PrimaryKeyConstraint("id", name="pk_case_documents"),
    )
    op.create_index("ix_case_documents_case_id", "case_documents", ["case_id"])

    op.create_table(
        "case_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("pack_id", sa.String(100), nullable=True),
        sa.Column("pack_version", sa.String(100), nullable=True),
        sa.Column("decision", _JSON, nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.CheckConstraint(
            "source IN ('pack', 'review')", name="ck_case_decisions_decision_source"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_decisions_case_id_cases"),
        sa.PrimaryKeyConstraint("id", name="pk_case_decisions"),
    )
    op.create_index("ix_case_decisions_case_id", "case_decisions", ["case_id"])

    op.create_table(
        "case_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("released_categories", _JSON, nullable=False),
        sa.Column("withheld_categories", _JSON, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_reviews_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["case_decisions.id"],
            name="fk_case_reviews_decision_id_case_decisions",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_user_id"], ["users.id"], name="fk_case_reviews_reviewer_user_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_reviews"),
    )
    op.create_index("ix_case_reviews_case_id", "case_reviews", ["case_id"])

    op.create_table(
        "case_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("assignee_user_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_assignments_case_id_cases"
        ),
        sa.ForeignKeyConstraint(
            ["assignee_user_id"], ["users.id"], name="fk_case_assignments_assignee_user_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_assignments"),
    )
    op.create_index("ix_case_assignments_case_id", "case_assignments", ["case_id"])

    op.create_table(
        "released_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(200), nullable=False),
        sa.Column("original_sha256", sa.String(64), nullable=False),
        sa.Column("original_size", sa.Integer(), nullable=False),
        sa.Column("redacted", sa.LargeBinary(), nullable=False),
        sa.Column("redacted_sha256", sa.String(64), nullable=False),
        sa.Column("redacted_size", sa.Integer(), nullable=False),
        sa.Column("released_categories", _JSON, nullable=False),
        sa.Column("summary", _JSON, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_released_files_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["case_decisions.id"],
            name="fk_released_files_decision_id_case_decisions",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name="fk_released_files_created_by_user_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_released_files"),
    )
    op.create_index("ix_released_files_case_id", "released_files", ["case_id"])


def downgrade() -> None:
    """Drop the case tables (development only: this deletes every case)."""
    for table in (
        "released_files",
        "case_assignments",
        "case_reviews",
        "case_decisions",
        "case_documents",
    ):
        op.drop_index(f"ix_{table}_case_id", table_name=table)
        op.drop_table(table)
    op.drop_index("ix_cases_assigned_to_user_id", table_name="cases")
    op.drop_index("ix_cases_created_by_user_id", table_name="cases")
    op.drop_index("ix_cases_status_escalated_at", table_name="cases")
    op.drop_table("cases")
