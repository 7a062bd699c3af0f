"""moderation: designated entities, aliases, decisions, moderation state on statuses

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_FLAGS = (
    "targets_civilians",
    "engages_in_violence",
    "hate_based",
    "state_actor",
    "elected_representatives",
    "reformed",
    "peace_process",
)


def upgrade() -> None:
    op.create_table(
        "designated_entities",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("sources_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("accounts_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("domains_json", sa.Text(), server_default="[]", nullable=False),
        *[
            sa.Column(flag, sa.Boolean(), server_default=sa.text("false"), nullable=False)
            for flag in _FLAGS
        ],
        sa.Column("evidence", sa.Text(), server_default="", nullable=False),
        sa.Column("designated_on", sa.String(length=10), nullable=True),
        sa.Column("reviewed_on", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designated_entities")),
    )
    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("alias", sa.String(length=255), nullable=False),
        sa.Column("alias_key", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["designated_entities.id"],
            name=op.f("fk_entity_aliases_entity_id_designated_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_aliases")),
        sa.UniqueConstraint("alias_key", name=op.f("uq_entity_aliases_alias_key")),
    )
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.create_index("ix_entity_aliases_entity_id", ["entity_id"], unique=False)
    op.create_table(
        "moderation_decisions",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("policy_id", sa.String(length=64), nullable=False),
        sa.Column("policy_version", sa.String(length=32), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("stance", sa.String(length=32), nullable=True),
        sa.Column("stance_source", sa.String(length=16), nullable=True),
        sa.Column("evidence_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=True),
        sa.Column("automated_detection", sa.Boolean(), nullable=False),
        sa.Column("automated_decision", sa.Boolean(), nullable=False),
        sa.Column("moderator_id", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["accounts.id"],
            name=op.f("fk_moderation_decisions_moderator_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_decisions")),
    )
    with op.batch_alter_table("moderation_decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moderation_decisions_subject", ["subject_type", "subject_id", "id"], unique=False
        )
    # Batch mode: SQLite cannot ALTER a table in place beyond adding plain columns.
    with op.batch_alter_table("statuses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moderation_action", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("moderation_label", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statuses", schema=None) as batch_op:
        batch_op.drop_column("moderation_label")
        batch_op.drop_column("moderation_action")
    with op.batch_alter_table("moderation_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_decisions_subject")
    op.drop_table("moderation_decisions")
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_aliases_entity_id")
    op.drop_table("entity_aliases")
    op.drop_table("designated_entities")
