"""Reads of lists: an owner's lists, their members, and a list's timeline.

A list is only ever seen by its owner; anyone else's list is ``NotFound``, as if it
did not exist. The timeline goes through the guard and the owner's mutes.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page, newest_first, paginate
from townsquare.domain.lists.models import UserList
from townsquare.domain.posts.models import Status
from townsquare.domain.visibility.access import account_hidden, can_see, not_muted
from townsquare.storage.schema import accounts, follows, list_accounts, lists, statuses


async def lists_of(conn: AsyncConnection, owner_id: int) -> list[UserList]:
    rows = await conn.execute(
        select(lists).where(lists.c.account_id == owner_id).order_by(lists.c.id)
    )
    return [UserList.from_row(row) for row in rows]


async def get_list(conn: AsyncConnection, owner_id: int, list_id: int) -> UserList:
    row = (
        await conn.execute(
            select(lists).where(lists.c.id == list_id, lists.c.account_id == owner_id)
        )
    ).first()
    if row is None:
        raise NotFound()
    return UserList.from_row(row)


async def lists_with_member(conn: AsyncConnection, owner_id: int, member_id: int) -> list[UserList]:
    """The owner's lists that hold ``member_id`` (an unknown account is NotFound)."""
    if await conn.scalar(select(accounts.c.id).where(accounts.c.id == member_id)) is None:
        raise NotFound()
    rows = await conn.execute(
        select(lists)
        .join(list_accounts, list_accounts.c.list_id == lists.c.id)
        .where(lists.c.account_id == owner_id, list_accounts.c.account_id == member_id)
        .order_by(lists.c.id)
    )
    return [UserList.from_row(row) for row in rows]


async def list_members(
    conn: AsyncConnection, owner_id: int, list_id: int, page: Page | None
) -> tuple[list[Account], list[int]]:
    """A list's members, newest added first, with their paging keys; ``page`` None
    gives them all (Mastodon's ``limit=0``)."""
    await get_list(conn, owner_id, list_id)
    query = (
        select(accounts, list_accounts.c.id.label("member_key"))
        .select_from(list_accounts.join(accounts, accounts.c.id == list_accounts.c.account_id))
        .where(list_accounts.c.list_id == list_id, ~account_hidden(owner_id))
    )
    if page is None:
        rows = list(await conn.execute(query.order_by(list_accounts.c.id.desc())))
    else:
        rows = newest_first(
            page, list(await conn.execute(paginate(query, list_accounts.c.id, page)))
        )
    return [Account.from_row(row) for row in rows], [row.member_key for row in rows]


def _replies_shown(chosen: UserList) -> ColumnElement[bool]:
    """Which members' posts the list's replies_policy lets through."""
    target = statuses.c.in_reply_to_account_id
    always = or_(target.is_(None), target == statuses.c.account_id, target == chosen.account_id)
    if chosen.replies_policy == "followed":
        followed = select(follows.c.target_account_id).where(
            follows.c.account_id == chosen.account_id
        )
        return or_(always, target.in_(followed))
    if chosen.replies_policy == "list":
        members = select(list_accounts.c.account_id).where(list_accounts.c.list_id == chosen.id)
        return or_(always, target.in_(members))
    return always


async def list_timeline(
    conn: AsyncConnection, owner_id: int, list_id: int, page: Page
) -> list[Status]:
    """Posts and reposts by the list's members, newest first, that the owner may see
    and has not muted."""
    chosen = await get_list(conn, owner_id, list_id)
    members = select(list_accounts.c.account_id).where(list_accounts.c.list_id == chosen.id)
    query = select(statuses).where(
        statuses.c.account_id.in_(members),
        _replies_shown(chosen),
        can_see(owner_id),
        not_muted(owner_id),
    )
    rows = await conn.execute(paginate(query, statuses.c.id, page))
    return newest_first(page, [Status.from_row(row) for row in rows])
