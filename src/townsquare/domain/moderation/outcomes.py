"""What a reader is told about moderated posts: the decision behind a post's current
state, and each account's choice of how labelled posts show to them.

The guard (``domain/visibility``) decides who may see a post at all; this decides
how a post someone may see is presented: shown with its label, behind a warning, or
folded away by the reader's own choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import ValidationFailed
from townsquare.storage.schema import label_preferences, moderation_decisions

LABEL_CHOICES = ("show", "warn", "hide")
# Post states whose decision a card names: the warning's reason, and for the author
# of a removed or held post, why.
EXPLAINED_STATES = ("warned", "removed", "held")


def label_presentation(
    action: str | None, label: str | None, choices: Mapping[str, str]
) -> str | None:
    """How a post someone may see is shown to them: "show" (with its label), "warn"
    (behind a click-through) or "hide" (folded away); None for a post with neither a
    label nor a warning. The reader's choice for the label wins over the policy's."""
    if action == "warned":
        return choices.get(label, "warn") if label else "warn"
    if label is not None:
        return choices.get(label, "show")
    return None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The latest decision on a post: its rule and what it did."""

    status_id: int
    policy_id: str
    rule_id: str
    action: str
    label: str | None


async def latest_outcomes(conn: AsyncConnection, status_ids: Iterable[int]) -> dict[int, Outcome]:
    """The newest decision on each of ``status_ids`` that has one."""
    ids = sorted(set(status_ids))
    if not ids:
        return {}
    d = moderation_decisions
    newest = (
        select(func.max(d.c.id))
        .where(d.c.subject_type == "status", d.c.subject_id.in_(ids))
        .group_by(d.c.subject_id)
    )
    rows = await conn.execute(
        select(d.c.subject_id, d.c.policy_id, d.c.rule_id, d.c.action, d.c.label).where(
            d.c.id.in_(newest)
        )
    )
    return {
        row.subject_id: Outcome(row.subject_id, row.policy_id, row.rule_id, row.action, row.label)
        for row in rows
    }


async def label_choices(conn: AsyncConnection, account_id: int) -> dict[str, str]:
    """The account's choice per label value (labels without one use the default)."""
    rows = await conn.execute(
        select(label_preferences.c.label, label_preferences.c.choice).where(
            label_preferences.c.account_id == account_id
        )
    )
    return {row.label: row.choice for row in rows}


async def choose_label_choices(
    conn: AsyncConnection, account_id: int, choices: Mapping[str, str]
) -> None:
    """Replace the account's label choices; each must be show, warn or hide."""
    for label, choice in choices.items():
        if choice not in LABEL_CHOICES:
            raise ValidationFailed(f"Unknown choice for label {label}: {choice}")
        if not label or len(label) > 64:
            raise ValidationFailed("Unknown label")
    await conn.execute(
        delete(label_preferences).where(label_preferences.c.account_id == account_id)
    )
    if choices:
        await conn.execute(
            insert(label_preferences),
            [
                {"account_id": account_id, "label": label, "choice": choice}
                for label, choice in sorted(choices.items())
            ],
        )
