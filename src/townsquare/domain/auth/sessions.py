"""Browser sessions: a token row with no app, held in an HttpOnly cookie.

A session is an access token that belongs to no OAuth app (see ADR 10), so it is
revocable like any token, survives restarts, and passes through the same suspension
check as a bearer token. Only the SHA-256 of the secret is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.domain.accounts.models import Account
from townsquare.domain.auth.actions import hash_secret, issue_token
from townsquare.domain.auth.queries import caller_by_bearer
from townsquare.storage.schema import oauth_apps, oauth_tokens, session_agents

# Whatever the cookie says, a session older than this is over.
SESSION_LIFETIME = timedelta(days=30)
SESSION_SCOPES = ["read", "write", "follow"]
USER_AGENT_LENGTH = 255


async def start_session(conn: AsyncConnection, account_id: int, user_agent: str = "") -> str:
    """A new session secret for the account: what the cookie carries. The browser's
    user agent is kept so that the sessions list can name it."""
    issued = await issue_token(conn, None, account_id, SESSION_SCOPES)
    if user_agent:
        await conn.execute(
            session_agents.insert().values(
                token_id=issued.access.id, user_agent=user_agent[:USER_AGENT_LENGTH]
            )
        )
    return issued.token


async def live_session(conn: AsyncConnection, secret: str) -> tuple[int, Account] | None:
    """The token id of a live session and the account it acts for; None when it is
    unknown, ended, expired, an app's token, or its account is suspended."""
    found = await caller_by_bearer(conn, secret)
    if found is None:
        return None
    token, account = found
    if token.app_id is not None or account is None:
        return None
    if token.created_at < utcnow() - SESSION_LIFETIME:
        return None
    return token.id, account


async def session_account(conn: AsyncConnection, secret: str) -> Account | None:
    """The account a live session acts for (see ``live_session``)."""
    found = await live_session(conn, secret)
    return found[1] if found else None


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


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live session or app token of an account, as its owner sees it in settings."""

    token_id: int
    # None for a web session
    app_name: str | None
    user_agent: str
    created_at: datetime
    # to within usage.PRECISION; None when never used since it was recorded
    last_used_at: datetime | None
    current: bool


async def signed_in(
    conn: AsyncConnection, account_id: int, current_secret: str | None = None
) -> list[SignedIn]:
    """The account's live web sessions and app tokens, newest first; ``current`` marks
    the session of ``current_secret``. When each was last used is coarse (usage.py)."""
    current = hash_secret(current_secret) if current_secret else None
    t = oauth_tokens
    rows = await conn.execute(
        select(
            t.c.id,
            t.c.token_hash,
            t.c.created_at,
            t.c.last_used_at,
            oauth_apps.c.name,
            session_agents.c.user_agent,
        )
        .select_from(
            t.outerjoin(oauth_apps, oauth_apps.c.id == t.c.app_id).outerjoin(
                session_agents, session_agents.c.token_id == t.c.id
            )
        )
        .where(
            t.c.account_id == account_id,
            t.c.revoked_at.is_(None),
            or_(t.c.app_id.is_not(None), t.c.created_at >= utcnow() - SESSION_LIFETIME),
        )
        .order_by(t.c.id.desc())
    )
    return [
        SignedIn(
            token_id=row.id,
            app_name=row.name,
            user_agent=row.user_agent or "",
            created_at=as_utc(row.created_at),
            last_used_at=as_utc(row.last_used_at) if row.last_used_at else None,
            current=row.token_hash == current,
        )
        for row in rows
    ]


async def revoke_own_token(conn: AsyncConnection, account_id: int, token_id: int) -> bool:
    """End one of the account's sessions or app tokens; False when it is not theirs or
    already ended."""
    result = await conn.execute(
        update(oauth_tokens)
        .where(
            oauth_tokens.c.id == token_id,
            oauth_tokens.c.account_id == account_id,
            oauth_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return bool(result.rowcount)
