"""Trusted flaggers (DSA Article 22): accounts whose reports the operator trusts; a
decision taken on one of their reports names that source in its DSA statement."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.errors import NotFound
from townsquare.domain.accounts.queries import account_by_username
from townsquare.storage.schema import accounts


async def set_trusted_flagger(conn: AsyncConnection, username: str, trusted: bool) -> str:
    """Mark (or unmark) the local account ``username``; answers its username."""
    account = await account_by_username(conn, username.removeprefix("@"))
    if account is None or account.domain:
        raise NotFound(f"no local account @{username.removeprefix('@')}")
    await conn.execute(
        update(accounts).where(accounts.c.id == account.id).values(trusted_flagger=trusted)
    )
    return account.username
