"""Browser sessions: a token row with no app, held in an HttpOnly cookie.

A session is an access token that belongs to no OAuth app (see ADR 10), so it is
revocable like any token, survives restarts, and passes through the same suspension
check as a bearer token. Only the SHA-256 of the secret is stored.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.domain.accounts.models import Account
from townsquare.domain.auth.actions import hash_secret, issue_token
from townsquare.domain.auth.queries import caller_by_bearer
from townsquare.storage.schema import oauth_tokens

# Whatever the cookie says, a session older than this is over.
SESSION_LIFETIME = timedelta(days=30)
SESSION_SCOPES = ["read", "write", "follow"]


async def start_session(conn: AsyncConnection, account_id: int) -> str:
    """A new session secret for the account: what the cookie carries."""
    issued = await issue_token(conn, None, account_id, SESSION_SCOPES)
    return issued.token


async def session_account(conn: AsyncConnection, secret: str) -> Account | None:
    """The account a live session acts for; None when it is unknown, ended, expired,
    an app's token, or its account is suspended."""
    found = await caller_by_bearer(conn, secret)
    if found is None:
        return None
    token, account = found
    if token.app_id is not None or account is None:
        return None
    if token.created_at < utcnow() - SESSION_LIFETIME:
        return None
    return account


async def end_session(conn: AsyncConnection, secret: str) -> None:
    await conn.execute(
        update(oauth_tokens)
        .where(
            oauth_tokens.c.token_hash == hash_secret(secret),
            oauth_tokens.c.app_id.is_(None),
            oauth_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
