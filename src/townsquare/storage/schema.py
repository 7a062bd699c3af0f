"""The relational schema, shared by SQLite and PostgreSQL.

Ids are snowflakes (see ``core.ids``) in BIGINT columns. Counters live on the rows
they count and change only through ``UPDATE ... SET n = n + 1`` in the same
transaction as the change they count, so they stay exact under concurrent writes.
Alembic migrations in ``storage/migrations`` create exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = BigInteger
Timestamp = DateTime(timezone=True)


def _account_fk(name: str = "account_id", *, nullable: bool = False) -> Column[int]:
    return Column(name, ID, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=nullable)


def _status_fk(name: str = "status_id", *, nullable: bool = False) -> Column[int]:
    return Column(name, ID, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=nullable)


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


# --- Search (issue 4) --------------------------------------------------------------------
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

# --- Moderation (issue 5): designated entities and decisions -------------------------

designated_entities = Table(
    "designated_entities",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("name", String(255), nullable=False),
    # organisation | person | event | ideology
    Column("kind", String(16), nullable=False),
    Column("tier", Integer, nullable=False),
    # JSON lists: designation sources (FTO, SDGT, internal, ...), linked accounts, domains
    Column("sources_json", Text, nullable=False, server_default="[]"),
    Column("accounts_json", Text, nullable=False, server_default="[]"),
    Column("domains_json", Text, nullable=False, server_default="[]"),
    Column("targets_civilians", Boolean, nullable=False, server_default=text("false")),
    Column("engages_in_violence", Boolean, nullable=False, server_default=text("false")),
    Column("hate_based", Boolean, nullable=False, server_default=text("false")),
    Column("state_actor", Boolean, nullable=False, server_default=text("false")),
    Column("elected_representatives", Boolean, nullable=False, server_default=text("false")),
    Column("reformed", Boolean, nullable=False, server_default=text("false")),
    Column("peace_process", Boolean, nullable=False, server_default=text("false")),
    Column("evidence", Text, nullable=False, server_default=""),
    Column("designated_on", String(10), nullable=True),
    Column("reviewed_on", String(10), nullable=True),
    Column("created_at", Timestamp, nullable=False),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column(
        "entity_id", ID, ForeignKey("designated_entities.id", ondelete="CASCADE"), nullable=False
    ),
    Column("alias", String(255), nullable=False),
    # core.normalize.match_key(alias): one alias key names one entity, never two
    Column("alias_key", String(255), nullable=False, unique=True),
    Index("ix_entity_aliases_entity_id", "entity_id"),
)

# Append-only: a later decision supersedes an earlier one, nothing is updated.
moderation_decisions = Table(
    "moderation_decisions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    # status | account
    Column("subject_type", String(16), nullable=False),
    Column("subject_id", ID, nullable=False),
    Column("policy_id", String(64), nullable=False),
    Column("policy_version", String(32), nullable=False),
    Column("rule_id", String(64), nullable=False),
    Column("stance", String(32), nullable=True),
    # author | classifier | moderator
    Column("stance_source", String(16), nullable=True),
    # JSON list of {entity_id, entity, alias, start, end}
    Column("evidence_json", Text, nullable=False, server_default="[]"),
    Column("action", String(16), nullable=False),
    Column("label", String(64), nullable=True),
    Column("automated_detection", Boolean, nullable=False),
    Column("automated_decision", Boolean, nullable=False),
    _account_fk("moderator_id", nullable=True),
    Column("expires_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_moderation_decisions_subject", "subject_type", "subject_id", "id"),
)

# --- Trends (issue 4) ----------------------------------------------------------------
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

# --- Moderation (issue 5): reports, account actions, strikes, appeals, audit log -----

# Account-level moderation state, next to ``suspended_at``: the guard and the sign-in
# check read these columns, so each check stays a column test with no join.
accounts.append_column(Column("silenced_at", Timestamp, nullable=True))
accounts.append_column(Column("sensitized_at", Timestamp, nullable=True))
# Mastodon's "disable": the account stays visible, its owner cannot sign in or use tokens
accounts.append_column(Column("disabled_at", Timestamp, nullable=True))
# public timelines, search and trends leave out limited accounts: keep that list cheap
Index(
    "ix_accounts_silenced",
    accounts.c.id,
    sqlite_where=text("silenced_at IS NOT NULL"),
    postgresql_where=text("silenced_at IS NOT NULL"),
)

reports = Table(
    "reports",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _account_fk("account_id"),
    _account_fk("target_account_id"),
    Column("status_ids_json", Text, nullable=False, server_default="[]"),
    # spam | legal | violation | other
    Column("category", String(16), nullable=False),
    Column("rule_ids_json", Text, nullable=False, server_default="[]"),
    Column("comment", Text, nullable=False, server_default=""),
    Column("forward", Boolean, nullable=False, server_default=text("false")),
    _account_fk("assigned_account_id", nullable=True),
    _account_fk("action_taken_by_id", nullable=True),
    Column("action_taken_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Column("updated_at", Timestamp, nullable=False),
    Index("ix_reports_target_account_id", "target_account_id"),
)

report_notes = Table(
    "report_notes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("report_id", ID, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
    _account_fk("account_id"),
    Column("content", Text, nullable=False),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_report_notes_report_id", "report_id"),
)

# Mastodon's account warnings: what a moderator or the policy did to an account, and why.
strikes = Table(
    "strikes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    _account_fk("account_id"),
    # the decision this strike stands for; an approved appeal reverses it
    Column("decision_id", ID, nullable=False),
    # none | sensitive | disable | silence | suspend | delete_statuses
    Column("action", String(32), nullable=False),
    Column("rule_id", String(64), nullable=False),
    Column("text", Text, nullable=False, server_default=""),
    Column("status_ids_json", Text, nullable=False, server_default="[]"),
    Column("report_id", ID, ForeignKey("reports.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", Timestamp, nullable=False),
    Index("ix_strikes_account_id", "account_id", "id"),
)

appeals = Table(
    "appeals",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    # one appeal per strike: the unique key refuses a second even under a race
    Column("strike_id", ID, ForeignKey("strikes.id", ondelete="CASCADE"), nullable=False,
           unique=True),
    _account_fk("account_id"),
    Column("text", Text, nullable=False),
    # pending | approved | rejected
    Column("state", String(16), nullable=False, server_default="pending"),
    _account_fk("decided_by_id", nullable=True),
    Column("decided_at", Timestamp, nullable=True),
    Column("created_at", Timestamp, nullable=False),
)  # fmt: skip

# Append-only: one row per moderator action, written in the action's transaction.
moderation_audit = Table(
    "moderation_audit",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    # SET NULL: the record of what was done outlives the moderator's account
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    Column("action", String(48), nullable=False),
    # report | account | appeal | policy
    Column("target_type", String(16), nullable=False),
    Column("target_id", String(255), nullable=False),
    Column("details_json", Text, nullable=False, server_default="{}"),
    Column("created_at", Timestamp, nullable=False),
)

# --- Web reading choices (issues 3, 4, 5): languages to show, label preferences, -----
# --- and what browser a session was started from -------------------------------------

# The languages an account wants to see on public surfaces (Mastodon's
# chosen_languages); no rows means every language.
account_languages = Table(
    "account_languages",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("language", String(8), primary_key=True),
)

# How an account wants posts with a moderation label shown: show | warn | hide.
# No row means the label's default (warn for "warned" posts, show for labels).
label_preferences = Table(
    "label_preferences",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("label", String(64), primary_key=True),
    Column("choice", String(8), nullable=False),
)

# The browser a web session was started from, so the sessions list can name it.
session_agents = Table(
    "session_agents",
    metadata,
    Column("token_id", ID, ForeignKey("oauth_tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("user_agent", String(255), nullable=False, server_default=""),
)
