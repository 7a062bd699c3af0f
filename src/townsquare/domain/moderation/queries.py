"""Reads for moderators: accounts with their private details, reported posts whatever
their moderation state, and the decisions behind that state.

These bypass the visibility guard on purpose (its docstring says moderators read
through here); every caller checks ``require_moderator`` first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import escape_like
from townsquare.domain.posts.models import Status
from townsquare.storage.schema import accounts, moderation_decisions, statuses, users


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """An account as moderators see it (Mastodon's Admin::Account)."""

    account: Account
    email: str
    locale: str
    approved: bool
    confirmed: bool
    sign_up_ip: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    id: int
    subject_type: str
    subject_id: int
    policy_id: str
    policy_version: str
    rule_id: str
    stance: str | None
    action: str
    label: str | None
    automated_decision: bool
    moderator_id: int | None
    evidence: list[dict[str, Any]]
    created_at: datetime
    # DSA: illegal content (with the law it breaks) or incompatible with the terms
    decision_ground: str = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    legal_ground: str | None = None


def _staff(row: Any) -> StaffAccount:
    return StaffAccount(
        account=Account.from_row(row),
        email=row.email or "",
        locale=row.locale or "en",
        approved=True if row.approved is None else bool(row.approved),
        confirmed=row.confirmed_at is not None,
        sign_up_ip=row.sign_up_ip,
        reason=row.reason,
    )


def _staff_select() -> Any:
    return select(
        accounts,
        users.c.email,
        users.c.locale,
        users.c.approved,
        users.c.confirmed_at,
        users.c.sign_up_ip,
        users.c.reason,
    ).select_from(accounts.outerjoin(users, users.c.account_id == accounts.c.id))


async def staff_accounts(conn: AsyncConnection, ids: Iterable[int]) -> dict[int, StaffAccount]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await conn.execute(_staff_select().where(accounts.c.id.in_(wanted)))
    return {row.id: _staff(row) for row in rows}


STATES = ("active", "pending", "disabled", "silenced", "suspended", "sensitized")


async def list_staff_accounts(
    conn: AsyncConnection,
    *,
    local: bool = True,
    remote: bool = False,
    state: str | None = None,
    username: str | None = None,
    email: str | None = None,
    staff: bool = False,
    max_id: int | None = None,
    limit: int = 100,
) -> list[StaffAccount]:
    """Accounts newest first, narrowed as Mastodon's v1 admin account list does."""
    query = _staff_select().order_by(accounts.c.id.desc()).limit(limit)
    if local and not remote:
        query = query.where(accounts.c.domain == "")
    elif remote and not local:
        query = query.where(accounts.c.domain != "")
    if state == "active":
        query = query.where(accounts.c.suspended_at.is_(None), accounts.c.disabled_at.is_(None))
    elif state == "pending":
        query = query.where(users.c.approved.is_(False))
    elif state is not None:
        column = {"disabled": "disabled_at", "silenced": "silenced_at",
                  "suspended": "suspended_at", "sensitized": "sensitized_at"}[state]  # fmt: skip
        query = query.where(accounts.c[column].is_not(None))
    if username:
        query = query.where(
            accounts.c.username_key.like(f"%{escape_like(username.casefold())}%", escape="\\")
        )
    if email:
        query = query.where(users.c.email_key == email.casefold())
    if staff:
        query = query.where(or_(accounts.c.role == "admin", accounts.c.role == "moderator"))
    if max_id is not None:
        query = query.where(accounts.c.id < max_id)
    return [_staff(row) for row in await conn.execute(query)]


async def staff_statuses(conn: AsyncConnection, ids: Iterable[int]) -> list[Status]:
    """Posts by id whatever moderation did to them (deleted ones are gone), in order."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    rows = await conn.execute(
        select(statuses).where(statuses.c.id.in_(wanted), statuses.c.deleted_at.is_(None))
    )
    found = {row.id: Status.from_row(row) for row in rows}
    return [found[i] for i in wanted if i in found]


async def moderation_states(conn: AsyncConnection, ids: Iterable[int]) -> dict[int, str]:
    """``statuses.moderation_action`` of the posts that have one."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await conn.execute(
        select(statuses.c.id, statuses.c.moderation_action).where(
            statuses.c.id.in_(wanted), statuses.c.moderation_action.is_not(None)
        )
    )
    return {row.id: row.moderation_action for row in rows}


async def latest_decisions(
    conn: AsyncConnection, subject_type: str, ids: Iterable[int]
) -> dict[int, DecisionRecord]:
    """The newest decision about each subject: what its current state rests on."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await conn.execute(
        select(moderation_decisions)
        .where(
            moderation_decisions.c.subject_type == subject_type,
            moderation_decisions.c.subject_id.in_(wanted),
        )
        .order_by(moderation_decisions.c.id)
    )
    latest: dict[int, DecisionRecord] = {}
    for row in rows:
        latest[row.subject_id] = DecisionRecord(
            id=row.id,
            subject_type=row.subject_type,
            subject_id=row.subject_id,
            policy_id=row.policy_id,
            policy_version=row.policy_version,
            rule_id=row.rule_id,
            stance=row.stance,
            action=row.action,
            label=row.label,
            automated_decision=bool(row.automated_decision),
            moderator_id=row.moderator_id,
            evidence=orjson.loads(row.evidence_json),
            created_at=as_utc(row.created_at),
            decision_ground=row.decision_ground,
            legal_ground=row.legal_ground,
        )
    return latest
