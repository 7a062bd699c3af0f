"""What a post carries that changes only with an edit: its mentions, tags and media.

Every page of posts needs them and they change only when the post is edited, which
sets ``edited_at`` in the same transaction, so they are remembered per (post, version)
in the process: a page then loads them only for posts it has not met in that version.
Whatever changes a post's mentions, tags or media must set its ``edited_at``.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.posts.models import Media, Status, Tag
from townsquare.storage.prepared import Prepared, in_ids
from townsquare.storage.schema import media_attachments, mentions, status_tags, tags

# Enough for every post on the pages a busy server renders in a few minutes.
REMEMBERED_POSTS = 50_000


@dataclass(frozen=True, slots=True)
class Attachments:
    mentioned: tuple[int, ...] = ()
    tags: tuple[Tag, ...] = ()
    media: tuple[Media, ...] = ()


_Version = tuple[int, datetime | None]
_remembered: OrderedDict[_Version, Attachments] = OrderedDict()


@cache
def _statements() -> dict[str, Prepared]:
    return {
        "mentions": Prepared(
            select(mentions.c.status_id, mentions.c.account_id).where(
                in_ids(mentions.c.status_id, "ids")
            )
        ),
        "tags": Prepared(
            select(status_tags.c.status_id, tags.c.id, tags.c.name)
            .join(tags, tags.c.id == status_tags.c.tag_id)
            .where(in_ids(status_tags.c.status_id, "ids"))
        ),
        "media": Prepared(
            select(media_attachments)
            .where(in_ids(media_attachments.c.status_id, "ids"))
            .order_by(media_attachments.c.id)
        ),
    }


async def _load(conn: AsyncConnection, ids: list[int]) -> dict[int, Attachments]:
    statements = _statements()
    mentioned: dict[int, list[int]] = defaultdict(list)
    for row in await statements["mentions"].all(conn, {"ids": ids}):
        mentioned[row.status_id].append(row.account_id)
    tags_of: dict[int, list[Tag]] = defaultdict(list)
    for row in await statements["tags"].all(conn, {"ids": ids}):
        tags_of[row.status_id].append(Tag(row.id, row.name))
    media_of: dict[int, list[Media]] = defaultdict(list)
    for row in await statements["media"].all(conn, {"ids": ids}):
        media_of[row.status_id].append(
            Media(row.id, row.type, row.url, row.preview_url, row.description, row.meta_json,
                  row.blurhash)
        )  # fmt: skip
    return {i: Attachments(tuple(mentioned[i]), tuple(tags_of[i]), tuple(media_of[i])) for i in ids}


async def attachments_of(conn: AsyncConnection, posts: Sequence[Status]) -> dict[int, Attachments]:
    """Each post's attachments, by post id."""
    found: dict[int, Attachments] = {}
    missing: dict[int, _Version] = {}
    for post in posts:
        version = (post.id, post.edited_at)
        known = _remembered.get(version)
        if known is None:
            missing[post.id] = version
        else:
            found[post.id] = known
    if missing:
        for post_id, attachments in (await _load(conn, list(missing))).items():
            found[post_id] = attachments
            _remembered[missing[post_id]] = attachments
        while len(_remembered) > REMEMBERED_POSTS:
            _remembered.popitem(last=False)
    return found
