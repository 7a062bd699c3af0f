"""The relational schema, shared by SQLite and PostgreSQL, one module per concept
(``base`` holds the metadata every table joins).

Ids are snowflakes (see ``core.ids``) in BIGINT columns. Counters live on the rows
they count and change only through ``UPDATE ... SET n = n + 1`` in the same
transaction as the change they count, so they stay exact under concurrent writes.
Alembic migrations in ``storage/migrations`` create exactly these tables.
"""

from __future__ import annotations

from townsquare.storage.schema.base import (
    ID,
    Timestamp,
    metadata,
)
from townsquare.storage.schema.curation import (
    account_notes,
    featured_tags,
    followed_tags,
    list_accounts,
    lists,
)
from townsquare.storage.schema.filters import (
    filter_keywords,
    filter_statuses,
    filters,
)
from townsquare.storage.schema.moderation import (
    appeals,
    designated_entities,
    entity_aliases,
    moderation_audit,
    moderation_decisions,
    report_notes,
    reports,
    strikes,
)
from townsquare.storage.schema.reading import (
    account_languages,
    label_preferences,
    session_agents,
)
from townsquare.storage.schema.search import (
    SEARCH_ENGINE_PREFIX,
    account_search,
    engine_specific,
    status_search,
)
from townsquare.storage.schema.social import (
    accounts,
    blocks,
    bookmarks,
    favourites,
    follow_requests,
    follows,
    home_feed_entries,
    home_feeds,
    idempotency_keys,
    jobs,
    markers,
    media_attachments,
    mentions,
    mutes,
    notifications,
    oauth_apps,
    oauth_codes,
    oauth_tokens,
    pins,
    settings_kv,
    status_edits,
    status_tags,
    statuses,
    tags,
    users,
)
from townsquare.storage.schema.trends import (
    trend_scores,
    trend_uses,
)

__all__ = [
    "ID",
    "SEARCH_ENGINE_PREFIX",
    "Timestamp",
    "account_languages",
    "account_notes",
    "account_search",
    "accounts",
    "appeals",
    "blocks",
    "bookmarks",
    "designated_entities",
    "engine_specific",
    "entity_aliases",
    "favourites",
    "featured_tags",
    "filter_keywords",
    "filter_statuses",
    "filters",
    "follow_requests",
    "followed_tags",
    "follows",
    "home_feed_entries",
    "home_feeds",
    "idempotency_keys",
    "jobs",
    "label_preferences",
    "list_accounts",
    "lists",
    "markers",
    "media_attachments",
    "mentions",
    "metadata",
    "moderation_audit",
    "moderation_decisions",
    "mutes",
    "notifications",
    "oauth_apps",
    "oauth_codes",
    "oauth_tokens",
    "pins",
    "report_notes",
    "reports",
    "session_agents",
    "settings_kv",
    "status_edits",
    "status_search",
    "status_tags",
    "statuses",
    "strikes",
    "tags",
    "trend_scores",
    "trend_uses",
    "users",
]
