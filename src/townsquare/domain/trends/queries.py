"""Reading trends: one indexed range of ``trend_scores`` per list, then the things in it.

Posts go through the visibility guard for the viewer and must still be within public
reach; a post moderated since the last refresh leaves at once, not at the next one.

A signed-in viewer who chose languages to see (ADR 17) reads the lists of those
languages and of posts without one, merged: an item's scores, last-day accounts and
daily counts add up over the lists it is in (a post is in one; an account that used a
tag in two chosen languages counts in both). ``lang=`` wins over the choice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.languages.choices import chosen_languages
from townsquare.domain.posts.models import Status, Tag
from townsquare.domain.trends.refresh import ALL_LANGUAGES, UNKNOWN_LANGUAGE
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


async def _lists(
    conn: AsyncConnection, language: str | None, viewer_id: int | None
) -> tuple[str, ...]:
    """The lists to read: the one asked for, the viewer's chosen ones, or all languages."""
    if language:
        return (language,)
    chosen = await chosen_languages(conn, viewer_id) if viewer_id is not None else ()
    return (*chosen, UNKNOWN_LANGUAGE) if chosen else (ALL_LANGUAGES,)


def _merged(histories: Sequence[str]) -> tuple[DayCount, ...]:
    """Daily counts of several lists, added day by day, newest day first."""
    days: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for raw in histories:
        for day in _history(raw):
            uses, accounts = days[day.day]
            days[day.day] = (uses + day.uses, accounts + day.accounts)
    newest_first = sorted(days.items(), reverse=True)
    return tuple(DayCount(day, uses, accounts) for day, (uses, accounts) in newest_first)


async def trending(
    conn: AsyncConnection,
    kind: str,
    language: str | None,
    *,
    limit: int,
    offset: int = 0,
    viewer_id: int | None = None,
) -> list[Trending]:
    """The ``kind`` list (tag, status or link), best first: of ``language``, else of the
    languages ``viewer_id`` chose to see, else over all languages."""
    lists = await _lists(conn, language, viewer_id)
    if len(lists) == 1:
        rows = await conn.execute(
            select(trend_scores.c.item, trend_scores.c.history_json, trend_scores.c.accounts)
            .where(trend_scores.c.kind == kind, trend_scores.c.language == lists[0])
            .order_by(trend_scores.c.score.desc(), trend_scores.c.item)
            .limit(limit)
            .offset(offset)
        )
        return [Trending(row.item, _history(row.history_json), row.accounts) for row in rows]
    in_lists = (trend_scores.c.kind == kind, trend_scores.c.language.in_(lists))
    score = func.sum(trend_scores.c.score)
    ranked = (
        await conn.execute(
            select(trend_scores.c.item, func.sum(trend_scores.c.accounts).label("accounts"))
            .where(*in_lists)
            .group_by(trend_scores.c.item)
            .order_by(score.desc(), trend_scores.c.item)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    histories: dict[str, list[str]] = defaultdict(list)
    for row in await conn.execute(
        select(trend_scores.c.item, trend_scores.c.history_json).where(
            *in_lists, trend_scores.c.item.in_([row.item for row in ranked])
        )
    ):
        histories[row.item].append(row.history_json)
    return [Trending(row.item, _merged(histories[row.item]), int(row.accounts)) for row in ranked]


async def trending_tags(
    conn: AsyncConnection, language: str | None, *, limit: int, offset: int = 0,
    viewer_id: int | None = None,
) -> list[TrendingTag]:  # fmt: skip
    found = await trending(conn, "tag", language, limit=limit, offset=offset, viewer_id=viewer_id)
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
    found = await trending(
        conn, "status", language, limit=limit, offset=offset, viewer_id=viewer_id
    )
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
    conn: AsyncConnection, language: str | None, *, limit: int, offset: int = 0,
    viewer_id: int | None = None,
) -> list[Trending]:  # fmt: skip
    return await trending(conn, "link", language, limit=limit, offset=offset, viewer_id=viewer_id)
