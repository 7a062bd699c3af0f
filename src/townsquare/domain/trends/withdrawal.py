"""Taking uses back: a durable job written when a favourite or a repost is undone or a
post deleted, in the same transaction.

One account's attention to a post is one use, whether it favourited, reposted or
replied (ADR 16), so undoing one of them takes the use back only when none of the
others remains. The job reads the database when it runs, so a late or repeated run
does the same: a use is taken back only while nothing gives it any more.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.posts.models import Status
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import favourites, statuses, trend_uses

WITHDRAW_JOB = "withdraw_trend_uses"


async def schedule_unfavourite(conn: AsyncConnection, account_id: int, post: Status) -> None:
    """After ``account_id`` took its favourite of ``post`` back."""
    if post.visibility == "public" and post.local and post.account_id != account_id:
        await enqueue(conn, WITHDRAW_JOB, {"attention_to": post.id, "by": account_id})


async def schedule_unreblog(conn: AsyncConnection, account_id: int, repost: Status) -> None:
    """After ``account_id`` deleted ``repost``, its repost of another post."""
    if repost.visibility == "public" and repost.reblog_of_id is not None:
        await enqueue(conn, WITHDRAW_JOB, {"attention_to": repost.reblog_of_id, "by": account_id})


async def schedule_deletion(conn: AsyncConnection, post: Status) -> None:
    """After ``post`` was deleted: the uses of its tags and links, others' attention to
    it, and the attention it gave the post it answers."""
    if post.visibility == "public":
        await enqueue(conn, WITHDRAW_JOB, {"deleted": post.id})


async def still_attending(conn: AsyncConnection, target_id: int, account_id: int) -> bool:
    """Whether ``account_id`` still favourites ``target_id``, or still has a public
    repost of it or public reply to it."""
    favourited = exists().where(
        favourites.c.account_id == account_id, favourites.c.status_id == target_id
    )
    public_answer = exists().where(
        statuses.c.account_id == account_id,
        statuses.c.deleted_at.is_(None),
        statuses.c.visibility == "public",
        or_(statuses.c.reblog_of_id == target_id, statuses.c.in_reply_to_id == target_id),
    )
    return bool(await conn.scalar(select(or_(favourited, public_answer))))


async def _take_back_attention(conn: AsyncConnection, target_id: int, account_id: int) -> int:
    if await still_attending(conn, target_id, account_id):
        return 0
    result = await conn.execute(
        delete(trend_uses).where(
            trend_uses.c.kind == "status",
            trend_uses.c.item == str(target_id),
            trend_uses.c.account_id == account_id,
            trend_uses.c.status_id == target_id,
        )
    )
    return int(result.rowcount or 0)


async def withdraw_uses(conn: AsyncConnection, payload: dict[str, Any]) -> int:
    """Take back the uses nothing gives any more; answers how many went."""
    if "attention_to" in payload:
        return await _take_back_attention(conn, int(payload["attention_to"]), int(payload["by"]))
    post = (
        await conn.execute(
            select(
                statuses.c.account_id, statuses.c.deleted_at, statuses.c.in_reply_to_id,
            ).where(statuses.c.id == int(payload["deleted"]))
        )
    ).first()  # fmt: skip
    if post is not None and post.deleted_at is None:
        return 0
    result = await conn.execute(
        delete(trend_uses).where(trend_uses.c.status_id == int(payload["deleted"]))
    )
    taken = int(result.rowcount or 0)
    if post is not None and post.in_reply_to_id is not None:
        taken += await _take_back_attention(conn, post.in_reply_to_id, post.account_id)
    return taken
