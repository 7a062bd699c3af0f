"""The public transparency report: decisions per month by rule, action, language and
whether they were automated, with appeals and reversals.

Only counts leave this module, never a post, an account or evidence. Decisions are
read a page at a time and counted in Python, so the same code runs on SQLite and
PostgreSQL (month arithmetic differs between them) in memory bounded by the number
of distinct months, rules, actions and languages.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.storage.schema import appeals, moderation_decisions, statuses

PAGE_SIZE = 1000
UNKNOWN_LANGUAGE = "und"  # ISO 639-2 "undetermined"


APPEAL_RULE = "appeal-approved"  # the rule appeals.py cites when it overrules


def is_appeal(rule_id: str) -> bool:
    """A decision an approved appeal produced (``appeals._overrule``)."""
    return rule_id == APPEAL_RULE


def is_reversal(rule_id: str, action: str) -> bool:
    """A decision that undid an earlier one: an approved appeal restoring a post, or an
    account action lifted (by appeal, by a moderator, or at its expiry)."""
    return action == "reverse" or (is_appeal(rule_id) and action == "allow")


@dataclass(slots=True)
class MonthSummary:
    month: str  # YYYY-MM
    decisions: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    automated: int = 0
    not_automated: int = 0
    appeals: int = 0
    appeals_approved: int = 0
    appeals_rejected: int = 0
    reversals: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "decisions": self.decisions,
            "by_rule": dict(sorted(self.by_rule.items())),
            "by_action": dict(sorted(self.by_action.items())),
            "by_language": dict(sorted(self.by_language.items())),
            "automated": self.automated,
            "not_automated": self.not_automated,
            "appeals": self.appeals,
            "appeals_approved": self.appeals_approved,
            "appeals_rejected": self.appeals_rejected,
            "reversals": self.reversals,
        }


async def transparency_report(conn: AsyncConnection) -> list[MonthSummary]:
    """One summary per month that had decisions, newest month first."""
    d = moderation_decisions
    language = select(statuses.c.language).where(
        statuses.c.id == d.c.subject_id, d.c.subject_type == "status"
    )
    months: dict[str, MonthSummary] = {}
    after = 0
    while True:
        rows = (
            await conn.execute(
                select(
                    d.c.id, d.c.created_at, d.c.rule_id, d.c.action, d.c.automated_decision,
                    d.c.moderator_id, language.scalar_subquery().label("language"),
                )
                .where(d.c.id > after)
                .order_by(d.c.id)
                .limit(PAGE_SIZE)
            )
        ).all()  # fmt: skip
        if not rows:
            break
        after = rows[-1].id
        for row in rows:
            month = as_utc(row.created_at).strftime("%Y-%m")
            summary = months.get(month) or months.setdefault(month, MonthSummary(month))
            summary.decisions += 1
            summary.by_rule[row.rule_id] += 1
            summary.by_action[row.action] += 1
            summary.by_language[row.language or UNKNOWN_LANGUAGE] += 1
            if row.automated_decision and row.moderator_id is None:
                summary.automated += 1
            else:
                summary.not_automated += 1
            if is_reversal(row.rule_id, row.action):
                summary.reversals += 1
    # appeals by the month they were made, from their own table (a rejected one leaves
    # no decision behind)
    filed = (await conn.execute(select(appeals.c.created_at, appeals.c.state))).all()
    for appeal in filed:
        month = as_utc(appeal.created_at).strftime("%Y-%m")
        summary = months.get(month) or months.setdefault(month, MonthSummary(month))
        summary.appeals += 1
        if appeal.state == "approved":
            summary.appeals_approved += 1
        elif appeal.state == "rejected":
            summary.appeals_rejected += 1
    return [months[m] for m in sorted(months, reverse=True)]
