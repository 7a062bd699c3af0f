"""Trend entities: a Tag with its history, and a link as a PreviewCard with history.

Links are not fetched (no outbound request is made for a trend), so a link's card
carries its address, and its host as provider and title, until previews exist.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from townsquare.domain.common.site import Site
from townsquare.domain.hashtags.models import TagChoices
from townsquare.domain.trends.queries import Trending, TrendingTag
from townsquare.domain.trends.scoring import DayCount
from townsquare.http.mastodon.entities.tag import NOT_CHOSEN, tag_entity


def history_entity(history: tuple[DayCount, ...]) -> list[dict[str, str]]:
    return [
        {"day": str(d.midnight), "uses": str(d.uses), "accounts": str(d.accounts)} for d in history
    ]


def trending_tag_entity(
    site: Site, trending: TrendingTag, *, signed_in: bool, choices: TagChoices = NOT_CHOSEN
) -> dict[str, Any]:
    return {
        **tag_entity(site, trending.tag, signed_in=signed_in, choices=choices),
        "history": history_entity(trending.history),
    }


def trending_link_entity(trending: Trending) -> dict[str, Any]:
    url = trending.item
    parts = urlsplit(url)
    host = parts.hostname or ""
    return {
        "url": url,
        "title": host + (parts.path if parts.path != "/" else ""),
        "description": "",
        "type": "link",
        "author_name": "",
        "author_url": "",
        "authors": [],
        "provider_name": host,
        "provider_url": f"{parts.scheme}://{parts.netloc}/",
        "html": "",
        "width": 0,
        "height": 0,
        "image": None,
        "image_description": "",
        "embed_url": "",
        "blurhash": None,
        "published_at": None,
        "language": None,
        "history": history_entity(trending.history),
    }
