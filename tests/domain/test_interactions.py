"""Favourites, bookmarks and pins, and the lists made of them, against the real database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from tests.domain.test_posts import make_account, row_of, write_post
from townsquare.core.clock import utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import block, follow
from townsquare.domain.interactions import actions, queries
from townsquare.domain.posts.actions import delete_post
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.posts.reblogs import reblog
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, notifications


async def favourite_notifications(db: Database, status_id: int) -> int:
    async with db.read() as conn:
        count = await conn.scalar(
            select(func.count())
            .select_from(notifications)
            .where(notifications.c.type == "favourite", notifications.c.status_id == status_id)
        )
    return int(count or 0)


async def test_favouriting_is_idempotent_and_undoing_it_withdraws_the_notification(
    db: Database, site: Site
) -> None:
    alice, bob = await make_account(db), await make_account(db)
    post = await write_post(db, site, alice)
    async with db.write() as conn:
        once = await actions.favourite(conn, bob, post.id)
        twice = await actions.favourite(conn, bob, post.id)
    assert once.favourites_count == 1 and twice.favourites_count == 1
    assert await favourite_notifications(db, post.id) == 1
    async with db.read() as conn:
        (view,) = await hydrate(conn, bob.id, [post])
    assert view.flags.favourited

    async with db.write() as conn:
        undone = await actions.unfavourite(conn, bob, post.id)
        again = await actions.unfavourite(conn, bob, post.id)
    assert undone.favourites_count == 0 and again.favourites_count == 0
    assert await favourite_notifications(db, post.id) == 0


async def test_favouriting_a_repost_marks_the_reposted_post(db: Database, site: Site) -> None:
    alice, bob, carol = [await make_account(db) for _ in range(3)]
    post = await write_post(db, site, alice)
    async with db.write() as conn:
        repost = await reblog(conn, site, bob, post.id)
        marked = await actions.favourite(conn, carol, repost.id)
        bookmarked = await actions.bookmark(conn, carol, repost.id)
    assert marked.id == post.id and marked.favourites_count == 1
    assert bookmarked.id == post.id
    assert (await row_of(db, repost.id)).favourites_count == 0


async def test_nothing_can_be_done_to_a_post_one_may_not_see(db: Database, site: Site) -> None:
    alice, bob, carol = [await make_account(db) for _ in range(3)]
    private = await write_post(db, site, alice, "followers only", visibility="private")
    public = await write_post(db, site, alice, "public")
    async with db.write() as conn:
        await block(conn, alice, carol.id)
    for account, post in ((bob, private), (carol, public)):
        for action in (actions.favourite, actions.bookmark, actions.unfavourite, actions.pin):
            async with db.write() as conn:
                with pytest.raises(NotFound):
                    await action(conn, account, post.id)
    assert (await row_of(db, private.id)).favourites_count == 0
    assert (await row_of(db, public.id)).favourites_count == 0


async def test_pins_are_own_posts_at_most_five(db: Database, site: Site) -> None:
    alice = await make_account(db)
    posts = [await write_post(db, site, alice, f"post {i}") for i in range(6)]
    async with db.write() as conn:
        for post in posts[:5]:
            await actions.pin(conn, alice, post.id)
        await actions.pin(conn, alice, posts[0].id)  # again: no second slot taken
    async with db.write() as conn:
        with pytest.raises(ValidationFailed):
            await actions.pin(conn, alice, posts[5].id)

    async with db.write() as conn:
        await actions.unpin(conn, alice, posts[0].id)
        await actions.pin(conn, alice, posts[5].id)
    async with db.write() as conn:
        with pytest.raises(ValidationFailed):
            await actions.pin(conn, alice, posts[0].id)
    # deleting a pinned post frees its slot
    async with db.write() as conn:
        await delete_post(conn, alice, posts[5].id)
        await actions.pin(conn, alice, posts[0].id)
        (view,) = await hydrate(conn, alice.id, [posts[0]])
    assert view.flags.pinned


async def test_what_cannot_be_pinned(db: Database, site: Site) -> None:
    alice, bob = await make_account(db), await make_account(db)
    bobs = await write_post(db, site, bob, "bob's")
    direct = await write_post(db, site, alice, f"@{bob.username} psst", visibility="direct")
    private = await write_post(db, site, alice, "followers only", visibility="private")
    async with db.write() as conn:
        repost = await reblog(conn, site, alice, bobs.id)
    for status_id in (bobs.id, direct.id, repost.id):
        async with db.write() as conn:
            with pytest.raises(ValidationFailed):
                await actions.pin(conn, alice, status_id)
    async with db.write() as conn:
        assert (await actions.pin(conn, alice, private.id)).id == private.id


async def test_favourited_by_hides_suspended_and_blocked_accounts(db: Database, site: Site) -> None:
    author, viewer = await make_account(db), await make_account(db)
    fans = [await make_account(db) for _ in range(5)]
    post = await write_post(db, site, author)
    for fan in fans:
        async with db.write() as conn:
            await actions.favourite(conn, fan, post.id)
    async with db.write() as conn:
        await block(conn, viewer, fans[0].id)
        await block(conn, fans[1], viewer.id)
        await conn.execute(
            update(accounts).where(accounts.c.id == fans[2].id).values(suspended_at=utcnow())
        )

    async with db.read() as conn:
        everyone = await queries.favourited_by(conn, None, post.id, Page(limit=40))
        seen = await queries.favourited_by(conn, viewer.id, post.id, Page(limit=40))
        first = await queries.favourited_by(conn, None, post.id, Page(limit=2))
        rest = await queries.favourited_by(conn, None, post.id, Page(max_id=first[-1].key))
    assert [e.account.id for e in everyone] == [f.id for f in reversed(fans) if f != fans[2]]
    assert [e.account.id for e in seen] == [fans[4].id, fans[3].id]
    assert [e.key for e in first + rest] == [e.key for e in everyone]


async def test_reblogged_by_follows_the_reposts_audience(db: Database, site: Site) -> None:
    author, public_fan, quiet_fan, follower, stranger = [await make_account(db) for _ in range(5)]
    post = await write_post(db, site, author)
    async with db.write() as conn:
        await reblog(conn, site, public_fan, post.id, "public")
        await reblog(conn, site, quiet_fan, post.id, "private")
        await follow(conn, follower, quiet_fan.id)
    async with db.read() as conn:
        to_stranger = await queries.reblogged_by(conn, stranger.id, post.id, Page())
        to_follower = await queries.reblogged_by(conn, follower.id, post.id, Page())
    assert [e.account.id for e in to_stranger] == [public_fan.id]
    assert [e.account.id for e in to_follower] == [quiet_fan.id, public_fan.id]


async def test_bookmarks_are_listed_by_when_they_were_made(db: Database, site: Site) -> None:
    alice, bob = await make_account(db), await make_account(db)
    posts = [await write_post(db, site, alice, f"post {i}") for i in range(4)]
    order = [posts[2], posts[0], posts[3], posts[1]]
    for post in order:
        async with db.write() as conn:
            await actions.bookmark(conn, bob, post.id)
    async with db.write() as conn:
        await actions.bookmark(conn, bob, posts[2].id)  # again: keeps its place

    async with db.read() as conn:
        listed = await queries.bookmarks_of(conn, bob.id, Page())
        newer = await queries.bookmarks_of(conn, bob.id, Page(min_id=listed[2].key, limit=1))
    assert [e.status.id for e in listed] == [p.id for p in reversed(order)]
    assert [e.status.id for e in newer] == [listed[1].status.id]

    async with db.write() as conn:
        await delete_post(conn, alice, posts[3].id)
        await actions.unbookmark(conn, bob, posts[0].id)
    async with db.read() as conn:
        listed = await queries.bookmarks_of(conn, bob.id, Page())
    assert [e.status.id for e in listed] == [posts[1].id, posts[2].id]


async def test_favourites_list_leaves_out_posts_now_hidden(db: Database, site: Site) -> None:
    alice, bob, carol = [await make_account(db) for _ in range(3)]
    alices = await write_post(db, site, alice)
    carols = await write_post(db, site, carol)
    async with db.write() as conn:
        await actions.favourite(conn, bob, alices.id)
        await actions.favourite(conn, bob, carols.id)
    async with db.read() as conn:
        assert len(await queries.favourites_of(conn, bob.id, Page())) == 2
    async with db.write() as conn:
        await block(conn, carol, bob.id)
    async with db.read() as conn:
        listed = await queries.favourites_of(conn, bob.id, Page())
    assert [e.status.id for e in listed] == [alices.id]
