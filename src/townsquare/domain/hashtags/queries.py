"""Reads of followed and featured hashtags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import as_utc
from townsquare.domain.common.paging import Page, newest_first, paginate
from townsquare.domain.hashtags.models import FeaturedTag, TagChoices
from townsquare.domain.posts.models import Tag
from townsquare.storage.schema import featured_tags, followed_tags, status_tags, statuses, tags

# Suggestions for tags to feature: the account's recently used ones.
SUGGESTIONS_LIMIT = 10
_SHOWN = ("public", "unlisted")


async def followed_tags_of(
    conn: AsyncConnection, account_id: int, page: Page
) -> tuple[list[Tag], list[int]]:
    """The tags the account follows, most recently followed first, with paging keys."""
    query = (
        select(tags.c.id, tags.c.name, followed_tags.c.id.label("choice_id"))
        .join(followed_tags, followed_tags.c.tag_id == tags.c.id)
        .where(followed_tags.c.account_id == account_id)
    )
    rows = newest_first(page, list(await conn.execute(paginate(query, followed_tags.c.id, page))))
    return [Tag(row.id, row.name) for row in rows], [row.choice_id for row in rows]


async def tag_choices(
    conn: AsyncConnection, viewer_id: int, tag_ids: Iterable[int]
) -> dict[int, TagChoices]:
    """Whether the viewer follows and features each tag (tags absent: neither)."""
    wanted = list(dict.fromkeys(tag_ids))
    if not wanted:
        return {}
    following = set(
        await conn.scalars(
            select(followed_tags.c.tag_id).where(
                followed_tags.c.account_id == viewer_id, followed_tags.c.tag_id.in_(wanted)
            )
        )
    )
    featuring = set(
        await conn.scalars(
            select(featured_tags.c.tag_id).where(
                featured_tags.c.account_id == viewer_id, featured_tags.c.tag_id.in_(wanted)
            )
        )
    )
    return {
        tag_id: TagChoices(tag_id in following, tag_id in featuring)
        for tag_id in wanted
        if tag_id in following or tag_id in featuring
    }


def _authored_with_tag(account_id: Any) -> Any:
    """The account's own live posts that anyone may read, joined to their tags."""
    return status_tags.join(
        statuses,
        and_(
            statuses.c.id == status_tags.c.status_id,
            statuses.c.account_id == account_id,
            statuses.c.deleted_at.is_(None),
            statuses.c.reblog_of_id.is_(None),
            statuses.c.visibility.in_(_SHOWN),
        ),
    )


async def featured_tags_of(
    conn: AsyncConnection, account_id: int, *, tag_id: int | None = None
) -> list[FeaturedTag]:
    """The account's featured tags, oldest featured first, each with how many of the
    account's public posts carry it and when the last was made."""
    used = (
        select(
            status_tags.c.tag_id,
            func.count().label("statuses_count"),
            func.max(statuses.c.created_at).label("last_status_at"),
        )
        .select_from(_authored_with_tag(account_id))
        .group_by(status_tags.c.tag_id)
        .subquery()
    )
    query = (
        select(
            featured_tags.c.id,
            tags.c.id.label("tag_id"),
            tags.c.name,
            used.c.statuses_count,
            used.c.last_status_at,
        )
        .join(tags, tags.c.id == featured_tags.c.tag_id)
        .outerjoin(used, used.c.tag_id == featured_tags.c.tag_id)
        .where(featured_tags.c.account_id == account_id)
        .order_by(featured_tags.c.id)
    )
    if tag_id is not None:
        query = query.where(featured_tags.c.tag_id == tag_id)
    return [
        FeaturedTag(
            row.id,
            Tag(row.tag_id, row.name),
            account_id,
            int(row.statuses_count or 0),
            as_utc(row.last_status_at) if row.last_status_at else None,
        )
        for row in await conn.execute(query)
    ]


async def featured_tag(
    conn: AsyncConnection, account_id: int, *, tag_id: int
) -> FeaturedTag | None:
    found = await featured_tags_of(conn, account_id, tag_id=tag_id)
    return found[0] if found else None


async def featured_tag_suggestions(conn: AsyncConnection, account_id: int) -> list[Tag]:
    """Tags the account used lately and does not feature yet, most recently used first."""
    featured = select(featured_tags.c.tag_id).where(featured_tags.c.account_id == account_id)
    rows = await conn.execute(
        select(tags.c.id, tags.c.name)
        .select_from(_authored_with_tag(account_id).join(tags, tags.c.id == status_tags.c.tag_id))
        .where(tags.c.id.not_in(featured))
        .group_by(tags.c.id, tags.c.name)
        .order_by(func.max(statuses.c.id).desc())
        .limit(SUGGESTIONS_LIMIT)
    )
    return [Tag(row.id, row.name) for row in rows]
