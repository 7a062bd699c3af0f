"""reports, account actions (silenced/sensitized/disabled), strikes, appeals, audit log

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ACCOUNT_STATES = ("silenced_at", "sensitized_at", "disabled_at")


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    # Batch mode: SQLite cannot ALTER a table in place beyond adding plain columns.
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        for column in _ACCOUNT_STATES:
            batch_op.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_accounts_silenced",
            ["id"],
            unique=False,
            sqlite_where=sa.text("silenced_at IS NOT NULL"),
            postgresql_where=sa.text("silenced_at IS NOT NULL"),
        )
    op.create_table(
        "reports",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("target_account_id", sa.BigInteger(), nullable=False),
        sa.Column("status_ids_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("rule_ids_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("forward", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("assigned_account_id", sa.BigInteger(), nullable=True),
        sa.Column("action_taken_by_id", sa.BigInteger(), nullable=True),
        sa.Column("action_taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("reports", "account_id", "accounts"),
        _fk("reports", "target_account_id", "accounts"),
        _fk("reports", "assigned_account_id", "accounts"),
        _fk("reports", "action_taken_by_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_target_account_id", ["target_account_id"], unique=False)
    op.create_table(
        "report_notes",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("report_notes", "report_id", "reports"),
        _fk("report_notes", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_notes")),
    )
    with op.batch_alter_table("report_notes", schema=None) as batch_op:
        batch_op.create_index("ix_report_notes_report_id", ["report_id"], unique=False)
    op.create_table(
        "strikes",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("decision_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("status_ids_json", sa.Text(), server_default="[]", nullable=False),
        sa.Column("report_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("strikes", "account_id", "accounts"),
        _fk("strikes", "report_id", "reports", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strikes")),
    )
    with op.batch_alter_table("strikes", schema=None) as batch_op:
        batch_op.create_index("ix_strikes_account_id", ["account_id", "id"], unique=False)
    op.create_table(
        "appeals",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("strike_id", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("decided_by_id", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("appeals", "strike_id", "strikes"),
        _fk("appeals", "account_id", "accounts"),
        _fk("appeals", "decided_by_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
        sa.UniqueConstraint("strike_id", name=op.f("uq_appeals_strike_id")),
    )
    op.create_table(
        "moderation_audit",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.String(length=255), nullable=False),
        sa.Column("details_json", sa.Text(), server_default="{}", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("moderation_audit", "account_id", "accounts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_audit")),
    )


def downgrade() -> None:
    op.drop_table("moderation_audit")
    op.drop_table("appeals")
    with op.batch_alter_table("strikes", schema=None) as batch_op:
        batch_op.drop_index("ix_strikes_account_id")
    op.drop_table("strikes")
    with op.batch_alter_table("report_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_report_notes_report_id")
    op.drop_table("report_notes")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_target_account_id")
    op.drop_table("reports")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_accounts_silenced")
        for column in reversed(_ACCOUNT_STATES):
            batch_op.drop_column(column)
