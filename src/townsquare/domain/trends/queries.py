"""Reading trends: one indexed range of ``trend_scores`` per list, then the things in it.

Posts go through the visibility guard for the viewer and must still be within public
reach; a post moderated since the last refresh leaves at once, not at the next one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.posts.models import Status, Tag
from townsquare.domain.trends.refresh import ALL_LANGUAGES
from townsquare.domain.trends.scoring import DayCount
from townsquare.domain.visibility.access import can_see, in_public_reach, not_muted
from townsquare.storage.schema import statuses, tags, trend_scores


@dataclass(frozen=True, slots=True)
class Trending:
    item: str
    history: tuple[DayCount, ...]
    # distinct accounts in the last 24 hours
    accounts: int = 0


@dataclass(frozen=True, slots=True)
class TrendingTag:
    tag: Tag
    history: tuple[DayCount, ...]
    accounts: int = 0


def _history(raw: str) -> tuple[DayCount, ...]:
    return tuple(
        DayCount(midnight // 86_400, uses, accounts) for midnight, uses, accounts in json.loads(raw)
    )


async def trending(
    conn: AsyncConnection, kind: str, language: str | None, *, limit: int, offset: int = 0
) -> list[Trending]:
    """The ``kind`` list (tag, status or link), best first; ``language`` None is all."""
    rows = await conn.execute(
        select(trend_scores.c.item, trend_scores.c.history_json, trend_scores.c.accounts)
        .where(
            trend_scores.c.kind == kind,
            trend_scores.c.language == (language or ALL_LANGUAGES),
        )
        .order_by(trend_scores.c.score.desc(), trend_scores.c.item)
        .limit(limit)
        .offset(offset)
    )
    return [Trending(row.item, _history(row.history_json), row.accounts) for row in rows]


async def trending_tags(
    conn: AsyncConnection, language: str | None, *, limit: int, offset: int = 0
) -> list[TrendingTag]:
    found = await trending(conn, "tag", language, limit=limit, offset=offset)
    ids = [int(t.item) for t in found]
    rows = await conn.execute(select(tags.c.id, tags.c.name).where(tags.c.id.in_(ids)))
    by_id = {row.id: Tag(row.id, row.name) for row in rows}
    return [
        TrendingTag(by_id[int(t.item)], t.history, t.accounts)
        for t in found
        if int(t.item) in by_id
    ]


async def trending_statuses(
    conn: AsyncConnection, viewer_id: int | None, language: str | None, *, limit: int,
    offset: int = 0,
) -> list[Status]:  # fmt: skip
    found = await trending(conn, "status", language, limit=limit, offset=offset)
    ids = [int(t.item) for t in found]
    if not ids:
        return []
    rows = await conn.execute(
        select(statuses).where(
            statuses.c.id.in_(ids),
            can_see(viewer_id),
            in_public_reach(statuses, viewer_id),
            not_muted(viewer_id),
        )
    )
    by_id = {row.id: Status.from_row(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


async def trending_links(
    conn: AsyncConnection, language: str | None, *, limit: int, offset: int = 0
) -> list[Trending]:
    return await trending(conn, "link", language, limit=limit, offset=offset)
