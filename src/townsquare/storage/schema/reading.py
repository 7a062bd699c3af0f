"""Web reading choices (issues 3, 4, 5, ADR 17): languages to show, label
preferences, and what browser a session was started from."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    String,
    Table,
)

from townsquare.storage.schema.base import ID, metadata

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
