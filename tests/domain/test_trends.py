"""Trends against the real database: distinct accounts, recency, one tag for every
spelling, per-language lists, and moderation keeping posts, accounts and tags out."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update

from tests.domain.test_posts import make_account, write_post
from townsquare.core.clock import as_utc, utcnow
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import block, follow
from townsquare.domain.interactions.actions import favourite
from townsquare.domain.languages.choices import choose_languages
from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.moderation.sanctions import set_account_state
from townsquare.domain.posts.actions import Draft, create_post, edit_post
from townsquare.domain.posts.reblogs import reblog
from townsquare.domain.trends.queries import trending_links, trending_statuses, trending_tags
from townsquare.domain.trends.refresh import refresh_trends
from townsquare.domain.trends.scoring import day_of
from townsquare.jobs.handlers.trends import refresh_trends_job
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, jobs, statuses, tags, trend_uses

POLICY = """[policy]
id = "trend-test"
version = "1"

[trends]
exclude_tags = ["#hidden"]

[[rules]]
id = "reduce-spam"
keywords = ["giveaway"]
action = "downrank"
"""


async def people(db: Database, count: int) -> list[Account]:
    return [await make_account(db) for _ in range(count)]


async def refresh(db: Database, site: Site) -> None:
    """Run the recording jobs, then refresh as the scheduled job would."""
    await Worker(db, site).run_until_idle()
    async with db.write() as conn:
        await refresh_trends(conn, await active_policy(conn, site.moderation_policy))


async def tag_names(db: Database, language: str | None = None) -> list[str]:
    async with db.read() as conn:
        return [t.tag.name for t in await trending_tags(conn, language, limit=20)]


async def age_uses(db: Database, tag: str, by: timedelta) -> None:
    """Move a tag's uses into the past, as if they were made ``by`` ago."""
    when = utcnow() - by
    async with db.write() as conn:
        tag_id = await conn.scalar(select(tags.c.id).where(tags.c.name == tag))
        await conn.execute(
            update(trend_uses)
            .where(trend_uses.c.kind == "tag", trend_uses.c.item == str(tag_id))
            .values(used_at=when, day=day_of(when))
        )


async def test_uses_are_jobs_written_with_the_post(db: Database, site: Site) -> None:
    author = await make_account(db)
    async with db.write() as conn:
        await create_post(conn, site, author, Draft(text="#first"))
        waiting = await conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.kind == "record_trend_uses")
        )
    assert waiting == 1
    await write_post(db, site, author, "#quiet", visibility="unlisted")
    await Worker(db, site).run_until_idle()
    async with db.read() as conn:
        kinds = (await conn.execute(select(trend_uses.c.kind, trend_uses.c.item))).all()
    assert len(kinds) == 1  # unlisted posts are not recorded


async def test_many_accounts_now_beat_one_account_often_and_many_long_ago(
    db: Database, site: Site
) -> None:
    crowd = await people(db, 5)
    for person in crowd:
        await write_post(db, site, person, "news from the square #fresh")
    for person in crowd[:4]:
        await write_post(db, site, person, "last week #stale")
    spammer, friend = crowd[0], crowd[1]
    for number in range(20):
        await write_post(db, site, spammer, f"again {number} #loud")
    await write_post(db, site, friend, "me too #loud")
    await write_post(db, site, spammer, "nobody else #lonely")
    await Worker(db, site).run_until_idle()
    await age_uses(db, "stale", timedelta(days=3))
    await refresh(db, site)

    names = await tag_names(db)
    # twenty posts by one account and one by another count as two accounts
    assert names == ["fresh", "loud"]
    async with db.read() as conn:
        [top, loud] = await trending_tags(conn, None, limit=20)
    assert (top.history[0].uses, top.history[0].accounts) == (5, 5)
    assert (loud.history[0].uses, loud.history[0].accounts) == (21, 2)
    assert len(top.history) == 7


async def test_urdu_spellings_of_a_tag_trend_as_one(db: Database, site: Site) -> None:
    first, second, third = await people(db, 3)
    await write_post(db, site, first, "زندہ باد #پاکستان", language="ur")  # Urdu keheh
    await write_post(db, site, second, "زندہ باد #پاكستان", language="ur")  # Arabic kaf
    await write_post(db, site, third, "#پاکستان\u0640", language="ur")  # with tatweel
    await refresh(db, site)
    async with db.read() as conn:
        [trend] = await trending_tags(conn, None, limit=20)
    assert trend.tag.name == "پاکستان"  # the first-seen spelling
    assert trend.history[0].accounts == 3
    assert await tag_names(db, "ur") == ["پاکستان"]


async def test_each_language_has_its_own_list(db: Database, site: Site) -> None:
    crowd = await people(db, 3)
    for person in crowd:
        await write_post(db, site, person, "لاہور میں بارش #موسم", language="ur")
        await write_post(db, site, person, "rain again #weather", language="en")
    await write_post(db, site, crowd[0], "#both", language="ur")
    await write_post(db, site, crowd[1], "#both", language="en")
    await refresh(db, site)
    assert await tag_names(db, "ur") == ["موسم"]
    assert await tag_names(db, "en") == ["weather"]
    assert set(await tag_names(db)) == {"موسم", "weather", "both"}
    assert await tag_names(db, "fr") == []


async def test_chosen_languages_read_their_lists_merged(db: Database, site: Site) -> None:
    """A reader who chose languages reads those lists and that of posts without a
    language, added up; lang= wins; no choice, or no reader, reads the list of all."""
    crowd = await people(db, 3)
    reader, open_minded = await people(db, 2)
    for person in crowd:
        await write_post(db, site, person, "#shared", language="ur")
        await write_post(db, site, person, "#shared", language="en")
        await write_post(db, site, person, "#urdu", language="ur")
        await write_post(db, site, person, "#english", language="en")
        await write_post(db, site, person, "#farsi", language="fa")
        unknown = await write_post(db, site, person, "#unknown", language="en")
        async with db.write() as conn:
            await conn.execute(
                update(statuses).where(statuses.c.id == unknown.id).values(language=None)
            )
    async with db.write() as conn:
        await choose_languages(conn, reader.id, ["ur", "en"], site.languages)
    await refresh(db, site)

    async def names(viewer: Account | None, language: str | None = None) -> set[str]:
        async with db.read() as conn:
            found = await trending_tags(
                conn, language, limit=20, viewer_id=viewer.id if viewer else None
            )
        return {t.tag.name for t in found}

    everything = {"shared", "urdu", "english", "farsi", "unknown"}
    assert await names(reader) == everything - {"farsi"}
    assert await names(reader, "fa") == {"farsi"}
    assert await names(open_minded) == await names(None) == everything
    async with db.read() as conn:
        merged = await trending_tags(conn, None, limit=20, viewer_id=reader.id)
    shared = next(t for t in merged if t.tag.name == "shared")
    assert (shared.history[0].uses, shared.history[0].accounts) == (6, 6)
    assert merged[0].tag.name == "shared"  # two lists' scores add up


async def test_moderated_posts_and_limited_or_suspended_accounts_do_not_count(
    db: Database, site: Site, tmp_path: Path
) -> None:
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(POLICY, encoding="utf-8")
    strict = replace(site, moderation_policy=str(policy_file))
    crowd = await people(db, 4)
    for person in crowd[:2]:
        await write_post(db, strict, person, "free giveaway #prizes")  # downranked
        await write_post(db, strict, person, "#hidden by the policy")
        await write_post(db, strict, person, "#visible to all")
    silenced, suspended = crowd[2], crowd[3]
    for person in (silenced, suspended):
        await write_post(db, strict, person, "#shouting")
        await write_post(db, strict, person, "#visible too")
    async with db.write() as conn:
        # limited (Mastodon's "silenced") as a moderator's account action leaves it
        await set_account_state(conn, silenced.id, "silence")
        await conn.execute(
            update(accounts).where(accounts.c.id == suspended.id).values(suspended_at=utcnow())
        )
    await refresh(db, strict)
    assert await tag_names(db) == ["visible"]
    async with db.read() as conn:
        [visible] = await trending_tags(conn, None, limit=5)
    assert visible.history[0].accounts == 2  # the silenced and suspended posts are not counted


async def test_posts_trend_from_distinct_accounts_reposting_favouriting_replying(
    db: Database, site: Site
) -> None:
    author, other, *crowd = await people(db, 7)
    popular = await write_post(db, site, author, "a post people like")
    liked = await write_post(db, site, other, "a post two people like")
    followers_only = await write_post(db, site, author, "for friends", visibility="private")
    async with db.write() as conn:
        await favourite(conn, crowd[0], popular.id)
        await favourite(conn, crowd[1], popular.id)
        await reblog(conn, site, crowd[1], popular.id)  # the same account again
        await reblog(conn, site, crowd[2], popular.id)
        await favourite(conn, author, popular.id)  # one's own does not count
        await favourite(conn, other, liked.id)
        await favourite(conn, crowd[0], liked.id)
        await favourite(conn, crowd[4], liked.id)
        for fan in crowd[:2]:
            await follow(conn, fan, author.id)
    await write_post(db, site, crowd[3], "agreed", in_reply_to_id=popular.id)
    await write_post(db, site, crowd[3], "really", in_reply_to_id=popular.id)
    for fan in crowd[:2]:
        await write_post(db, site, fan, "ok", in_reply_to_id=followers_only.id)
    await refresh(db, site)

    async def found(viewer: Account | None) -> list[int]:
        async with db.read() as conn:
            posts = await trending_statuses(conn, viewer.id if viewer else None, None, limit=20)
        return [post.id for post in posts]

    assert await found(None) == [popular.id, liked.id]
    assert await found(crowd[4]) == [popular.id, liked.id]
    async with db.write() as conn:
        await block(conn, crowd[4], author.id)
        await conn.execute(
            update(accounts).where(accounts.c.id == other.id).values(suspended_at=utcnow())
        )
    # the guard reads for the viewer at once, before any refresh
    assert await found(crowd[4]) == []
    assert await found(None) == [popular.id]


async def test_links_meet_under_one_spelling(db: Database, site: Site) -> None:
    crowd = await people(db, 3)
    await write_post(db, site, crowd[0], "read https://News.example/story?utm_source=a")
    await write_post(db, site, crowd[1], "read https://news.example/story#comments")
    await write_post(db, site, crowd[2], "https://news.example/story and https://solo.example/")
    await refresh(db, site)
    async with db.read() as conn:
        found = await trending_links(conn, None, limit=10)
    assert [link.item for link in found] == ["https://news.example/story"]
    assert found[0].history[0].accounts == 3


async def test_paging_and_pruning(db: Database, site: Site) -> None:
    crowd = await people(db, 4)
    for number, person in enumerate(crowd):
        for tag in [f"t{n}" for n in range(number + 1)]:
            await write_post(db, site, person, f"#{tag}")
    await refresh(db, site)
    everything = await tag_names(db)
    assert everything == ["t0", "t1", "t2"]  # t3 has one account only
    async with db.read() as conn:
        second = await trending_tags(conn, None, limit=1, offset=1)
        beyond = await trending_tags(conn, None, limit=5, offset=10)
    assert [t.tag.name for t in second] == ["t1"] and beyond == []

    async with db.write() as conn:
        await conn.execute(update(trend_uses).values(used_at=utcnow() - timedelta(days=9)))
    await refresh(db, site)
    async with db.read() as conn:
        left = await conn.scalar(select(func.count()).select_from(trend_uses))
    assert left == 0 and await tag_names(db) == []


async def test_edits_take_tags_out_and_put_tags_in(db: Database, site: Site) -> None:
    first, second = await people(db, 2)
    posts = [await write_post(db, site, person, "#before") for person in (first, second)]
    await refresh(db, site)
    assert await tag_names(db) == ["before"]
    for person, post in zip((first, second), posts, strict=True):
        async with db.write() as conn:
            await edit_post(conn, site, person, post.id, text="#after")
    await refresh(db, site)
    assert await tag_names(db) == ["after"]


async def refresh_jobs(db: Database) -> list[Any]:
    async with db.read() as conn:
        return list((await conn.execute(select(jobs).where(jobs.c.kind == "refresh_trends"))).all())


async def test_refreshes_wait_for_the_interval_then_repeat_while_uses_remain(
    db: Database, site: Site
) -> None:
    for person in await people(db, 2):
        await write_post(db, site, person, "#periodic")
    await Worker(db, site).run_until_idle()
    [waiting] = await refresh_jobs(db)  # two uses, one refresh
    assert as_utc(waiting.run_at) > utcnow() + timedelta(seconds=site.trends_refresh_seconds - 60)
    assert await tag_names(db) == []
    # when its time comes (run here by hand, its row removed as the worker does)
    async with db.write() as conn:
        await conn.execute(delete(jobs).where(jobs.c.id == waiting.id))
        await refresh_trends_job(conn, site, {})
    assert await tag_names(db) == ["periodic"]
    [following] = await refresh_jobs(db)
    assert following.id != waiting.id


async def test_the_refresh_job_runs_after_uses_when_asked_to(db: Database, site: Site) -> None:
    eager = replace(site, trends_refresh_seconds=0)
    for person in await people(db, 2):
        await write_post(db, eager, person, "#now")
    await Worker(db, eager).run_until_idle()
    assert await tag_names(db) == ["now"]
