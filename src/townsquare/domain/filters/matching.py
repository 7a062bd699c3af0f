"""Whether a post matches an account's filters: pure functions over text, with the
normalisation used for every match (``core.normalize.match_key``), so the spellings of
one Urdu word typed on an Arabic or an Urdu keyboard, with or without harakat, are one
keyword.

A whole-word keyword must not touch a letter, mark or digit of any script at an end
that is itself a letter, mark or digit (Mastodon's rule, with Unicode classes rather
than ASCII ``\\b``, which knows no Urdu).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

import regex

from townsquare.core.normalize import match_key
from townsquare.domain.filters.models import Filter, FilterMatch

_WORDISH = regex.compile(r"[\p{L}\p{M}\p{N}_]")
_BEFORE = r"(?<![\p{L}\p{M}\p{N}_])"
_AFTER = r"(?![\p{L}\p{M}\p{N}_])"
_TAGS = regex.compile(r"<[^>]*>")


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str, whole_word: bool) -> regex.Pattern[str] | None:
    """The compiled pattern of one keyword, or None for one that folds to nothing."""
    key = match_key(keyword).strip()
    if not key:
        return None
    pattern = regex.escape(key)
    if whole_word:
        if _WORDISH.match(key[0]):
            pattern = _BEFORE + pattern
        if _WORDISH.match(key[-1]):
            pattern = pattern + _AFTER
    return regex.compile(pattern)


def matchable_text(text: str, spoiler_text: str, media_descriptions: Iterable[str] = ()) -> str:
    """What a filter reads of a post, folded: its content warning, its text and the
    descriptions of its media, on separate lines so that no word runs into another."""
    parts = [spoiler_text, text, *media_descriptions]
    return match_key("\n".join(part for part in parts if part))


def html_text(content_html: str) -> str:
    """A remote post's text when only its HTML is known: tags become spaces."""
    return _TAGS.sub(" ", content_html)


def match_post(
    filters: Sequence[Filter],
    context: str,
    folded_texts: Sequence[str],
    status_ids: Sequence[int],
    now: datetime,
) -> tuple[FilterMatch, ...]:
    """The filters among ``filters`` active at ``now`` in ``context`` that match a post
    whose folded texts (its own, and for a repost the reposted post's) are
    ``folded_texts`` and whose ids (the same two) are ``status_ids``."""
    found: list[FilterMatch] = []
    for each in filters:
        if context not in each.context or not each.active(now):
            continue
        keywords = tuple(
            keyword.keyword
            for keyword in each.keywords
            if (pattern := keyword_pattern(keyword.keyword, keyword.whole_word)) is not None
            and any(pattern.search(text) for text in folded_texts)
        )
        statuses = tuple(
            entry.status_id for entry in each.statuses if entry.status_id in status_ids
        )
        if keywords or statuses:
            found.append(FilterMatch(each, keywords or None, statuses or None))
    return tuple(found)
