"""Account and CredentialAccount entities."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from townsquare.core.text import render_plain_html
from townsquare.domain.accounts.models import Account, UserSettings
from townsquare.domain.common.site import Site
from townsquare.http.mastodon.entities.common import iso, iso_date

DEFAULT_AVATAR = "/avatars/original/missing.png"
DEFAULT_HEADER = "/headers/original/missing.png"

_ROLE_IDS = {"user": "-99", "moderator": "2", "admin": "3"}
_ROLE_PERMISSIONS = {"user": "0", "moderator": "1308", "admin": "1048575"}


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


# Entities are pure functions of frozen values, so they are remembered: the same authors
# come back page after page. Callers must not change a returned entity (copy it first).
ENTITY_CACHE_SIZE = 4096


@lru_cache(maxsize=ENTITY_CACHE_SIZE)
def account_entity(site: Site, account: Account) -> dict[str, Any]:
    url = site.profile_url(account.acct)
    avatar = account.avatar_url or site.base_url + DEFAULT_AVATAR
    header = account.header_url or site.base_url + DEFAULT_HEADER
    entity = {
        "id": str(account.id),
        "username": account.username,
        "acct": account.acct,
        "display_name": account.display_name,
        "locked": account.locked,
        "bot": account.bot,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
        "group": False,
        "created_at": iso(_midnight(account.created_at)),
        "note": render_plain_html(account.note) if account.note else "",
        "url": url,
        "uri": site.actor_uri(account.username) if account.is_local else url,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": account.followers_count,
        "following_count": account.following_count,
        "statuses_count": account.statuses_count,
        "last_status_at": iso_date(account.last_status_at),
        "hide_collections": False,
        "noindex": not account.indexable,
        "emojis": [],
        "roles": [],
        "fields": [
            {"name": f.name, "value": render_plain_html(f.value)[3:-4], "verified_at": None}
            for f in account.fields
        ],
    }
    # as Mastodon does, only present when true: apps show a limited account behind a
    # notice, and a suspended one (seen by moderators) as such
    if account.silenced:
        entity["limited"] = True
    if account.suspended:
        entity["suspended"] = True
    return entity


def role_entity(role: str) -> dict[str, Any]:
    return {
        "id": _ROLE_IDS.get(role, "-99"),
        "name": "" if role == "user" else role.capitalize(),
        "color": "",
        "permissions": _ROLE_PERMISSIONS.get(role, "0"),
        "highlighted": role != "user",
    }


def credential_account_entity(
    site: Site, account: Account, settings: UserSettings, follow_requests_count: int = 0
) -> dict[str, Any]:
    entity = dict(account_entity(site, account))
    entity["source"] = {
        "privacy": settings.default_visibility,
        "sensitive": settings.default_sensitive,
        "language": settings.default_language or "",
        "note": account.note,
        "fields": [{"name": f.name, "value": f.value, "verified_at": None} for f in account.fields],
        "follow_requests_count": follow_requests_count,
        "hide_collections": False,
        "discoverable": account.discoverable,
        "indexable": account.indexable,
        "attribution_domains": [],
    }
    entity["role"] = role_entity(account.role)
    return entity
