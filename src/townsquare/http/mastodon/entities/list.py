"""List entity."""

from __future__ import annotations

from typing import Any

from townsquare.domain.lists.models import UserList


def list_entity(chosen: UserList) -> dict[str, Any]:
    return {
        "id": str(chosen.id),
        "title": chosen.title,
        "replies_policy": chosen.replies_policy,
        "exclusive": chosen.exclusive,
    }
