"""Filter (v2), FilterKeyword, FilterStatus, FilterResult and the v1 Filter entities."""

from __future__ import annotations

from typing import Any

from townsquare.domain.filters.models import Filter, FilterKeyword, FilterMatch, FilterStatus
from townsquare.http.mastodon.entities.common import iso


def keyword_entity(keyword: FilterKeyword) -> dict[str, Any]:
    return {"id": str(keyword.id), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def filter_status_entity(entry: FilterStatus) -> dict[str, Any]:
    return {"id": str(entry.id), "status_id": str(entry.status_id)}


def filter_entity(found: Filter, *, with_rules: bool = True) -> dict[str, Any]:
    """A filter; inside a FilterResult Mastodon leaves out its keywords and posts."""
    entity: dict[str, Any] = {
        "id": str(found.id),
        "title": found.title,
        "context": list(found.context),
        "expires_at": iso(found.expires_at),
        "filter_action": found.action,
    }
    if with_rules:
        entity["keywords"] = [keyword_entity(keyword) for keyword in found.keywords]
        entity["statuses"] = [filter_status_entity(entry) for entry in found.statuses]
    return entity


def filter_result_entity(match: FilterMatch) -> dict[str, Any]:
    return {
        "filter": filter_entity(match.filter, with_rules=False),
        "keyword_matches": list(match.keyword_matches) if match.keyword_matches else None,
        "status_matches": (
            [str(status_id) for status_id in match.status_matches] if match.status_matches else None
        ),
    }


def v1_filter_entity(found: Filter, keyword: FilterKeyword) -> dict[str, Any]:
    """A v1 filter is one keyword of a v2 filter, as Mastodon maps them; irreversible
    stands for the hide action."""
    return {
        "id": str(keyword.id),
        "phrase": keyword.keyword,
        "context": list(found.context),
        "whole_word": keyword.whole_word,
        "expires_at": iso(found.expires_at),
        "irreversible": found.action == "hide",
    }
