"""Writes to lists: create, change and delete them, add and remove members.

Members must be accounts the owner follows (Mastodon answers 422 otherwise); an
unfollow or a block takes the account out of every list of the owner's
(``forget_member``). An exclusive list's members leave the owner's home feed: their
entries go when they join (or the list becomes exclusive) and come back when they
leave it (or it stops being exclusive), while fan-out skips them meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.lists.models import DEFAULT_REPLIES_POLICY, REPLIES_POLICIES, UserList
from townsquare.domain.lists.queries import get_list
from townsquare.domain.timelines import feeds
from townsquare.storage.schema import accounts, follows, list_accounts, lists

# As Mastodon: lists per account, and accounts added or removed in one request.
MAX_LISTS = 50
MAX_TITLE_LENGTH = 255
MAX_MEMBERS_PER_CALL = 250


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: ["ERR_INVALID"]})


def _clean_title(title: str | None) -> str:
    cleaned = (title or "").strip()
    if not cleaned:
        raise ValidationFailed(
            "Validation failed: Title can't be blank", details={"title": ["ERR_BLANK"]}
        )
    if len(cleaned) > MAX_TITLE_LENGTH:
        raise _invalid("title", f"Title is too long (maximum is {MAX_TITLE_LENGTH} characters)")
    return cleaned


def _clean_policy(policy: str | None) -> str | None:
    if policy is None:
        return None
    if policy not in REPLIES_POLICIES:
        raise _invalid("replies_policy", "Replies policy is not included in the list")
    return policy


async def create_list(
    conn: AsyncConnection,
    owner_id: int,
    title: str | None,
    *,
    replies_policy: str | None = None,
    exclusive: bool = False,
) -> UserList:
    cleaned = _clean_title(title)
    policy = _clean_policy(replies_policy) or DEFAULT_REPLIES_POLICY
    count = await conn.scalar(
        select(func.count()).select_from(lists).where(lists.c.account_id == owner_id)
    )
    if (count or 0) >= MAX_LISTS:
        raise ValidationFailed(f"Validation failed: You cannot have more than {MAX_LISTS} lists")
    created = UserList(new_id(), owner_id, cleaned, policy, exclusive)
    await conn.execute(
        lists.insert().values(
            id=created.id,
            account_id=owner_id,
            title=cleaned,
            replies_policy=policy,
            exclusive=exclusive,
            created_at=utcnow(),
        )
    )
    return created


async def _member_ids(conn: AsyncConnection, list_id: int) -> list[int]:
    return list(
        await conn.scalars(
            select(list_accounts.c.account_id).where(list_accounts.c.list_id == list_id)
        )
    )


async def _in_other_exclusive_list(
    conn: AsyncConnection, owner_id: int, member_id: int, list_id: int
) -> bool:
    found = await conn.scalar(
        select(
            exists().where(
                lists.c.id == list_accounts.c.list_id,
                lists.c.account_id == owner_id,
                lists.c.exclusive,
                lists.c.id != list_id,
                list_accounts.c.account_id == member_id,
            )
        )
    )
    return bool(found)


async def _back_home(
    conn: AsyncConnection, owner_id: int, member_ids: Sequence[int], list_id: int
) -> None:
    """Members leaving exclusive list ``list_id`` come back to the owner's home, unless
    another exclusive list still holds them."""
    for member_id in member_ids:
        if not await _in_other_exclusive_list(conn, owner_id, member_id, list_id):
            await feeds.backfill(conn, owner_id, member_id)


async def _leave_home(conn: AsyncConnection, owner_id: int, member_ids: Sequence[int]) -> None:
    for member_id in member_ids:
        await feeds.forget(conn, owner_id, member_id)


async def update_list(
    conn: AsyncConnection,
    owner_id: int,
    list_id: int,
    *,
    title: str | None = None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
) -> UserList:
    """Change what is given; None leaves a field as it is."""
    current = await get_list(conn, owner_id, list_id)
    changed = current._replace(
        title=current.title if title is None else _clean_title(title),
        replies_policy=_clean_policy(replies_policy) or current.replies_policy,
        exclusive=current.exclusive if exclusive is None else exclusive,
    )
    await conn.execute(
        update(lists)
        .where(lists.c.id == list_id)
        .values(
            title=changed.title, replies_policy=changed.replies_policy, exclusive=changed.exclusive
        )
    )
    if changed.exclusive != current.exclusive:
        members = await _member_ids(conn, list_id)
        if changed.exclusive:
            await _leave_home(conn, owner_id, members)
        else:
            await _back_home(conn, owner_id, members, list_id)
    return changed


async def delete_list(conn: AsyncConnection, owner_id: int, list_id: int) -> None:
    current = await get_list(conn, owner_id, list_id)
    if current.exclusive:
        await _back_home(conn, owner_id, await _member_ids(conn, list_id), list_id)
    await conn.execute(delete(lists).where(lists.c.id == list_id))


def _clean_ids(account_ids: Sequence[int]) -> list[int]:
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        raise _invalid("account_ids", "Account ids can't be blank")
    if len(wanted) > MAX_MEMBERS_PER_CALL:
        raise _invalid("account_ids", "Too many accounts at once")
    return wanted


async def add_members(
    conn: AsyncConnection, owner_id: int, list_id: int, account_ids: Sequence[int]
) -> None:
    """Add followed accounts to the list: an unknown account is NotFound, one not
    followed or already there a 422, and then none is added (one transaction)."""
    chosen = await get_list(conn, owner_id, list_id)
    wanted = _clean_ids(account_ids)
    known = set(
        await conn.scalars(
            select(accounts.c.id).where(
                accounts.c.id.in_(wanted), accounts.c.suspended_at.is_(None)
            )
        )
    )
    if any(account_id not in known for account_id in wanted):
        raise NotFound()
    followed = set(
        await conn.scalars(
            select(follows.c.target_account_id).where(
                follows.c.account_id == owner_id, follows.c.target_account_id.in_(wanted)
            )
        )
    )
    if any(account_id not in followed for account_id in wanted):
        raise _invalid("account_id", "Account follow relationship missing")
    now = utcnow()
    try:
        async with conn.begin_nested():
            await conn.execute(
                list_accounts.insert(),
                [
                    {"id": new_id(), "list_id": list_id, "account_id": a, "created_at": now}
                    for a in wanted
                ],
            )
    except IntegrityError:
        raise _invalid("account_id", "Account has already been taken") from None
    if chosen.exclusive:
        await _leave_home(conn, owner_id, wanted)


async def remove_members(
    conn: AsyncConnection, owner_id: int, list_id: int, account_ids: Sequence[int]
) -> None:
    """Take accounts out of the list; ones that are not in it are ignored."""
    chosen = await get_list(conn, owner_id, list_id)
    wanted = _clean_ids(account_ids)
    removed = list(
        (
            await conn.execute(
                delete(list_accounts)
                .where(list_accounts.c.list_id == list_id, list_accounts.c.account_id.in_(wanted))
                .returning(list_accounts.c.account_id)
            )
        ).scalars()
    )
    if chosen.exclusive:
        await _back_home(conn, owner_id, removed, list_id)


async def forget_member(conn: AsyncConnection, owner_id: int, member_id: int) -> None:
    """After ``owner_id`` stops following ``member_id``: out of all the owner's lists."""
    await conn.execute(
        delete(list_accounts).where(
            list_accounts.c.account_id == member_id,
            list_accounts.c.list_id.in_(select(lists.c.id).where(lists.c.account_id == owner_id)),
        )
    )
