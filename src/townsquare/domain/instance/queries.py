"""What the instance says about itself: its size and who to contact."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.accounts.models import Account
from townsquare.storage.schema import accounts, statuses


@dataclass(frozen=True, slots=True)
class InstanceStats:
    users: int
    posts: int
    contact: Account | None


async def instance_stats(conn: AsyncConnection) -> InstanceStats:
    """Local accounts and live local posts, and the first active admin as the contact."""
    users = await conn.scalar(
        select(func.count()).select_from(accounts).where(accounts.c.domain == "")
    )
    posts = await conn.scalar(
        select(func.count())
        .select_from(statuses)
        .where(statuses.c.local, statuses.c.deleted_at.is_(None))
    )
    row = (
        await conn.execute(
            select(accounts)
            .where(accounts.c.role == "admin", accounts.c.suspended_at.is_(None))
            .order_by(accounts.c.id)
            .limit(1)
        )
    ).first()
    return InstanceStats(int(users or 0), int(posts or 0), Account.from_row(row) if row else None)
