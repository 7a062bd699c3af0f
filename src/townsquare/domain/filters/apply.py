"""Applying a reader's filters to loaded posts: each post that matches a warn or blur
filter carries the match (the Status entity's ``filtered``, the web's click-through);
a post that matches a hide filter leaves the lists of that context (timelines,
notifications), as Mastodon drops it. A post asked for by itself keeps its hide
matches instead, so that the client can fold it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.domain.accounts.models import Account
from townsquare.domain.filters.matching import html_text, match_post, matchable_text
from townsquare.domain.filters.models import Filter, FilterMatch
from townsquare.domain.filters.queries import filters_for
from townsquare.domain.notifications.models import NotificationView
from townsquare.domain.posts.models import Status, StatusView


@lru_cache(maxsize=8192)
def _folded(post: Status, descriptions: tuple[str, ...]) -> str:
    text = post.text or html_text(post.content_html)
    return matchable_text(text, post.spoiler_text, descriptions)


def _texts_and_ids(view: StatusView) -> tuple[list[str], list[int]]:
    texts = [_folded(view.status, tuple(m.description or "" for m in view.media))]
    ids = [view.status.id]
    if view.reblog is not None:
        inner = view.reblog
        texts.append(_folded(inner.status, tuple(m.description or "" for m in inner.media)))
        ids.append(inner.status.id)
    return texts, ids


def matches_of(
    view: StatusView, filters: Sequence[Filter], context: str, now: datetime
) -> tuple[FilterMatch, ...]:
    if not filters:
        return ()
    texts, ids = _texts_and_ids(view)
    return match_post(filters, context, texts, ids, now)


def hides(matches: Sequence[FilterMatch]) -> bool:
    return any(match.filter.action == "hide" for match in matches)


def _with(view: StatusView, matches: tuple[FilterMatch, ...]) -> StatusView:
    if not matches:
        return view
    reblog = view.reblog._replace(filtered=matches) if view.reblog is not None else None
    return view._replace(filtered=matches, reblog=reblog)


def filter_views(
    views: Sequence[StatusView],
    filters: Sequence[Filter],
    context: str,
    *,
    drop_hidden: bool = True,
    now: datetime | None = None,
) -> list[StatusView]:
    """``views`` with their matches in ``context``; with ``drop_hidden``, without the
    posts a hide filter matches. No filters, no work: the same list comes back."""
    if not filters:
        return list(views)
    moment = now or utcnow()
    kept = []
    for view in views:
        matches = matches_of(view, filters, context, moment)
        if drop_hidden and hides(matches):
            continue
        kept.append(_with(view, matches))
    return kept


def filter_notifications(
    items: Sequence[NotificationView], filters: Sequence[Filter], *, now: datetime | None = None
) -> list[NotificationView]:
    """Notifications with their posts' matches; one whose post a hide filter matches
    in the notifications context is dropped."""
    if not filters:
        return list(items)
    moment = now or utcnow()
    kept = []
    for item in items:
        if item.status is None:
            kept.append(item)
            continue
        matches = matches_of(item.status, filters, "notifications", moment)
        if hides(matches):
            continue
        kept.append(NotificationView(item.notification, item.account, _with(item.status, matches)))
    return kept


async def reader_filters(conn: AsyncConnection, reader: Account | None) -> tuple[Filter, ...]:
    """The filters a page applies for ``reader``: none for visitors."""
    return await filters_for(conn, reader) if reader is not None else ()
