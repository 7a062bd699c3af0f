"""Recording uses: a durable job written with the post, repost or favourite.

The job reads the database when it runs (the post's tags, links, and what it replies
to or reposts), so a late or repeated run records the same rows: each use is unique
per (kind, item, account, post). Only public posts by local accounts are recorded;
whether a use still counts (moderation, suspension, limits) is decided on refresh.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.ids import new_id
from townsquare.domain.posts.models import Status
from townsquare.domain.trends.links import post_links
from townsquare.domain.trends.scoring import day_of
from townsquare.storage.jobs import enqueue
from townsquare.storage.schema import favourites, jobs, status_tags, statuses, trend_uses

RECORD_JOB = "record_trend_uses"
REFRESH_JOB = "refresh_trends"
KINDS = ("tag", "status", "link")


async def schedule_post(conn: AsyncConnection, status_id: int, visibility: str) -> None:
    """After a new post or repost: its tags and links, and the post it answers or reposts."""
    if visibility == "public":
        await enqueue(conn, RECORD_JOB, {"status_id": status_id})


async def schedule_favourite(conn: AsyncConnection, account_id: int, post: Status) -> None:
    if post.visibility == "public" and post.local and post.account_id != account_id:
        await enqueue(conn, RECORD_JOB, {"status_id": post.id, "favourited_by": account_id})


async def schedule_refresh(conn: AsyncConnection, interval: timedelta) -> None:
    """Make sure a refresh is due within ``interval``: one waiting job is enough."""
    now = utcnow()
    waiting = await conn.scalar(
        select(jobs.c.id)
        .where(
            jobs.c.kind == REFRESH_JOB,
            jobs.c.failed_at.is_(None),
            or_(jobs.c.locked_until.is_(None), jobs.c.locked_until < now),
        )
        .limit(1)
    )
    if waiting is None:
        await enqueue(conn, REFRESH_JOB, {}, run_at=now + interval)


def _use(kind: str, item: str, account_id: int, status_id: int, at: datetime) -> dict[str, Any]:
    return {
        "kind": kind, "item": item, "account_id": account_id, "status_id": status_id,
        "used_at": at, "day": day_of(at),
    }  # fmt: skip


async def _attention(
    conn: AsyncConnection, target_id: int, actor_id: int, at: datetime
) -> list[dict[str, Any]]:
    """A use of the post ``target_id`` by ``actor_id``, unless it is their own or not
    a public local post."""
    target = (
        await conn.execute(
            select(statuses.c.account_id, statuses.c.visibility, statuses.c.local).where(
                statuses.c.id == target_id, statuses.c.deleted_at.is_(None)
            )
        )
    ).first()
    if target is None or target.visibility != "public" or not target.local:
        return []
    if target.account_id == actor_id:
        return []
    return [_use("status", str(target_id), actor_id, target_id, at)]


async def _uses_of(conn: AsyncConnection, payload: dict[str, Any]) -> list[dict[str, Any]]:
    status_id = int(payload["status_id"])
    post = (
        await conn.execute(
            select(
                statuses.c.account_id, statuses.c.text, statuses.c.visibility, statuses.c.local,
                statuses.c.deleted_at, statuses.c.reblog_of_id, statuses.c.in_reply_to_id,
                statuses.c.created_at, statuses.c.edited_at,
            ).where(statuses.c.id == status_id)
        )
    ).first()  # fmt: skip
    if post is None or post.deleted_at is not None:
        return []
    if post.visibility != "public" or not post.local:
        return []
    favourited_by = payload.get("favourited_by")
    if favourited_by is not None:
        # a favourite taken back before this job ran gives no use
        still = await conn.scalar(
            select(favourites.c.account_id).where(
                favourites.c.account_id == int(favourited_by), favourites.c.status_id == status_id
            )
        )
        return await _attention(conn, status_id, int(favourited_by), utcnow()) if still else []
    # a tag or link an edit added is used when the edit was made
    at = as_utc(post.edited_at or post.created_at)
    if post.reblog_of_id is not None:
        return await _attention(conn, post.reblog_of_id, post.account_id, at)
    tag_ids = (
        await conn.execute(select(status_tags.c.tag_id).where(status_tags.c.status_id == status_id))
    ).scalars()
    uses = [_use("tag", str(tag_id), post.account_id, status_id, at) for tag_id in tag_ids]
    uses += [_use("link", url, post.account_id, status_id, at) for url in post_links(post.text)]
    if post.in_reply_to_id is not None:
        uses += await _attention(conn, post.in_reply_to_id, post.account_id, at)
    return uses


async def record_uses(conn: AsyncConnection, payload: dict[str, Any]) -> int:
    """Write the uses a post, repost or favourite makes; answers how many were new."""
    added = 0
    for use in await _uses_of(conn, payload):
        known = await conn.scalar(
            select(trend_uses.c.id).where(
                trend_uses.c.kind == use["kind"],
                trend_uses.c.item == use["item"],
                trend_uses.c.account_id == use["account_id"],
                trend_uses.c.status_id == use["status_id"],
            )
        )
        if known is not None:
            continue
        try:
            async with conn.begin_nested():
                await conn.execute(trend_uses.insert().values(id=new_id(), **use))
            added += 1
        except IntegrityError:
            continue  # recorded by a concurrent run of the same job
    return added
