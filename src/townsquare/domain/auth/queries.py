"""OAuth reads: apps by client id, the token behind a bearer string."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.domain.auth.models import AccessToken, App
from townsquare.storage.schema import accounts, oauth_apps, oauth_tokens


def app_from_row(row: Any) -> App:
    return App(
        id=row.id,
        name=row.name,
        website=row.website,
        redirect_uris=tuple(row.redirect_uris.split("\n")),
        scopes=tuple(row.scopes.split()),
        client_id=row.client_id,
        client_secret=row.client_secret,
        created_at=as_utc(row.created_at),
    )


async def app_by_client_id(conn: AsyncConnection, client_id: str) -> App | None:
    row = (
        await conn.execute(select(oauth_apps).where(oauth_apps.c.client_id == client_id))
    ).first()
    return app_from_row(row) if row else None


async def app_by_id(conn: AsyncConnection, app_id: int) -> App | None:
    row = (await conn.execute(select(oauth_apps).where(oauth_apps.c.id == app_id))).first()
    return app_from_row(row) if row else None


async def token_by_bearer(conn: AsyncConnection, bearer: str) -> AccessToken | None:
    """A live token: not revoked, and not of a suspended account."""
    token_hash = hashlib.sha256(bearer.encode()).hexdigest()
    row = (
        await conn.execute(
            select(
                oauth_tokens.c.id,
                oauth_tokens.c.app_id,
                oauth_tokens.c.account_id,
                oauth_tokens.c.scopes,
                oauth_tokens.c.created_at,
                accounts.c.suspended_at,
            )
            .select_from(
                oauth_tokens.outerjoin(accounts, accounts.c.id == oauth_tokens.c.account_id)
            )
            .where(oauth_tokens.c.token_hash == token_hash, oauth_tokens.c.revoked_at.is_(None))
        )
    ).first()
    if row is None or row.suspended_at is not None:
        return None
    return AccessToken(
        id=row.id,
        app_id=row.app_id,
        account_id=row.account_id,
        scopes=tuple(row.scopes.split()),
        created_at=as_utc(row.created_at),
    )
