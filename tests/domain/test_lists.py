"""Lists' rules against the real database: members must be followed, leave with the
follow, the timeline's replies policy, and exclusive lists on home."""

from __future__ import annotations

import pytest

from tests.conftest import unique_name
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import block, follow, mute, unfollow
from townsquare.domain.lists import actions, queries
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.timelines import feeds
from townsquare.domain.timelines.home import home_timeline
from townsquare.storage.database import Database


async def account(db: Database) -> Account:
    name = unique_name("l")
    async with db.write() as conn:
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="a long secret")
        )


async def post(
    db: Database, site: Site, author: Account, text: str, reply_to: int | None = None
) -> int:
    async with db.write() as conn:
        return (await create_post(conn, site, author, Draft(text=text, in_reply_to_id=reply_to))).id


async def listed(db: Database, owner: Account, list_id: int) -> list[int]:
    async with db.read() as conn:
        return [p.id for p in await queries.list_timeline(conn, owner.id, list_id, Page(limit=40))]


async def home(db: Database, owner: Account) -> list[int]:
    async with db.read() as conn:
        return [p.id for p in await home_timeline(conn, owner.id, Page(limit=40))]


async def members(db: Database, owner: Account, list_id: int) -> list[int]:
    async with db.read() as conn:
        found, _keys = await queries.list_members(conn, owner.id, list_id, None)
    return [a.id for a in found]


async def test_titles_and_policies_are_checked(db: Database) -> None:
    owner = await account(db)
    async with db.write() as conn:
        with pytest.raises(ValidationFailed, match="Title can't be blank"):
            await actions.create_list(conn, owner.id, "  ")
        with pytest.raises(ValidationFailed, match="Replies policy"):
            await actions.create_list(conn, owner.id, "ok", replies_policy="everyone")
        created = await actions.create_list(conn, owner.id, " Urdu writers ")
    assert created.title == "Urdu writers" and created.replies_policy == "list"
    async with db.write() as conn:
        changed = await actions.update_list(conn, owner.id, created.id, exclusive=True)
    assert changed.title == "Urdu writers" and changed.exclusive


async def test_lists_are_limited_per_account(db: Database) -> None:
    owner = await account(db)
    async with db.write() as conn:
        for number in range(actions.MAX_LISTS):
            await actions.create_list(conn, owner.id, f"list {number}")
        with pytest.raises(ValidationFailed, match="more than"):
            await actions.create_list(conn, owner.id, "one too many")


async def test_only_the_owner_sees_a_list(db: Database) -> None:
    owner, other = await account(db), await account(db)
    async with db.write() as conn:
        created = await actions.create_list(conn, owner.id, "mine")
    async with db.read() as conn:
        with pytest.raises(NotFound):
            await queries.get_list(conn, other.id, created.id)
        with pytest.raises(NotFound):
            await queries.list_timeline(conn, other.id, created.id, Page())
    async with db.write() as conn:
        with pytest.raises(NotFound):
            await actions.delete_list(conn, other.id, created.id)


async def test_members_are_followed_and_leave_with_the_follow(db: Database) -> None:
    owner, bob, carol, dave = [await account(db) for _ in range(4)]
    async with db.write() as conn:
        created = await actions.create_list(conn, owner.id, "friends")
        with pytest.raises(ValidationFailed, match="follow relationship missing"):
            await actions.add_members(conn, owner.id, created.id, [bob.id])
        for other in (bob, carol, dave):
            await follow(conn, owner, other.id)
        await actions.add_members(conn, owner.id, created.id, [bob.id, carol.id, dave.id])
        with pytest.raises(ValidationFailed, match="already been taken"):
            await actions.add_members(conn, owner.id, created.id, [bob.id])
        with pytest.raises(NotFound):
            await actions.add_members(conn, owner.id, created.id, [123])
    assert sorted(await members(db, owner, created.id)) == sorted([bob.id, carol.id, dave.id])
    async with db.write() as conn:
        await unfollow(conn, owner, bob.id)
        await block(conn, carol, owner.id)
    assert await members(db, owner, created.id) == [dave.id]
    async with db.write() as conn:
        await actions.remove_members(conn, owner.id, created.id, [dave.id, bob.id])
    assert await members(db, owner, created.id) == []


async def test_replies_policy(db: Database, site: Site) -> None:
    owner, bob, carol, dave, eve = [await account(db) for _ in range(5)]
    async with db.write() as conn:
        for other in (bob, carol, dave):
            await follow(conn, owner, other.id)
        created = await actions.create_list(conn, owner.id, "b and c")
        await actions.add_members(conn, owner.id, created.id, [bob.id, carol.id])
    top = await post(db, site, bob, "top")
    own_thread = await post(db, site, bob, "more", top)
    by_member = await post(db, site, carol, "carol")
    to_member = await post(db, site, bob, "to carol", by_member)
    to_followed = await post(db, site, bob, "to dave", await post(db, site, dave, "dave"))
    to_stranger = await post(db, site, bob, "to eve", await post(db, site, eve, "eve"))
    to_owner = await post(db, site, bob, "to owner", await post(db, site, owner, "owner"))
    always = {top, own_thread, to_owner}

    shown = set(await listed(db, owner, created.id))
    assert always | {to_member} <= shown and not {to_followed, to_stranger} & shown
    async with db.write() as conn:
        await actions.update_list(conn, owner.id, created.id, replies_policy="followed")
    shown = set(await listed(db, owner, created.id))
    assert always | {to_member, to_followed} <= shown and to_stranger not in shown
    async with db.write() as conn:
        await actions.update_list(conn, owner.id, created.id, replies_policy="none")
    shown = set(await listed(db, owner, created.id))
    assert always <= shown and not {to_member, to_followed, to_stranger} & shown

    assert by_member in shown
    async with db.write() as conn:
        await mute(conn, owner, carol.id)
    assert by_member not in await listed(db, owner, created.id)


async def test_exclusive_members_stay_off_home(db: Database, site: Site) -> None:
    owner, bob, carol = [await account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, owner, bob.id)
        await follow(conn, owner, carol.id)
    earlier = await post(db, site, bob, "earlier")
    async with db.write() as conn:
        created = await actions.create_list(conn, owner.id, "apart", exclusive=True)
        other = await actions.create_list(conn, owner.id, "also apart", exclusive=True)
        await actions.add_members(conn, owner.id, created.id, [bob.id])
        await actions.add_members(conn, owner.id, other.id, [bob.id])
    later = await post(db, site, bob, "later")
    kept = await post(db, site, carol, "carol")
    shown = await home(db, owner)
    assert kept in shown and earlier not in shown and later not in shown
    assert later in await listed(db, owner, created.id)
    # still in another exclusive list: still off home
    async with db.write() as conn:
        await actions.remove_members(conn, owner.id, created.id, [bob.id])
    assert later not in await home(db, owner)
    async with db.write() as conn:
        await actions.delete_list(conn, owner.id, other.id)
    shown = await home(db, owner)
    assert earlier in shown and later in shown


async def test_rebuilt_feeds_leave_exclusive_members_out(db: Database, site: Site) -> None:
    owner, bob, carol = [await account(db) for _ in range(3)]
    async with db.write() as conn:
        await follow(conn, owner, bob.id)
        await follow(conn, owner, carol.id)
        await follow(conn, carol, bob.id)
        created = await actions.create_list(conn, owner.id, "apart", exclusive=True)
        await actions.add_members(conn, owner.id, created.id, [bob.id])
    hidden = await post(db, site, bob, "bob")
    kept = await post(db, site, carol, "carol")
    async with db.write() as conn:
        await feeds.rebuild(conn, owner.id)
    shown = await home(db, owner)
    assert kept in shown and hidden not in shown
    async with db.write() as conn:
        await feeds.rebuild_all(conn)
    shown = await home(db, owner)
    assert kept in shown and hidden not in shown
    # only the owner's feed loses them
    assert hidden in await home(db, carol)
