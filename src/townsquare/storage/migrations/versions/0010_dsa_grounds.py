"""DSA grounds and sources on decisions, trusted flaggers

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode: on SQLite a batch rebuilds the table, and
    # dropping the old ``accounts`` with foreign keys on cascades to every row that
    # refers to an account (posts, tokens, follows).
    op.add_column(
        "accounts",
        sa.Column("trusted_flagger", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "moderation_decisions",
        sa.Column("decision_ground", sa.String(length=40), nullable=False,
                  server_default="DECISION_GROUND_INCOMPATIBLE_CONTENT"),
    )  # fmt: skip
    op.add_column(
        "moderation_decisions", sa.Column("legal_ground", sa.String(length=500), nullable=True)
    )
    op.add_column(
        "moderation_decisions",
        sa.Column("illegal_content_explanation", sa.String(length=2000), nullable=True),
    )
    op.add_column(
        "moderation_decisions",
        sa.Column("source_type", sa.String(length=32), nullable=False,
                  server_default="SOURCE_VOLUNTARY"),
    )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("moderation_decisions", schema=None) as batch_op:
        for column in ("source_type", "illegal_content_explanation", "legal_ground",
                       "decision_ground"):  # fmt: skip
            batch_op.drop_column(column)
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("trusted_flagger")
