"""Writes of filters v2: create, change and delete filters, their keywords and their
posts, each for the caller's own filters only.

Every write sets the account's ``updated_at``: that is how readers of the account's
filters (``queries.filters_for``) learn that what they remember is stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.filters.models import (
    ACTIONS,
    CONTEXTS,
    MAX_FILTERS,
    MAX_KEYWORD,
    MAX_KEYWORDS,
    MAX_STATUSES,
    MAX_TITLE,
    Filter,
    FilterChange,
    FilterKeyword,
    FilterStatus,
    KeywordChange,
)
from townsquare.domain.filters.queries import filter_of, filter_status_of, keyword_of
from townsquare.domain.posts.queries import visible_status
from townsquare.storage.schema import accounts, filter_keywords, filter_statuses, filters

# Longer than any expiry a person means (Mastodon offers up to a week); bounds the date.
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"Validation failed: {message}", details={field: ["ERR_INVALID"]})


def checked_title(title: str | None) -> str:
    cleaned = (title or "").strip()
    if not cleaned:
        raise ValidationFailed(
            "Validation failed: Title can't be blank", details={"title": ["ERR_BLANK"]}
        )
    if len(cleaned) > MAX_TITLE:
        raise _invalid("title", f"Title is too long (maximum is {MAX_TITLE} characters)")
    return cleaned


def checked_context(context: Iterable[str]) -> tuple[str, ...]:
    wanted = set(context)
    unknown = sorted(wanted - set(CONTEXTS))
    if unknown:
        raise _invalid("context", f"Context has an unknown value: {unknown[0][:40]}")
    if not wanted:
        raise ValidationFailed(
            "Validation failed: Context can't be blank", details={"context": ["ERR_BLANK"]}
        )
    return tuple(name for name in CONTEXTS if name in wanted)


def checked_action(action: str | None) -> str:
    chosen = action or "warn"
    if chosen not in ACTIONS:
        raise _invalid("filter_action", f"Filter action is not one of {', '.join(ACTIONS)}")
    return chosen


def expiry(expires_in: int | None, now: datetime) -> datetime | None:
    """When a filter made now with ``expires_in`` seconds ends; None for never."""
    if expires_in is None:
        return None
    if not 0 < expires_in <= MAX_EXPIRES_IN:
        raise _invalid("expires_in", "Expires in must be a positive number of seconds")
    return now + timedelta(seconds=expires_in)


def checked_keyword(keyword: str | None) -> str:
    cleaned = (keyword or "").strip()
    if not cleaned:
        raise ValidationFailed(
            "Validation failed: Keyword can't be blank", details={"keyword": ["ERR_BLANK"]}
        )
    if len(cleaned) > MAX_KEYWORD:
        raise _invalid("keyword", f"Keyword is too long (maximum is {MAX_KEYWORD} characters)")
    return cleaned


async def _add_keywords(
    conn: AsyncConnection, filter_id: int, keywords: Sequence[tuple[str, bool]], now: datetime
) -> None:
    """Add checked (keyword, whole word) pairs to a filter."""
    if not keywords:
        return
    await conn.execute(
        insert(filter_keywords),
        [
            {
                "id": new_id(),
                "filter_id": filter_id,
                "keyword": keyword,
                "whole_word": whole_word,
                "created_at": now,
            }
            for keyword, whole_word in keywords
        ],
    )


async def _touch(conn: AsyncConnection, account_id: int, now: datetime) -> None:
    await conn.execute(update(accounts).where(accounts.c.id == account_id).values(updated_at=now))


async def _count(conn: AsyncConnection, statement: object) -> int:
    return int((await conn.execute(statement)).scalar_one())  # type: ignore[call-overload]


async def _check_keyword_room(conn: AsyncConnection, filter_id: int, adding: int) -> None:
    have = await _count(
        conn,
        select(func.count())
        .select_from(filter_keywords)
        .where(filter_keywords.c.filter_id == filter_id),
    )
    if have + adding > MAX_KEYWORDS:
        raise _invalid("keywords_attributes", f"A filter has at most {MAX_KEYWORDS} keywords")


async def create_filter(
    conn: AsyncConnection,
    account_id: int,
    *,
    title: str | None,
    context: Iterable[str],
    action: str | None = None,
    expires_in: int | None = None,
    keywords: Sequence[tuple[str, bool]] = (),
) -> Filter:
    """A new filter with its keywords, all checked before anything is written."""
    now = utcnow()
    row = {
        "title": checked_title(title),
        "context": " ".join(checked_context(context)),
        "action": checked_action(action),
        "expires_at": expiry(expires_in, now),
    }
    cleaned = [(checked_keyword(keyword), whole_word) for keyword, whole_word in keywords]
    if len(cleaned) > MAX_KEYWORDS:
        raise _invalid("keywords_attributes", f"A filter has at most {MAX_KEYWORDS} keywords")
    have = await _count(
        conn, select(func.count()).select_from(filters).where(filters.c.account_id == account_id)
    )
    if have >= MAX_FILTERS:
        raise _invalid("filter", f"An account has at most {MAX_FILTERS} filters")
    filter_id = new_id()
    await conn.execute(
        insert(filters).values(
            id=filter_id, account_id=account_id, created_at=now, updated_at=now, **row
        )
    )
    await _add_keywords(conn, filter_id, cleaned, now)
    await _touch(conn, account_id, now)
    return await filter_of(conn, account_id, filter_id)


async def update_filter(
    conn: AsyncConnection,
    account_id: int,
    filter_id: int,
    change: FilterChange,
    keywords: Sequence[KeywordChange] = (),
) -> Filter:
    """Change a filter and, in the same go, add, edit or remove its keywords (an id
    that is not one of this filter's keywords is not found)."""
    current = await filter_of(conn, account_id, filter_id)
    now = utcnow()
    values: dict[str, object] = {}
    if change.title is not None:
        values["title"] = checked_title(change.title)
    if change.context is not None:
        values["context"] = " ".join(checked_context(change.context))
    if change.action is not None:
        values["action"] = checked_action(change.action)
    if change.clear_expiry:
        values["expires_at"] = None
    elif change.expires_in is not None:
        values["expires_at"] = expiry(change.expires_in, now)
    own = {keyword.id for keyword in current.keywords}
    additions = []
    for item in keywords:
        if item.id is not None and item.id not in own:
            raise NotFound()
        if item.id is None and not item.destroy:
            additions.append((checked_keyword(item.keyword), bool(item.whole_word)))
        elif item.id is not None and not item.destroy and item.keyword is not None:
            checked_keyword(item.keyword)
    removed = {item.id for item in keywords if item.id is not None and item.destroy}
    if len(own) - len(removed) + len(additions) > MAX_KEYWORDS:
        raise _invalid("keywords_attributes", f"A filter has at most {MAX_KEYWORDS} keywords")
    await conn.execute(
        update(filters).where(filters.c.id == filter_id).values(updated_at=now, **values)
    )
    for item in keywords:
        if item.id is None:
            continue
        if item.destroy:
            await conn.execute(delete(filter_keywords).where(filter_keywords.c.id == item.id))
            continue
        edits: dict[str, object] = {}
        if item.keyword is not None:
            edits["keyword"] = checked_keyword(item.keyword)
        if item.whole_word is not None:
            edits["whole_word"] = item.whole_word
        if edits:
            await conn.execute(
                update(filter_keywords).where(filter_keywords.c.id == item.id).values(**edits)
            )
    await _add_keywords(conn, filter_id, additions, now)
    await _touch(conn, account_id, now)
    return await filter_of(conn, account_id, filter_id)


async def delete_filter(conn: AsyncConnection, account_id: int, filter_id: int) -> None:
    await filter_of(conn, account_id, filter_id)
    await conn.execute(delete(filter_keywords).where(filter_keywords.c.filter_id == filter_id))
    await conn.execute(delete(filter_statuses).where(filter_statuses.c.filter_id == filter_id))
    await conn.execute(delete(filters).where(filters.c.id == filter_id))
    await _touch(conn, account_id, utcnow())


async def add_keyword(
    conn: AsyncConnection, account_id: int, filter_id: int, keyword: str | None, whole_word: bool
) -> FilterKeyword:
    await filter_of(conn, account_id, filter_id)
    cleaned = checked_keyword(keyword)
    await _check_keyword_room(conn, filter_id, 1)
    now = utcnow()
    keyword_id = new_id()
    await conn.execute(
        insert(filter_keywords).values(
            id=keyword_id,
            filter_id=filter_id,
            keyword=cleaned,
            whole_word=whole_word,
            created_at=now,
        )
    )
    await _touch(conn, account_id, now)
    return FilterKeyword(keyword_id, filter_id, cleaned, whole_word)


async def update_keyword(
    conn: AsyncConnection,
    account_id: int,
    keyword_id: int,
    keyword: str | None,
    whole_word: bool | None,
) -> FilterKeyword:
    current = await keyword_of(conn, account_id, keyword_id)
    changed = current._replace(
        keyword=checked_keyword(keyword) if keyword is not None else current.keyword,
        whole_word=whole_word if whole_word is not None else current.whole_word,
    )
    await conn.execute(
        update(filter_keywords)
        .where(filter_keywords.c.id == keyword_id)
        .values(keyword=changed.keyword, whole_word=changed.whole_word)
    )
    await _touch(conn, account_id, utcnow())
    return changed


async def delete_keyword(conn: AsyncConnection, account_id: int, keyword_id: int) -> FilterKeyword:
    current = await keyword_of(conn, account_id, keyword_id)
    await conn.execute(delete(filter_keywords).where(filter_keywords.c.id == keyword_id))
    await _touch(conn, account_id, utcnow())
    return current


async def add_filter_status(
    conn: AsyncConnection, account_id: int, filter_id: int, status_id: int
) -> FilterStatus:
    """Put a post the account may see under one of its filters (once)."""
    await filter_of(conn, account_id, filter_id)
    await visible_status(conn, account_id, status_id)
    s = filter_statuses.c
    taken = await _count(
        conn,
        select(func.count())
        .select_from(filter_statuses)
        .where(s.filter_id == filter_id, s.status_id == status_id),
    )
    if taken:
        raise ValidationFailed(
            "Validation failed: Status has already been taken",
            details={"status_id": ["ERR_TAKEN"]},
        )
    entries = await _count(
        conn, select(func.count()).select_from(filter_statuses).where(s.filter_id == filter_id)
    )
    if entries >= MAX_STATUSES:
        raise _invalid("status_id", f"A filter has at most {MAX_STATUSES} posts")
    now = utcnow()
    entry_id = new_id()
    await conn.execute(
        insert(filter_statuses).values(
            id=entry_id, filter_id=filter_id, status_id=status_id, created_at=now
        )
    )
    await _touch(conn, account_id, now)
    return FilterStatus(entry_id, filter_id, status_id)


async def delete_filter_status(
    conn: AsyncConnection, account_id: int, entry_id: int
) -> FilterStatus:
    current = await filter_status_of(conn, account_id, entry_id)
    await conn.execute(delete(filter_statuses).where(filter_statuses.c.id == entry_id))
    await _touch(conn, account_id, utcnow())
    return current
