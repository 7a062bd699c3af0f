"""Who favourited or reposted a post, and one's own favourites and bookmarks.

Lists are paginated by the id of the row that links the two (the favourite, the
repost, the bookmark), newest first, so a page boundary is stable while people keep
interacting; each entry carries that key for the ``Link`` header.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page, newest_first, paginate
from townsquare.domain.posts.models import Status
from townsquare.domain.posts.queries import visible_original
from townsquare.domain.visibility.access import account_hidden, can_see
from townsquare.storage.schema import accounts, bookmarks, favourites, statuses


@dataclass(frozen=True, slots=True)
class AccountEntry:
    key: int
    account: Account


@dataclass(frozen=True, slots=True)
class StatusEntry:
    key: int
    status: Status


async def favourited_by(
    conn: AsyncConnection, viewer_id: int | None, status_id: int, page: Page
) -> list[AccountEntry]:
    """Accounts that favourited a post the viewer may see, leaving out suspended
    accounts and those the viewer blocks or is blocked by."""
    post = await visible_original(conn, viewer_id, status_id)
    query = (
        select(favourites.c.id.label("key"), accounts)
        .join(accounts, accounts.c.id == favourites.c.account_id)
        .where(favourites.c.status_id == post.id, ~account_hidden(viewer_id))
    )
    rows = (await conn.execute(paginate(query, favourites.c.id, page))).all()
    return [AccountEntry(row.key, Account.from_row(row)) for row in newest_first(page, rows)]


async def reblogged_by(
    conn: AsyncConnection, viewer_id: int | None, status_id: int, page: Page
) -> list[AccountEntry]:
    """Accounts whose repost of a post the viewer may see (a followers-only repost
    only to their followers), with the same accounts left out as ``favourited_by``."""
    post = await visible_original(conn, viewer_id, status_id)
    query = (
        select(statuses.c.id.label("key"), accounts)
        .join(accounts, accounts.c.id == statuses.c.account_id)
        .where(statuses.c.reblog_of_id == post.id, can_see(viewer_id), ~account_hidden(viewer_id))
    )
    rows = (await conn.execute(paginate(query, statuses.c.id, page))).all()
    return [AccountEntry(row.key, Account.from_row(row)) for row in newest_first(page, rows)]


async def _marked_posts(
    conn: AsyncConnection, table: Table, viewer_id: int, page: Page
) -> list[StatusEntry]:
    query = (
        select(table.c.id.label("key"), statuses)
        .join(statuses, statuses.c.id == table.c.status_id)
        .where(table.c.account_id == viewer_id, can_see(viewer_id))
    )
    rows = (await conn.execute(paginate(query, table.c.id, page))).all()
    return [StatusEntry(row.key, Status.from_row(row)) for row in newest_first(page, rows)]


async def favourites_of(conn: AsyncConnection, viewer_id: int, page: Page) -> list[StatusEntry]:
    """The viewer's favourites that they may still see, most recently favourited first."""
    return await _marked_posts(conn, favourites, viewer_id, page)


async def bookmarks_of(conn: AsyncConnection, viewer_id: int, page: Page) -> list[StatusEntry]:
    """The viewer's bookmarks that they may still see, most recently bookmarked first."""
    return await _marked_posts(conn, bookmarks, viewer_id, page)
