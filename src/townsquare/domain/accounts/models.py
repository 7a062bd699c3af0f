"""Accounts as the domain sees them: plain, immutable values built from rows (named
tuples where pages build them by the dozen, as posts are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from townsquare.core.clock import as_utc

ROLES = ("user", "moderator", "admin")
VISIBILITIES = ("public", "unlisted", "private", "direct")


class ProfileField(NamedTuple):
    name: str
    value: str


class Account(NamedTuple):
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
        raw_fields = row.fields_json
        fields = (
            tuple(
                ProfileField(str(f.get("name", "")), str(f.get("value", "")))
                for f in orjson.loads(raw_fields)
            )
            if raw_fields and raw_fields != "[]"
            else ()
        )
        # positional, in field order: a page of posts builds its authors by the dozen
        last_status_at = row.last_status_at
        return cls(
            row.id,
            row.username,
            row.domain,
            row.display_name,
            row.note,
            row.avatar_url,
            row.header_url,
            fields,
            bool(row.locked),
            bool(row.bot),
            bool(row.discoverable),
            bool(row.indexable),
            row.role,
            as_utc(row.created_at),
            as_utc(last_status_at) if last_status_at else None,
            row.suspended_at is not None,
            max(row.followers_count, 0),
            max(row.following_count, 0),
            max(row.statuses_count, 0),
            # rows of narrower selects lack the moderation columns
            getattr(row, "silenced_at", None) is not None,
            getattr(row, "sensitized_at", None) is not None,
            getattr(row, "disabled_at", None) is not None,
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
