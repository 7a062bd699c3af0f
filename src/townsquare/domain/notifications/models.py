"""Notifications: who did what, to whom, about which post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    account_id: int
    from_account_id: int
    type: str
    status_id: int | None
    created_at: datetime
