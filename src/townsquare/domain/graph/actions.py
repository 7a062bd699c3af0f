"""Writes to the social graph: follow and unfollow, follow requests, blocks and mutes.

Counters (``followers_count``, ``following_count``) change only when a follow row was
really inserted or deleted by this transaction: the insert is guarded by the pair's
unique constraint and the delete by its row count, so two concurrent requests for the
same pair change the counters once. Counter rows are updated in account-id order so
that two transactions touching the same two accounts cannot deadlock on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import regex
from sqlalchemy import Table, and_, delete, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.access import ensure_can_act
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import find_account
from townsquare.domain.graph.models import Relationship, encode_languages
from townsquare.domain.graph.queries import relationship
from townsquare.domain.lists.actions import forget_member
from townsquare.domain.notifications.actions import notify as send_notification
from townsquare.domain.notifications.actions import withdraw
from townsquare.domain.timelines import feeds
from townsquare.storage.schema import (
    account_notes,
    accounts,
    blocks,
    follow_requests,
    follows,
    mutes,
)

_LANGUAGE = regex.compile(r"^[a-z]{2,3}$")
MAX_LANGUAGES = 100
# As Mastodon's account notes
MAX_NOTE_LENGTH = 2000

# (account id, counter column, +1 or -1)
CounterChange = tuple[int, str, int]


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: ["ERR_INVALID"]})


def clean_languages(languages: Sequence[str] | None) -> tuple[str, ...] | None:
    """ISO 639 codes, lower-cased and without repeats; None leaves the setting alone."""
    if languages is None:
        return None
    codes: dict[str, None] = {}
    for language in languages:
        code = language.strip().lower()
        if not _LANGUAGE.match(code):
            raise _invalid("languages", "Languages must be ISO 639 codes")
        codes.setdefault(code, None)
    if len(codes) > MAX_LANGUAGES:
        raise _invalid("languages", "Too many languages")
    return tuple(codes)


async def _target(
    conn: AsyncConnection, actor: Account, target_id: int, *, undo: bool = False
) -> Account:
    """The other account. Undoing works on suspended accounts too, so that a
    suspension never leaves a relation its owner cannot remove."""
    if target_id == actor.id and not undo:
        raise _invalid("id", "You cannot do that to yourself")
    target = await find_account(conn, target_id)
    if target is None or (target.suspended and not undo):
        raise NotFound()
    return target


def _pair(table: Table, source_id: int, target_id: int) -> Any:
    return and_(table.c.account_id == source_id, table.c.target_account_id == target_id)


async def _insert(conn: AsyncConnection, table: Table, values: dict[str, Any]) -> bool:
    """Insert a relation row; False when the pair already had one (maybe concurrently)."""
    try:
        async with conn.begin_nested():
            await conn.execute(table.insert().values(**values))
    except IntegrityError:
        return False
    return True


async def _delete(conn: AsyncConnection, table: Table, source_id: int, target_id: int) -> bool:
    result = await conn.execute(delete(table).where(_pair(table, source_id, target_id)))
    return bool(result.rowcount)


async def _apply(conn: AsyncConnection, changes: list[CounterChange]) -> None:
    for account_id, column, delta in sorted(changes):
        counter = accounts.c[column]
        query = update(accounts).where(accounts.c.id == account_id)
        if delta > 0:
            await conn.execute(query.values({column: counter + 1}))
        else:
            await conn.execute(query.where(counter > 0).values({column: counter - 1}))


def _follow_counted(source_id: int, target_id: int, delta: int) -> list[CounterChange]:
    return [(source_id, "following_count", delta), (target_id, "followers_count", delta)]


async def _blocked_between(conn: AsyncConnection, one: int, other: int) -> bool:
    found = await conn.scalar(
        select(exists().where(or_(_pair(blocks, one, other), _pair(blocks, other, one))))
    )
    return bool(found)


async def follow(
    conn: AsyncConnection,
    actor: Account,
    target_id: int,
    *,
    reblogs: bool | None = None,
    notify: bool | None = None,
    languages: Sequence[str] | None = None,
) -> Relationship:
    """Follow ``target_id``, or ask to when the account is locked. Following again
    changes only the options given (None leaves one as it is; ``languages=[]`` means
    every language again)."""
    ensure_can_act(actor)
    target = await _target(conn, actor, target_id)
    if await _blocked_between(conn, actor.id, target.id):
        raise Forbidden()
    codes = clean_languages(languages)
    options: dict[str, Any] = {}
    if reblogs is not None:
        options["show_reblogs"] = reblogs
    if notify is not None:
        options["notify"] = notify
    if codes is not None:
        options["languages"] = encode_languages(codes)

    for table in (follows, follow_requests):
        if await _update_existing(conn, table, actor.id, target.id, options):
            return await relationship(conn, actor.id, target.id)

    table = follow_requests if target.locked else follows
    inserted = await _insert(
        conn,
        table,
        {
            "id": new_id(),
            "account_id": actor.id,
            "target_account_id": target.id,
            "created_at": utcnow(),
            "show_reblogs": True if reblogs is None else reblogs,
            "notify": bool(notify),
            "languages": encode_languages(codes),
        },
    )
    if not inserted:
        # A concurrent request made the row first; ours only changes its options.
        await _update_existing(conn, table, actor.id, target.id, options)
    elif table is follows:
        await _apply(conn, _follow_counted(actor.id, target.id, +1))
        await feeds.backfill(conn, actor.id, target.id)
        await send_notification(conn, recipient_id=target.id, actor_id=actor.id, type="follow")
    else:
        await send_notification(
            conn, recipient_id=target.id, actor_id=actor.id, type="follow_request"
        )
    return await relationship(conn, actor.id, target.id)


async def _update_existing(
    conn: AsyncConnection, table: Table, source_id: int, target_id: int, options: dict[str, Any]
) -> bool:
    found = await conn.scalar(select(table.c.id).where(_pair(table, source_id, target_id)))
    if found is None:
        return False
    if options:
        await conn.execute(update(table).where(table.c.id == found).values(**options))
    return True


async def _remove_follow(conn: AsyncConnection, source_id: int, target_id: int) -> None:
    """Drop a follow or a pending request from ``source_id`` to ``target_id``."""
    followed = await _delete(conn, follows, source_id, target_id)
    requested = await _delete(conn, follow_requests, source_id, target_id)
    if followed:
        await _apply(conn, _follow_counted(source_id, target_id, -1))
        await feeds.forget(conn, source_id, target_id)
        await forget_member(conn, source_id, target_id)
        await withdraw(conn, actor_id=source_id, recipient_id=target_id, type="follow")
    if requested:
        await withdraw(conn, actor_id=source_id, recipient_id=target_id, type="follow_request")


async def unfollow(conn: AsyncConnection, actor: Account, target_id: int) -> Relationship:
    target = await _target(conn, actor, target_id, undo=True)
    await _remove_follow(conn, actor.id, target.id)
    return await relationship(conn, actor.id, target.id)


async def remove_follower(conn: AsyncConnection, actor: Account, follower_id: int) -> Relationship:
    """``actor`` makes ``follower_id`` stop following them (no block)."""
    follower = await _target(conn, actor, follower_id, undo=True)
    if await _delete(conn, follows, follower.id, actor.id):
        await _apply(conn, _follow_counted(follower.id, actor.id, -1))
        await feeds.forget(conn, follower.id, actor.id)
        await forget_member(conn, follower.id, actor.id)
        await withdraw(conn, actor_id=follower.id, recipient_id=actor.id, type="follow")
    return await relationship(conn, actor.id, follower.id)


async def authorize_follow_request(
    conn: AsyncConnection, actor: Account, requester_id: int
) -> Relationship:
    """``actor`` accepts the pending request of ``requester_id`` to follow them."""
    request = (
        await conn.execute(
            select(follow_requests).where(_pair(follow_requests, requester_id, actor.id))
        )
    ).first()
    if request is None:
        raise NotFound()
    removed = await conn.execute(delete(follow_requests).where(follow_requests.c.id == request.id))
    if not removed.rowcount:
        raise NotFound()  # withdrawn or answered by a concurrent request
    inserted = await _insert(
        conn,
        follows,
        {
            "id": new_id(),
            "account_id": requester_id,
            "target_account_id": actor.id,
            "created_at": utcnow(),
            "show_reblogs": request.show_reblogs,
            "notify": request.notify,
            "languages": request.languages,
        },
    )
    if inserted:
        await _apply(conn, _follow_counted(requester_id, actor.id, +1))
        await feeds.backfill(conn, requester_id, actor.id)
    await withdraw(conn, actor_id=requester_id, recipient_id=actor.id, type="follow_request")
    return await relationship(conn, actor.id, requester_id)


async def reject_follow_request(
    conn: AsyncConnection, actor: Account, requester_id: int
) -> Relationship:
    if not await _delete(conn, follow_requests, requester_id, actor.id):
        raise NotFound()
    await withdraw(conn, actor_id=requester_id, recipient_id=actor.id, type="follow_request")
    return await relationship(conn, actor.id, requester_id)


async def block(conn: AsyncConnection, actor: Account, target_id: int) -> Relationship:
    """Block ``target_id``: follows and requests between the two end, both ways."""
    target = await _target(conn, actor, target_id)
    await _insert(
        conn,
        blocks,
        {
            "id": new_id(),
            "account_id": actor.id,
            "target_account_id": target.id,
            "created_at": utcnow(),
        },
    )
    # Relation rows first, then counters, then notifications: the order every action
    # here takes locks in.
    changes: list[CounterChange] = []
    withdrawn: list[tuple[int, int, str]] = []
    for source_id, other_id in ((actor.id, target.id), (target.id, actor.id)):
        if await _delete(conn, follows, source_id, other_id):
            changes += _follow_counted(source_id, other_id, -1)
            await feeds.forget(conn, source_id, other_id)
            await forget_member(conn, source_id, other_id)
            withdrawn.append((source_id, other_id, "follow"))
        if await _delete(conn, follow_requests, source_id, other_id):
            withdrawn.append((source_id, other_id, "follow_request"))
    await _apply(conn, changes)
    for source_id, other_id, kind in withdrawn:
        await withdraw(conn, actor_id=source_id, recipient_id=other_id, type=kind)
    return await relationship(conn, actor.id, target.id)


async def unblock(conn: AsyncConnection, actor: Account, target_id: int) -> Relationship:
    target = await _target(conn, actor, target_id, undo=True)
    await _delete(conn, blocks, actor.id, target.id)
    return await relationship(conn, actor.id, target.id)


async def mute(
    conn: AsyncConnection,
    actor: Account,
    target_id: int,
    *,
    hide_notifications: bool = True,
    duration: int = 0,
) -> Relationship:
    """Mute ``target_id`` for ``duration`` seconds (0: until unmuted). Muting again
    replaces the options and the expiry."""
    target = await _target(conn, actor, target_id)
    if duration < 0:
        raise _invalid("duration", "Duration must be zero or more seconds")
    try:
        expires_at = utcnow() + timedelta(seconds=duration) if duration else None
    except OverflowError:
        raise _invalid("duration", "Duration is too long") from None
    values = {"hide_notifications": hide_notifications, "expires_at": expires_at}
    inserted = await _insert(
        conn,
        mutes,
        {
            "id": new_id(),
            "account_id": actor.id,
            "target_account_id": target.id,
            "created_at": utcnow(),
            **values,
        },
    )
    if not inserted:
        await conn.execute(update(mutes).where(_pair(mutes, actor.id, target.id)).values(**values))
    return await relationship(conn, actor.id, target.id)


async def unmute(conn: AsyncConnection, actor: Account, target_id: int) -> Relationship:
    target = await _target(conn, actor, target_id, undo=True)
    await _delete(conn, mutes, actor.id, target.id)
    return await relationship(conn, actor.id, target.id)


async def set_note(
    conn: AsyncConnection, actor: Account, target_id: int, comment: str
) -> Relationship:
    """Keep a private comment on ``target_id``, seen only by ``actor``; an empty one
    removes it."""
    target = await _target(conn, actor, target_id, undo=True)
    cleaned = comment.strip()
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise _invalid("comment", f"Comment is too long (maximum is {MAX_NOTE_LENGTH} characters)")
    await conn.execute(
        delete(account_notes).where(
            account_notes.c.account_id == actor.id,
            account_notes.c.target_account_id == target.id,
        )
    )
    if cleaned:
        await conn.execute(
            account_notes.insert().values(
                account_id=actor.id,
                target_account_id=target.id,
                comment=cleaned,
                updated_at=utcnow(),
            )
        )
    return await relationship(conn, actor.id, target.id)
