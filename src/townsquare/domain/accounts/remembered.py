"""Accounts remembered in the process by their version.

As with posts (``domain.posts.remembered``): every account carries a ``version`` that
the database raises on each update of its row (ADR 24), so the authors of a page are
looked up by id and version alone; an account met before at that version is the same
``Account`` again (keys are the values as the driver gives them), and only the others
are read in full. An account changed by another process is simply not found at its new
version and is read again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.accounts.models import Account
from townsquare.storage.prepared import Prepared, in_ids
from townsquare.storage.schema import accounts

# Enough for the authors of every page a busy server renders in a few minutes.
REMEMBERED_ACCOUNTS = 20_000

# The key of a remembered account, first in every row that looks one up.
CHANGING: tuple[ColumnElement[Any], ...] = (accounts.c.id, accounts.c.version)

_remembered: OrderedDict[tuple[Any, ...], Account] = OrderedDict()


def _key(row: Sequence[Any]) -> tuple[Any, ...]:
    return (row[0], row[1])  # the id and the version, as CHANGING selects them


@cache
def _changing_by_ids() -> Prepared:
    return Prepared(select(*CHANGING).where(in_ids(accounts.c.id, "ids")))


@cache
def _full_by_ids() -> Prepared:
    changing = {column.key for column in CHANGING}
    rest = [column for column in accounts.c if column.key not in changing]
    return Prepared(select(*CHANGING, *rest).where(in_ids(accounts.c.id, "ids")))


async def remembered_accounts(
    conn: AsyncConnection, ids: Iterable[int], keys: Iterable[Sequence[Any]] = ()
) -> dict[int, Account]:
    """The accounts among ``ids`` that exist, by id. ``keys`` are the keys of some of
    them that the caller read already (a join's account part, as the driver gave it):
    those cost no statement, unless changed since."""
    given = list(keys)
    known = {key[0] for key in given}
    unknown = [i for i in ids if i not in known]
    if unknown:
        given.extend(await _changing_by_ids().raw(conn, {"ids": unknown}))
    found: dict[int, Account] = {}
    missing: list[int] = []
    for key in given:
        account = _remembered.get(_key(key))
        if account is None:
            missing.append(key[0])
        else:
            found[key[0]] = account
    if missing:
        found.update(await _read_in_full(conn, list(dict.fromkeys(missing))))
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
