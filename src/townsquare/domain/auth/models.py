"""OAuth applications and access tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"


@dataclass(frozen=True, slots=True)
class App:
    id: int
    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    client_id: str
    client_secret: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AccessToken:
    id: int
    app_id: int | None
    # None for a client-credentials token: it acts for the app, not a person
    account_id: int | None
    scopes: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as handed to a client once; only its hash is kept."""

    token: str
    access: AccessToken
