"""Reading notifications, leaving out what the recipient should no longer be shown.

A notification stays in the table when things change after it was made; the reads
hide it while its post is one the recipient may not see (deleted, made private to
them, its author suspended), while either account blocks the other, while the
recipient mutes the actor with notifications hidden, and while the actor is limited
and not followed by the recipient (one made before the limit; follow requests stay).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import accounts_by_ids
from townsquare.domain.common.paging import Page, newest_first, paginate
from townsquare.domain.filters.apply import filter_notifications
from townsquare.domain.filters.models import Filter
from townsquare.domain.filters.queries import filters_for
from townsquare.domain.markers.queries import get_markers
from townsquare.domain.notifications.models import (
    FROM_LIMITED_ACCOUNTS,
    Notification,
    NotificationView,
)
from townsquare.domain.posts.queries import hydrate, visible_statuses
from townsquare.domain.visibility.access import blocked_between, can_see, limited_for
from townsquare.storage.schema import accounts, mutes, notifications, statuses

UNREAD_COUNT_DEFAULT = 100
UNREAD_COUNT_MAX = 1000
# notifications read at a time when a hide filter makes the count look at each one
UNREAD_PAGE = 200


def _shown(viewer_id: int) -> ColumnElement[bool]:
    post = statuses.alias("notified_status")
    actor = notifications.c.from_account_id
    muted_quietly = exists().where(
        mutes.c.account_id == viewer_id,
        mutes.c.target_account_id == actor,
        mutes.c.hide_notifications,
        or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > utcnow()),
    )
    actor_suspended = exists().where(accounts.c.id == actor, accounts.c.suspended_at.is_not(None))
    return and_(
        notifications.c.account_id == viewer_id,
        or_(
            notifications.c.status_id.is_(None),
            exists().where(post.c.id == notifications.c.status_id, can_see(viewer_id, post)),
        ),
        ~blocked_between(viewer_id, actor),
        ~muted_quietly,
        ~actor_suspended,
        or_(
            notifications.c.type.in_(FROM_LIMITED_ACCOUNTS),
            actor.not_in(limited_for(viewer_id)),
        ),
    )


def _filtered(
    viewer_id: int,
    types: Sequence[str] | None,
    exclude_types: Sequence[str] | None,
    account_id: int | None,
) -> Select[tuple[object, ...]]:
    query = select(notifications).where(_shown(viewer_id))
    if types:
        query = query.where(notifications.c.type.in_(list(types)))
    if exclude_types:
        query = query.where(notifications.c.type.not_in(list(exclude_types)))
    if account_id is not None:
        query = query.where(notifications.c.from_account_id == account_id)
    return query


async def list_notifications(
    conn: AsyncConnection,
    viewer_id: int,
    page: Page,
    *,
    types: Sequence[str] | None = None,
    exclude_types: Sequence[str] | None = None,
    account_id: int | None = None,
) -> list[Notification]:
    """The viewer's notifications, newest first; ``types`` keeps only those types,
    ``exclude_types`` drops those, ``account_id`` keeps those caused by one account."""
    query = paginate(
        _filtered(viewer_id, types, exclude_types, account_id), notifications.c.id, page
    )
    rows = await conn.execute(query)
    return newest_first(page, [Notification.from_row(row) for row in rows])


async def get_notification(
    conn: AsyncConnection, viewer_id: int, notification_id: int
) -> Notification:
    row = (
        await conn.execute(
            _filtered(viewer_id, None, None, None).where(notifications.c.id == notification_id)
        )
    ).first()
    if row is None:
        raise NotFound()
    return Notification.from_row(row)


async def unread_count(
    conn: AsyncConnection,
    reader: Account,
    *,
    limit: int = UNREAD_COUNT_DEFAULT,
    types: Sequence[str] | None = None,
    exclude_types: Sequence[str] | None = None,
    account_id: int | None = None,
) -> int:
    """Notifications newer than the reader's notifications marker that their list
    would show, counted up to ``limit`` (as Mastodon, the count is capped so it stays
    cheap)."""
    query = _filtered(reader.id, types, exclude_types, account_id)
    marker = (await get_markers(conn, reader.id, ["notifications"])).get("notifications")
    if marker is not None:
        query = query.where(notifications.c.id > marker.last_read_id)
    cap = max(1, min(limit, UNREAD_COUNT_MAX))
    filters = await filters_for(conn, reader)
    if not _hides_notifications(filters, utcnow()):
        capped = query.with_only_columns(notifications.c.id).limit(cap)
        return int(await conn.scalar(select(func.count()).select_from(capped.subquery())) or 0)
    # A hide filter drops matching posts from the list in Python (ADR 19), so the
    # count reads the unread ones as the list does, a page at a time, up to the cap.
    counted = 0
    before: int | None = None
    while counted < cap:
        page = query.order_by(notifications.c.id.desc()).limit(UNREAD_PAGE)
        if before is not None:
            page = page.where(notifications.c.id < before)
        items = [Notification.from_row(row) for row in await conn.execute(page)]
        views = await notification_views(conn, reader.id, items)
        counted += len(filter_notifications(views, filters))
        if len(items) < UNREAD_PAGE:
            break
        before = items[-1].id
    return min(counted, cap)


def _hides_notifications(filters: Sequence[Filter], now: datetime) -> bool:
    return any(
        f.action == "hide" and "notifications" in f.context and f.active(now) for f in filters
    )


async def notification_views(
    conn: AsyncConnection, viewer_id: int, items: Sequence[Notification]
) -> list[NotificationView]:
    """Load the actors and posts of ``items`` for display, keeping their order; one
    whose post has just become invisible is dropped."""
    actors = await accounts_by_ids(conn, {item.from_account_id for item in items})
    posts = await visible_statuses(
        conn, viewer_id, [item.status_id for item in items if item.status_id is not None]
    )
    views = {view.status.id: view for view in await hydrate(conn, viewer_id, posts)}
    result = []
    for item in items:
        actor = actors.get(item.from_account_id)
        status = views.get(item.status_id) if item.status_id is not None else None
        if actor is None or (item.status_id is not None and status is None):
            continue
        result.append(NotificationView(item, actor, status))
    return result
