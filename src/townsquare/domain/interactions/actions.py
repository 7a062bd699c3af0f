"""One account's marks on one post: favourite, bookmark and pin, and their undoing.

Every action finds the post through the visibility guard, so nobody can mark (or
learn of) a post they may not see. Doing an action twice changes nothing the second
time; undoing what was never done is not an error. Favouriting or bookmarking a
repost marks the post it reposts, as Mastodon does.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.access import ensure_can_act
from townsquare.domain.accounts.models import Account
from townsquare.domain.notifications.actions import notify, withdraw
from townsquare.domain.posts.models import Status
from townsquare.domain.posts.queries import visible_original, visible_status
from townsquare.domain.trends.recording import schedule_favourite
from townsquare.domain.trends.withdrawal import schedule_unfavourite
from townsquare.storage.schema import accounts, bookmarks, favourites, pins, statuses

MAX_PINS = 5
PINNABLE_VISIBILITIES = ("public", "unlisted", "private")


def _pin_refused(message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={"base": ["ERR_INVALID"]})


async def _marked(conn: AsyncConnection, table: Table, account_id: int, status_id: int) -> bool:
    found = await conn.scalar(
        select(table.c.id).where(table.c.account_id == account_id, table.c.status_id == status_id)
    )
    return found is not None


async def _mark(conn: AsyncConnection, table: Table, account_id: int, status_id: int) -> bool:
    """Add the mark; False when it was already there."""
    if await _marked(conn, table, account_id, status_id):
        return False
    try:
        async with conn.begin_nested():
            await conn.execute(
                table.insert().values(
                    id=new_id(), account_id=account_id, status_id=status_id, created_at=utcnow()
                )
            )
    except IntegrityError:
        return False  # a concurrent request added it first
    return True


async def _unmark(conn: AsyncConnection, table: Table, account_id: int, status_id: int) -> bool:
    """Remove the mark; False when there was none."""
    result = await conn.execute(
        delete(table).where(table.c.account_id == account_id, table.c.status_id == status_id)
    )
    return bool(result.rowcount)


async def favourite(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    ensure_can_act(account)
    post = await visible_original(conn, account.id, status_id)
    if await _mark(conn, favourites, account.id, post.id):
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == post.id)
            .values(favourites_count=statuses.c.favourites_count + 1)
        )
        await notify(
            conn, recipient_id=post.account_id, actor_id=account.id, type="favourite",
            status_id=post.id,
        )  # fmt: skip
        await schedule_favourite(conn, account.id, post)
    return await visible_status(conn, account.id, post.id)


async def unfavourite(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    post = await visible_original(conn, account.id, status_id)
    if await _unmark(conn, favourites, account.id, post.id):
        await conn.execute(
            update(statuses)
            .where(statuses.c.id == post.id, statuses.c.favourites_count > 0)
            .values(favourites_count=statuses.c.favourites_count - 1)
        )
        await withdraw(conn, actor_id=account.id, type="favourite", status_id=post.id)
        await schedule_unfavourite(conn, account.id, post)
    return await visible_status(conn, account.id, post.id)


async def bookmark(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    post = await visible_original(conn, account.id, status_id)
    await _mark(conn, bookmarks, account.id, post.id)
    return post


async def unbookmark(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    post = await visible_original(conn, account.id, status_id)
    await _unmark(conn, bookmarks, account.id, post.id)
    return post


async def pin(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    """Feature one's own post on one's profile: not a repost, not a private mention,
    and at most ``MAX_PINS`` at a time."""
    post = await visible_status(conn, account.id, status_id)
    if post.reblog_of_id is not None:
        raise _pin_refused("A repost cannot be pinned")
    if post.account_id != account.id:
        raise _pin_refused("Only your own posts can be pinned")
    if post.visibility not in PINNABLE_VISIBILITIES:
        raise _pin_refused("A private mention cannot be pinned")
    if await _marked(conn, pins, account.id, post.id):
        return post
    # Lock the account row so two concurrent pins cannot both pass the limit.
    await conn.execute(select(accounts.c.id).where(accounts.c.id == account.id).with_for_update())
    pinned = await conn.scalar(
        select(func.count()).select_from(pins).where(pins.c.account_id == account.id)
    )
    if (pinned or 0) >= MAX_PINS:
        raise _pin_refused(f"You can pin at most {MAX_PINS} posts")
    await _mark(conn, pins, account.id, post.id)
    return post


async def unpin(conn: AsyncConnection, account: Account, status_id: int) -> Status:
    post = await visible_status(conn, account.id, status_id)
    await _unmark(conn, pins, account.id, post.id)
    return post
