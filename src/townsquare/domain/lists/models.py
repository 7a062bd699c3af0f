"""A list as the domain sees it."""

from __future__ import annotations

from typing import Any, NamedTuple

# Mastodon's replies_policy: which replies by members the list's timeline shows, besides
# replies to the owner and to oneself (always shown).
REPLIES_POLICIES = ("followed", "list", "none")
DEFAULT_REPLIES_POLICY = "list"


class UserList(NamedTuple):
    id: int
    account_id: int
    title: str
    replies_policy: str
    exclusive: bool

    @classmethod
    def from_row(cls, row: Any) -> UserList:
        return cls(row.id, row.account_id, row.title, row.replies_policy, bool(row.exclusive))
