"""Accounts, OAuth, posts and what hangs off them, the social graph, notifications,
markers, jobs and instance settings; and home feeds (ADR 11)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from townsquare.storage.schema.base import ID, Timestamp, _account_fk, _status_fk, metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("username", String(64), nullable=False),
    # casefolded username: uniqueness and look-ups ignore case
    Column("username_key", String(64), nullable=False),
    # "" for local accounts, the remote host otherwise
    Column("domain", String(255), nullable=False, server_default=""),
    Column("display_name", String(120), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    Column("avatar_url", Text, nullable=False, server_default=""),
    Column("header_url", Text, nullable=False, server_default=""),
    Column("fields_json", Text, nullable=False, server_default="[]"),
    Column("locked", Boolean, nullable=False, server_default=text("false")),
    Column("bot", Boolean, nullable=False, server_default=text("false")),
    Column("discoverable", Boolean, nullable=False, server_default=text("true")),
    Column("indexable", Boolean, nullable=False, server_default=text("true")),
    Column("role", String(16), nullable=False, server_default="user"),
    Column("language", String(8), nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Column("last_status_at", Timestamp, nullable=True),
    Column("suspended_at", Timestamp, nullable=True),
    Column("followers_count", Integer, nullable=False, server_default="0"),
    Column("following_count", Integer, nullable=False, server_default="0"),
    Column("statuses_count", Integer, nullable=False, server_default="0"),
    Column("uri", Text, nullable=True),
    # raised by the database on every update of the row (a trigger, migration 0012):
    # processes remember accounts by (id, version) (domain/accounts/remembered.py)
    Column("version", BigInteger, nullable=False, server_default="0"),
    UniqueConstraint("username_key", "domain", name="uq_accounts_username_key_domain"),
    # the guard excludes suspended accounts' posts on every read: keep that list cheap
    Index(
        "ix_accounts_suspended",
        "id",
        sqlite_where=text("suspended_at IS NOT NULL"),
        postgresql_where=text("suspended_at IS NOT NULL"),
    ),
)

users = Table(
    "users",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("locale", String(16), nullable=False, server_default="en"),
    Column("default_visibility", String(16), nullable=False, server_default="public"),
    Column("default_sensitive", Boolean, nullable=False, server_default=text("false")),
    Column("default_language", String(8), nullable=True),
    Column("approved", Boolean, nullable=False, server_default=text("true")),
    Column("confirmed_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("sign_up_ip", String(64), nullable=True),
    Column("reason", Text, nullable=True),
)

oauth_apps = Table(
    "oauth_apps",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("website", Text, nullable=True),
    Column("redirect_uris", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("client_secret", String(64), nullable=False),
    Column("created_at", Timestamp, nullable=False),
)

oauth_codes = Table(
    "oauth_codes",
    metadata,
    # sha256 of the code: a leaked database does not leak usable codes
    Column("code_hash", String(64), primary_key=True),
    Column("app_id", ID, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    Column("redirect_uri", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(16), nullable=True),
    Column("expires_at", Timestamp, nullable=False),
    Column("created_at", Timestamp, nullable=False),
)

oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("app_id", ID, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=True),
    _account_fk(nullable=True),
    Column("scopes", Text, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Column("revoked_at", Timestamp, nullable=True),
    # moved at most every few minutes, not on every request (domain/auth/usage.py)
    Column("last_used_at", Timestamp, nullable=True),
)

statuses = Table(
    "statuses",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _account_fk(),
    Column("text", Text, nullable=False, server_default=""),
    Column("content_html", Text, nullable=False, server_default=""),
    Column("spoiler_text", Text, nullable=False, server_default=""),
    Column("visibility", String(16), nullable=False),
    Column("sensitive", Boolean, nullable=False, server_default=text("false")),
    Column("language", String(8), nullable=True),
    Column("in_reply_to_id", ID, ForeignKey("statuses.id", ondelete="SET NULL"), nullable=True),
    Column("in_reply_to_account_id", ID, nullable=True),
    Column("reblog_of_id", ID, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=True),
    Column("quote_of_id", ID, ForeignKey("statuses.id", ondelete="SET NULL"), nullable=True),
    # id of the thread's first post; a whole thread shares it
    Column("conversation_id", ID, nullable=True),
    Column("application_id", ID, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("edited_at", Timestamp, nullable=True),
    Column("deleted_at", Timestamp, nullable=True),
    Column("replies_count", Integer, nullable=False, server_default="0"),
    Column("reblogs_count", Integer, nullable=False, server_default="0"),
    Column("favourites_count", Integer, nullable=False, server_default="0"),
    Column("quotes_count", Integer, nullable=False, server_default="0"),
    Column("uri", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("local", Boolean, nullable=False, server_default=text("true")),
    # The post's effective moderation outcome (moderation section below): NULL, or
    # labelled | warned | downranked | held | removed; the guard checks only this.
    Column("moderation_action", String(16), nullable=True),
    Column("moderation_label", String(64), nullable=True),
    # raised by the database on every update of the row (a trigger, migration 0012):
    # processes remember posts by (id, version) (domain/posts/remembered.py)
    Column("version", BigInteger, nullable=False, server_default="0"),
    Index("ix_statuses_account_id_id", "account_id", "id"),
    Index("ix_statuses_in_reply_to_id", "in_reply_to_id"),
    Index("ix_statuses_reblog_of_id", "reblog_of_id"),
    Index("ix_statuses_quote_of_id", "quote_of_id"),
    Index("ix_statuses_conversation_id", "conversation_id"),
    # one live repost per account and post
    Index(
        "uq_statuses_account_reblog",
        "account_id",
        "reblog_of_id",
        unique=True,
        sqlite_where=text("reblog_of_id IS NOT NULL AND deleted_at IS NULL"),
        postgresql_where=text("reblog_of_id IS NOT NULL AND deleted_at IS NULL"),
    ),
    # the local public timeline reads this index newest first
    Index(
        "ix_statuses_public_local",
        "id",
        sqlite_where=text(
            "visibility = 'public' AND local AND deleted_at IS NULL AND reblog_of_id IS NULL"
        ),
        postgresql_where=text(
            "visibility = 'public' AND local AND deleted_at IS NULL AND reblog_of_id IS NULL"
        ),
    ),
)

status_edits = Table(
    "status_edits",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _status_fk(),
    Column("text", Text, nullable=False),
    Column("content_html", Text, nullable=False),
    Column("spoiler_text", Text, nullable=False, server_default=""),
    Column("sensitive", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_status_edits_status_id", "status_id", "id"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("status_id", ID, ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_mentions_account_id_status_id", "account_id", "status_id"),
)

tags = Table(
    "tags",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    # the first-seen spelling, shown to people
    Column("name", String(255), nullable=False),
    # core.normalize.match_key(name): every spelling of a tag shares it
    Column("name_key", String(255), nullable=False, unique=True),
    Column("created_at", Timestamp, nullable=False),
    Column("last_used_at", Timestamp, nullable=True),
)

status_tags = Table(
    "status_tags",
    metadata,
    Column("status_id", ID, ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ID, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_status_tags_tag_id_status_id", "tag_id", "status_id"),
)

media_attachments = Table(
    "media_attachments",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _account_fk(),
    _status_fk(nullable=True),
    Column("type", String(16), nullable=False),
    Column("url", Text, nullable=False),
    Column("preview_url", Text, nullable=True),
    Column("description", Text, nullable=True),
    Column("meta_json", Text, nullable=False, server_default="{}"),
    Column("blurhash", String(64), nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_media_attachments_status_id", "status_id"),
)


def _pair_table(name: str, *extra: Column[object]) -> Table:
    """An account-to-status relation (favourite, bookmark, pin)."""
    return Table(
        name,
        metadata,
        Column("id", ID, primary_key=True, autoincrement=False),
        _account_fk(),
        _status_fk(),
        Column("created_at", Timestamp, nullable=False),
        *extra,
        UniqueConstraint("account_id", "status_id", name=f"uq_{name}_account_status"),
        Index(f"ix_{name}_status_id", "status_id"),
    )


favourites = _pair_table("favourites")
bookmarks = _pair_table("bookmarks")
pins = _pair_table("pins")


def _relation_table(name: str, *extra: Column[object]) -> Table:
    """An account-to-account relation (follow, follow request, block, mute)."""
    return Table(
        name,
        metadata,
        Column("id", ID, primary_key=True, autoincrement=False),
        _account_fk(),
        _account_fk("target_account_id"),
        Column("created_at", Timestamp, nullable=False),
        *extra,
        UniqueConstraint("account_id", "target_account_id", name=f"uq_{name}_pair"),
        Index(f"ix_{name}_target_account_id", "target_account_id", "account_id"),
    )


def _follow_options() -> list[Column[object]]:
    return [
        Column("show_reblogs", Boolean, nullable=False, server_default=text("true")),
        Column("notify", Boolean, nullable=False, server_default=text("false")),
        Column("languages", Text, nullable=True),
    ]


follows = _relation_table("follows", *_follow_options())
follow_requests = _relation_table("follow_requests", *_follow_options())
blocks = _relation_table("blocks")
mutes = _relation_table(
    "mutes",
    Column("hide_notifications", Boolean, nullable=False, server_default=text("true")),
    Column("expires_at", Timestamp, nullable=True),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _account_fk(),
    _account_fk("from_account_id"),
    Column("type", String(32), nullable=False),
    _status_fk(nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_notifications_account_id_id", "account_id", "id"),
)

markers = Table(
    "markers",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("timeline", String(32), primary_key=True),
    Column("last_read_id", ID, nullable=False),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("updated_at", Timestamp, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(255), primary_key=True),
    _status_fk(),
    Column("created_at", Timestamp, nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("kind", String(64), nullable=False),
    Column("payload", Text, nullable=False, server_default="{}"),
    Column("run_at", Timestamp, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", Timestamp, nullable=True),
    Column("last_error", Text, nullable=True),
    # set when a job has used up its attempts; kept for the operator to inspect
    Column("failed_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_jobs_run_at", "run_at"),
)

settings_kv = Table(
    "instance_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


# Home feeds, filled on write (ADR 11). ``home_feeds`` has a row per local account that
# has a feed: its entries hold every post by the account or an account it follows with
# an id above ``horizon_id`` (older posts are read by merging on read). Entries are
# keyed by (account, post) so that a page is one range of the primary key; on SQLite
# without a rowid, so that range is stored together.
home_feeds = Table(
    "home_feeds",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("horizon_id", ID, nullable=False),
)

home_feed_entries = Table(
    "home_feed_entries",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    # no foreign key: posts are deleted softly, and a cascade from statuses would need an
    # index on this column that nothing else reads
    Column("status_id", ID, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)
