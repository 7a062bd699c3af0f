"""Tell followers who asked for it ("notify") that an account posted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.common.site import Site
from townsquare.domain.notifications.actions import notify
from townsquare.domain.visibility.access import can_see
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import follows, statuses

# Bounded batches keep one job's transaction short even for very followed accounts.
BATCH = 500


async def notify_subscribers(conn: AsyncConnection, _site: Site, payload: dict[str, Any]) -> None:
    status_id = int(payload["status_id"])
    after = int(payload.get("after", 0))
    author_id = await conn.scalar(select(statuses.c.account_id).where(statuses.c.id == status_id))
    if author_id is None:
        return
    rows = await conn.execute(
        select(follows.c.account_id)
        .where(
            follows.c.target_account_id == author_id,
            follows.c.notify,
            follows.c.account_id > after,
        )
        .order_by(follows.c.account_id)
        .limit(BATCH)
    )
    followers = [row.account_id for row in rows]
    for follower_id in followers:
        visible = await conn.scalar(
            select(statuses.c.id).where(statuses.c.id == status_id, can_see(follower_id))
        )
        if visible is not None:
            await notify(
                conn, recipient_id=follower_id, actor_id=author_id, type="status",
                status_id=status_id,
            )  # fmt: skip
    if len(followers) == BATCH:
        await enqueue(conn, "notify_subscribers", {"status_id": status_id, "after": followers[-1]})
