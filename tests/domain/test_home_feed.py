"""Home feeds filled on write give exactly the pages that merging on read gives."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import unique_name
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page, newest_first
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import block, follow, mute, unfollow
from townsquare.domain.interactions.actions import bookmark, favourite, pin, unfavourite
from townsquare.domain.posts.actions import Draft, create_post, delete_post
from townsquare.domain.posts.models import StatusView, ViewerFlags
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.posts.reblogs import reblog, unreblog
from townsquare.domain.timelines import feeds
from townsquare.domain.timelines.home import HomePage, _merged_home, home_page, home_timeline
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database
from townsquare.storage.schema import home_feed_entries, home_feeds, jobs


async def account(db: Database) -> Account:
    name = unique_name("f")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a long secret")
        )


async def entries(db: Database, account_id: int) -> list[int]:
    async with db.read() as conn:
        rows = await conn.execute(
            select(home_feed_entries.c.status_id)
            .where(home_feed_entries.c.account_id == account_id)
            .order_by(home_feed_entries.c.status_id.desc())
        )
        return list(rows.scalars())


async def home_ids(db: Database, viewer_id: int, page: Page) -> list[int]:
    async with db.read() as conn:
        return [s.id for s in await home_timeline(conn, viewer_id, page)]


async def merged_ids(db: Database, viewer_id: int, page: Page) -> list[int]:
    """What the page is when merged on read, feed or no feed (the reference)."""
    async with db.read() as conn:
        found = await _merged_home(conn, viewer_id, page, page.min_id is not None)
        return [s.id for s in newest_first(page, found)]


async def every_page_agrees(db: Database, viewer_id: int, ids: list[int]) -> int:
    """Compare feed pages with merged pages at every edge and several sizes."""
    edges = [None, *ids, ids[-1] - 1, ids[0] + 1]
    compared = 0
    for limit in (1, 2, 3, 7, 40):
        for edge in edges:
            for page in (
                Page(max_id=edge, limit=limit),
                Page(since_id=edge, limit=limit),
                Page(min_id=edge or 0, limit=limit),
                Page(max_id=edge, since_id=ids[-1] - 1, limit=limit),
            ):
                assert await home_ids(db, viewer_id, page) == await merged_ids(
                    db, viewer_id, page
                ), page
                compared += 1
    return compared


async def test_feed_pages_match_merged_pages_across_the_horizon(db: Database, site: Site) -> None:
    viewer, friend, chatty, stranger, muted, blocked = [await account(db) for _ in range(6)]
    async with db.write() as conn:
        for target in (friend, chatty, muted, blocked):
            await follow(conn, viewer, target.id)
        await follow(conn, viewer, chatty.id, reblogs=False)
        mine = await create_post(conn, site, viewer, Draft(text="mine"))
        first = await create_post(conn, site, friend, Draft(text="hello"))
        await create_post(conn, site, friend, Draft(text="to a stranger", in_reply_to_id=(
            await create_post(conn, site, stranger, Draft(text="not followed"))).id))  # fmt: skip
        await create_post(conn, site, friend, Draft(text="thread", in_reply_to_id=first.id))
        await create_post(conn, site, friend, Draft(text="friends only", visibility="private"))
        await create_post(conn, site, friend, Draft(text="secret", visibility="direct"))
        await create_post(
            conn, site, friend, Draft(text=f"@{viewer.username} psst", visibility="direct")
        )
        await reblog(conn, site, friend, mine.id)
        await reblog(conn, site, chatty, first.id)  # hidden: reblogs off for chatty
        await create_post(conn, site, chatty, Draft(text="chatty speaks"))
        gone = await create_post(conn, site, friend, Draft(text="soon deleted"))
        await delete_post(conn, friend, gone.id)
        await create_post(conn, site, muted, Draft(text="muted"))
        await create_post(conn, site, blocked, Draft(text="blocked"))
        for i in range(6):
            await create_post(conn, site, friend, Draft(text=f"later {i}"))
        await mute(conn, viewer, muted.id)
        await block(conn, viewer, blocked.id)
    visible = await merged_ids(db, viewer.id, Page(limit=40))
    assert len(visible) == 13  # the rules and the guard leave these

    # The feed holds every candidate: pages agree everywhere.
    assert await entries(db, viewer.id)
    await every_page_agrees(db, viewer.id, visible)
    # Trimmed to a few entries, the horizon sits mid-history: pages that cross it agree.
    async with db.write() as conn:
        await feeds.trim(conn, viewer.id, keep=5)
    kept = await entries(db, viewer.id)
    assert len(kept) == 5
    async with db.read() as conn:
        assert await feeds.horizon_of(conn, viewer.id) == kept[-1] - 1
    assert await every_page_agrees(db, viewer.id, visible) > 100
    # A rebuilt feed reads the same again.
    async with db.write() as conn:
        assert await feeds.rebuild(conn, viewer.id) >= len(visible)
    await every_page_agrees(db, viewer.id, visible)
    # A horizon raised over entries that stay (as a large follow's backfill does): the
    # entries below it are ignored, not read twice.
    async with db.write() as conn:
        await feeds._raise_horizon(conn, viewer.id, visible[6])
    assert min(await entries(db, viewer.id)) < visible[6]
    await every_page_agrees(db, viewer.id, visible)


async def test_following_copies_posts_in_and_unfollowing_takes_them_out(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "FOLLOW_BACKFILL", 3)
    viewer, prolific = await account(db), await account(db)
    async with db.write() as conn:
        posts = [await create_post(conn, site, prolific, Draft(text=f"p{i}")) for i in range(5)]
        await follow(conn, viewer, prolific.id)
    newest = [p.id for p in reversed(posts)]
    # Three copied; the horizon rose so the two older ones are merged on read.
    assert await entries(db, viewer.id) == newest[:3]
    async with db.read() as conn:
        assert await feeds.horizon_of(conn, viewer.id) == newest[2] - 1
    assert await home_ids(db, viewer.id, Page(limit=10)) == newest
    assert await home_ids(db, viewer.id, Page(max_id=newest[1], limit=2)) == newest[2:4]

    async with db.write() as conn:
        await unfollow(conn, viewer, prolific.id)
    assert await entries(db, viewer.id) == []
    assert await home_ids(db, viewer.id, Page(limit=10)) == []


async def test_new_posts_reach_followers_at_once_and_large_audiences_by_job(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    author, reader = await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, reader, author.id)
        ordinary = await create_post(conn, site, author, Draft(text="ordinary"))
    assert await entries(db, reader.id) == [ordinary.id]
    assert await entries(db, author.id) == [ordinary.id]

    monkeypatch.setattr(feeds, "FANOUT_INLINE_MAX", 0)
    async with db.write() as conn:
        famous = await create_post(conn, site, author, Draft(text="to the multitude"))
        queued = (
            await conn.execute(select(jobs.c.kind).where(jobs.c.kind == feeds.FAN_OUT_JOB))
        ).all()
    assert queued
    # the author sees their own post at once, followers once the job ran
    assert (await entries(db, author.id))[0] == famous.id
    assert await entries(db, reader.id) == [ordinary.id]
    await Worker(db, site).run_until_idle()
    assert await entries(db, reader.id) == [famous.id, ordinary.id]
    assert await home_ids(db, reader.id, Page(limit=5)) == [famous.id, ordinary.id]


async def test_an_account_without_a_feed_is_merged_on_read(db: Database, site: Site) -> None:
    viewer, friend = await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, viewer, friend.id)
        post = await create_post(conn, site, friend, Draft(text="hi"))
        await conn.execute(home_feeds.delete().where(home_feeds.c.account_id == viewer.id))
        later = await create_post(conn, site, friend, Draft(text="again"))
    assert await home_ids(db, viewer.id, Page(limit=5)) == [later.id, post.id]


async def test_rebuilding_all_at_once_gives_what_each_rebuild_gives(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "FEED_MAX", 4)
    reader, busy, quiet = await account(db), await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, reader, busy.id)
        await follow(conn, reader, quiet.id)
        await follow(conn, quiet, busy.id)
        for i in range(5):
            await create_post(conn, site, busy, Draft(text=f"busy {i}"))
        await create_post(conn, site, quiet, Draft(text="quiet"))

    async def snapshot() -> tuple[list[object], list[object]]:
        async with db.read() as conn:
            kept = (await conn.execute(select(home_feeds).order_by(home_feeds.c.account_id))).all()
            held = (
                await conn.execute(
                    select(home_feed_entries).order_by(
                        home_feed_entries.c.account_id, home_feed_entries.c.status_id
                    )
                )
            ).all()
            return [tuple(r) for r in kept], [tuple(r) for r in held]

    async with db.write() as conn:
        for account_id in (await conn.execute(feeds.local_accounts())).scalars():
            await feeds.rebuild(conn, account_id)
    one_by_one = await snapshot()
    async with db.write() as conn:
        assert await feeds.rebuild_all(conn) == len(one_by_one[1])
    assert await snapshot() == one_by_one
    async with db.read() as conn:
        assert await feeds.horizon_of(conn, reader.id) not in (None, 0)  # a full feed
        assert await feeds.horizon_of(conn, quiet.id) not in (None, 0)


async def test_a_feed_page_brings_the_viewers_flags_as_they_are_now(
    db: Database, site: Site
) -> None:
    viewer, friend, other = [await account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, viewer, friend.id)
        await follow(conn, viewer, other.id)
        liked = await create_post(conn, site, friend, Draft(text="liked and kept"))
        reposted = await create_post(conn, site, other, Draft(text="reposted"))
        plain = await create_post(conn, site, friend, Draft(text="plain"))
        pinned = await create_post(conn, site, viewer, Draft(text="pinned"))
        await favourite(conn, viewer, liked.id)
        await bookmark(conn, viewer, liked.id)
        await reblog(conn, site, viewer, reposted.id)
        await pin(conn, viewer, pinned.id)

    async def page_and_lookups() -> tuple[HomePage, list[StatusView], list[StatusView]]:
        async with db.read() as conn:
            found = await home_page(conn, viewer.id, Page(limit=40))
            given = await hydrate(
                conn, viewer.id, found.posts, flags=found.flags, author_keys=found.author_keys
            )
            looked_up = await hydrate(conn, viewer.id, found.posts)
            return found, given, looked_up

    _, given, looked_up = await page_and_lookups()
    assert given == looked_up
    flags = {view.status.id: view.flags for view in given}
    assert flags[liked.id] == ViewerFlags(favourited=True, bookmarked=True)
    assert flags[reposted.id] == ViewerFlags(reblogged=True)
    assert flags[plain.id] == ViewerFlags()
    assert flags[pinned.id] == ViewerFlags(pinned=True)
    repost_view = next(v for v in given if v.status.reblog_of_id == reposted.id)
    assert repost_view.reblog is not None and repost_view.reblog.flags.reblogged

    # what changes is seen on the next page
    async with db.write() as conn:
        await unfavourite(conn, viewer, liked.id)
        await unreblog(conn, viewer, reposted.id)
    _, given, looked_up = await page_and_lookups()
    assert given == looked_up
    flags = {view.status.id: view.flags for view in given}
    assert flags[liked.id] == ViewerFlags(bookmarked=True)
    assert all(v.status.reblog_of_id != reposted.id for v in given)
