"""Notifications: who did what, to whom, about which post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from townsquare.core.clock import as_utc
from townsquare.domain.accounts.models import Account
from townsquare.domain.posts.models import StatusView

# Mastodon's notification types we produce. A reply reaches the parent's author as a
# "mention" (replying mentions them), as Mastodon clients expect.
TYPES = (
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "update",
    "quote",
)
# What a limited account may still notify someone who does not follow it of: a follow
# request waits on the recipient, who would otherwise never learn of it.
FROM_LIMITED_ACCOUNTS = ("follow_request",)


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    account_id: int
    from_account_id: int
    type: str
    status_id: int | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Notification:
        return cls(
            id=row.id,
            account_id=row.account_id,
            from_account_id=row.from_account_id,
            type=row.type,
            status_id=row.status_id,
            created_at=as_utc(row.created_at),
        )


@dataclass(frozen=True, slots=True)
class NotificationView:
    """A notification with what a surface shows: who acted, and the post (if any)."""

    notification: Notification
    account: Account
    status: StatusView | None
