"""Moderation (issue 5): designated entities and decisions (ADR 12); reports,
account actions, strikes, appeals and the audit log (ADR 14)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)

from townsquare.storage.schema.base import ID, Timestamp, _account_fk, metadata
from townsquare.storage.schema.social import accounts

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
    # The DSA statement's ground and source (ADR 20): a rule that names a legal ground
    # decides on illegal content, any other on incompatibility with the terms.
    Column(
        "decision_ground",
        String(40),
        nullable=False,
        server_default="DECISION_GROUND_INCOMPATIBLE_CONTENT",
    ),
    Column("legal_ground", String(500), nullable=True),
    Column("illegal_content_explanation", String(2000), nullable=True),
    # SOURCE_VOLUNTARY (own initiative, automated), SOURCE_ARTICLE_16 (a user's
    # report), SOURCE_TRUSTED_FLAGGER (a trusted flagger's report)
    Column("source_type", String(32), nullable=False, server_default="SOURCE_VOLUNTARY"),
    Index("ix_moderation_decisions_subject", "subject_type", "subject_id", "id"),
)


# Account-level moderation state, next to ``suspended_at``: the guard and the sign-in
# check read these columns, so each check stays a column test with no join.
accounts.append_column(Column("silenced_at", Timestamp, nullable=True))
accounts.append_column(Column("sensitized_at", Timestamp, nullable=True))
# Mastodon's "disable" (freeze): the account stays visible; its owner only reads and appeals
accounts.append_column(Column("disabled_at", Timestamp, nullable=True))
# A trusted flagger (DSA Article 22): decisions on its reports name that source.
accounts.append_column(
    Column("trusted_flagger", Boolean, nullable=False, server_default=text("false"))
)
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
