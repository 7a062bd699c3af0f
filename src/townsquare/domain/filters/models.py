"""Filters v2 as the domain sees them: an account's named filter, the contexts it
applies in, what it does, when it ends, and the keywords and posts it matches.

Named tuples, so that a match can sit inside a ``StatusView`` (which the entity caches
hash) and a filter met again is the same value."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

# Mastodon's order; a filter's contexts are kept in it.
CONTEXTS = ("home", "notifications", "public", "thread", "account")
ACTIONS = ("warn", "hide", "blur")

MAX_TITLE = 256
MAX_KEYWORD = 512
MAX_KEYWORDS = 100
MAX_STATUSES = 100
MAX_FILTERS = 100


class FilterKeyword(NamedTuple):
    id: int
    filter_id: int
    keyword: str
    whole_word: bool


class FilterStatus(NamedTuple):
    id: int
    filter_id: int
    status_id: int


class Filter(NamedTuple):
    id: int
    account_id: int
    title: str
    context: tuple[str, ...]
    action: str
    expires_at: datetime | None
    keywords: tuple[FilterKeyword, ...] = ()
    statuses: tuple[FilterStatus, ...] = ()

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


class FilterMatch(NamedTuple):
    """One filter a post matched: the keywords it matched (as the filter spells them)
    and whether the post itself (or the post it reposts) is one of the filter's posts."""

    filter: Filter
    keyword_matches: tuple[str, ...] | None
    status_matches: tuple[int, ...] | None


class FilterChange(NamedTuple):
    """What ``update_filter`` is asked to change; None leaves a field as it is."""

    title: str | None = None
    context: tuple[str, ...] | None = None
    action: str | None = None
    # expires_in seconds: None leaves it, 0 (or a blank) removes the expiry
    expires_in: int | None = None
    clear_expiry: bool = False


class KeywordChange(NamedTuple):
    """One entry of ``keywords_attributes``: a new keyword (no id), an edit, or a
    removal (``destroy``)."""

    id: int | None
    keyword: str | None
    whole_word: bool | None
    destroy: bool = False
