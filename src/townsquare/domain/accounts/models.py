"""Accounts as the domain sees them: plain, immutable values built from rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from townsquare.core.clock import as_utc

ROLES = ("user", "moderator", "admin")
VISIBILITIES = ("public", "unlisted", "private", "direct")


@dataclass(frozen=True, slots=True)
class ProfileField:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    domain: str
    display_name: str
    note: str
    avatar_url: str
    header_url: str
    fields: tuple[ProfileField, ...]
    locked: bool
    bot: bool
    discoverable: bool
    indexable: bool
    role: str
    created_at: datetime
    last_status_at: datetime | None
    suspended: bool
    followers_count: int
    following_count: int
    statuses_count: int
    # Moderation state (issue 5); defaults keep rows from before those columns readable
    silenced: bool = False
    sensitized: bool = False
    disabled: bool = False

    @property
    def is_moderator(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_local(self) -> bool:
        return self.domain == ""

    @property
    def acct(self) -> str:
        return self.username if self.is_local else f"{self.username}@{self.domain}"

    @classmethod
    def from_row(cls, row: Any) -> Account:
        fields = tuple(
            ProfileField(str(f.get("name", "")), str(f.get("value", "")))
            for f in orjson.loads(row.fields_json or "[]")
        )
        return cls(
            id=row.id,
            username=row.username,
            domain=row.domain,
            display_name=row.display_name,
            note=row.note,
            avatar_url=row.avatar_url,
            header_url=row.header_url,
            fields=fields,
            locked=bool(row.locked),
            bot=bool(row.bot),
            discoverable=bool(row.discoverable),
            indexable=bool(row.indexable),
            role=row.role,
            created_at=as_utc(row.created_at),
            last_status_at=as_utc(row.last_status_at) if row.last_status_at else None,
            suspended=row.suspended_at is not None,
            followers_count=max(row.followers_count, 0),
            following_count=max(row.following_count, 0),
            statuses_count=max(row.statuses_count, 0),
            silenced=getattr(row, "silenced_at", None) is not None,
            sensitized=getattr(row, "sensitized_at", None) is not None,
            disabled=getattr(row, "disabled_at", None) is not None,
        )


@dataclass(frozen=True, slots=True)
class UserSettings:
    """What a local account's owner sees of their own account (CredentialAccount)."""

    account_id: int
    email: str
    locale: str
    default_visibility: str
    default_sensitive: bool
    default_language: str | None
    approved: bool

    @classmethod
    def from_row(cls, row: Any) -> UserSettings:
        return cls(
            account_id=row.account_id,
            email=row.email,
            locale=row.locale,
            default_visibility=row.default_visibility,
            default_sensitive=bool(row.default_sensitive),
            default_language=row.default_language,
            approved=bool(row.approved),
        )
