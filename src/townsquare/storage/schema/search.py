"""Search (issue 4): the text search indexes (ADR 13)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    String,
    Table,
    Text,
)

from townsquare.storage.schema.base import ID, metadata

# The text search indexes, one row per post or account: ``terms`` is the document cut
# into ``core.normalize.search_terms`` joined by single spaces. The engines' own indexes
# over it (an FTS5 table on SQLite, GIN indexes on PostgreSQL, all named ``fts_*``) are
# made by migration 0003 only: they are not tables SQLAlchemy can describe (ADR 13).
SEARCH_ENGINE_PREFIX = "fts_"

status_search = Table(
    "status_search",
    metadata,
    Column("status_id", ID, ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True),
    Column("terms", Text, nullable=False),
)

account_search = Table(
    "account_search",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("terms", Text, nullable=False),
    # the bio's detected language
    Column("language", String(8), nullable=True),
)


def engine_specific(name: str | None) -> bool:
    """Whether a database object is a search engine index the schema above leaves out."""
    return bool(name) and str(name).startswith(SEARCH_ENGINE_PREFIX)
