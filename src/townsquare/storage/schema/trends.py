"""Trends (issue 4, ADR 16)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from townsquare.storage.schema.base import ID, Timestamp, _account_fk, _status_fk, metadata

# ``trend_uses``: one row per (thing, account, post) that used it: a hashtag or a link in
# a post (``status_id`` is that post) or attention to a post (a repost, reply or
# favourite; ``status_id`` is the post attended to). ``item`` is the tag id, the post id
# or the normalised URL. Rows older than the trend window are pruned on refresh.
# ``trend_scores`` is the ranked answer the API reads, rewritten by each refresh;
# ``language`` is "" for the list over all languages (ADR 16).
trend_uses = Table(
    "trend_uses",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    # tag | status | link
    Column("kind", String(8), nullable=False),
    Column("item", Text, nullable=False),
    _account_fk(),
    _status_fk(),
    Column("language", String(8), nullable=True),
    Column("used_at", Timestamp, nullable=False),
    # whole days since 1970-01-01 UTC: both engines group by it alike
    Column("day", Integer, nullable=False),
    UniqueConstraint("kind", "item", "account_id", "status_id", name="uq_trend_uses_use"),
    Index("ix_trend_uses_used_at", "used_at"),
    Index("ix_trend_uses_status_id", "status_id"),
    Index("ix_trend_uses_account_id", "account_id"),
)

trend_scores = Table(
    "trend_scores",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("language", String(8), primary_key=True),
    Column("item", Text, primary_key=True),
    Column("score", Float, nullable=False),
    # distinct accounts in the last day, for operators reading the table
    Column("accounts", Integer, nullable=False),
    # JSON list of {day, uses, accounts}, newest day first, as the API shows it
    Column("history_json", Text, nullable=False, server_default="[]"),
    Column("computed_at", Timestamp, nullable=False),
    Index("ix_trend_scores_kind_language_score", "kind", "language", "score"),
)
