"""Timelines' rules against the real database: who appears where, and in what order."""

from __future__ import annotations

from sqlalchemy import update

from tests.conftest import unique_name
from townsquare.core.clock import utcnow
from townsquare.core.ids import new_id
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import block, follow, mute
from townsquare.domain.posts.actions import Draft, create_post, delete_post
from townsquare.domain.posts.models import Status
from townsquare.domain.posts.reblogs import reblog
from townsquare.domain.timelines.home import home_timeline
from townsquare.domain.timelines.queries import account_statuses, public_timeline, tag_timeline
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, media_attachments, pins, statuses


async def make_account(db: Database) -> Account:
    username = unique_name("t")
    async with db.write() as conn:
        return await register(
            conn,
            NewAccount(
                username=username, email=f"{username}@example.org", password="correct horse 1"
            ),
        )


async def post(
    db: Database, site: Site, author: Account, text: str = "hello", **draft: object
) -> Status:
    async with db.write() as conn:
        return await create_post(conn, site, author, Draft(text=text, **draft))  # type: ignore[arg-type]


async def boost(db: Database, site: Site, account: Account, original: Status) -> Status:
    async with db.write() as conn:
        return await reblog(conn, site, account, original.id)


async def with_media(db: Database, site: Site, author: Account, text: str) -> Status:
    media_id = new_id()
    async with db.write() as conn:
        await conn.execute(
            media_attachments.insert().values(
                id=media_id,
                account_id=author.id,
                type="image",
                url="http://test.invalid/m.png",
                created_at=utcnow(),
            )
        )
        return await create_post(conn, site, author, Draft(text=text, media_ids=[media_id]))


async def home(db: Database, viewer: Account, page: Page | None = None) -> list[int]:
    async with db.read() as conn:
        return [s.id for s in await home_timeline(conn, viewer.id, page or Page())]


async def public(db: Database, viewer: Account | None, **options: bool) -> list[int]:
    async with db.read() as conn:
        found = await public_timeline(conn, viewer.id if viewer else None, Page(), **options)
        return [s.id for s in found]


async def tagged(db: Database, viewer: Account | None, tag: str, **options: object) -> list[int]:
    async with db.read() as conn:
        found = await tag_timeline(
            conn,
            viewer.id if viewer else None,
            tag,
            Page(),
            **options,  # type: ignore[arg-type]
        )
        return [s.id for s in found]


async def profile(
    db: Database, viewer: Account | None, account: Account, **options: object
) -> list[int]:
    async with db.read() as conn:
        found = await account_statuses(
            conn,
            viewer.id if viewer else None,
            account.id,
            Page(),
            **options,  # type: ignore[arg-type]
        )
        return [s.id for s in found.statuses]


async def test_home_has_own_and_followed_posts_and_reposts_newest_first(
    db: Database, site: Site
) -> None:
    me, friend, stranger = [await make_account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, me, friend.id)
    mine = await post(db, site, me, "mine")
    theirs = await post(db, site, friend, "theirs")
    unseen = await post(db, site, stranger, "stranger")
    friends_boost = await boost(db, site, friend, unseen)
    my_boost = await boost(db, site, me, theirs)

    assert await home(db, me) == [my_boost.id, friends_boost.id, theirs.id, mine.id]
    # the stranger's own timeline is theirs alone; nobody else's posts leak in
    assert await home(db, stranger) == [unseen.id]


async def test_home_hides_reposts_of_accounts_followed_without_reblogs(
    db: Database, site: Site
) -> None:
    me, quiet, loud, author = [await make_account(db) for _ in range(4)]
    async with db.write() as conn:
        await follow(conn, me, quiet.id, reblogs=False)
        await follow(conn, me, loud.id)
    original = await post(db, site, author, "worth sharing")
    quiet_boost = await boost(db, site, quiet, original)
    loud_boost = await boost(db, site, loud, original)
    quiet_post = await post(db, site, quiet, "my own words")

    timeline = await home(db, me)
    assert quiet_post.id in timeline
    assert loud_boost.id in timeline
    assert quiet_boost.id not in timeline


async def test_home_leaves_out_muted_accounts_and_reposts_of_them(db: Database, site: Site) -> None:
    me, friend, muted = [await make_account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, me, friend.id)
        await follow(conn, me, muted.id)
    muted_post = await post(db, site, muted, "noise")
    friends_boost = await boost(db, site, friend, muted_post)
    friend_post = await post(db, site, friend, "signal")
    assert {muted_post.id, friends_boost.id, friend_post.id} <= set(await home(db, me))

    async with db.write() as conn:
        await mute(conn, me, muted.id)
    assert await home(db, me) == [friend_post.id]


async def test_home_hides_reposts_of_blocked_accounts(db: Database, site: Site) -> None:
    me, friend, blocked = [await make_account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, me, friend.id)
    original = await post(db, site, blocked, "from someone I block")
    friends_boost = await boost(db, site, friend, original)
    assert friends_boost.id in await home(db, me)

    async with db.write() as conn:
        await block(conn, me, blocked.id)
    assert friends_boost.id not in await home(db, me)


async def test_home_shows_private_posts_of_followed_accounts_and_direct_posts_to_me(
    db: Database, site: Site
) -> None:
    me, friend, stranger = [await make_account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, me, friend.id)
        await follow(conn, stranger, friend.id)
    private = await post(db, site, friend, "followers only", visibility="private")
    to_me = await post(db, site, friend, f"@{me.username} just you", visibility="direct")
    to_other = await post(db, site, friend, f"@{stranger.username} not you", visibility="direct")
    my_direct = await post(db, site, me, f"@{friend.username} psst", visibility="direct")

    timeline = await home(db, me)
    assert private.id in timeline
    assert to_me.id in timeline
    assert my_direct.id in timeline
    assert to_other.id not in timeline
    # a follower who is not mentioned sees the private post but not the direct one
    other_timeline = await home(db, stranger)
    assert private.id in other_timeline
    assert to_me.id not in other_timeline


async def test_home_leaves_out_replies_to_accounts_i_do_not_follow(
    db: Database, site: Site
) -> None:
    me, friend, stranger = [await make_account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, me, friend.id)
    strangers_post = await post(db, site, stranger, "hi")
    mine = await post(db, site, me, "my thoughts")
    friends_post = await post(db, site, friend, "a thread")
    to_stranger = await post(db, site, friend, "reply", in_reply_to_id=strangers_post.id)
    to_me = await post(db, site, friend, "reply", in_reply_to_id=mine.id)
    to_self = await post(db, site, friend, "more", in_reply_to_id=friends_post.id)

    timeline = await home(db, me)
    assert to_me.id in timeline
    assert to_self.id in timeline
    assert to_stranger.id not in timeline


async def test_home_pages_by_id(db: Database, site: Site) -> None:
    me = await make_account(db)
    posts = [await post(db, site, me, f"post {i}") for i in range(7)]
    ids = [p.id for p in reversed(posts)]  # newest first

    first = await home(db, me, Page(limit=3))
    second = await home(db, me, Page(max_id=first[-1], limit=3))
    third = await home(db, me, Page(max_id=second[-1], limit=3))
    assert first + second + third == ids
    # min_id: the page right after a cursor, still newest first
    assert await home(db, me, Page(min_id=ids[-1], limit=2)) == ids[-3:-1]
    # since_id: the newest page above a cursor
    assert await home(db, me, Page(since_id=ids[-1], limit=2)) == ids[:2]
    # deleted posts drop out
    async with db.write() as conn:
        await delete_post(conn, me, posts[-1].id)
    assert (await home(db, me, Page(limit=1))) == [ids[1]]


async def test_public_timeline_has_public_originals_only(db: Database, site: Site) -> None:
    author, booster, viewer = [await make_account(db) for _ in range(3)]
    public_post = await post(db, site, author, "for everyone")
    unlisted = await post(db, site, author, "quietly", visibility="unlisted")
    private = await post(db, site, author, "friends", visibility="private")
    direct = await post(db, site, author, f"@{viewer.username} secret", visibility="direct")
    repost = await boost(db, site, booster, public_post)
    reply_to_other = await post(db, site, booster, "reply", in_reply_to_id=public_post.id)
    self_reply = await post(db, site, author, "and more", in_reply_to_id=public_post.id)

    for viewer_or_visitor in (viewer, None):
        found = await public(db, viewer_or_visitor)
        assert found == [self_reply.id, public_post.id]
    hidden = {unlisted.id, private.id, direct.id, repost.id, reply_to_other.id}
    assert hidden.isdisjoint(await public(db, author))


async def test_public_timeline_local_remote_media_mutes_and_blocks(
    db: Database, site: Site
) -> None:
    author, viewer = [await make_account(db) for _ in range(2)]
    plain = await post(db, site, author, "words")
    pictured = await with_media(db, site, author, "a picture")

    assert await public(db, viewer, local=True) == [pictured.id, plain.id]
    assert await public(db, viewer, local=True, remote=True) == [pictured.id, plain.id]
    assert await public(db, viewer, remote=True) == []
    assert await public(db, viewer, only_media=True) == [pictured.id]

    async with db.write() as conn:
        await mute(conn, viewer, author.id)
    assert await public(db, viewer) == []
    assert await public(db, None) == [pictured.id, plain.id]

    other = await make_account(db)
    async with db.write() as conn:
        await block(conn, author, other.id)
    assert await public(db, other) == []


async def test_public_timeline_drops_suspended_authors(db: Database, site: Site) -> None:
    author = await make_account(db)
    await post(db, site, author, "soon gone")
    async with db.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == author.id).values(suspended_at=utcnow())
        )
    assert await public(db, None) == []


async def test_tag_timeline_matches_every_spelling(db: Database, site: Site) -> None:
    author = await make_account(db)
    # Urdu keheh and Arabic kaf spell the same word
    urdu = await post(db, site, author, "زندہ باد #پاکستان")
    arabic = await post(db, site, author, "#پاكستان")
    await post(db, site, author, "#other")
    cased = await post(db, site, author, "#Cats and #dogs")

    assert await tagged(db, None, "پاكستان") == [arabic.id, urdu.id]
    assert await tagged(db, None, "#پاکستان") == [arabic.id, urdu.id]
    assert await tagged(db, None, "CATS") == [cased.id]
    assert await tagged(db, None, "nothing_like_it") == []


async def test_tag_timeline_any_all_none(db: Database, site: Site) -> None:
    author = await make_account(db)
    cats = await post(db, site, author, "#cats")
    cats_dogs = await post(db, site, author, "#cats #dogs")
    dogs = await post(db, site, author, "#dogs")
    birds = await post(db, site, author, "#birds")
    cats_birds = await post(db, site, author, "#cats #birds")

    assert await tagged(db, None, "cats") == [cats_birds.id, cats_dogs.id, cats.id]
    assert await tagged(db, None, "cats", any_tags=["dogs"]) == [
        cats_birds.id,
        dogs.id,
        cats_dogs.id,
        cats.id,
    ]
    assert await tagged(db, None, "cats", all_tags=["dogs"]) == [cats_dogs.id]
    assert await tagged(db, None, "cats", none_tags=["birds", "dogs"]) == [cats.id]
    assert await tagged(db, None, "birds", any_tags=["dogs"], none_tags=["cats"]) == [
        birds.id,
        dogs.id,
    ]


async def test_tag_timeline_has_public_posts_only(db: Database, site: Site) -> None:
    author, follower = [await make_account(db) for _ in range(2)]
    async with db.write() as conn:
        await follow(conn, follower, author.id)
    shown = await post(db, site, author, "#news out loud")
    await post(db, site, author, "#news quietly", visibility="unlisted")
    await post(db, site, author, "#news for friends", visibility="private")
    pictured = await with_media(db, site, author, "#news in pictures")

    assert await tagged(db, follower, "news") == [pictured.id, shown.id]
    assert await tagged(db, follower, "news", only_media=True) == [pictured.id]
    assert await tagged(db, follower, "news", local=True) == [pictured.id, shown.id]
    assert await tagged(db, follower, "news", remote=True) == []


async def test_profile_filters(db: Database, site: Site) -> None:
    author, other = [await make_account(db) for _ in range(2)]
    others_post = await post(db, site, other, "hi")
    top = await post(db, site, author, "top level #cats")
    self_reply = await post(db, site, author, "continuing", in_reply_to_id=top.id)
    reply = await post(db, site, author, "answer", in_reply_to_id=others_post.id)
    repost = await boost(db, site, author, others_post)
    pictured = await with_media(db, site, author, "look #cats")

    everything = [pictured.id, repost.id, reply.id, self_reply.id, top.id]
    assert await profile(db, other, author) == everything
    assert await profile(db, other, author, exclude_replies=True) == [
        pictured.id,
        repost.id,
        self_reply.id,
        top.id,
    ]
    assert await profile(db, other, author, exclude_reblogs=True) == [
        pictured.id,
        reply.id,
        self_reply.id,
        top.id,
    ]
    assert await profile(db, other, author, only_media=True) == [pictured.id]
    assert await profile(db, other, author, tagged="#CATS") == [pictured.id, top.id]


async def test_profile_visibility_blocks_and_mutes(db: Database, site: Site) -> None:
    author, follower, visitor_account, muted = [await make_account(db) for _ in range(4)]
    async with db.write() as conn:
        await follow(conn, follower, author.id)
    public_post = await post(db, site, author, "hello all")
    private = await post(db, site, author, "hello friends", visibility="private")
    direct = await post(db, site, author, f"@{follower.username} hi", visibility="direct")
    muted_post = await post(db, site, muted, "hmm")
    repost_of_muted = await boost(db, site, author, muted_post)

    assert await profile(db, None, author) == [repost_of_muted.id, public_post.id]
    assert await profile(db, follower, author) == [
        repost_of_muted.id,
        direct.id,
        private.id,
        public_post.id,
    ]
    assert await profile(db, author, author, exclude_direct=True) == [
        repost_of_muted.id,
        private.id,
        public_post.id,
    ]
    async with db.write() as conn:
        await mute(conn, follower, muted.id)
        await mute(conn, visitor_account, author.id)
    # muting the reposted author hides the repost; muting the profile's owner does not
    # hide their own posts from someone who opens their profile
    assert repost_of_muted.id not in await profile(db, follower, author)
    assert await profile(db, visitor_account, author) == [repost_of_muted.id, public_post.id]

    async with db.write() as conn:
        await block(conn, author, visitor_account.id)
    assert await profile(db, visitor_account, author) == []


async def test_pinned_posts_come_newest_pinned_first(db: Database, site: Site) -> None:
    author = await make_account(db)
    first, second, third = [await post(db, site, author, f"post {i}") for i in range(3)]
    async with db.write() as conn:
        for pinned in (second, first, third):
            await conn.execute(
                pins.insert().values(
                    id=new_id(), account_id=author.id, status_id=pinned.id, created_at=utcnow()
                )
            )
    assert await profile(db, None, author, pinned=True) == [third.id, first.id, second.id]
    async with db.read() as conn:
        found = await account_statuses(conn, None, author.id, Page(limit=2), pinned=True)
        rest = await account_statuses(
            conn, None, author.id, Page(max_id=found.keys[-1], limit=2), pinned=True
        )
    assert [s.id for s in found.statuses + rest.statuses] == [third.id, first.id, second.id]
    # pins of deleted posts disappear with them
    async with db.write() as conn:
        await conn.execute(
            update(statuses).where(statuses.c.id == first.id).values(deleted_at=utcnow())
        )
    assert await profile(db, None, author, pinned=True) == [third.id, second.id]
