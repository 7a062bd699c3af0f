"""When a session was last used: noted at most once per PRECISION, by a process's memo
and by the UPDATE's own condition, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from tests.domain.test_accounts import new
from townsquare.core.clock import utcnow
from townsquare.domain.accounts.actions import register
from townsquare.domain.auth import usage
from townsquare.domain.auth.sessions import live_session, signed_in, start_session
from townsquare.storage.database import Database
from townsquare.storage.schema import oauth_tokens


async def _last_used(db: Database, token_id: int) -> object:
    async with db.read() as conn:
        return await conn.scalar(
            select(oauth_tokens.c.last_used_at).where(oauth_tokens.c.id == token_id)
        )


async def test_use_is_noted_once_per_precision(db: Database) -> None:
    async with db.write() as conn:
        account = await register(conn, new())
        secret = await start_session(conn, account.id, "Test Browser")
    async with db.read() as conn:
        found = await live_session(conn, secret)
        assert found is not None
        token_id = found[0]
        [listed] = await signed_in(conn, account.id, secret)
    assert listed.last_used_at is None
    assert await _last_used(db, token_id) is None

    await usage.note_use(db, token_id)
    first = await _last_used(db, token_id)
    assert first is not None
    async with db.read() as conn:
        [listed] = await signed_in(conn, account.id, secret)
    assert listed.last_used_at is not None
    assert abs(listed.last_used_at - utcnow()) < timedelta(minutes=1)

    # at once again: the memo skips the write
    await usage.note_use(db, token_id)
    assert await _last_used(db, token_id) == first
    # another process (no memo) is held back by the row's own time
    usage._noted.clear()
    await usage.note_use(db, token_id)
    assert await _last_used(db, token_id) == first

    # once the time is older than the precision, it moves
    long_ago = utcnow() - usage.PRECISION - timedelta(minutes=1)
    async with db.write() as conn:
        await conn.execute(
            update(oauth_tokens).where(oauth_tokens.c.id == token_id).values(last_used_at=long_ago)
        )
    usage._noted.clear()
    await usage.note_use(db, token_id)
    async with db.read() as conn:
        [listed] = await signed_in(conn, account.id, secret)
    assert listed.last_used_at is not None and listed.last_used_at > long_ago + timedelta(minutes=1)
