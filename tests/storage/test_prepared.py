"""Prepared statements give the same rows as SQLAlchemy's own execution, on both engines."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import bindparam, select

from tests.conftest import unique_name
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.storage.database import Database
from townsquare.storage.prepared import Prepared, in_ids
from townsquare.storage.schema import accounts


async def _accounts(db: Database, count: int) -> list[int]:
    ids = []
    async with db.write() as conn:
        for _ in range(count):
            name = unique_name("p")
            account = await register(
                conn, NewAccount(username=name, email=f"{name}@example.org", password="a secret!")
            )
            ids.append(account.id)
    return ids


async def test_rows_match_sqlalchemy_with_types_converted(db: Database) -> None:
    ids = await _accounts(db, 3)
    statement = select(accounts).where(in_ids(accounts.c.id, "ids")).order_by(accounts.c.id)
    prepared = Prepared(statement)
    async with db.read() as conn:
        expected = (await conn.execute(statement, {"ids": ids[:2]})).all()
        got = await prepared.all(conn, {"ids": ids[:2]})
        assert [tuple(row) for row in got] == [tuple(row) for row in expected]
        assert [row.id for row in got] == ids[:2]
        assert isinstance(got[0].created_at, datetime)
        assert got[0].locked is False  # a Boolean column comes back as bool, not 0
        assert await prepared.all(conn, {"ids": []}) == []
        assert await prepared.first(conn, {"ids": [ids[2]]}) is not None


async def test_sees_the_surrounding_transactions_writes(db: Database) -> None:
    prepared = Prepared(select(accounts.c.id).where(accounts.c.username == bindparam("name")))
    name = unique_name("t")
    async with db.write() as conn:
        account = await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a secret!")
        )
        row = await prepared.first(conn, {"name": name})
        assert row is not None and row.id == account.id


async def test_a_bound_list_is_refused(db: Database) -> None:
    prepared = Prepared(select(accounts.c.id).where(accounts.c.id.in_([1, 2])))
    async with db.read() as conn:
        with pytest.raises(TypeError, match="in_ids"):
            await prepared.all(conn, {})
