"""Accounts remembered in the process by what can still change about them.

As with posts (``domain.posts.remembered``): the authors of a page are looked up by the
columns that change without a profile edit (counters, last post, moderation state, the
small flags) and ``updated_at``, which a profile edit sets; an account met before in
that state is the same ``Account`` again (keys are the values as the driver gives
them, unconverted), and only the others are read in full. An
account changed by another process is simply not found and is read again. Whatever
changes any other column of an account must also set its ``updated_at``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.accounts.models import Account
from townsquare.storage.prepared import Prepared, in_ids
from townsquare.storage.schema import accounts

# Enough for the authors of every page a busy server renders in a few minutes.
REMEMBERED_ACCOUNTS = 20_000

_c = accounts.c
CHANGING = (
    _c.id,
    _c.updated_at,
    _c.last_status_at,
    _c.followers_count,
    _c.following_count,
    _c.statuses_count,
    _c.suspended_at,
    _c.silenced_at,
    _c.sensitized_at,
    _c.disabled_at,
    _c.role,
    _c.locked,
    _c.bot,
    _c.discoverable,
    _c.indexable,
)
_KEY_WIDTH = len(CHANGING)

_remembered: OrderedDict[tuple[Any, ...], Account] = OrderedDict()


def _key(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(row[:_KEY_WIDTH])


@cache
def _changing_by_ids() -> Prepared:
    return Prepared(select(*CHANGING).where(in_ids(_c.id, "ids")))


@cache
def _full_by_ids() -> Prepared:
    changing = {column.key for column in CHANGING}
    rest = [column for column in accounts.c if column.key not in changing]
    return Prepared(select(*CHANGING, *rest).where(in_ids(_c.id, "ids")))


async def remembered_accounts(conn: AsyncConnection, ids: list[int]) -> dict[int, Account]:
    """The accounts among ``ids`` that exist, by id."""
    found: dict[int, Account] = {}
    missing: list[int] = []
    for row in await _changing_by_ids().raw(conn, {"ids": ids}):
        account = _remembered.get(_key(row))
        if account is None:
            missing.append(row[0])
        else:
            found[row[0]] = account
    if missing:
        found.update(await _read_in_full(conn, missing))
    return found


async def _read_in_full(conn: AsyncConnection, ids: list[int]) -> dict[int, Account]:
    found = {}
    statement = _full_by_ids()
    for raw in await statement.raw(conn, {"ids": ids}):
        account = Account.from_row(statement.converted(conn, raw))
        found[account.id] = account
        _remembered[_key(raw)] = account
    while len(_remembered) > REMEMBERED_ACCOUNTS:
        _remembered.popitem(last=False)
    return found


async def remembered_account(conn: AsyncConnection, key: Sequence[Any]) -> Account | None:
    """The account of a row that selected ``CHANGING`` (a join's account part) and was
    read with ``convert=False``, or None when it no longer exists."""
    account = _remembered.get(_key(key))
    if account is not None:
        return account
    return (await _read_in_full(conn, [key[0]])).get(key[0])
