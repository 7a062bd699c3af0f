"""Reposts: repost a post, undo it, and the bookkeeping both share with deletion."""

from __future__ import annotations

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import Forbidden
from townsquare.core.ids import new_id
from townsquare.domain.accounts.access import ensure_can_act
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.site import Site
from townsquare.domain.notifications.actions import notify, withdraw
from townsquare.domain.posts.drafts import invalid
from townsquare.domain.posts.models import VISIBILITIES, Status
from townsquare.domain.posts.queries import own_status, visible_original, visible_status
from townsquare.domain.timelines.feeds import fan_out
from townsquare.domain.trends.recording import schedule_post
from townsquare.domain.trends.withdrawal import schedule_unreblog
from townsquare.storage.schema import accounts, statuses


async def decrement_statuses_count(conn: AsyncConnection, account_id: int) -> None:
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id, accounts.c.statuses_count > 0)
        .values(statuses_count=accounts.c.statuses_count - 1)
    )


async def reblog(
    conn: AsyncConnection, site: Site, account: Account, status_id: int, visibility: str = "public"
) -> Status:
    """Repost a post; reposting twice returns the first repost.

    Public and unlisted posts may be reposted by anyone who sees them; a followers-only
    post only by its author, to the same followers; a private mention by nobody.
    """
    ensure_can_act(account)
    if visibility not in VISIBILITIES or visibility == "direct":
        raise invalid("Visibility must be public, unlisted or private", "visibility")
    target = await visible_original(conn, account.id, status_id)
    if target.visibility == "direct" or (
        target.visibility == "private" and target.account_id != account.id
    ):
        raise Forbidden("This post cannot be reposted")
    if target.visibility == "private":
        visibility = "private"
    existing = (
        await conn.execute(
            select(statuses).where(
                statuses.c.account_id == account.id,
                statuses.c.reblog_of_id == target.id,
                statuses.c.deleted_at.is_(None),
            )
        )
    ).first()
    if existing is not None:
        return Status.from_row(existing)
    reblog_id = new_id()
    now = utcnow()
    try:
        async with conn.begin_nested():
            await conn.execute(
                statuses.insert().values(
                    id=reblog_id,
                    account_id=account.id,
                    visibility=visibility,
                    reblog_of_id=target.id,
                    created_at=now,
                    uri=f"{site.status_uri(account.username, reblog_id)}/activity",
                    local=True,
                )
            )
    except IntegrityError:
        row = (
            await conn.execute(
                select(statuses).where(
                    and_(
                        statuses.c.account_id == account.id,
                        statuses.c.reblog_of_id == target.id,
                        statuses.c.deleted_at.is_(None),
                    )
                )
            )
        ).one()
        return Status.from_row(row)
    await conn.execute(
        update(statuses)
        .where(statuses.c.id == target.id)
        .values(reblogs_count=statuses.c.reblogs_count + 1)
    )
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account.id)
        .values(statuses_count=accounts.c.statuses_count + 1, last_status_at=now)
    )
    await notify(
        conn,
        recipient_id=target.account_id,
        actor_id=account.id,
        type="reblog",
        status_id=target.id,
    )
    await fan_out(conn, reblog_id, account.id)
    await schedule_post(conn, reblog_id, visibility)
    return await own_status(conn, account.id, reblog_id)


async def unreblog(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    """Undo a repost of ``status_id``; returns the post that was reposted."""
    target = await visible_original(conn, account.id, status_id)
    row = (
        await conn.execute(
            select(statuses).where(
                statuses.c.account_id == account.id,
                statuses.c.reblog_of_id == target.id,
                statuses.c.deleted_at.is_(None),
            )
        )
    ).first()
    if row is not None:
        await remove_reblog(conn, account, Status.from_row(row))
    return await visible_status(conn, account.id, target.id)


async def remove_reblog(conn: AsyncConnection, account: Account, post: Status) -> Status:
    await conn.execute(update(statuses).where(statuses.c.id == post.id).values(deleted_at=utcnow()))
    await decrement_statuses_count(conn, account.id)
    if post.reblog_of_id is not None:
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == post.reblog_of_id, statuses.c.reblogs_count > 0)
            .values(reblogs_count=statuses.c.reblogs_count - 1)
        )
        await withdraw(conn, actor_id=account.id, type="reblog", status_id=post.reblog_of_id)
        await schedule_unreblog(conn, account.id, post)
    return post
