"""Filters v2 (issue 5, ADR 19): an account's named filters, each with the contexts it
applies in, what it does (warn, hide, blur), an optional expiry, and the keywords and
posts it matches."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
)

from townsquare.storage.schema.base import ID, Timestamp, _account_fk, _status_fk, metadata

filters = Table(
    "filters",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _account_fk(),
    Column("title", String(256), nullable=False),
    # the contexts, space-separated, in Mastodon's order (home notifications public ...)
    Column("context", String(64), nullable=False),
    Column("action", String(8), nullable=False),
    Column("expires_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_filters_account_id", "account_id"),
)

filter_keywords = Table(
    "filter_keywords",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("filter_id", ID, ForeignKey("filters.id", ondelete="CASCADE"), nullable=False),
    Column("keyword", String(512), nullable=False),
    Column("whole_word", Boolean, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_filter_keywords_filter_id", "filter_id"),
)

filter_statuses = Table(
    "filter_statuses",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("filter_id", ID, ForeignKey("filters.id", ondelete="CASCADE"), nullable=False),
    _status_fk(),
    Column("created_at", Timestamp, nullable=False),
    UniqueConstraint("filter_id", "status_id", name="uq_filter_statuses_filter_id"),
)
