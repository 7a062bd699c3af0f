"""Followed and featured hashtags as the domain sees them."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from townsquare.domain.posts.models import Tag


class TagChoices(NamedTuple):
    """How one viewer stands towards a tag."""

    following: bool = False
    featuring: bool = False


class FeaturedTag(NamedTuple):
    id: int
    tag: Tag
    account_id: int
    statuses_count: int
    last_status_at: datetime | None
