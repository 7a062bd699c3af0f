"""The audit log: one append-only row per moderator action.

Every action writes its row on the connection it changes things on, so the log and
the change commit or roll back together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import Forbidden
from townsquare.core.ids import new_id
from townsquare.domain.accounts.models import Account
from townsquare.storage.schema import moderation_audit


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


async def audit_log(
    conn: AsyncConnection, *, target_type: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    """The newest entries first."""
    query = select(moderation_audit).order_by(moderation_audit.c.id.desc()).limit(limit)
    if target_type is not None:
        query = query.where(moderation_audit.c.target_type == target_type)
    return [
        AuditEntry(
            id=row.id,
            account_id=row.account_id,
            action=row.action,
            target_type=row.target_type,
            target_id=row.target_id,
            details=orjson.loads(row.details_json),
            created_at=as_utc(row.created_at),
        )
        for row in await conn.execute(query)
    ]
