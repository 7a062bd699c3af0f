"""Tag and FeaturedTag entities."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from townsquare.domain.common.site import Site
from townsquare.domain.hashtags.models import FeaturedTag, TagChoices
from townsquare.domain.posts.models import Tag

NOT_CHOSEN = TagChoices()


def tag_entity(
    site: Site, tag: Tag, *, signed_in: bool = False, choices: TagChoices = NOT_CHOSEN
) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "id": str(tag.id),
        "name": tag.name,
        "url": site.tag_url(tag.name),
        "history": [],
    }
    if signed_in:
        entity["following"] = choices.following
        entity["featuring"] = choices.featuring
    return entity


def featured_tag_entity(site: Site, featured: FeaturedTag, username: str) -> dict[str, Any]:
    last = featured.last_status_at
    return {
        "id": str(featured.id),
        "name": featured.tag.name,
        # Mastodon's link to the profile's posts with the tag
        "url": f"{site.profile_url(username)}/tagged/{quote(featured.tag.name)}",
        # strings, as Mastodon sends them
        "statuses_count": str(featured.statuses_count),
        "last_status_at": last.date().isoformat() if last else None,
    }
