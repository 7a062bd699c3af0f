"""Following and featuring hashtags. A tag is found by its normalised name, so every
spelling (Urdu letter variants, case) is the same tag; following or featuring a name
nobody used yet creates the tag, as Mastodon does."""

from __future__ import annotations

import regex
from sqlalchemy import Table, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.core.clock import utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.hashtags.models import FeaturedTag
from townsquare.domain.hashtags.queries import featured_tag
from townsquare.domain.posts.models import Tag
from townsquare.domain.posts.tags import MAX_TAG_LENGTH, ensure_tags, find_tag
from townsquare.storage.schema import featured_tags, followed_tags

# The name part of a hashtag as posts spell it (core.text): word characters with at
# least one that is not a digit.
_NAME = regex.compile(r"\w*[\p{L}\p{M}_]\w*")
# As Mastodon: hashtags featured on one profile.
MAX_FEATURED_TAGS = 10


def valid_tag_name(name: str) -> str | None:
    """The name without its '#', or None when no post could carry it as a hashtag."""
    bare = name.strip().removeprefix("#")
    if not bare or len(bare) > MAX_TAG_LENGTH or not _NAME.fullmatch(bare):
        return None
    return bare


async def _tag_for(conn: AsyncConnection, name: str) -> Tag:
    bare = valid_tag_name(name)
    if bare is None:
        raise NotFound()
    found = await find_tag(conn, bare)
    if found is not None:
        return found
    [created] = await ensure_tags(conn, [bare])
    return created


async def _insert_choice(conn: AsyncConnection, table: Table, account_id: int, tag_id: int) -> None:
    values = {"id": new_id(), "account_id": account_id, "tag_id": tag_id, "created_at": utcnow()}
    try:
        async with conn.begin_nested():
            await conn.execute(table.insert().values(**values))
    except IntegrityError:
        pass  # chosen already, maybe by a concurrent request


async def follow_tag(conn: AsyncConnection, account_id: int, name: str) -> Tag:
    """Follow a hashtag: its public posts come to the account's home from now on."""
    tag = await _tag_for(conn, name)
    await _insert_choice(conn, followed_tags, account_id, tag.id)
    return tag


async def unfollow_tag(conn: AsyncConnection, account_id: int, name: str) -> Tag:
    """Stop following; a tag nobody has heard of is NotFound, one not followed is fine."""
    bare = valid_tag_name(name)
    tag = await find_tag(conn, bare) if bare else None
    if tag is None:
        raise NotFound()
    await conn.execute(
        delete(followed_tags).where(
            followed_tags.c.account_id == account_id, followed_tags.c.tag_id == tag.id
        )
    )
    return tag


async def feature_tag(conn: AsyncConnection, account_id: int, name: str | None) -> FeaturedTag:
    """Feature a hashtag on the account's profile; featuring it again answers the same."""
    bare = valid_tag_name(name or "")
    if bare is None:
        raise ValidationFailed(
            "Validation failed: Tag is invalid", details={"name": ["ERR_INVALID"]}
        )
    tag = await _tag_for(conn, bare)
    existing = await conn.scalar(
        select(featured_tags.c.id).where(
            featured_tags.c.account_id == account_id, featured_tags.c.tag_id == tag.id
        )
    )
    if existing is None:
        count = await conn.scalar(
            select(func.count())
            .select_from(featured_tags)
            .where(featured_tags.c.account_id == account_id)
        )
        if (count or 0) >= MAX_FEATURED_TAGS:
            raise ValidationFailed(
                f"Validation failed: You cannot feature more than {MAX_FEATURED_TAGS} hashtags"
            )
        await _insert_choice(conn, featured_tags, account_id, tag.id)
    found = await featured_tag(conn, account_id, tag_id=tag.id)
    if found is None:
        raise NotFound()
    return found


async def unfeature_tag(conn: AsyncConnection, account_id: int, featured_id: int) -> None:
    """Someone else's featured tag is NotFound, as if it did not exist."""
    removed = await conn.execute(
        delete(featured_tags).where(
            featured_tags.c.id == featured_id, featured_tags.c.account_id == account_id
        )
    )
    if not removed.rowcount:
        raise NotFound()
