"""Reads of accounts. Visibility of an account (suspension, blocks) is the guard's job."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account, UserSettings
from townsquare.domain.accounts.remembered import remembered_accounts
from townsquare.domain.visibility.access import account_hidden
from townsquare.storage.prepared import Prepared
from townsquare.storage.schema import accounts, follows, users


async def find_account(conn: AsyncConnection, account_id: int) -> Account | None:
    row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).first()
    return Account.from_row(row) if row else None


async def get_account(conn: AsyncConnection, account_id: int) -> Account:
    account = await find_account(conn, account_id)
    if account is None:
        raise NotFound()
    return account


async def accounts_by_ids(
    conn: AsyncConnection, ids: Iterable[int], keys: Iterable[Sequence[Any]] = ()
) -> dict[int, Account]:
    """The accounts among ``ids`` that exist, by id; ``keys`` as for
    ``remembered_accounts``."""
    wanted = set(ids)
    if not wanted:
        return {}
    return await remembered_accounts(conn, wanted, keys)


async def account_by_username(
    conn: AsyncConnection, username: str, domain: str = ""
) -> Account | None:
    row = (
        await conn.execute(
            select(accounts).where(
                accounts.c.username_key == username.casefold(),
                accounts.c.domain == domain.lower(),
            )
        )
    ).first()
    return Account.from_row(row) if row else None


async def lookup_acct(conn: AsyncConnection, acct: str, local_domain: str) -> Account | None:
    """Resolve "user", "@user" or "user@domain" (our own domain counts as local)."""
    acct = acct.strip().removeprefix("@")
    username, _, domain = acct.partition("@")
    if domain.lower() == local_domain.lower():
        domain = ""
    return await account_by_username(conn, username, domain)


@cache
def _user_settings() -> Prepared:
    # built once: every new post reads its author's defaults
    return Prepared(select(users).where(users.c.account_id == bindparam("account_id")))


async def user_settings(conn: AsyncConnection, account_id: int) -> UserSettings:
    rows = await _user_settings().all(conn, {"account_id": account_id})
    if not rows:
        raise NotFound()
    return UserSettings.from_row(rows[0])


def escape_like(term: str) -> str:
    """``term`` with LIKE's wildcards taken literally (used with ``escape="\\"``)."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_accounts(
    conn: AsyncConnection,
    query: str,
    *,
    viewer_id: int | None = None,
    limit: int = 40,
    offset: int = 0,
    following: bool = False,
) -> list[Account]:
    """Accounts whose username starts with, or display name contains, the query; an
    exact username first, then by followers. Suspended accounts and accounts blocked
    either way by the viewer are left out; ``following`` keeps only those they follow."""
    term = query.strip().removeprefix("@").split("@")[0].strip()
    if not term:
        return []
    username_key = term.casefold()
    matched = or_(
        accounts.c.username_key.like(f"{escape_like(username_key)}%", escape="\\"),
        accounts.c.display_name.ilike(f"%{escape_like(term)}%", escape="\\"),
    )
    return await ranked_accounts(
        conn, matched, username_key, viewer_id=viewer_id, limit=limit, offset=offset,
        following=following,
    )  # fmt: skip


async def ranked_accounts(
    conn: AsyncConnection,
    matched: ColumnElement[bool],
    username_key: str,
    *,
    viewer_id: int | None,
    limit: int,
    offset: int,
    following: bool,
) -> list[Account]:
    """Accounts ``matched`` that the viewer may see (``following``: only those they
    follow), an exact username first, then by followers."""
    conditions: list[ColumnElement[bool]] = [~account_hidden(viewer_id), matched]
    if following:
        if viewer_id is None:
            return []
        conditions.append(
            accounts.c.id.in_(
                select(follows.c.target_account_id).where(follows.c.account_id == viewer_id)
            )
        )
    rows = await conn.execute(
        select(accounts)
        .where(*conditions)
        .order_by(
            case((accounts.c.username_key == username_key, 0), else_=1),
            accounts.c.followers_count.desc(),
            accounts.c.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return [Account.from_row(row) for row in rows]
