"""What an account curates for itself (issue 2, ADR 22): lists of followed accounts,
private notes on accounts, followed hashtags and hashtags featured on its profile."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from townsquare.storage.schema.base import ID, Timestamp, _account_fk, metadata

# replies_policy: followed | list | none; exclusive lists' members leave the owner's home
lists = Table(
    "lists",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _account_fk(),
    Column("title", String(255), nullable=False),
    Column("replies_policy", String(16), nullable=False, server_default="list"),
    Column("exclusive", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_lists_account_id", "account_id", "id"),
)

# A list's members; ``id`` orders and pages them. Members are always accounts the
# list's owner follows: unfollowing or blocking removes them.
list_accounts = Table(
    "list_accounts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("list_id", ID, ForeignKey("lists.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    Column("created_at", Timestamp, nullable=False),
    UniqueConstraint("list_id", "account_id", name="uq_list_accounts_list_account"),
    Index("ix_list_accounts_account_id", "account_id", "list_id"),
)

# Mastodon's account notes: one private comment per (account, target)
account_notes = Table(
    "account_notes",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "target_account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("comment", Text, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
)


def _tag_choice(name: str) -> Table:
    """An account's choice of a hashtag (followed, featured), paged by ``id``."""
    return Table(
        name,
        metadata,
        Column("id", ID, primary_key=True, autoincrement=False),
        _account_fk(),
        Column("tag_id", ID, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
        Column("created_at", Timestamp, nullable=False),
        UniqueConstraint("account_id", "tag_id", name=f"uq_{name}_account_tag"),
        Index(f"ix_{name}_tag_id", "tag_id", "account_id"),
    )


# fan-out reads this by tag: who should get a public post with the tag on their home
followed_tags = _tag_choice("followed_tags")
featured_tags = _tag_choice("featured_tags")
