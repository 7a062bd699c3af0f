"""Timelines: public, hashtag and profile, newest first, always through the guard.

The home timeline is in ``home``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.common.paging import (
    Page,
    newest_first,
    paginate,
)
from townsquare.domain.languages.choices import in_chosen_languages
from townsquare.domain.posts.models import Status
from townsquare.domain.posts.tags import tag_key
from townsquare.domain.timelines.conditions import not_a_reply_to_others
from townsquare.domain.visibility.access import Viewer, can_see, in_public_reach, not_muted
from townsquare.storage.schema import (
    media_attachments,
    pins,
    status_tags,
    statuses,
    tags,
)

# Mastodon accepts at most four extra tags per any[]/all[]/none[] list.
MAX_EXTRA_TAGS = 4


@dataclass(frozen=True, slots=True)
class Slice:
    """A page of posts and the keys to paginate it by, newest first (pins page by
    when they were pinned, everything else by post id)."""

    statuses: list[Status]
    keys: list[int]


def _has_media() -> ColumnElement[bool]:
    return exists().where(media_attachments.c.status_id == statuses.c.id)


def _public_original(viewer_id: Viewer | None) -> list[ColumnElement[bool]]:
    # Spelled with literals so that both databases can match the partial index
    # ix_statuses_public_local, whose predicate a bound parameter never implies.
    return [
        statuses.c.visibility == literal_column("'public'"),
        statuses.c.deleted_at.is_(None),
        statuses.c.reblog_of_id.is_(None),
        # moderation's "downrank" and "limit": off public surfaces, still on followers'
        # homes; a limited account's followers still see it here too
        in_public_reach(viewer_id=viewer_id),
    ]


def _local(local: bool, remote: bool) -> list[ColumnElement[bool]]:
    if local and not remote:
        # bare, as in the partial index's predicate (SQLite would say "local = 1")
        return [literal_column("statuses.local")]
    if remote and not local:
        return [statuses.c.local.is_(False)]
    return []


async def _read(
    conn: AsyncConnection, query: Select[tuple[object, ...]], page: Page
) -> list[Status]:
    rows = await conn.execute(paginate(query, statuses.c.id, page))
    return newest_first(page, [Status.from_row(row) for row in rows])


async def public_timeline(
    conn: AsyncConnection,
    viewer_id: int | None,
    page: Page,
    *,
    local: bool = False,
    remote: bool = False,
    only_media: bool = False,
    language: str | None = None,
) -> list[Status]:
    """Public posts (no reposts, no replies to others), newest first; with ``language``,
    only posts in it."""
    query = select(statuses).where(
        *_public_original(viewer_id),
        *_local(local, remote),
        not_a_reply_to_others(),
        can_see(viewer_id),
        not_muted(viewer_id),
    )
    if only_media:
        query = query.where(_has_media())
    if language is not None:
        query = query.where(statuses.c.language == language)
    else:
        query = query.where(*in_chosen_languages(viewer_id))
    return await _read(conn, query, page)


def _tagged_with(keys: Sequence[str]) -> ColumnElement[bool]:
    return statuses.c.id.in_(
        select(status_tags.c.status_id)
        .join(tags, tags.c.id == status_tags.c.tag_id)
        .where(tags.c.name_key.in_(list(keys)))
    )


def _keys(names: Sequence[str]) -> list[str]:
    keys = [tag_key(name) for name in names[:MAX_EXTRA_TAGS]]
    return list(dict.fromkeys(key for key in keys if key))


async def tag_timeline(
    conn: AsyncConnection,
    viewer_id: int | None,
    tag_name: str,
    page: Page,
    *,
    any_tags: Sequence[str] = (),
    all_tags: Sequence[str] = (),
    none_tags: Sequence[str] = (),
    local: bool = False,
    remote: bool = False,
    only_media: bool = False,
    language: str | None = None,
) -> list[Status]:
    """Public posts with the tag (or any of ``any_tags``), all of ``all_tags`` and
    none of ``none_tags``; every spelling of a tag matches (``tag_key``)."""
    main = tag_key(tag_name)
    if not main:
        return []
    query = select(statuses).where(
        *_public_original(viewer_id),
        *_local(local, remote),
        _tagged_with([main, *_keys(any_tags)]),
        can_see(viewer_id),
        not_muted(viewer_id),
    )
    for key in _keys(all_tags):
        query = query.where(_tagged_with([key]))
    excluded = _keys(none_tags)
    if excluded:
        query = query.where(~_tagged_with(excluded))
    if only_media:
        query = query.where(_has_media())
    if language is not None:
        query = query.where(statuses.c.language == language)
    else:
        query = query.where(*in_chosen_languages(viewer_id))
    return await _read(conn, query, page)


def _reblog_of_unmuted(viewer_id: int | None) -> ColumnElement[bool]:
    """A repost whose original author the viewer muted is left off a profile; the
    profile's own posts are not (looking at a profile is asking for it)."""
    original = statuses.alias("profile_reblogged")
    return or_(
        statuses.c.reblog_of_id.is_(None),
        exists().where(original.c.id == statuses.c.reblog_of_id, not_muted(viewer_id, original)),
    )


async def account_statuses(
    conn: AsyncConnection,
    viewer_id: int | None,
    account_id: int,
    page: Page,
    *,
    exclude_replies: bool = False,
    exclude_reblogs: bool = False,
    exclude_direct: bool = False,
    only_media: bool = False,
    pinned: bool = False,
    tagged: str | None = None,
) -> Slice:
    """A profile's posts and reposts that the viewer may see, newest first; with
    ``pinned``, its pinned posts, most recently pinned first."""
    conditions = [
        statuses.c.account_id == account_id,
        can_see(viewer_id),
        _reblog_of_unmuted(viewer_id),
    ]
    if exclude_replies:
        conditions.append(not_a_reply_to_others())
    if exclude_reblogs:
        conditions.append(statuses.c.reblog_of_id.is_(None))
    if exclude_direct:
        conditions.append(statuses.c.visibility != "direct")
    if only_media:
        conditions.append(_has_media())
    if tagged is not None:
        key = tag_key(tagged)
        if not key:
            return Slice([], [])
        conditions.append(_tagged_with([key]))
    if pinned:
        query = (
            select(statuses, pins.c.id.label("pin_id"))
            .join(pins, and_(pins.c.status_id == statuses.c.id, pins.c.account_id == account_id))
            .where(*conditions)
        )
        rows = newest_first(page, (await conn.execute(paginate(query, pins.c.id, page))).all())
        return Slice([Status.from_row(row) for row in rows], [row.pin_id for row in rows])
    posts = await _read(conn, select(statuses).where(*conditions), page)
    return Slice(posts, [post.id for post in posts])
