"""OAuth scopes as Mastodon defines them: top-level scopes grant their sub-scopes.

``follow`` is the legacy scope that grants reading and writing follows, blocks and mutes.
"""

from __future__ import annotations

from collections.abc import Iterable

READ_SUB = (
    "accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists",
    "mutes", "notifications", "search", "statuses",
)  # fmt: skip
WRITE_SUB = (
    "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters",
    "follows", "lists", "media", "mutes", "notifications", "reports", "statuses",
)  # fmt: skip
ADMIN_SUB = ("accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks",
             "email_domain_blocks", "canonical_email_blocks")  # fmt: skip

KNOWN_SCOPES: frozenset[str] = frozenset(
    ["read", "write", "follow", "push", "profile", "admin:read", "admin:write"]
    + [f"read:{s}" for s in READ_SUB]
    + [f"write:{s}" for s in WRITE_SUB]
    + [f"admin:read:{s}" for s in ADMIN_SUB]
    + [f"admin:write:{s}" for s in ADMIN_SUB]
)

FOLLOW_GRANTS = frozenset(
    {"read:follows", "read:blocks", "read:mutes", "write:follows", "write:blocks", "write:mutes"}
)


def parse_scopes(value: str | Iterable[str] | None, default: str = "read") -> list[str]:
    """Scopes in the order given, without duplicates; unknown names raise ValueError."""
    if value is None:
        items = [default]
    elif isinstance(value, str):
        items = value.replace(",", " ").split()
    else:
        items = [part for item in value for part in item.replace(",", " ").split()]
    if not items:
        items = [default]
    seen: dict[str, None] = {}
    for item in items:
        if item not in KNOWN_SCOPES:
            raise ValueError(item)
        seen.setdefault(item, None)
    return list(seen)


def grants(granted: Iterable[str], required: str) -> bool:
    """Whether a token holding ``granted`` may use an endpoint that needs ``required``."""
    held = set(granted)
    if required in held:
        return True
    parts = required.split(":")
    # write:statuses is granted by write; admin:read:accounts by admin:read
    for cut in range(len(parts) - 1, 0, -1):
        if ":".join(parts[:cut]) in held:
            return True
    return "follow" in held and required in FOLLOW_GRANTS


def is_subset(requested: Iterable[str], allowed: Iterable[str]) -> bool:
    allowed_list = list(allowed)
    return all(grants(allowed_list, scope) for scope in requested)
