"""home feeds filled on write

Every existing local account starts with an empty feed whose horizon is the newest post
at the time of the migration: true at once (nothing newer exists yet), so home pages stay
exact, and they come from the feed as new posts arrive. `townsquare feeds rebuild`
fills the history in.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "home_feeds",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("horizon_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_home_feeds_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_home_feeds")),
    )
    op.create_table(
        "home_feed_entries",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("status_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_home_feed_entries_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "status_id", name=op.f("pk_home_feed_entries")),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO home_feeds (account_id, horizon_id) "
        "SELECT id, (SELECT coalesce(max(id), 0) FROM statuses) FROM accounts WHERE domain = ''"
    )


def downgrade() -> None:
    op.drop_table("home_feed_entries")
    op.drop_table("home_feeds")
