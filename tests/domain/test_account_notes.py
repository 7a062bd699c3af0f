"""Private notes on accounts against the real database."""

from __future__ import annotations

import pytest

from tests.conftest import unique_name
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.graph import actions, queries
from townsquare.storage.database import Database


async def account(db: Database) -> Account:
    name = unique_name("n")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a long secret")
        )


async def test_a_note_is_kept_replaced_and_removed(db: Database) -> None:
    alice, bob = await account(db), await account(db)
    async with db.write() as conn:
        kept = await actions.set_note(conn, alice, bob.id, "  اچھے شاعر  ")
    assert kept.note == "اچھے شاعر"
    async with db.read() as conn:
        [seen] = await queries.relationships(conn, alice.id, [bob.id])
        [other_way] = await queries.relationships(conn, bob.id, [alice.id])
    assert seen.note == "اچھے شاعر" and other_way.note == ""
    async with db.write() as conn:
        assert (await actions.set_note(conn, alice, bob.id, "y" * 2000)).note == "y" * 2000
        with pytest.raises(ValidationFailed, match="Comment is too long"):
            await actions.set_note(conn, alice, bob.id, "y" * 2001)
        with pytest.raises(NotFound):
            await actions.set_note(conn, alice, 42, "nobody")
    async with db.write() as conn:
        assert (await actions.set_note(conn, alice, bob.id, "")).note == ""
    async with db.read() as conn:
        assert (await queries.relationship(conn, alice.id, bob.id)).note == ""
