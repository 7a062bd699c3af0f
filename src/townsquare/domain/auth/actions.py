"""OAuth 2 writes: apps, authorisation codes (with PKCE), tokens and revocation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

import regex
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import DomainError, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.auth.models import OOB_REDIRECT, AccessToken, App, IssuedToken
from townsquare.domain.auth.queries import app_from_row
from townsquare.domain.auth.scopes import is_subset, parse_scopes
from townsquare.storage.schema import oauth_apps, oauth_codes, oauth_tokens

CODE_LIFETIME = timedelta(minutes=10)
MAX_REDIRECT_URIS = 20
_VERIFIER = regex.compile(r"[A-Za-z0-9._~-]{43,128}")
_REDIRECT = regex.compile(r"^(urn:ietf:wg:oauth:2\.0:oob|[a-zA-Z][a-zA-Z0-9+.-]*:\S+)$")
# Schemes a browser would run or read rather than hand to an app.
_UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "file", "blob"})
_WEBSITE = regex.compile(r"^https?://[^\s/?#]+[^\s]*$", regex.IGNORECASE)


class OAuthError(DomainError):
    """An RFC 6749 error: ``error`` is the code, the message its description."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.status = status


def invalid_grant() -> OAuthError:
    return OAuthError(
        "invalid_grant",
        "The provided authorization grant is invalid, expired, revoked, does not match the "
        "redirection URI used in the authorization request, or was issued to another client.",
    )


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _scopes_or_invalid(value: str | None, default: str = "read") -> list[str]:
    try:
        return parse_scopes(value, default)
    except ValueError as exc:
        raise OAuthError("invalid_scope", f"The requested scope is invalid: {exc}") from exc


async def create_app(
    conn: AsyncConnection,
    *,
    name: str,
    redirect_uris: str | list[str],
    scopes: str | None,
    website: str | None,
) -> App:
    name = name.strip()
    if not name:
        raise ValidationFailed("Validation failed: Application name can't be blank")
    if len(name) > 200:
        raise ValidationFailed("Validation failed: Application name is too long")
    uris = redirect_uris.split() if isinstance(redirect_uris, str) else list(redirect_uris)
    if not uris or not all(_acceptable_redirect(uri) for uri in uris):
        raise ValidationFailed(
            "Validation failed: Redirect URI must be an absolute URI.",
            details={"redirect_uris": ["ERR_INVALID"]},
        )
    if len(uris) > MAX_REDIRECT_URIS:
        raise ValidationFailed("Validation failed: Too many redirect URIs.")
    website = (website or "").strip() or None
    if website is not None and (len(website) > 2000 or not _WEBSITE.match(website)):
        raise ValidationFailed(
            "Validation failed: Website is invalid", details={"website": ["ERR_INVALID"]}
        )
    try:
        granted = parse_scopes(scopes)
    except ValueError as exc:
        raise ValidationFailed(f"Validation failed: Scopes are invalid ({exc})") from exc
    app_id = new_id()
    await conn.execute(
        oauth_apps.insert().values(
            id=app_id,
            name=name,
            website=website,
            redirect_uris="\n".join(uris),
            scopes=" ".join(granted),
            client_id=secrets.token_urlsafe(32),
            client_secret=secrets.token_urlsafe(32),
            created_at=utcnow(),
        )
    )
    row = (await conn.execute(select(oauth_apps).where(oauth_apps.c.id == app_id))).one()
    return app_from_row(row)


def _acceptable_redirect(uri: str) -> bool:
    """An absolute URI without a fragment (RFC 6749 3.1.2), apps' own schemes welcome."""
    scheme = uri.split(":", 1)[0].lower()
    return (
        bool(_REDIRECT.match(uri))
        and len(uri) <= 2000
        and "#" not in uri
        and scheme not in _UNSAFE_SCHEMES
    )


def check_client_secret(app: App, secret: str | None) -> None:
    if secret is None or not hmac.compare_digest(app.client_secret, secret):
        raise OAuthError(
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication "
            "included, or unsupported authentication method.",
            401,
        )


def check_redirect_uri(app: App, redirect_uri: str | None) -> str:
    uri = redirect_uri or (app.redirect_uris[0] if len(app.redirect_uris) == 1 else "")
    if uri not in app.redirect_uris:
        raise OAuthError(
            "invalid_grant" if redirect_uri else "invalid_request",
            "The redirect uri included is not valid.",
        )
    return uri


def requested_scopes(app: App, scope: str | None) -> list[str]:
    scopes = _scopes_or_invalid(scope, default=app.scopes[0] if app.scopes else "read")
    if scope is None:
        scopes = list(app.scopes)
    if not is_subset(scopes, app.scopes):
        raise OAuthError("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
    return scopes


def check_code_challenge(code_challenge: str | None, method: str | None) -> None:
    """PKCE (RFC 7636): S256 only, since "plain" protects nothing a TLS observer can't see."""
    if code_challenge is None:
        if method is not None:
            raise OAuthError("invalid_request", "A code challenge method needs a code challenge.")
        return
    if (method or "plain") != "S256":
        raise OAuthError("invalid_request", "Only the S256 code challenge method is supported.")
    # The base64url form of a SHA-256 digest (some clients keep the padding).
    if not regex.fullmatch(r"[A-Za-z0-9_-]{43}=?", code_challenge):
        raise OAuthError("invalid_request", "The code challenge is malformed.")


async def issue_code(
    conn: AsyncConnection,
    app: App,
    *,
    account_id: int,
    redirect_uri: str,
    scopes: list[str],
    code_challenge: str | None,
    code_challenge_method: str | None,
) -> str:
    check_code_challenge(code_challenge, code_challenge_method)
    code = secrets.token_urlsafe(32)
    now = utcnow()
    await conn.execute(
        oauth_codes.insert().values(
            code_hash=hash_secret(code),
            app_id=app.id,
            account_id=account_id,
            redirect_uri=redirect_uri,
            scopes=" ".join(scopes),
            code_challenge=code_challenge,
            code_challenge_method="S256" if code_challenge else None,
            expires_at=now + CODE_LIFETIME,
            created_at=now,
        )
    )
    return code


def _pkce_matches(challenge: str, verifier: str) -> bool:
    if not _VERIFIER.fullmatch(verifier):
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return hmac.compare_digest(computed, challenge.rstrip("="))


async def exchange_code(
    conn: AsyncConnection,
    app: App,
    *,
    code: str,
    redirect_uri: str | None,
    code_verifier: str | None,
) -> IssuedToken | None:
    """A token for a valid code, else None: the caller commits (the code is spent either
    way) and then answers ``invalid_grant()``."""
    code_hash = hash_secret(code)
    # A code is good once: claim it in one statement, so that of two concurrent
    # exchanges only one finds it, and it is gone whatever happens next.
    row = (
        await conn.execute(
            delete(oauth_codes)
            .where(oauth_codes.c.code_hash == code_hash, oauth_codes.c.app_id == app.id)
            .returning(
                oauth_codes.c.account_id,
                oauth_codes.c.redirect_uri,
                oauth_codes.c.scopes,
                oauth_codes.c.code_challenge,
                oauth_codes.c.expires_at,
            )
        )
    ).first()
    if row is None or as_utc(row.expires_at) < utcnow():
        return None
    # RFC 6749 4.1.3: the redirect_uri the code was issued for must be named again.
    if redirect_uri != row.redirect_uri:
        return None
    if row.code_challenge and not (
        code_verifier and _pkce_matches(row.code_challenge, code_verifier)
    ):
        return None
    return await issue_token(conn, app.id, row.account_id, row.scopes.split())


async def issue_token(
    conn: AsyncConnection, app_id: int | None, account_id: int | None, scopes: list[str]
) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    token_id = new_id()
    now = utcnow()
    await conn.execute(
        oauth_tokens.insert().values(
            id=token_id,
            token_hash=hash_secret(token),
            app_id=app_id,
            account_id=account_id,
            scopes=" ".join(scopes),
            created_at=now,
        )
    )
    return IssuedToken(token, AccessToken(token_id, app_id, account_id, tuple(scopes), now))


async def revoke_token(conn: AsyncConnection, app: App, token: str) -> None:
    """Revoke a token the app holds; unknown tokens are ignored as RFC 7009 asks."""
    await conn.execute(
        update(oauth_tokens)
        .where(
            oauth_tokens.c.token_hash == hash_secret(token),
            oauth_tokens.c.app_id == app.id,
            oauth_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )


async def revoke_account_tokens(conn: AsyncConnection, account_id: int) -> None:
    await conn.execute(
        update(oauth_tokens)
        .where(oauth_tokens.c.account_id == account_id, oauth_tokens.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def is_oob(uri: str) -> bool:
    return uri == OOB_REDIRECT
