"""trends: uses of tags, links and posts by accounts, and the ranked scores

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trend_uses",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_trend_uses_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"],
            ["statuses.id"],
            name=op.f("fk_trend_uses_status_id_statuses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trend_uses")),
        sa.UniqueConstraint("kind", "item", "account_id", "status_id", name="uq_trend_uses_use"),
    )
    op.create_index("ix_trend_uses_used_at", "trend_uses", ["used_at"])
    op.create_index("ix_trend_uses_status_id", "trend_uses", ["status_id"])
    op.create_index("ix_trend_uses_account_id", "trend_uses", ["account_id"])
    op.create_table(
        "trend_scores",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("history_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "language", "item", name=op.f("pk_trend_scores")),
    )
    op.create_index(
        "ix_trend_scores_kind_language_score", "trend_scores", ["kind", "language", "score"]
    )


def downgrade() -> None:
    op.drop_index("ix_trend_scores_kind_language_score", table_name="trend_scores")
    op.drop_table("trend_scores")
    op.drop_index("ix_trend_uses_account_id", table_name="trend_uses")
    op.drop_index("ix_trend_uses_status_id", table_name="trend_uses")
    op.drop_index("ix_trend_uses_used_at", table_name="trend_uses")
    op.drop_table("trend_uses")
