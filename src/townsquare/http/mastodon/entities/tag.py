"""Tag entity."""

from __future__ import annotations

from typing import Any

from townsquare.domain.common.site import Site
from townsquare.domain.posts.models import Tag


def tag_entity(site: Site, tag: Tag, *, signed_in: bool = False) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "id": str(tag.id),
        "name": tag.name,
        "url": site.tag_url(tag.name),
        "history": [],
    }
    if signed_in:
        # following hashtags is not supported yet, so nobody follows one
        entity["following"] = False
        entity["featuring"] = False
    return entity
