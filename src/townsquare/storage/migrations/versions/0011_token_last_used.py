"""When a session or app token was last used (coarse: see domain/auth/usage.py)

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode: on SQLite a batch rebuilds oauth_tokens, and
    # dropping the old table cascades to session_agents.
    op.add_column(
        "oauth_tokens", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    # SQLite 3.35 and later drop a column in place, with no rebuild.
    op.drop_column("oauth_tokens", "last_used_at")
