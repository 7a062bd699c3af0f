"""Reading notifications and markers against the real database."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.domain.test_timelines import boost, make_account, post
from townsquare.core.clock import utcnow
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.remembered import remembered_accounts
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.filters.actions import create_filter, delete_filter
from townsquare.domain.filters.apply import filter_notifications, reader_filters
from townsquare.domain.graph.actions import block, follow, mute, unblock, unfollow
from townsquare.domain.markers.actions import set_marker
from townsquare.domain.markers.queries import get_markers
from townsquare.domain.notifications.actions import clear, dismiss, notify
from townsquare.domain.notifications.queries import (
    get_notification,
    list_notifications,
    notification_views,
    unread_count,
)
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts


async def listed(db: Database, viewer: Account, **filters: object) -> list[tuple[str, int]]:
    """(type, actor id) of the viewer's notifications, newest first."""
    async with db.read() as conn:
        found = await list_notifications(conn, viewer.id, Page(limit=40), **filters)  # type: ignore[arg-type]
    return [(n.type, n.from_account_id) for n in found]


async def favourite(db: Database, actor: Account, recipient: Account, status_id: int) -> None:
    async with db.write() as conn:
        await notify(
            conn, recipient_id=recipient.id, actor_id=actor.id, type="favourite",
            status_id=status_id,
        )  # fmt: skip


async def test_each_kind_of_notification_is_listed_newest_first(db: Database, site: Site) -> None:
    me, fan, booster, follower = [await make_account(db) for _ in range(4)]
    mine = await post(db, site, me, "something worth liking")
    mention = await post(db, site, fan, f"@{me.username} look")
    await favourite(db, fan, me, mine.id)
    await boost(db, site, booster, mine)
    async with db.write() as conn:
        await follow(conn, follower, me.id)

    assert await listed(db, me) == [
        ("follow", follower.id),
        ("reblog", booster.id),
        ("favourite", fan.id),
        ("mention", fan.id),
    ]
    async with db.read() as conn:
        items = await list_notifications(conn, me.id, Page())
        views = await notification_views(conn, me.id, items)
    by_type = {view.notification.type: view for view in views}
    assert by_type["mention"].status is not None
    assert by_type["mention"].status.status.id == mention.id
    assert by_type["reblog"].status is not None
    assert by_type["reblog"].status.status.id == mine.id
    assert by_type["follow"].status is None
    assert by_type["follow"].account.id == follower.id


async def test_types_exclude_types_and_account_filters(db: Database, site: Site) -> None:
    me, fan, other = [await make_account(db) for _ in range(3)]
    mine = await post(db, site, me, "hello")
    await post(db, site, fan, f"@{me.username} hi")
    await favourite(db, fan, me, mine.id)
    await favourite(db, other, me, mine.id)
    async with db.write() as conn:
        await follow(conn, other, me.id)

    assert await listed(db, me, types=["favourite"]) == [
        ("favourite", other.id),
        ("favourite", fan.id),
    ]
    assert await listed(db, me, exclude_types=["favourite", "follow"]) == [("mention", fan.id)]
    assert await listed(db, me, types=["favourite", "mention"], exclude_types=["mention"]) == [
        ("favourite", other.id),
        ("favourite", fan.id),
    ]
    assert await listed(db, me, account_id=fan.id) == [("favourite", fan.id), ("mention", fan.id)]
    assert await listed(db, me, types=["no_such_type"]) == []


async def test_notifications_about_posts_i_can_no_longer_see_are_hidden(
    db: Database, site: Site
) -> None:
    me, author = [await make_account(db) for _ in range(2)]
    async with db.write() as conn:
        await follow(conn, me, author.id)
    private = await post(db, site, author, "for followers", visibility="private")
    async with db.write() as conn:
        await notify(conn, recipient_id=me.id, actor_id=author.id, type="status",
                     status_id=private.id)  # fmt: skip
    assert await listed(db, me, types=["status"]) == [("status", author.id)]

    async with db.write() as conn:
        await unfollow(conn, me, author.id)
    assert await listed(db, me, types=["status"]) == []


async def test_blocks_and_quiet_mutes_hide_notifications_while_they_last(
    db: Database, site: Site
) -> None:
    me, fan, noisy, chatty = [await make_account(db) for _ in range(4)]
    mine = await post(db, site, me, "my post")
    for actor in (fan, noisy, chatty):
        await favourite(db, actor, me, mine.id)
    assert len(await listed(db, me)) == 3

    async with db.write() as conn:
        await block(conn, me, fan.id)
        await mute(conn, me, noisy.id, hide_notifications=True)
        await mute(conn, me, chatty.id, hide_notifications=False)
    assert await listed(db, me) == [("favourite", chatty.id)]

    async with db.write() as conn:
        await unblock(conn, me, fan.id)
    assert await listed(db, me) == [("favourite", chatty.id), ("favourite", fan.id)]

    # being blocked hides them too
    async with db.write() as conn:
        await block(conn, chatty, me.id)
    assert await listed(db, me) == [("favourite", fan.id)]


async def test_notifications_from_suspended_accounts_are_hidden(db: Database, site: Site) -> None:
    me, fan = [await make_account(db) for _ in range(2)]
    mine = await post(db, site, me, "my post")
    await favourite(db, fan, me, mine.id)
    async with db.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == fan.id).values(suspended_at=utcnow())
        )
    assert await listed(db, me) == []


async def test_get_dismiss_and_clear(db: Database, site: Site) -> None:
    me, fan, other = [await make_account(db) for _ in range(3)]
    mine = await post(db, site, me, "my post")
    await favourite(db, fan, me, mine.id)
    await favourite(db, other, me, mine.id)
    async with db.read() as conn:
        newest, oldest = await list_notifications(conn, me.id, Page())
        assert (await get_notification(conn, me.id, oldest.id)).from_account_id == fan.id
        with pytest.raises(NotFound):
            await get_notification(conn, other.id, oldest.id)  # not theirs

    async with db.write() as conn:
        assert not await dismiss(conn, other.id, oldest.id)
        assert await dismiss(conn, me.id, oldest.id)
    assert await listed(db, me) == [("favourite", other.id)]
    async with db.write() as conn:
        await clear(conn, me.id)
    assert await listed(db, me) == []
    assert newest.id > oldest.id


async def test_unread_count_follows_the_notifications_marker(db: Database, site: Site) -> None:
    me, fan, other = [await make_account(db) for _ in range(3)]
    mine = await post(db, site, me, "my post")
    await favourite(db, fan, me, mine.id)
    await favourite(db, other, me, mine.id)
    await post(db, site, fan, f"@{me.username} hey")

    async with db.read() as conn:
        assert await unread_count(conn, me) == 3
        assert await unread_count(conn, me, limit=2) == 2
        assert await unread_count(conn, me, types=["mention"]) == 1
        assert await unread_count(conn, me, account_id=fan.id) == 2
        items = await list_notifications(conn, me.id, Page())
    async with db.write() as conn:
        await set_marker(conn, me.id, "notifications", items[1].id)
    async with db.read() as conn:
        assert await unread_count(conn, me) == 1
        assert await unread_count(conn, me, exclude_types=["mention"]) == 0


async def _shown_unread(db: Database, me: Account) -> tuple[int, int]:
    """(the unread count, how many of the list the reader is shown), for the reader
    as the API and web sessions hand them out."""
    async with db.read() as conn:
        me = (await remembered_accounts(conn, [me.id]))[me.id]
        items = await list_notifications(conn, me.id, Page(limit=40))
        views = await notification_views(conn, me.id, items)
        shown = filter_notifications(views, await reader_filters(conn, me))
        return await unread_count(conn, me), len(shown)


async def test_unread_count_leaves_out_what_a_hide_filter_drops(db: Database, site: Site) -> None:
    me, fan, follower = [await make_account(db) for _ in range(3)]
    mine = await post(db, site, me, "apples all day")
    await favourite(db, fan, me, mine.id)
    await post(db, site, fan, f"@{me.username} the durian season is here")
    await post(db, site, fan, f"@{me.username} more DURIAN news")
    async with db.write() as conn:
        await follow(conn, follower, me.id)
    assert await _shown_unread(db, me) == (4, 4)
    async with db.write() as conn:
        # a warn filter, and a hide filter for another context, keep the count
        for action, context in (("warn", ["notifications"]), ("hide", ["home", "public"])):
            await create_filter(
                conn, me.id, title=f"{action} durian", context=context, action=action,
                keywords=[("durian", True)],
            )  # fmt: skip
    assert await _shown_unread(db, me) == (4, 4)
    async with db.write() as conn:
        hiding = await create_filter(
            conn, me.id, title="no durian", context=["notifications"], action="hide",
            keywords=[("durian", True)],
        )  # fmt: skip
    assert await _shown_unread(db, me) == (2, 2)
    async with db.read() as conn:
        me = (await remembered_accounts(conn, [me.id]))[me.id]
        assert await unread_count(conn, me, limit=1) == 1
        assert await unread_count(conn, me, types=["mention"]) == 0
        newest = (await list_notifications(conn, me.id, Page(limit=1)))[0]
    async with db.write() as conn:
        await set_marker(conn, me.id, "notifications", newest.id)
    assert (await _shown_unread(db, me))[0] == 0
    async with db.write() as conn:
        await set_marker(conn, me.id, "notifications", 0)
        await delete_filter(conn, me.id, hiding.id)
    assert await _shown_unread(db, me) == (4, 4)


async def test_markers_keep_a_version_per_timeline(db: Database) -> None:
    me, other = [await make_account(db) for _ in range(2)]
    async with db.read() as conn:
        assert await get_markers(conn, me.id, ["home", "notifications"]) == {}

    async with db.write() as conn:
        created = await set_marker(conn, me.id, "home", 100)
        moved = await set_marker(conn, me.id, "home", 200)
        unchanged = await set_marker(conn, me.id, "home", 200)
        await set_marker(conn, me.id, "notifications", 5)
        await set_marker(conn, other.id, "home", 7)
    assert (created.last_read_id, created.version) == (100, 0)
    assert (moved.last_read_id, moved.version) == (200, 1)
    assert unchanged.version == 1

    async with db.read() as conn:
        found = await get_markers(conn, me.id, ["home", "notifications", "public"])
    assert {name: (m.last_read_id, m.version) for name, m in found.items()} == {
        "home": (200, 1),
        "notifications": (5, 0),
    }
    with pytest.raises(ValidationFailed):
        async with db.write() as conn:
            await set_marker(conn, me.id, "public", 1)
