"""Undoing a favourite or a repost, or deleting a post, takes its trend uses back,
through a job written in the same transaction; attention still given keeps its use."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.domain.test_posts import make_account, write_post
from tests.domain.test_trends import people, refresh, tag_names
from townsquare.domain.common.site import Site
from townsquare.domain.interactions.actions import favourite, unfavourite
from townsquare.domain.posts.actions import delete_post
from townsquare.domain.posts.reblogs import reblog, unreblog
from townsquare.domain.trends.queries import trending_statuses
from townsquare.domain.trends.withdrawal import WITHDRAW_JOB
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database
from townsquare.storage.schema import jobs, trend_uses


async def attention(db: Database, post_id: int) -> set[int]:
    """The accounts whose attention to the post is a recorded use."""
    async with db.read() as conn:
        rows = await conn.execute(
            select(trend_uses.c.account_id).where(
                trend_uses.c.kind == "status", trend_uses.c.item == str(post_id)
            )
        )
        return {row.account_id for row in rows}


async def trending_ids(db: Database) -> list[int]:
    async with db.read() as conn:
        return [p.id for p in await trending_statuses(conn, None, None, limit=20)]


async def test_undoing_a_favourite_or_repost_takes_its_use_back(db: Database, site: Site) -> None:
    author, liker, reposter, both = await people(db, 4)
    post = await write_post(db, site, author, "worth a look")
    async with db.write() as conn:
        await favourite(conn, liker, post.id)
        await reblog(conn, site, reposter, post.id)
        await favourite(conn, both, post.id)
        await reblog(conn, site, both, post.id)
    await refresh(db, site)
    assert await attention(db, post.id) == {liker.id, reposter.id, both.id}
    assert await trending_ids(db) == [post.id]

    async with db.write() as conn:
        await unfavourite(conn, liker, post.id)
        # the job is written with the undo, in its transaction
        waiting = await conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.kind == WITHDRAW_JOB)
        )
        assert waiting == 1
        await unfavourite(conn, both, post.id)  # still reposted: the use stays
    await refresh(db, site)
    assert await attention(db, post.id) == {reposter.id, both.id}
    assert await trending_ids(db) == [post.id]

    async with db.write() as conn:
        await unreblog(conn, reposter, post.id)
    await refresh(db, site)
    assert await attention(db, post.id) == {both.id}
    assert await trending_ids(db) == []  # one account is not a trend
    # running the jobs again changes nothing
    await refresh(db, site)
    assert await attention(db, post.id) == {both.id}


async def test_a_favourite_undone_before_its_job_ran_gives_no_use(db: Database, site: Site) -> None:
    author, fan = await people(db, 2)
    post = await write_post(db, site, author, "quick change of heart")
    async with db.write() as conn:
        await favourite(conn, fan, post.id)
    async with db.write() as conn:
        await unfavourite(conn, fan, post.id)
    await Worker(db, site).run_until_idle()
    assert await attention(db, post.id) == set()


async def test_deleting_a_post_takes_back_its_uses(db: Database, site: Site) -> None:
    crowd = await people(db, 3)
    author, replier, fan_who_replied = await people(db, 3)
    tagged = [await write_post(db, site, person, "#fleeting") for person in crowd]
    answered = await write_post(db, site, author, "what do you think?")
    reply = await write_post(db, site, replier, "yes", in_reply_to_id=answered.id)
    other_reply = await write_post(db, site, fan_who_replied, "no", in_reply_to_id=answered.id)
    async with db.write() as conn:
        await favourite(conn, fan_who_replied, answered.id)
    await refresh(db, site)
    assert await tag_names(db) == ["fleeting"]
    assert await attention(db, answered.id) == {replier.id, fan_who_replied.id}

    async with db.write() as conn:
        await delete_post(conn, crowd[0], tagged[0].id)
        await delete_post(conn, replier, reply.id)
        await delete_post(conn, fan_who_replied, other_reply.id)  # still a favourite
    await refresh(db, site)
    async with db.read() as conn:
        left = await conn.scalar(
            select(func.count()).select_from(trend_uses).where(trend_uses.c.kind == "tag")
        )
    assert left == 2
    assert await attention(db, answered.id) == {fan_who_replied.id}

    async with db.write() as conn:
        await delete_post(conn, author, answered.id)
    await refresh(db, site)
    assert await attention(db, answered.id) == set()


async def test_undoing_what_was_never_public_writes_no_job(db: Database, site: Site) -> None:
    author, fan = await people(db, 2)
    quiet = await write_post(db, site, author, "between us", visibility="unlisted")
    own = await make_account(db)
    mine = await write_post(db, site, own, "my own")
    async with db.write() as conn:
        await favourite(conn, fan, quiet.id)
        await unfavourite(conn, fan, quiet.id)
        await favourite(conn, own, mine.id)
        await unfavourite(conn, own, mine.id)
        waiting = await conn.scalar(
            select(func.count()).select_from(jobs).where(jobs.c.kind == WITHDRAW_JOB)
        )
    assert waiting == 0
