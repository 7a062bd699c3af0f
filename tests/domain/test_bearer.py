"""The bearer look-up remembers tokens it has met: revoking one, or suspending or
editing its account, must still show on the very next look-up."""

from __future__ import annotations

from sqlalchemy import update

from tests.conftest import unique_name
from townsquare.core.clock import utcnow
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.auth.actions import create_app, issue_token, revoke_token
from townsquare.domain.auth.models import App
from townsquare.domain.auth.queries import caller_by_bearer
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts


async def _account_and_app(db: Database) -> tuple[Account, App]:
    name = unique_name("b")
    async with db.write() as conn:
        account = await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a long secret")
        )
        app = await create_app(
            conn, name="bearer test", redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes="read write", website=None,
        )  # fmt: skip
    return account, app


async def test_a_revoked_token_is_refused_at_once_after_it_was_met(db: Database) -> None:
    account, app = await _account_and_app(db)
    async with db.write() as conn:
        issued = await issue_token(conn, app.id, account.id, ["read"])
    for _ in range(2):  # met, then remembered
        async with db.read() as conn:
            found = await caller_by_bearer(conn, issued.token)
        assert found is not None
        assert found[0] == issued.access and found[1] is not None
        assert found[1].id == account.id
    async with db.write() as conn:
        await revoke_token(conn, app, issued.token)
    async with db.read() as conn:
        assert await caller_by_bearer(conn, issued.token) is None


async def test_the_remembered_token_carries_its_account_as_it_is_now(db: Database) -> None:
    account, app = await _account_and_app(db)
    async with db.write() as conn:
        issued = await issue_token(conn, app.id, account.id, ["read"])
    async with db.read() as conn:
        assert await caller_by_bearer(conn, issued.token) is not None
    async with db.write() as conn:
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(display_name="Renamed", updated_at=utcnow())
        )
    async with db.read() as conn:
        found = await caller_by_bearer(conn, issued.token)
    assert found is not None and found[1] is not None
    assert found[1].display_name == "Renamed"
    async with db.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == account.id).values(suspended_at=utcnow())
        )
    async with db.read() as conn:
        assert await caller_by_bearer(conn, issued.token) is None


async def test_two_tokens_of_one_account_keep_their_own_scopes(db: Database) -> None:
    account, app = await _account_and_app(db)
    async with db.write() as conn:
        reading = await issue_token(conn, app.id, account.id, ["read"])
        writing = await issue_token(conn, app.id, account.id, ["write"])
    for _ in range(2):
        async with db.read() as conn:
            first = await caller_by_bearer(conn, reading.token)
            second = await caller_by_bearer(conn, writing.token)
        assert first is not None and first[0].scopes == ("read",)
        assert second is not None and second[0].scopes == ("write",)
