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
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("trusted_flagger", sa.Boolean(), server_default=sa.text("false"),
                      nullable=False)
        )  # fmt: skip
    with op.batch_alter_table("moderation_decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("decision_ground", sa.String(length=40), nullable=False,
                      server_default="DECISION_GROUND_INCOMPATIBLE_CONTENT")
        )  # fmt: skip
        batch_op.add_column(sa.Column("legal_ground", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("illegal_content_explanation", sa.String(length=2000), nullable=True)
        )
        batch_op.add_column(
            sa.Column("source_type", sa.String(length=32), nullable=False,
                      server_default="SOURCE_VOLUNTARY")
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("moderation_decisions", schema=None) as batch_op:
        for column in ("source_type", "illegal_content_explanation", "legal_ground",
                       "decision_ground"):  # fmt: skip
            batch_op.drop_column(column)
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("trusted_flagger")
