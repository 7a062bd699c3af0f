"""Account actions: what a moderator (or the policy) does to an account, and undoing it.

Mastodon's names, and what each one does here:

- ``none``: a warning; only the strike is recorded.
- ``sensitive``: the account's new posts are marked sensitive.
- ``disable`` ("freeze"): the owner signs in on the web only to read and appeal, gets
  no new tokens, and its tokens read but never write; posts stay visible.
- ``silence`` ("limit"): posts leave public timelines, search and trends for everyone
  but followers (``visibility.in_public_reach``), and its notifications reach only
  followers (``visibility.limited_for``).
- ``suspend``: no sign-in, and nothing by the account is visible to anyone. The account
  can be restored for ``SUSPENSION_GRACE``; after that a job purges it.

Each action appends a decision about the account to ``moderation_decisions``, records
a strike (see ``appeals``), resolves the report it answers, and writes an audit row,
all on the caller's connection so that they commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import find_account
from townsquare.domain.moderation.audit import audit, require_moderator
from townsquare.domain.moderation.grounds import IllegalContent, ground_columns, illegal_content
from townsquare.domain.moderation.reports import get_report
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import accounts, moderation_decisions, reports, strikes

ACTIONS = ("none", "sensitive", "disable", "silence", "suspend")
UNDO = {"unsensitive": "sensitive", "enable": "disable", "unsilence": "silence",
        "unsuspend": "suspend"}  # fmt: skip
# the accounts column each action sets
COLUMN = {"sensitive": "sensitized_at", "disable": "disabled_at", "silence": "silenced_at",
          "suspend": "suspended_at"}  # fmt: skip
# the decision vocabulary (ADR 12) each action is recorded under
DECISION_ACTION = {"none": "strike", "sensitive": "sensitive", "disable": "freeze",
                   "silence": "limit", "suspend": "suspend"}  # fmt: skip
SUSPENSION_GRACE = timedelta(days=30)
# The DSA Transparency Database's source_type values a decision is recorded with.
SOURCE_VOLUNTARY = "SOURCE_VOLUNTARY"
SOURCE_ARTICLE_16 = "SOURCE_ARTICLE_16"
SOURCE_TRUSTED_FLAGGER = "SOURCE_TRUSTED_FLAGGER"
PURGE_JOB = "moderation.purge_account"
LIFT_JOB = "moderation.lift_account_action"
MODERATOR_POLICY = "moderator"


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: [message]})


async def _target(conn: AsyncConnection, moderator: Account, account_id: int) -> Account:
    target = await find_account(conn, account_id)
    if target is None:
        raise NotFound("Account not found")
    if target.id == moderator.id:
        raise _invalid("account_id", "Moderators cannot act on their own account")
    if target.role == "admin" and moderator.role != "admin":
        raise Forbidden("Only admins may act on an admin's account")
    return target


async def record_decision(
    conn: AsyncConnection,
    subject_type: str,
    subject_id: int,
    action: str,
    rule_id: str,
    *,
    moderator_id: int | None,
    policy_id: str = MODERATOR_POLICY,
    policy_version: str = "1",
    label: str | None = None,
    expires_at: datetime | None = None,
    automated: bool = False,
    source_type: str = SOURCE_VOLUNTARY,
    illegal: IllegalContent | None = None,
) -> int:
    decision_id = new_id()
    await conn.execute(
        moderation_decisions.insert().values(
            id=decision_id, subject_type=subject_type, subject_id=subject_id,
            policy_id=policy_id, policy_version=policy_version, rule_id=rule_id,
            stance=None, stance_source="moderator" if moderator_id else None,
            evidence_json="[]", action=action, label=label,
            automated_detection=automated, automated_decision=automated,
            moderator_id=moderator_id, expires_at=expires_at, created_at=utcnow(),
            source_type=source_type, **ground_columns(illegal),
        )
    )  # fmt: skip
    return decision_id


async def report_source(conn: AsyncConnection, report_id: int | None) -> str:
    """The DSA source of a decision taken on ``report_id``: a trusted flagger's report,
    a user's notice (Article 16), or none (the moderators' own initiative)."""
    if report_id is None:
        return SOURCE_VOLUNTARY
    trusted = await conn.scalar(
        select(accounts.c.trusted_flagger)
        .select_from(reports.join(accounts, accounts.c.id == reports.c.account_id))
        .where(reports.c.id == report_id)
    )
    return SOURCE_TRUSTED_FLAGGER if trusted else SOURCE_ARTICLE_16


async def set_account_state(
    conn: AsyncConnection, account_id: int, kind: str, *, until: datetime | None = None
) -> None:
    """Set the account column of ``kind`` (keeping an earlier moment if already set),
    and queue what must happen later: the purge after a suspension's grace period, or
    lifting a timed action."""
    column = accounts.c[COLUMN[kind]]
    now = utcnow()
    await conn.execute(
        update(accounts).where(accounts.c.id == account_id, column.is_(None)).values({column: now})
    )
    if until is not None:
        await enqueue(conn, LIFT_JOB, {"account_id": account_id, "kind": kind}, run_at=until)
    elif kind == "suspend":
        await enqueue(conn, PURGE_JOB, {"account_id": account_id}, run_at=now + SUSPENSION_GRACE)


async def clear_account_state(conn: AsyncConnection, account_id: int, kind: str) -> None:
    column = accounts.c[COLUMN[kind]]
    await conn.execute(update(accounts).where(accounts.c.id == account_id).values({column: None}))


async def record_strike(
    conn: AsyncConnection,
    account_id: int,
    decision_id: int,
    action: str,
    rule_id: str,
    *,
    text: str = "",
    status_ids: Sequence[int] = (),
    report_id: int | None = None,
) -> int:
    strike_id = new_id()
    await conn.execute(
        strikes.insert().values(
            id=strike_id, account_id=account_id, decision_id=decision_id, action=action,
            rule_id=rule_id, text=text, status_ids_json=orjson.dumps(list(status_ids)).decode(),
            report_id=report_id, created_at=utcnow(),
        )
    )  # fmt: skip
    return strike_id


async def act_on_account(
    conn: AsyncConnection,
    moderator: Account,
    account_id: int,
    kind: str,
    *,
    text: str = "",
    report_id: int | None = None,
    legal_ground: str | None = None,
    illegal_content_explanation: str | None = None,
) -> int:
    """Take one of ``ACTIONS`` against an account; returns the strike's id.

    With ``legal_ground`` and ``illegal_content_explanation`` the moderator decides
    that the content is illegal; without them, that it breaks the instance's terms."""
    require_moderator(moderator)
    if kind not in ACTIONS:
        raise _invalid("type", f"Unknown action type {kind!r}; one of {', '.join(ACTIONS)}")
    illegal = illegal_content(legal_ground, illegal_content_explanation)
    target = await _target(conn, moderator, account_id)
    status_ids: list[int] = []
    if report_id is not None:
        report = await get_report(conn, report_id)
        if report.target_account_id != target.id:
            raise _invalid("report_id", "The report is about another account")
        status_ids = list(report.status_ids)
    if len(text) > 5000:
        raise _invalid("text", "The text is at most 5000 characters")
    rule_id = f"moderator-{kind}"
    decision_id = await record_decision(
        conn, "account", target.id, DECISION_ACTION[kind], rule_id, moderator_id=moderator.id,
        source_type=await report_source(conn, report_id), illegal=illegal,
    )  # fmt: skip
    if kind in COLUMN:
        await set_account_state(conn, target.id, kind)
    strike_id = await record_strike(
        conn, target.id, decision_id, kind, rule_id,
        text=text, status_ids=status_ids, report_id=report_id,
    )  # fmt: skip
    if report_id is not None:
        now = utcnow()
        await conn.execute(
            update(reports)
            .where(reports.c.id == report_id)
            .values(action_taken_at=now, action_taken_by_id=moderator.id, updated_at=now)
        )
    grounds = ground_columns(illegal)
    await audit(
        conn, moderator.id, f"account.{kind}", "account", target.id,
        strike_id=strike_id, decision_id=decision_id, report_id=report_id,
        **{k: v for k, v in grounds.items() if v is not None},
    )  # fmt: skip
    return strike_id


async def undo_account_action(
    conn: AsyncConnection, moderator: Account, account_id: int, undo: str
) -> None:
    """One of ``UNDO``: lift an account action and record the lifting."""
    require_moderator(moderator)
    if undo not in UNDO:
        raise _invalid("type", f"Unknown undo {undo!r}; one of {', '.join(UNDO)}")
    target = await _target(conn, moderator, account_id)
    await lift_account_action(conn, target.id, UNDO[undo], moderator_id=moderator.id)
    await audit(conn, moderator.id, f"account.{undo}", "account", target.id)


async def lift_account_action(
    conn: AsyncConnection, account_id: int, kind: str, *, moderator_id: int | None,
    rule_id: str | None = None,
) -> None:  # fmt: skip
    await clear_account_state(conn, account_id, kind)
    await record_decision(
        conn, "account", account_id, "reverse", rule_id or f"moderator-un{kind}",
        moderator_id=moderator_id, label=kind,
    )  # fmt: skip


async def purge_account(conn: AsyncConnection, account_id: int) -> bool:
    """Delete an account suspended for longer than the grace period, with everything
    that belongs to it (foreign keys cascade). False when it was restored meanwhile."""
    suspended_at = await conn.scalar(
        select(accounts.c.suspended_at).where(accounts.c.id == account_id)
    )
    if suspended_at is None or as_utc(suspended_at) > utcnow() - SUSPENSION_GRACE:
        return False
    await conn.execute(delete(accounts).where(accounts.c.id == account_id))
    return True


async def lift_expired_action(conn: AsyncConnection, account_id: int, kind: str) -> None:
    """A timed action (the policy's ``duration_days``) has run its course."""
    if kind not in COLUMN:
        return
    column = accounts.c[COLUMN[kind]]
    if await conn.scalar(select(column).where(accounts.c.id == account_id)) is None:
        return
    await lift_account_action(conn, account_id, kind, moderator_id=None, rule_id=f"expired-{kind}")


def account_state(account: Account) -> dict[str, Any]:
    return {
        "suspended": account.suspended,
        "silenced": account.silenced,
        "sensitized": account.sensitized,
        "disabled": account.disabled,
    }
