"""Posts remembered in the process by what can still change about them.

A page of posts spends more time turning two dozen columns per row into Python values
than SQLite spends finding the rows. Most of a post never changes once written: only
its counters, its edit time (an edit sets it, whatever else it changes) and its
moderation state do. So the hot statements select just those ``CHANGING`` columns; a
post met before with the same values is the same ``Status`` again, and only the posts
not met in that state are read in full, in one more statement.

Because the key holds every column that may change, a post changed by another process
(a worker, a second server) is simply not found and is read again: nothing needs to be
told. Whatever changes any other column of a post must also set its ``edited_at``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.posts.models import Status
from townsquare.storage.prepared import Prepared, in_ids
from townsquare.storage.schema import statuses

# Enough for every post on the pages a busy server renders in a few minutes.
REMEMBERED_POSTS = 20_000


def changing_columns(table: Any = statuses) -> tuple[ColumnElement[Any], ...]:
    """The id and what may change of a post, in the order of ``_key``. ``table`` may be
    an alias of ``statuses``."""
    c = table.c
    return (
        c.id,
        c.replies_count,
        c.reblogs_count,
        c.favourites_count,
        c.quotes_count,
        c.edited_at,
        c.deleted_at,
        c.moderation_action,
        c.moderation_label,
    )


CHANGING = changing_columns()
_KEY_WIDTH = len(CHANGING)

_remembered: OrderedDict[tuple[Any, ...], Status] = OrderedDict()


def _key(row: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(row[:_KEY_WIDTH])


@cache
def _full_rows() -> Prepared:
    # the changing columns first, so that a full row's key is its head
    rest = [c for c in statuses.c if c.key not in {k.key for k in CHANGING}]
    return Prepared(select(*CHANGING, *rest).where(in_ids(statuses.c.id, "ids")))


async def remembered_posts(conn: AsyncConnection, keys: Sequence[Sequence[Any]]) -> list[Status]:
    """The posts of rows that selected ``CHANGING`` (and maybe more after it), read
    with ``convert=False`` (keys are the values as the driver gives them), in the rows'
    order. Posts that changed between the two statements come as they are now;
    posts deleted in between are left out."""
    found: dict[int, Status] = {}
    missing: list[int] = []
    for row in keys:
        key = _key(row)
        post = _remembered.get(key)
        if post is None:
            missing.append(key[0])
        else:
            found[post.id] = post
    if missing:
        statement = _full_rows()
        for raw in await statement.raw(conn, {"ids": missing}):
            row = statement.converted(conn, raw)
            if row.deleted_at is not None:
                continue
            post = Status.from_row(row)
            found[post.id] = post
            _remembered[_key(raw)] = post
        while len(_remembered) > REMEMBERED_POSTS:
            _remembered.popitem(last=False)
    return [found[row[0]] for row in keys if row[0] in found]
