"""A follow's ``languages[]`` keeps the author's posts in other languages off home, on
both paths (feed filled on write, merge on read below the horizon) and either engine."""

from __future__ import annotations

import pytest

from tests.conftest import unique_name
from tests.domain.test_home_feed import account, entries
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.hashtags.actions import follow_tag
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.posts.models import Status
from townsquare.domain.posts.reblogs import reblog
from townsquare.domain.timelines import feeds
from townsquare.domain.timelines.home import home_timeline
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database
from townsquare.storage.schema import home_feeds


async def home_ids(db: Database, viewer_id: int, page: Page | None = None) -> list[int]:
    async with db.read() as conn:
        return [s.id for s in await home_timeline(conn, viewer_id, page or Page(limit=40))]


async def three_posts(db: Database, site: Site, author: Account) -> tuple[Status, Status, Status]:
    """An English post, an Urdu one and one the detector cannot place (no language)."""
    async with db.write() as conn:
        english = await create_post(conn, site, author, Draft(text="market day", language="en"))
        urdu = await create_post(conn, site, author, Draft(text="آج بازار کا دن ہے", language="ur"))
        unknown = await create_post(conn, site, author, Draft(text="123 456"))
    assert unknown.language is None
    return english, urdu, unknown


async def test_fan_out_leaves_out_other_languages_but_not_unknown_own_or_reposts(
    db: Database, site: Site
) -> None:
    viewer, author, everyone = await account(db), await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, viewer, author.id, languages=["ur"])
        await follow(conn, everyone, author.id)
        own = await create_post(conn, site, viewer, Draft(text="my own words", language="en"))
    english, urdu, unknown = await three_posts(db, site, author)
    async with db.write() as conn:
        # a repost is judged by its own row, which has no language
        repost = await reblog(conn, site, author, english.id)
    assert repost.language is None
    assert await entries(db, viewer.id) == [repost.id, unknown.id, urdu.id, own.id]
    assert await home_ids(db, viewer.id) == [repost.id, unknown.id, urdu.id, own.id]
    # a follow without languages, and the author's own feed, get everything
    every = [repost.id, unknown.id, urdu.id, english.id]
    assert await entries(db, everyone.id) == every
    assert await entries(db, author.id) == every


async def test_fan_out_by_job_leaves_out_other_languages(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer, author = await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, viewer, author.id, languages=["ur", "en"])
    monkeypatch.setattr(feeds, "FANOUT_INLINE_MAX", 0)
    async with db.write() as conn:
        persian = await create_post(conn, site, author, Draft(text="سلام", language="fa"))
        english = await create_post(conn, site, author, Draft(text="hello", language="en"))
    await Worker(db, site).run_until_idle()
    assert await entries(db, viewer.id) == [english.id]
    assert persian.id not in await home_ids(db, viewer.id)


async def test_a_followed_tag_brings_a_post_whatever_the_follows_languages(
    db: Database, site: Site
) -> None:
    viewer, author = await account(db), await account(db)
    tag = unique_name("bazaar")
    async with db.write() as conn:
        await follow(conn, viewer, author.id, languages=["ur"])
        await follow_tag(conn, viewer.id, tag)
        tagged = await create_post(conn, site, author, Draft(text=f"#{tag} day", language="en"))
        await create_post(conn, site, author, Draft(text="no tag", language="en"))
        urdu = await create_post(conn, site, author, Draft(text="آج بازار", language="ur"))
    assert await entries(db, viewer.id) == [urdu.id, tagged.id]
    assert await home_ids(db, viewer.id) == [urdu.id, tagged.id]
    # the same below the horizon (merged on read) and after a rebuild
    async with db.write() as conn:
        await feeds.trim(conn, viewer.id, keep=1)
    assert await entries(db, viewer.id) == [urdu.id]
    assert await home_ids(db, viewer.id) == [urdu.id, tagged.id]
    async with db.write() as conn:
        await feeds.rebuild(conn, viewer.id)
    assert await entries(db, viewer.id) == [urdu.id, tagged.id]
    assert await home_ids(db, viewer.id) == [urdu.id, tagged.id]
    async with db.write() as conn:
        await feeds.rebuild_all(conn)
    assert await entries(db, viewer.id) == [urdu.id, tagged.id]


async def test_following_copies_in_only_posts_in_its_languages(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer, author = await account(db), await account(db)
    english, urdu, unknown = await three_posts(db, site, author)
    async with db.write() as conn:
        await follow(conn, viewer, author.id, languages=["ur"])
    assert await entries(db, viewer.id) == [unknown.id, urdu.id]
    assert english.id not in await home_ids(db, viewer.id)

    # With room for one post only, the newest in the follow's languages is copied and
    # the horizon stops there: older Urdu is merged on read, English still left out.
    monkeypatch.setattr(feeds, "FOLLOW_BACKFILL", 1)
    reader = await account(db)
    async with db.write() as conn:
        newer = await create_post(conn, site, author, Draft(text="ایک اور", language="ur"))
        await create_post(conn, site, author, Draft(text="newest", language="en"))
        await follow(conn, reader, author.id, languages=["ur"])
        assert await feeds.horizon_of(conn, reader.id) == newer.id - 1
    assert await entries(db, reader.id) == [newer.id]
    assert await home_ids(db, reader.id) == [newer.id, unknown.id, urdu.id]


async def test_rebuilding_leaves_out_other_languages(
    db: Database, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer, author = await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, viewer, author.id)
    english, urdu, unknown = await three_posts(db, site, author)
    async with db.write() as conn:
        await follow(conn, viewer, author.id, languages=["ur"])
    # the entries written before the change stay until the feed is rebuilt
    assert await entries(db, viewer.id) == [unknown.id, urdu.id, english.id]
    async with db.write() as conn:
        assert await feeds.rebuild(conn, viewer.id) == 3  # candidates, before the rules
    assert await entries(db, viewer.id) == [unknown.id, urdu.id]
    assert await home_ids(db, viewer.id) == [unknown.id, urdu.id]

    # rebuilding every feed at once gives the same
    async with db.write() as conn:
        await feeds.rebuild_all(conn)
    assert await entries(db, viewer.id) == [unknown.id, urdu.id]
    assert set(await entries(db, author.id)) == {english.id, urdu.id, unknown.id}


async def test_merging_on_read_leaves_out_other_languages(db: Database, site: Site) -> None:
    viewer, author = await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, viewer, author.id, languages=["ur"])
        own = await create_post(conn, site, viewer, Draft(text="my own words", language="en"))
    _english, urdu, unknown = await three_posts(db, site, author)
    wanted = [unknown.id, urdu.id, own.id]

    # below the horizon: the feed keeps one entry, the rest is merged on read
    async with db.write() as conn:
        await feeds.trim(conn, viewer.id, keep=1)
    assert await entries(db, viewer.id) == [unknown.id]
    assert await home_ids(db, viewer.id) == wanted
    assert await home_ids(db, viewer.id, Page(max_id=urdu.id, limit=1)) == [own.id]  # not English
    assert await home_ids(db, viewer.id, Page(max_id=unknown.id, limit=40)) == wanted[1:]
    assert await home_ids(db, viewer.id, Page(min_id=0, limit=2)) == [urdu.id, own.id]

    # an account without a feed: everything is merged on read
    async with db.write() as conn:
        await conn.execute(home_feeds.delete().where(home_feeds.c.account_id == viewer.id))
    assert await home_ids(db, viewer.id) == wanted
    assert await home_ids(db, viewer.id, Page(limit=1)) == [unknown.id]


async def test_changing_the_languages_applies_to_posts_from_then_on(
    db: Database, site: Site
) -> None:
    viewer, author = await account(db), await account(db)
    async with db.write() as conn:
        await follow(conn, viewer, author.id, languages=["ur"])
        old_english = await create_post(conn, site, author, Draft(text="old", language="en"))
        old_urdu = await create_post(conn, site, author, Draft(text="پرانا", language="ur"))
        shown = await follow(conn, viewer, author.id, languages=["en"])
        assert shown.following and shown.languages == ("en",)
        new_english = await create_post(conn, site, author, Draft(text="new", language="en"))
        new_urdu = await create_post(conn, site, author, Draft(text="نیا", language="ur"))
    # the feed's entries were written under the old choice, the new posts under the new
    assert await home_ids(db, viewer.id) == [new_english.id, old_urdu.id]
    assert old_english.id not in await entries(db, viewer.id)
    assert new_urdu.id not in await entries(db, viewer.id)

    async with db.write() as conn:
        shown = await follow(conn, viewer, author.id, languages=[])
        assert shown.languages is None
        latest = await create_post(conn, site, author, Draft(text="سب", language="ur"))
    assert await home_ids(db, viewer.id) == [latest.id, new_english.id, old_urdu.id]
