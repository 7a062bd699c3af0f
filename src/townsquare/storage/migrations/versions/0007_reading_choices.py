"""reading choices: languages to show, label preferences, session user agents

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_languages",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_languages_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "language", name=op.f("pk_account_languages")),
    )
    op.create_table(
        "label_preferences",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_label_preferences_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "label", name=op.f("pk_label_preferences")),
    )
    op.create_table(
        "session_agents",
        sa.Column("token_id", sa.BigInteger(), nullable=False),
        sa.Column("user_agent", sa.String(length=255), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["oauth_tokens.id"],
            name=op.f("fk_session_agents_token_id_oauth_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_session_agents")),
    )


def downgrade() -> None:
    op.drop_table("session_agents")
    op.drop_table("label_preferences")
    op.drop_table("account_languages")
