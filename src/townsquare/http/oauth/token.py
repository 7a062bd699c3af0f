"""The token endpoint (RFC 6749), revocation (RFC 7009) and server metadata (RFC 8414)."""

from __future__ import annotations

import base64
import binascii
import math
import time
from typing import Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, RateLimited
from townsquare.domain.accounts.actions import authenticate
from townsquare.domain.auth.actions import (
    OAuthError,
    check_client_secret,
    exchange_code,
    invalid_grant,
    issue_token,
    requested_scopes,
    revoke_token,
)
from townsquare.domain.auth.models import App, IssuedToken
from townsquare.domain.auth.queries import app_by_client_id
from townsquare.domain.auth.scopes import KNOWN_SCOPES
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.account import DEFAULT_AVATAR
from townsquare.http.params import Params, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["oauth"])

GRANT_TYPES = ["authorization_code", "password", "client_credentials"]


def _client_credentials(request: Request, params: Params) -> tuple[str | None, str | None]:
    """Client authentication from the body, or from HTTP Basic (RFC 6749 2.3.1)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401) from None
        client_id, _, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return params.get_str("client_id"), params.get_str("client_secret")


def token_entity(issued: IssuedToken) -> dict[str, Any]:
    return {
        "access_token": issued.token,
        "token_type": "Bearer",
        "scope": " ".join(issued.access.scopes),
        "created_at": int(issued.access.created_at.timestamp()),
    }


async def _client(request: Request, params: Params) -> App:
    client_id, secret = _client_credentials(request, params)
    if not client_id:
        raise OAuthError("invalid_client", "Client authentication failed.", 401)
    async with state_of(request).db.read() as conn:
        app = await app_by_client_id(conn, client_id)
    if app is None:
        raise OAuthError("invalid_client", "Client authentication failed.", 401)
    check_client_secret(app, secret)
    return app


@router.post("/oauth/token")
async def token(request: Request) -> Response:
    params = await read_params(request)
    grant_type = params.get_str("grant_type") or ""
    if grant_type not in GRANT_TYPES:
        raise OAuthError(
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        )
    app = await _client(request, params)
    if grant_type == "authorization_code":
        issued = await _code_grant(request, params, app)
    elif grant_type == "client_credentials":
        scopes = requested_scopes(app, params.get_str("scope") or params.get_str("scopes"))
        async with state_of(request).db.write() as conn:
            issued = await issue_token(conn, app.id, None, scopes)
    else:
        issued = await _password_grant(request, params, app)
    return json_response(token_entity(issued), headers={"Cache-Control": "no-store"})


async def _code_grant(request: Request, params: Params, app: App) -> IssuedToken:
    code = params.get_str("code", max_length=512)
    if not code:
        raise OAuthError("invalid_request", "The request is missing the code parameter.")
    async with state_of(request).db.write() as conn:
        issued = await exchange_code(
            conn,
            app,
            code=code,
            redirect_uri=params.get_str("redirect_uri", max_length=2000),
            code_verifier=params.get_str("code_verifier", max_length=512),
        )
    # Raised after the commit, so a code tried with a wrong verifier is spent too.
    if issued is None:
        raise invalid_grant()
    return issued


async def _password_grant(request: Request, params: Params, app: App) -> IssuedToken:
    state = state_of(request)
    scopes = requested_scopes(app, params.get_str("scope") or params.get_str("scopes"))
    login = params.get_str("username", max_length=320) or ""
    password = params.get_str("password", max_length=1024) or ""
    limit = await state.limiter.hit(
        f"login:{login.casefold()}", state.settings.login_attempts_per_5min
    )
    if not limit.allowed:
        wait = max(1, math.ceil(limit.reset_at - time.time()))
        raise RateLimited("Too many log-in attempts; try again later.", retry_after=wait)
    async with state.db.write() as conn:
        try:
            account = await authenticate(conn, login, password)
        except DomainError:
            raise invalid_grant() from None
        return await issue_token(conn, app.id, account.id, scopes)


@router.post("/oauth/revoke")
async def revoke(request: Request) -> Response:
    params = await read_params(request)
    app = await _client(request, params)
    token_value = params.get_str("token")
    if not token_value:
        raise OAuthError("invalid_request", "The request is missing the token parameter.")
    async with state_of(request).db.write() as conn:
        await revoke_token(conn, app, token_value)
    return json_response({})


@router.get("/.well-known/oauth-authorization-server")
async def metadata(request: Request) -> Response:
    base = state_of(request).site.base_url
    return json_response(
        {
            "issuer": f"{base}/",
            "service_documentation": f"{base}/openapi.json",
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "userinfo_endpoint": f"{base}/oauth/userinfo",
            "scopes_supported": sorted(KNOWN_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "grant_types_supported": GRANT_TYPES,
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }
    )


@router.get("/oauth/userinfo")
@router.post("/oauth/userinfo")
async def userinfo(request: Request, caller: Caller = Depends(scoped("profile"))) -> Response:
    """OpenID Connect claims about the signed-in account (the ``profile`` scope)."""
    site = state_of(request).site
    account = caller.user
    return json_response(
        {
            "iss": f"{site.base_url}/",
            "sub": site.actor_uri(account.username),
            "name": account.display_name or account.username,
            "preferred_username": account.username,
            "profile": site.profile_url(account.username),
            "picture": account.avatar_url or site.base_url + DEFAULT_AVATAR,
        }
    )
