"""search indexes for posts and accounts

The plain tables are in ``storage.schema``; each engine's index over their ``terms`` is
made here (ADR 13): on SQLite an external-content FTS5 table kept in step by triggers,
on PostgreSQL GIN indexes over a stored tsvector of exactly those terms, and a trigram index
for hashtag look-ups.

Revision ID: 0003
Revises: 0002
"""

# The SQL below is built from this file's own table names only, never from input.
# ruff: noqa: S608

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Terms are already cut by ``core.normalize.search_terms``; marks stay inside a term
# (Hindi vowel signs, say) instead of splitting it, as FTS5 does by default.
_FTS5_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
_SEARCH_TABLES = (("fts_statuses", "status_search", "status_id"),
                  ("fts_accounts", "account_search", "account_id"))  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "status_search",
        sa.Column("status_id", sa.BigInteger(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"],
            name=op.f("fk_status_search_status_id_statuses"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("status_id", name=op.f("pk_status_search")),
    )  # fmt: skip
    op.create_table(
        "account_search",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name=op.f("fk_account_search_account_id_accounts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_search")),
    )  # fmt: skip
    if op.get_bind().dialect.name == "sqlite":
        for fts, table, key in _SEARCH_TABLES:
            op.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5(terms, content='{table}', "
                f"content_rowid='{key}', tokenize=\"{_FTS5_TOKENIZER}\")"
            )
            op.execute(
                f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, terms) VALUES (new.{key}, new.terms); END"
            )
            op.execute(
                f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, terms) VALUES ('delete', old.{key}, "
                f"old.terms); END"
            )
            op.execute(
                f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, terms) VALUES ('delete', old.{key}, "
                f"old.terms); INSERT INTO {fts}(rowid, terms) VALUES (new.{key}, new.terms); "
                f"END"
            )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # array_to_tsvector takes the terms as they are: PostgreSQL's own parser would
        # cut some of them differently from SQLite's, and the engines must agree. The
        # vector is stored: the planner prices the expression as cheap and would
        # rebuild it for every row in a sequential scan rather than use the index.
        for fts, table, _key in _SEARCH_TABLES:
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN fts_terms tsvector GENERATED ALWAYS AS "
                "(array_to_tsvector(string_to_array(terms, ' '))) STORED"
            )
            op.execute(f"CREATE INDEX {fts}_terms ON {table} USING gin (fts_terms)")
        op.execute("CREATE INDEX fts_tags_name_key_trgm ON tags USING gin (name_key gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for fts, _table, _key in _SEARCH_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    else:
        op.execute("DROP INDEX IF EXISTS fts_tags_name_key_trgm")
    op.drop_table("account_search")
    op.drop_table("status_search")
