"""Reads: concurrent readers, a failed statement, and writes seen by the next read."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import unique_name
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts


async def _register(db: Database) -> int:
    name = unique_name("r")
    async with db.write() as conn:
        account = await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a secret!")
        )
    return account.id


async def test_concurrent_readers_each_get_their_own_answers(db: Database) -> None:
    ids = [await _register(db) for _ in range(5)]

    async def read(account_id: int) -> tuple[int, int]:
        async with db.read() as conn:
            found = (
                await conn.execute(select(accounts.c.id).where(accounts.c.id == account_id))
            ).scalar_one()
            await asyncio.sleep(0)  # let the other readers in between two statements
            count = (await conn.execute(select(func.count()).select_from(accounts))).scalar_one()
        return found, count

    results = await asyncio.gather(*(read(ids[i % 5]) for i in range(40)))
    assert [found for found, _ in results] == [ids[i % 5] for i in range(40)]
    assert {count for _, count in results} == {5}


async def test_a_failed_read_leaves_later_reads_working(db: Database) -> None:
    with pytest.raises(DBAPIError):
        async with db.read() as conn:
            await conn.execute(text("SELECT no_such_column FROM accounts"))
    account_id = await _register(db)  # and a write commits after it, seen at once
    async with db.read() as conn:
        found = await conn.execute(select(accounts.c.id).where(accounts.c.id == account_id))
        assert found.scalar_one() == account_id
