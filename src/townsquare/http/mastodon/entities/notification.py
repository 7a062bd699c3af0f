"""Notification entity (Mastodon's ungrouped form)."""

from __future__ import annotations

from typing import Any

from townsquare.domain.common.site import Site
from townsquare.domain.notifications.models import NotificationView
from townsquare.http.mastodon.entities.account import account_entity
from townsquare.http.mastodon.entities.common import iso
from townsquare.http.mastodon.entities.status import status_entity


def notification_entity(site: Site, view: NotificationView) -> dict[str, Any]:
    item = view.notification
    entity: dict[str, Any] = {
        "id": str(item.id),
        "type": item.type,
        "created_at": iso(item.created_at),
        "group_key": f"ungrouped-{item.id}",
        "account": account_entity(site, view.account),
    }
    if view.status is not None:
        entity["status"] = status_entity(site, view.status)
    return entity
