"""API tokens, login throttling, and a session epoch on users.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import resguardo.store.types

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add api_tokens, login_attempts and users.session_epoch (0 for existing accounts)."""
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_prefix", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.String(500), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", resguardo.store.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", resguardo.store.types.UTCDateTime(), nullable=True),
        sa.Column("last_used_at", resguardo.store.types.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", resguardo.store.types.UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name="fk_api_tokens_created_by_user_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", resguardo.store.types.LongId, autoincrement=True, nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("attempted_at", resguardo.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    op.create_index(
        "ix_login_attempts_username_attempted_at", "login_attempts", ["username", "attempted_at"]
    )
    op.create_index("ix_login_attempts_ip_attempted_at", "login_attempts", ["ip", "attempted_at"])
    # A plain ADD COLUMN with a default: no table rebuild, so existing accounts keep their
    # rows untouched and get epoch 0.
    op.add_column(
        "users",
        sa.Column("session_epoch", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    """Undo upgrade() (development only)."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_epoch")
    op.drop_index("ix_login_attempts_ip_attempted_at", table_name="login_attempts")
    op.drop_index("ix_login_attempts_username_attempted_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_table("api_tokens")
