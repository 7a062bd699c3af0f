"""A version on each post and account, raised by the database on every update

Processes remember posts and accounts by (id, version) (domain/posts/remembered.py,
domain/accounts/remembered.py); ADR 24 records the choice.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLES = ("statuses", "accounts")


def upgrade() -> None:
    for table in _TABLES:
        # Plain ADD COLUMN, never batch mode: a batch rebuilds the table, and on SQLite
        # a rebuilt table loses its triggers (these and the search index's).
        op.add_column(
            table, sa.Column("version", sa.BigInteger(), nullable=False, server_default="0")
        )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot change NEW in a BEFORE trigger, so the row is updated once more
        # after; the WHEN clause (and SQLite's recursive_triggers, off) ends it there.
        # An UPDATE that sets version itself is taken as it is.
        for table in _TABLES:  # names of our own tables, never input
            op.execute(
                f"CREATE TRIGGER {table}_version AFTER UPDATE ON {table} "  # noqa: S608
                "FOR EACH ROW WHEN new.version = old.version BEGIN "
                f"UPDATE {table} SET version = old.version + 1 WHERE id = new.id; END"
            )
    else:
        op.execute(
            "CREATE FUNCTION townsquare_next_version() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN IF NEW.version = OLD.version THEN NEW.version := OLD.version + 1; "
            "END IF; RETURN NEW; END $$"
        )
        for table in _TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_version BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION townsquare_next_version()"
            )


def downgrade() -> None:
    for table in _TABLES:
        op.execute(
            f"DROP TRIGGER IF EXISTS {table}_version"
            + ("" if op.get_bind().dialect.name == "sqlite" else f" ON {table}")
        )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS townsquare_next_version()")
    for table in _TABLES:
        # SQLite 3.35 and later drop a column in place, with no rebuild.
        op.drop_column(table, "version")
