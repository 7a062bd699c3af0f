"""The audit log: one append-only row per moderator action.

Every action writes its row on the connection it changes things on, so the log and
the change commit or roll back together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page, newest_first, paginate
from townsquare.storage.schema import accounts, moderation_audit

# What an entry can be about (moderation_audit.target_type).
TARGET_TYPES = ("report", "account", "appeal", "policy")
# An action is "<target type>.<verb>", e.g. "account.silence" or "report.resolve".
_ACTION = re.compile(r"^[a-z_]{1,16}(\.[a-z_]{1,31})?$")


def require_moderator(actor: Account) -> None:
    """Moderators and admins only; everyone else gets Forbidden (403)."""
    if not actor.is_moderator:
        raise Forbidden("This action is only allowed to moderators")


async def audit(
    conn: AsyncConnection,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int | str,
    **details: Any,
) -> None:
    await conn.execute(
        moderation_audit.insert().values(
            id=new_id(),
            account_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            details_json=orjson.dumps(details).decode(),
            created_at=utcnow(),
        )
    )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    account_id: int | None
    action: str
    target_type: str
    target_id: str
    details: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to read: by one moderator, of one action (or a whole family, as
    "account" for every "account.*"), about one target type or target."""

    account_id: int | None = None
    action: str | None = None
    target_type: str | None = None
    target_id: str | None = None


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: [message]})


async def check_audit_filter(conn: AsyncConnection, wanted: AuditFilter) -> None:
    """A malformed filter is refused (422); a moderator that does not exist is 404."""
    if wanted.action is not None and not _ACTION.match(wanted.action):
        raise _invalid("action", "action must look like account.silence or report")
    if wanted.target_type is not None and wanted.target_type not in TARGET_TYPES:
        raise _invalid("target_type", f"target_type must be one of {', '.join(TARGET_TYPES)}")
    if wanted.target_id is not None:
        if wanted.target_type is None:
            raise _invalid("target_id", "target_id needs target_type")
        if not wanted.target_id or len(wanted.target_id) > 255:
            raise _invalid("target_id", "target_id must be 1 to 255 characters")
    if wanted.account_id is not None:
        found = await conn.scalar(select(accounts.c.id).where(accounts.c.id == wanted.account_id))
        if found is None:
            raise NotFound("Account not found")


async def audit_log(
    conn: AsyncConnection,
    *,
    target_type: str | None = None,
    limit: int = 100,
    wanted: AuditFilter | None = None,
    page: Page | None = None,
) -> list[AuditEntry]:
    """The newest entries first, of those ``wanted``, within ``page``."""
    wanted = wanted or AuditFilter(target_type=target_type)
    log = moderation_audit.c
    query = select(moderation_audit)
    if wanted.account_id is not None:
        query = query.where(log.account_id == wanted.account_id)
    if wanted.action is not None:
        family = "." not in wanted.action
        query = query.where(
            log.action.startswith(f"{wanted.action}.", autoescape=True)
            if family
            else log.action == wanted.action
        )
    if wanted.target_type is not None:
        query = query.where(log.target_type == wanted.target_type)
    if wanted.target_id is not None:
        query = query.where(log.target_id == wanted.target_id)
    page = page or Page(limit=limit)
    rows = await conn.execute(paginate(query, log.id, page))
    return newest_first(
        page,
        [
            AuditEntry(
                id=row.id,
                account_id=row.account_id,
                action=row.action,
                target_type=row.target_type,
                target_id=row.target_id,
                details=orjson.loads(row.details_json),
                created_at=as_utc(row.created_at),
            )
            for row in rows
        ],
    )
