"""Reads of an account's filters: the lists the API and settings show, one filter (or
keyword, or post entry) of the caller's own, and the filters a page applies.

Another account's filter is simply not found: its existence is not revealed."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account
from townsquare.domain.filters.models import Filter, FilterKeyword, FilterStatus
from townsquare.storage.schema import filter_keywords, filter_statuses, filters

# Accounts whose filters a process keeps: the readers of a few busy minutes.
REMEMBERED_READERS = 20_000

_k = filter_keywords.c
_s = filter_statuses.c


def _filter(
    row: Any, keywords: tuple[FilterKeyword, ...], entries: tuple[FilterStatus, ...]
) -> Filter:
    return Filter(
        row.id,
        row.account_id,
        row.title,
        tuple(row.context.split()),
        row.action,
        as_utc(row.expires_at) if row.expires_at is not None else None,
        keywords,
        entries,
    )


async def _load(conn: AsyncConnection, rows: list[Any]) -> list[Filter]:
    if not rows:
        return []
    ids = [row.id for row in rows]
    keywords: dict[int, list[FilterKeyword]] = defaultdict(list)
    for row in await conn.execute(
        select(_k.id, _k.filter_id, _k.keyword, _k.whole_word)
        .where(_k.filter_id.in_(ids))
        .order_by(_k.id)
    ):
        keywords[row.filter_id].append(
            FilterKeyword(row.id, row.filter_id, row.keyword, bool(row.whole_word))
        )
    entries: dict[int, list[FilterStatus]] = defaultdict(list)
    for entry in await conn.execute(
        select(_s.id, _s.filter_id, _s.status_id).where(_s.filter_id.in_(ids)).order_by(_s.id)
    ):
        entries[entry.filter_id].append(FilterStatus(entry.id, entry.filter_id, entry.status_id))
    return [
        _filter(row, tuple(keywords.get(row.id, ())), tuple(entries.get(row.id, ())))
        for row in rows
    ]


async def filters_of(conn: AsyncConnection, account_id: int) -> list[Filter]:
    """Every filter of the account, expired ones too (as Mastodon lists them), oldest first."""
    rows = (
        await conn.execute(
            select(filters).where(filters.c.account_id == account_id).order_by(filters.c.id)
        )
    ).all()
    return await _load(conn, list(rows))


async def filter_of(conn: AsyncConnection, account_id: int, filter_id: int) -> Filter:
    """One filter of the account's own; NotFound otherwise."""
    rows = (
        await conn.execute(
            select(filters).where(filters.c.id == filter_id, filters.c.account_id == account_id)
        )
    ).all()
    found = await _load(conn, list(rows))
    if not found:
        raise NotFound()
    return found[0]


async def keyword_of(conn: AsyncConnection, account_id: int, keyword_id: int) -> FilterKeyword:
    row = (
        await conn.execute(
            select(_k.id, _k.filter_id, _k.keyword, _k.whole_word)
            .join(filters, filters.c.id == _k.filter_id)
            .where(_k.id == keyword_id, filters.c.account_id == account_id)
        )
    ).first()
    if row is None:
        raise NotFound()
    return FilterKeyword(row.id, row.filter_id, row.keyword, bool(row.whole_word))


async def filter_status_of(conn: AsyncConnection, account_id: int, entry_id: int) -> FilterStatus:
    row = (
        await conn.execute(
            select(_s.id, _s.filter_id, _s.status_id)
            .join(filters, filters.c.id == _s.filter_id)
            .where(_s.id == entry_id, filters.c.account_id == account_id)
        )
    ).first()
    if row is None:
        raise NotFound()
    return FilterStatus(row.id, row.filter_id, row.status_id)


# account id -> (the remembered Account it was read for, its filters)
_remembered: OrderedDict[int, tuple[Account, tuple[Filter, ...]]] = OrderedDict()


async def filters_for(conn: AsyncConnection, reader: Account) -> tuple[Filter, ...]:
    """The reader's filters, for applying to a page.

    Every change to an account's filters sets its ``accounts.updated_at``, so the
    remembered accounts (``domain.accounts.remembered``) hand out a new ``Account``
    after it, in this process or any other. Filters read for the very ``Account``
    object asked about are therefore still current, and a reader with no filters
    costs no query after their first page (ADR 19)."""
    entry = _remembered.get(reader.id)
    if entry is not None and entry[0] is reader:
        return entry[1]
    found = tuple(await filters_of(conn, reader.id))
    _remembered[reader.id] = (reader, found)
    _remembered.move_to_end(reader.id)
    while len(_remembered) > REMEMBERED_READERS:
        _remembered.popitem(last=False)
    return found
