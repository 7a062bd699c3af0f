"""The social graph as the domain sees it: how one account stands towards another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson

from townsquare.domain.accounts.models import Account


@dataclass(frozen=True, slots=True)
class Relationship:
    """What ``viewer`` sees of their relation with account ``id``."""

    id: int
    following: bool = False
    showing_reblogs: bool = False
    notifying: bool = False
    # None: every language (or not following at all)
    languages: tuple[str, ...] | None = None
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    muting_expires_at: datetime | None = None
    requested: bool = False
    requested_by: bool = False
    domain_blocking: bool = False
    endorsed: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class MutedAccount:
    account: Account
    expires_at: datetime | None


def encode_languages(languages: tuple[str, ...] | None) -> str | None:
    return orjson.dumps(list(languages)).decode() if languages else None


def decode_languages(stored: str | None) -> tuple[str, ...] | None:
    if not stored:
        return None
    decoded = orjson.loads(stored)
    return tuple(str(code) for code in decoded) if isinstance(decoded, list) and decoded else None
