"""Reads of the social graph: relationships and the lists of followers, follows,
blocks, mutes and follow requests.

Lists leave out suspended accounts and, for a signed-in viewer, accounts that block or
are blocked by the viewer (the guard's ``account_hidden``). A mute whose ``expires_at``
has passed counts as no mute at all; nothing needs to sweep it away first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import search_accounts
from townsquare.domain.common.paging import Page, newest_first, paginate
from townsquare.domain.graph.models import MutedAccount, Relationship, decode_languages
from townsquare.domain.visibility.access import account_hidden
from townsquare.storage.schema import (
    account_notes,
    accounts,
    blocks,
    follow_requests,
    follows,
    mutes,
)

# More ids than any client asks about at once; keeps the IN lists bounded.
MAX_RELATIONSHIP_IDS = 100
FAMILIAR_FOLLOWERS_LIMIT = 40


def mute_active() -> ColumnElement[bool]:
    return or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > utcnow())


async def _targets_of(
    conn: AsyncConnection, table: Table, source_id: int, targets: Sequence[int]
) -> set[int]:
    rows = await conn.scalars(
        select(table.c.target_account_id).where(
            table.c.account_id == source_id, table.c.target_account_id.in_(targets)
        )
    )
    return set(rows)


async def _sources_of(
    conn: AsyncConnection, table: Table, target_id: int, sources: Sequence[int]
) -> set[int]:
    rows = await conn.scalars(
        select(table.c.account_id).where(
            table.c.target_account_id == target_id, table.c.account_id.in_(sources)
        )
    )
    return set(rows)


async def _options(
    conn: AsyncConnection, table: Table, viewer_id: int, targets: Sequence[int]
) -> dict[int, Any]:
    rows = await conn.execute(
        select(
            table.c.target_account_id, table.c.show_reblogs, table.c.notify, table.c.languages
        ).where(table.c.account_id == viewer_id, table.c.target_account_id.in_(targets))
    )
    return {row.target_account_id: row for row in rows}


async def relationships(
    conn: AsyncConnection, viewer_id: int, ids: Iterable[int], *, with_suspended: bool = False
) -> list[Relationship]:
    """One Relationship per known account in ``ids``, in the order asked, without repeats."""
    wanted = list(dict.fromkeys(ids))[:MAX_RELATIONSHIP_IDS]
    if not wanted:
        return []
    known = select(accounts.c.id).where(accounts.c.id.in_(wanted))
    if not with_suspended:
        known = known.where(accounts.c.suspended_at.is_(None))
    existing = set(await conn.scalars(known))
    targets = [account_id for account_id in wanted if account_id in existing]
    if not targets:
        return []

    following = await _options(conn, follows, viewer_id, targets)
    requested = await _options(conn, follow_requests, viewer_id, targets)
    followed_by = await _sources_of(conn, follows, viewer_id, targets)
    requested_by = await _sources_of(conn, follow_requests, viewer_id, targets)
    blocking = await _targets_of(conn, blocks, viewer_id, targets)
    blocked_by = await _sources_of(conn, blocks, viewer_id, targets)
    muted = {
        row.target_account_id: row
        for row in await conn.execute(
            select(mutes.c.target_account_id, mutes.c.hide_notifications, mutes.c.expires_at)
            .where(mutes.c.account_id == viewer_id, mutes.c.target_account_id.in_(targets))
            .where(mute_active())
        )
    }

    notes = {
        row.target_account_id: row.comment
        for row in await conn.execute(
            select(account_notes.c.target_account_id, account_notes.c.comment).where(
                account_notes.c.account_id == viewer_id,
                account_notes.c.target_account_id.in_(targets),
            )
        )
    }

    result = []
    for target in targets:
        # A pending request shows the options the follow will have once accepted.
        options = following.get(target) or requested.get(target)
        mute = muted.get(target)
        result.append(
            Relationship(
                id=target,
                following=target in following,
                showing_reblogs=bool(options.show_reblogs) if options else False,
                notifying=bool(options.notify) if options else False,
                languages=decode_languages(options.languages) if options else None,
                followed_by=target in followed_by,
                blocking=target in blocking,
                blocked_by=target in blocked_by,
                muting=mute is not None,
                muting_notifications=bool(mute.hide_notifications) if mute else False,
                muting_expires_at=as_utc(mute.expires_at) if mute and mute.expires_at else None,
                requested=target in requested,
                requested_by=target in requested_by,
                note=notes.get(target, ""),
            )
        )
    return result


async def relationship(conn: AsyncConnection, viewer_id: int, target_id: int) -> Relationship:
    found = await relationships(conn, viewer_id, [target_id], with_suspended=True)
    if not found:
        raise NotFound()
    return found[0]


async def _listed(
    conn: AsyncConnection,
    table: Table,
    listed: ColumnElement[int],
    condition: ColumnElement[bool],
    page: Page,
    *extra: ColumnElement[Any],
) -> tuple[list[Any], list[int]]:
    """Rows of ``accounts`` joined to the relation rows that list them, newest first."""
    query = (
        select(accounts, table.c.id.label("relation_id"), *extra)
        .select_from(table.join(accounts, accounts.c.id == listed))
        .where(condition)
    )
    rows = newest_first(page, list(await conn.execute(paginate(query, table.c.id, page))))
    return rows, [row.relation_id for row in rows]


async def _visible_owner(conn: AsyncConnection, viewer_id: int | None, account_id: int) -> bool:
    """Whether the owner exists (NotFound otherwise) and lets the viewer see their lists."""
    suspended = await conn.scalar(
        select(accounts.c.suspended_at.is_not(None)).where(accounts.c.id == account_id)
    )
    if suspended is None or suspended:
        raise NotFound()
    if viewer_id is None or viewer_id == account_id:
        return True
    blocks_viewer = await conn.scalar(
        select(
            exists().where(
                blocks.c.account_id == account_id, blocks.c.target_account_id == viewer_id
            )
        )
    )
    return not blocks_viewer


async def followers(
    conn: AsyncConnection, viewer_id: int | None, account_id: int, page: Page
) -> tuple[list[Account], list[int]]:
    """Accounts following ``account_id``, paginated by the follow's id."""
    if not await _visible_owner(conn, viewer_id, account_id):
        return [], []
    rows, keys = await _listed(
        conn,
        follows,
        follows.c.account_id,
        and_(follows.c.target_account_id == account_id, ~account_hidden(viewer_id)),
        page,
    )
    return [Account.from_row(row) for row in rows], keys


async def following(
    conn: AsyncConnection, viewer_id: int | None, account_id: int, page: Page
) -> tuple[list[Account], list[int]]:
    """Accounts ``account_id`` follows, paginated by the follow's id."""
    if not await _visible_owner(conn, viewer_id, account_id):
        return [], []
    rows, keys = await _listed(
        conn,
        follows,
        follows.c.target_account_id,
        and_(follows.c.account_id == account_id, ~account_hidden(viewer_id)),
        page,
    )
    return [Account.from_row(row) for row in rows], keys


# The viewer's own blocks and mutes list accounts the guard would hide from them, so
# only suspension filters those two lists.
async def blocked_accounts(
    conn: AsyncConnection, viewer_id: int, page: Page
) -> tuple[list[Account], list[int]]:
    rows, keys = await _listed(
        conn,
        blocks,
        blocks.c.target_account_id,
        and_(blocks.c.account_id == viewer_id, accounts.c.suspended_at.is_(None)),
        page,
    )
    return [Account.from_row(row) for row in rows], keys


async def muted_accounts(
    conn: AsyncConnection, viewer_id: int, page: Page
) -> tuple[list[MutedAccount], list[int]]:
    rows, keys = await _listed(
        conn,
        mutes,
        mutes.c.target_account_id,
        and_(mutes.c.account_id == viewer_id, mute_active(), accounts.c.suspended_at.is_(None)),
        page,
        mutes.c.expires_at.label("mute_expires_at"),
    )
    return [
        MutedAccount(
            Account.from_row(row),
            as_utc(row.mute_expires_at) if row.mute_expires_at else None,
        )
        for row in rows
    ], keys


async def requesting_accounts(
    conn: AsyncConnection, viewer_id: int, page: Page
) -> tuple[list[Account], list[int]]:
    """Accounts waiting for the viewer to accept their follow request."""
    rows, keys = await _listed(
        conn,
        follow_requests,
        follow_requests.c.account_id,
        and_(follow_requests.c.target_account_id == viewer_id, ~account_hidden(viewer_id)),
        page,
    )
    return [Account.from_row(row) for row in rows], keys


async def pending_requests_count(conn: AsyncConnection, account_id: int) -> int:
    count = await conn.scalar(
        select(func.count())
        .select_from(follow_requests.join(accounts, accounts.c.id == follow_requests.c.account_id))
        .where(follow_requests.c.target_account_id == account_id, accounts.c.suspended_at.is_(None))
    )
    return int(count or 0)


async def search_accounts_for(
    conn: AsyncConnection,
    viewer_id: int,
    query: str,
    *,
    limit: int = 40,
    offset: int = 0,
    following: bool = False,
) -> list[Account]:
    """Account search as the viewer sees it (see ``accounts.queries.search_accounts``)."""
    return await search_accounts(
        conn, query, viewer_id=viewer_id, limit=limit, offset=offset, following=following
    )


async def hidden_among(conn: AsyncConnection, viewer_id: int, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` the viewer may not see (suspended, or blocked either way)."""
    if not ids:
        return set()
    rows = await conn.scalars(
        select(accounts.c.id).where(accounts.c.id.in_(ids), account_hidden(viewer_id))
    )
    return set(rows)


async def familiar_followers(
    conn: AsyncConnection, viewer_id: int, ids: Iterable[int]
) -> list[tuple[int, list[Account]]]:
    """For each known account in ``ids``: its followers that the viewer follows too."""
    wanted = list(dict.fromkeys(ids))[:MAX_RELATIONSHIP_IDS]
    if not wanted:
        return []
    existing = set(
        await conn.scalars(
            select(accounts.c.id).where(
                accounts.c.id.in_(wanted), accounts.c.suspended_at.is_(None)
            )
        )
    )
    mine = follows.alias("mine")
    result = []
    for account_id in wanted:
        if account_id not in existing:
            continue
        rows = await conn.execute(
            select(accounts)
            .select_from(follows.join(accounts, accounts.c.id == follows.c.account_id))
            .where(
                follows.c.target_account_id == account_id,
                exists().where(
                    mine.c.account_id == viewer_id, mine.c.target_account_id == accounts.c.id
                ),
                ~account_hidden(viewer_id),
            )
            .order_by(follows.c.id.desc())
            .limit(FAMILIAR_FOLLOWERS_LIMIT)
        )
        result.append((account_id, [Account.from_row(row) for row in rows]))
    return result
