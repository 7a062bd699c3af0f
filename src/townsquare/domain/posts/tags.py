"""Hashtags: every spelling of a tag shares one row; the first spelling seen is shown."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.ids import new_id
from townsquare.core.normalize import match_key
from townsquare.domain.posts.models import Tag
from townsquare.storage.schema import tags

MAX_TAG_LENGTH = 255


def tag_key(name: str) -> str:
    return match_key(name.removeprefix("#"))


async def find_tag(conn: AsyncConnection, name: str) -> Tag | None:
    row = (
        await conn.execute(select(tags.c.id, tags.c.name).where(tags.c.name_key == tag_key(name)))
    ).first()
    return Tag(row.id, row.name) if row else None


async def ensure_tags(conn: AsyncConnection, names: Iterable[str]) -> list[Tag]:
    """The tag rows for ``names``, creating the missing ones."""
    result: dict[str, Tag] = {}
    now = utcnow()
    for name in names:
        key = tag_key(name)
        if not key or key in result or len(name) > MAX_TAG_LENGTH:
            continue
        tag = await find_tag(conn, name)
        if tag is None:
            tag_id = new_id()
            try:
                async with conn.begin_nested():
                    await conn.execute(
                        tags.insert().values(
                            id=tag_id, name=name, name_key=key, created_at=now, last_used_at=now
                        )
                    )
                tag = Tag(tag_id, name)
            except IntegrityError:
                tag = await find_tag(conn, name)  # created by a concurrent post
                if tag is None:
                    raise
        else:
            await conn.execute(update(tags).where(tags.c.id == tag.id).values(last_used_at=now))
        result[key] = tag
    return list(result.values())
