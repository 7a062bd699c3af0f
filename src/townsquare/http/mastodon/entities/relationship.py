"""Relationship entity: how the signed-in account stands towards another."""

from __future__ import annotations

from typing import Any

from townsquare.domain.graph.models import Relationship
from townsquare.http.mastodon.entities.common import iso


def relationship_entity(relation: Relationship) -> dict[str, Any]:
    return {
        "id": str(relation.id),
        "following": relation.following,
        "showing_reblogs": relation.showing_reblogs,
        "notifying": relation.notifying,
        "languages": list(relation.languages) if relation.languages is not None else None,
        "followed_by": relation.followed_by,
        "blocking": relation.blocking,
        "blocked_by": relation.blocked_by,
        "muting": relation.muting,
        "muting_notifications": relation.muting_notifications,
        "muting_expires_at": iso(relation.muting_expires_at),
        "requested": relation.requested,
        "requested_by": relation.requested_by,
        "domain_blocking": relation.domain_blocking,
        "endorsed": relation.endorsed,
        "note": relation.note,
    }
