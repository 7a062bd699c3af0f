"""Followed and featured hashtags against the real database: one tag per normalised
name, fan-out to tag followers' feeds, and featured tags' counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import unique_name
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.hashtags import actions, queries
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.posts.reblogs import reblog
from townsquare.domain.timelines.home import home_timeline
from townsquare.storage.database import Database
from townsquare.storage.schema import home_feed_entries


async def account(db: Database) -> Account:
    name = unique_name("h")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a long secret")
        )


async def post(
    db: Database, site: Site, author: Account, text: str, visibility: str = "public"
) -> int:
    async with db.write() as conn:
        return (await create_post(conn, site, author, Draft(text=text, visibility=visibility))).id


async def feed(db: Database, owner: Account) -> set[int]:
    async with db.read() as conn:
        rows = await conn.scalars(
            select(home_feed_entries.c.status_id).where(home_feed_entries.c.account_id == owner.id)
        )
        return set(rows)


async def home(db: Database, owner: Account) -> list[int]:
    async with db.read() as conn:
        return [p.id for p in await home_timeline(conn, owner.id, Page(limit=40))]


async def test_every_spelling_is_one_followed_tag(db: Database) -> None:
    alice = await account(db)
    async with db.write() as conn:
        first = await actions.follow_tag(conn, alice.id, "#Urdu_ادب")
        again = await actions.follow_tag(conn, alice.id, "urdu_ادب")
        with pytest.raises(NotFound):
            await actions.follow_tag(conn, alice.id, "1234")
        with pytest.raises(NotFound):
            await actions.unfollow_tag(conn, alice.id, "nobody_used_this")
    assert first.id == again.id
    async with db.read() as conn:
        found, keys = await queries.followed_tags_of(conn, alice.id, Page())
        choices = await queries.tag_choices(conn, alice.id, [first.id])
    assert [tag.id for tag in found] == [first.id] and len(keys) == 1
    assert choices[first.id].following and not choices[first.id].featuring


async def test_public_tagged_posts_are_copied_to_tag_followers(db: Database, site: Site) -> None:
    alice, bob, carol = await account(db), await account(db), await account(db)
    async with db.write() as conn:
        await actions.follow_tag(conn, alice.id, "کتاب")
        await follow(conn, carol, bob.id)
    public = await post(db, site, bob, "نئی #كتاب")  # Arabic kaf: the same tag
    unlisted = await post(db, site, bob, "#کتاب", visibility="unlisted")
    untagged = await post(db, site, bob, "nothing")
    async with db.write() as conn:
        repost = (await reblog(conn, site, carol, public)).id
    entries = await feed(db, alice)
    assert public in entries
    assert not {unlisted, untagged, repost} & entries
    assert public in await home(db, alice)
    # followers still get everything, tag or not
    assert {public, unlisted, untagged} <= await feed(db, carol)
    async with db.write() as conn:
        await actions.unfollow_tag(conn, alice.id, "کتاب")
    assert public not in await home(db, alice)


async def test_featured_tags_count_public_posts(db: Database, site: Site) -> None:
    alice = await account(db)
    await post(db, site, alice, "#شاعری one")
    await post(db, site, alice, "#شاعری two", visibility="unlisted")
    await post(db, site, alice, "#شاعری private", visibility="private")
    async with db.write() as conn:
        featured = await actions.feature_tag(conn, alice.id, "شاعری")
        with pytest.raises(ValidationFailed, match="Tag is invalid"):
            await actions.feature_tag(conn, alice.id, "#")
    assert featured.statuses_count == 2 and featured.last_status_at is not None
    async with db.read() as conn:
        assert await queries.featured_tag_suggestions(conn, alice.id) == []
    async with db.write() as conn:
        await actions.unfeature_tag(conn, alice.id, featured.id)
        with pytest.raises(NotFound):
            await actions.unfeature_tag(conn, alice.id, featured.id)
    async with db.read() as conn:
        suggested = await queries.featured_tag_suggestions(conn, alice.id)
    assert [tag.id for tag in suggested] == [featured.tag.id]
