"""Posts remembered in the process by their version.

A page of posts spends more time turning two dozen columns per row into Python values
than SQLite spends finding the rows. Every post carries a ``version`` that the database
raises on each update of its row, whatever the update changes (a trigger, ADR 24). So
the hot statements select just the id and the version (``CHANGING``); a post met before
at that version is the same ``Status`` again, and only the posts not met at it are read
in full, in one more statement.

A post changed by another process (a worker, a second server) is simply not found at
its new version and is read again: nothing needs to be told.
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

# The key of a remembered post, first in every row the hot statements select.
CHANGING: tuple[ColumnElement[Any], ...] = (statuses.c.id, statuses.c.version)

_remembered: OrderedDict[tuple[Any, ...], Status] = OrderedDict()


def _key(row: Sequence[Any]) -> tuple[Any, ...]:
    return (row[0], row[1])  # the id and the version, as CHANGING selects them


@cache
def _full_rows() -> Prepared:
    # the key's columns first, so that a full row's key is its head
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
