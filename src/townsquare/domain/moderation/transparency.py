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
from townsquare.storage.schema import moderation_decisions, statuses

PAGE_SIZE = 1000
UNKNOWN_LANGUAGE = "und"  # ISO 639-2 "undetermined"


def is_appeal(rule_id: str) -> bool:
    """A decision an appeal produced. Appeals record their outcome as a decision
    whose rule id starts with ``appeal`` (e.g. ``appeal-approved``); if appeals
    gain a column of their own, change only this function and ``is_reversal``."""
    return rule_id.startswith("appeal")


def is_reversal(rule_id: str, action: str) -> bool:
    """An appeal that overruled the decision: the content or account is restored."""
    return is_appeal(rule_id) and action == "allow"


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
            if is_appeal(row.rule_id):
                summary.appeals += 1
            if is_reversal(row.rule_id, row.action):
                summary.reversals += 1
    return [months[m] for m in sorted(months, reverse=True)]
