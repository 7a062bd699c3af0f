"""Reads of accounts. Visibility of an account (suspension, blocks) is the guard's job."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account, UserSettings
from townsquare.storage.schema import accounts, users


async def find_account(conn: AsyncConnection, account_id: int) -> Account | None:
    row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).first()
    return Account.from_row(row) if row else None


async def get_account(conn: AsyncConnection, account_id: int) -> Account:
    account = await find_account(conn, account_id)
    if account is None:
        raise NotFound()
    return account


async def accounts_by_ids(conn: AsyncConnection, ids: Iterable[int]) -> dict[int, Account]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await conn.execute(select(accounts).where(accounts.c.id.in_(wanted)))
    return {row.id: Account.from_row(row) for row in rows}


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


async def user_settings(conn: AsyncConnection, account_id: int) -> UserSettings:
    row = (await conn.execute(select(users).where(users.c.account_id == account_id))).first()
    if row is None:
        raise NotFound()
    return UserSettings.from_row(row)


async def search_accounts(
    conn: AsyncConnection, query: str, *, limit: int = 40, offset: int = 0
) -> list[Account]:
    """Simple prefix and substring matching on username and display name."""
    term = query.strip().removeprefix("@").split("@")[0]
    if not term:
        return []
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = await conn.execute(
        select(accounts)
        .where(
            accounts.c.suspended_at.is_(None),
            or_(
                accounts.c.username_key.like(f"{escaped.casefold()}%", escape="\\"),
                accounts.c.display_name.ilike(f"%{escaped}%", escape="\\"),
            ),
        )
        .order_by(accounts.c.followers_count.desc(), accounts.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [Account.from_row(row) for row in rows]
