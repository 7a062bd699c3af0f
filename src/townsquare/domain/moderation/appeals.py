"""Strikes (Mastodon's account warnings) and appeals against them.

The owner of an account may appeal each strike once, within ``APPEAL_WINDOW`` of it.
A moderator approves or rejects; approving overrules the decision behind the strike:
a reversing decision is appended (decisions are never edited), the posts it removed
get their moderation state cleared, and the account action it took is lifted, so
the guard shows everything again on every surface at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import Conflict, NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.models import Account
from townsquare.domain.moderation.audit import audit, require_moderator
from townsquare.domain.moderation.sanctions import COLUMN, lift_account_action, record_decision
from townsquare.storage.schema import appeals, moderation_decisions, statuses, strikes

APPEAL_WINDOW = timedelta(days=20)
MAX_APPEAL = 2000


@dataclass(frozen=True, slots=True)
class Appeal:
    id: int
    strike_id: int
    account_id: int
    text: str
    state: str
    decided_by_id: int | None
    decided_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Appeal:
        return cls(
            id=row.id,
            strike_id=row.strike_id,
            account_id=row.account_id,
            text=row.text,
            state=row.state,
            decided_by_id=row.decided_by_id,
            decided_at=as_utc(row.decided_at) if row.decided_at else None,
            created_at=as_utc(row.created_at),
        )


@dataclass(frozen=True, slots=True)
class Strike:
    id: int
    account_id: int
    decision_id: int
    action: str
    rule_id: str
    text: str
    status_ids: tuple[int, ...]
    report_id: int | None
    created_at: datetime
    appeal: Appeal | None

    @property
    def appeal_deadline(self) -> datetime:
        return self.created_at + APPEAL_WINDOW

    def appealable(self, now: datetime | None = None) -> bool:
        return self.appeal is None and (now or utcnow()) <= self.appeal_deadline


def _strike(row: Any, appeal: Appeal | None) -> Strike:
    return Strike(
        id=row.id,
        account_id=row.account_id,
        decision_id=row.decision_id,
        action=row.action,
        rule_id=row.rule_id,
        text=row.text,
        status_ids=tuple(int(i) for i in orjson.loads(row.status_ids_json)),
        report_id=row.report_id,
        created_at=as_utc(row.created_at),
        appeal=appeal,
    )


async def _appeals_for(conn: AsyncConnection, strike_ids: list[int]) -> dict[int, Appeal]:
    if not strike_ids:
        return {}
    rows = await conn.execute(select(appeals).where(appeals.c.strike_id.in_(strike_ids)))
    return {row.strike_id: Appeal.from_row(row) for row in rows}


async def strikes_of(conn: AsyncConnection, account_id: int) -> list[Strike]:
    """An account's strikes, newest first, each with its appeal if any."""
    rows = (
        await conn.execute(
            select(strikes).where(strikes.c.account_id == account_id).order_by(strikes.c.id.desc())
        )
    ).all()
    found = await _appeals_for(conn, [row.id for row in rows])
    return [_strike(row, found.get(row.id)) for row in rows]


async def freeze_strike(conn: AsyncConnection, account_id: int) -> Strike | None:
    """The strike that froze the account (the newest freeze), to tell its owner why."""
    row = (
        await conn.execute(
            select(strikes)
            .where(strikes.c.account_id == account_id, strikes.c.action == "disable")
            .order_by(strikes.c.id.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return _strike(row, (await _appeals_for(conn, [row.id])).get(row.id))


async def get_strike(conn: AsyncConnection, strike_id: int) -> Strike:
    row = (await conn.execute(select(strikes).where(strikes.c.id == strike_id))).first()
    if row is None:
        raise NotFound("Strike not found")
    return _strike(row, (await _appeals_for(conn, [row.id])).get(row.id))


async def appeal_strike(
    conn: AsyncConnection, account: Account, strike_id: int, text: str
) -> Appeal:
    """The owner's one appeal against a strike; a second or late one is refused."""
    strike = await get_strike(conn, strike_id)
    if strike.account_id != account.id:
        raise NotFound("Strike not found")
    text = text.strip()
    if not text:
        raise ValidationFailed(
            "Validation failed: An appeal needs a text", details={"text": ["blank"]}
        )
    if len(text) > MAX_APPEAL:
        raise ValidationFailed(f"Validation failed: An appeal is at most {MAX_APPEAL} characters")
    if strike.appeal is not None:
        raise Conflict("This strike has already been appealed")
    now = utcnow()
    if now > strike.appeal_deadline:
        raise ValidationFailed(
            f"The appeal window closed on {strike.appeal_deadline:%Y-%m-%d}: strikes may be "
            f"appealed for {APPEAL_WINDOW.days} days",
            details={"strike_id": ["too_late"]},
        )
    appeal_id = new_id()
    try:
        async with conn.begin_nested():
            await conn.execute(
                appeals.insert().values(
                    id=appeal_id, strike_id=strike.id, account_id=account.id, text=text,
                    state="pending", created_at=now,
                )
            )  # fmt: skip
    except IntegrityError as exc:  # a concurrent second appeal
        raise Conflict("This strike has already been appealed") from exc
    row = (await conn.execute(select(appeals).where(appeals.c.id == appeal_id))).one()
    return Appeal.from_row(row)


async def pending_appeals(conn: AsyncConnection, *, state: str = "pending") -> list[Appeal]:
    rows = await conn.execute(
        select(appeals).where(appeals.c.state == state).order_by(appeals.c.id.desc())
    )
    return [Appeal.from_row(row) for row in rows]


async def get_appeal(conn: AsyncConnection, appeal_id: int) -> Appeal:
    row = (await conn.execute(select(appeals).where(appeals.c.id == appeal_id))).first()
    if row is None:
        raise NotFound("Appeal not found")
    return Appeal.from_row(row)


async def decide_appeal(
    conn: AsyncConnection, moderator: Account, appeal_id: int, *, approve: bool
) -> Appeal:
    """Approve (overrule the decision) or reject a pending appeal."""
    require_moderator(moderator)
    appeal = await get_appeal(conn, appeal_id)
    if appeal.state != "pending":
        raise Conflict(f"This appeal was already {appeal.state}")
    if appeal.account_id == moderator.id:
        raise ValidationFailed("Validation failed: Moderators cannot decide their own appeals")
    now = utcnow()
    state = "approved" if approve else "rejected"
    await conn.execute(
        update(appeals)
        .where(appeals.c.id == appeal.id)
        .values(state=state, decided_by_id=moderator.id, decided_at=now)
    )
    if approve:
        await _overrule(conn, moderator, await get_strike(conn, appeal.strike_id))
    await audit(conn, moderator.id, f"appeal.{'approve' if approve else 'reject'}", "appeal",
                appeal.id, strike_id=appeal.strike_id)  # fmt: skip
    return await get_appeal(conn, appeal.id)


async def _overrule(conn: AsyncConnection, moderator: Account, strike: Strike) -> None:
    rule = "appeal-approved"
    decision = (
        await conn.execute(
            select(moderation_decisions).where(moderation_decisions.c.id == strike.decision_id)
        )
    ).first()
    # Only the post the decision was about: posts a report merely cited were not changed.
    posts = (
        [decision.subject_id] if decision is not None and decision.subject_type == "status" else []
    )
    for status_id in posts:
        await record_decision(conn, "status", status_id, "allow", rule, moderator_id=moderator.id)
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == status_id, statuses.c.moderation_action.is_not(None))
            .values(moderation_action=None, moderation_label=None)
        )
    if strike.action in COLUMN:
        await lift_account_action(
            conn, strike.account_id, strike.action, moderator_id=moderator.id, rule_id=rule
        )
