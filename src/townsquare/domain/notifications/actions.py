"""Creating and dismissing notifications.

``notify`` is called by other actions inside their transaction. It drops what the
recipient would not want: their own actions, actions by accounts they block or that
block them, actions by accounts they muted with notifications hidden, and (as
Mastodon) anything but a follow request from a limited account they do not follow.
"""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.ids import new_id
from townsquare.domain.notifications.models import FROM_LIMITED_ACCOUNTS, TYPES
from townsquare.domain.visibility.access import limited_for
from townsquare.storage.schema import blocks, mutes, notifications


async def notify(
    conn: AsyncConnection,
    *,
    recipient_id: int,
    actor_id: int,
    type: str,
    status_id: int | None = None,
) -> int | None:
    if type not in TYPES:
        raise ValueError(f"unknown notification type {type!r}")
    if recipient_id == actor_id:
        return None
    now = utcnow()
    unwanted = await conn.scalar(
        select(
            or_(
                exists().where(
                    or_(
                        and_(
                            blocks.c.account_id == recipient_id,
                            blocks.c.target_account_id == actor_id,
                        ),
                        and_(
                            blocks.c.account_id == actor_id,
                            blocks.c.target_account_id == recipient_id,
                        ),
                    )
                ),
                exists().where(
                    mutes.c.account_id == recipient_id,
                    mutes.c.target_account_id == actor_id,
                    mutes.c.hide_notifications,
                    or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > now),
                ),
                and_(
                    literal(type not in FROM_LIMITED_ACCOUNTS),
                    literal(actor_id).in_(limited_for(recipient_id)),
                ),
            )
        )
    )
    if unwanted:
        return None
    notification_id = new_id()
    await conn.execute(
        notifications.insert().values(
            id=notification_id,
            account_id=recipient_id,
            from_account_id=actor_id,
            type=type,
            status_id=status_id,
            created_at=now,
        )
    )
    return notification_id


async def withdraw(
    conn: AsyncConnection,
    *,
    actor_id: int,
    type: str,
    recipient_id: int | None = None,
    status_id: int | None = None,
) -> None:
    """Remove notifications an undone action had caused (unfavourite, unfollow...)."""
    query = delete(notifications).where(
        notifications.c.from_account_id == actor_id, notifications.c.type == type
    )
    if recipient_id is not None:
        query = query.where(notifications.c.account_id == recipient_id)
    if status_id is not None:
        query = query.where(notifications.c.status_id == status_id)
    await conn.execute(query)


async def dismiss(conn: AsyncConnection, account_id: int, notification_id: int) -> bool:
    result = await conn.execute(
        delete(notifications).where(
            notifications.c.id == notification_id, notifications.c.account_id == account_id
        )
    )
    return bool(result.rowcount)


async def clear(conn: AsyncConnection, account_id: int) -> None:
    await conn.execute(delete(notifications).where(notifications.c.account_id == account_id))
