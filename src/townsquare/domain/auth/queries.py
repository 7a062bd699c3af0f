"""OAuth reads: apps by client id, the token behind a bearer string."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.remembered import CHANGING as ACCOUNT_CHANGING
from townsquare.domain.accounts.remembered import remembered_account
from townsquare.domain.auth.models import AccessToken, App
from townsquare.storage.prepared import Prepared
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


_TOKEN_COLUMNS = [
    oauth_tokens.c.id.label("token_id"),
    oauth_tokens.c.app_id.label("token_app_id"),
    oauth_tokens.c.account_id.label("token_account_id"),
    oauth_tokens.c.scopes.label("token_scopes"),
    oauth_tokens.c.created_at.label("token_created_at"),
]


@cache
def _bearer_statement() -> Prepared:
    """A live token and its account, in one look-up: every API request makes it."""
    return Prepared(
        select(*_TOKEN_COLUMNS, *ACCOUNT_CHANGING)
        .select_from(oauth_tokens.outerjoin(accounts, accounts.c.id == oauth_tokens.c.account_id))
        .where(
            oauth_tokens.c.token_hash == bindparam("token_hash"),
            oauth_tokens.c.revoked_at.is_(None),
        )
    )


# The tokens met by this process, by their row as the driver gave it. A token's row
# never changes once issued, except for its revocation, which the look-up's own WHERE
# checks on every request: a revoked token finds no row, whatever is remembered.
_tokens: dict[tuple[Any, ...], AccessToken] = {}
_REMEMBERED_TOKENS = 20_000
_TOKEN_WIDTH = len(_TOKEN_COLUMNS)


def _token(conn: AsyncConnection, statement: Prepared, raw: Sequence[Any]) -> AccessToken:
    key = tuple(raw[:_TOKEN_WIDTH])
    token = _tokens.get(key)
    if token is None:
        row = statement.converted(conn, raw)
        token = AccessToken(
            id=row.token_id,
            app_id=row.token_app_id,
            account_id=row.token_account_id,
            scopes=tuple(row.token_scopes.split()),
            created_at=as_utc(row.token_created_at),
        )
        if len(_tokens) >= _REMEMBERED_TOKENS:
            _tokens.clear()
        _tokens[key] = token
    return token


async def caller_by_bearer(
    conn: AsyncConnection, bearer: str
) -> tuple[AccessToken, Account | None] | None:
    """The live token behind a bearer string and the account it acts for (None for an
    app token); None when the token is unknown, revoked, or its account suspended. A
    frozen ("disabled") account's token still reads: the callers refuse its writes."""
    token_hash = hashlib.sha256(bearer.encode()).hexdigest()
    statement = _bearer_statement()
    raws = await statement.raw(conn, {"token_hash": token_hash})
    if not raws:
        return None
    raw = raws[0]
    token = _token(conn, statement, raw)
    # the account part is a key of remembered accounts, as the driver gave it; its id is
    # None for an app token, or when the account row is gone
    account = (
        await remembered_account(conn, raw[_TOKEN_WIDTH:])
        if token.account_id is not None and raw[_TOKEN_WIDTH] is not None
        else None
    )
    if account is not None and account.suspended:
        return None
    return token, account


async def token_by_bearer(conn: AsyncConnection, bearer: str) -> AccessToken | None:
    """A live token: not revoked, and not of a suspended account."""
    found = await caller_by_bearer(conn, bearer)
    return found[0] if found else None
