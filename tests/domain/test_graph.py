"""The social graph's rules, against the real database."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.conftest import unique_name
from townsquare.core.clock import utcnow
from townsquare.core.errors import Forbidden, NotFound, ValidationFailed
from townsquare.core.ids import new_id
from townsquare.domain.accounts.actions import NewAccount, ProfileChanges, register, update_profile
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.common.paging import Page
from townsquare.domain.graph import actions, queries
from townsquare.domain.graph.models import Relationship
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, follow_requests, follows, mutes, notifications


async def make_account(db: Database, *, locked: bool = False, name: str = "") -> Account:
    username = unique_name("g")
    async with db.write() as conn:
        account = await register(
            conn,
            NewAccount(
                username=username,
                email=f"{username}@example.org",
                password="correct horse battery",
                display_name=name,
            ),
        )
        if locked:
            account = await update_profile(conn, account.id, ProfileChanges(locked=True))
    return account


async def fresh(db: Database, account: Account) -> Account:
    async with db.read() as conn:
        return await get_account(conn, account.id)


async def notification_types(db: Database, recipient: Account, sender: Account) -> list[str]:
    async with db.read() as conn:
        rows = await conn.scalars(
            select(notifications.c.type).where(
                notifications.c.account_id == recipient.id,
                notifications.c.from_account_id == sender.id,
            )
        )
        return sorted(rows)


async def relation(db: Database, viewer: Account, other: Account) -> Relationship:
    async with db.read() as conn:
        return await queries.relationship(conn, viewer.id, other.id)


async def suspend(db: Database, account: Account) -> None:
    async with db.write() as conn:
        await conn.execute(
            update(accounts).where(accounts.c.id == account.id).values(suspended_at=utcnow())
        )


async def test_follow_an_open_account(db: Database) -> None:
    alice, bob = await make_account(db), await make_account(db)
    async with db.write() as conn:
        shown = await actions.follow(conn, alice, bob.id)
    assert shown.following and shown.showing_reblogs and not shown.requested
    assert not shown.notifying and shown.languages is None
    assert (await relation(db, bob, alice)).followed_by
    assert (await fresh(db, alice)).following_count == 1
    assert (await fresh(db, bob)).followers_count == 1
    assert await notification_types(db, bob, alice) == ["follow"]

    # following again changes only the options, never the counters
    async with db.write() as conn:
        again = await actions.follow(
            conn, alice, bob.id, reblogs=False, notify=True, languages=["UR", "en", "ur"]
        )
    assert again.following and not again.showing_reblogs and again.notifying
    assert again.languages == ("ur", "en")
    async with db.write() as conn:
        kept = await actions.follow(conn, alice, bob.id, languages=[])
    assert kept.notifying and not kept.showing_reblogs and kept.languages is None
    assert (await fresh(db, bob)).followers_count == 1
    assert await notification_types(db, bob, alice) == ["follow"]

    async with db.write() as conn:
        gone = await actions.unfollow(conn, alice, bob.id)
    assert not gone.following
    assert (await fresh(db, alice)).following_count == 0
    assert (await fresh(db, bob)).followers_count == 0
    assert await notification_types(db, bob, alice) == []


async def test_follow_a_locked_account_asks_first(db: Database) -> None:
    alice, carol = await make_account(db), await make_account(db, locked=True)
    async with db.write() as conn:
        asked = await actions.follow(conn, alice, carol.id, reblogs=False)
    assert asked.requested and not asked.following and not asked.showing_reblogs
    assert (await relation(db, carol, alice)).requested_by
    assert await notification_types(db, carol, alice) == ["follow_request"]
    assert (await fresh(db, carol)).followers_count == 0
    async with db.read() as conn:
        waiting, keys = await queries.requesting_accounts(conn, carol.id, Page())
        assert await queries.pending_requests_count(conn, carol.id) == 1
    assert [a.id for a in waiting] == [alice.id] and len(keys) == 1

    async with db.write() as conn:
        accepted = await actions.authorize_follow_request(conn, carol, alice.id)
    assert accepted.followed_by and not accepted.requested_by
    mine = await relation(db, alice, carol)
    assert mine.following and not mine.requested
    assert not mine.showing_reblogs  # the request's options carry over
    assert (await fresh(db, carol)).followers_count == 1
    assert (await fresh(db, alice)).following_count == 1
    assert await notification_types(db, carol, alice) == []
    async with db.write() as conn:
        with pytest.raises(NotFound):
            await actions.authorize_follow_request(conn, carol, alice.id)


async def test_reject_and_withdraw_requests(db: Database) -> None:
    alice, bob, carol = (
        await make_account(db),
        await make_account(db),
        await make_account(db, locked=True),
    )
    async with db.write() as conn:
        await actions.follow(conn, alice, carol.id)
        await actions.follow(conn, bob, carol.id)
    async with db.write() as conn:
        rejected = await actions.reject_follow_request(conn, carol, alice.id)
        withdrawn = await actions.unfollow(conn, bob, carol.id)
    assert not rejected.requested_by and not rejected.followed_by
    assert not withdrawn.requested
    assert await notification_types(db, carol, alice) == []
    assert await notification_types(db, carol, bob) == []
    async with db.read() as conn:
        assert await conn.scalar(select(func.count()).select_from(follow_requests)) == 0
    assert (await fresh(db, carol)).followers_count == 0
    async with db.write() as conn:
        with pytest.raises(NotFound):
            await actions.reject_follow_request(conn, carol, alice.id)


async def test_follow_refuses_self_unknown_and_suspended(db: Database) -> None:
    alice, bob, carol = await make_account(db), await make_account(db), await make_account(db)
    await suspend(db, bob)
    async with db.write() as conn:
        with pytest.raises(ValidationFailed):
            await actions.follow(conn, alice, alice.id)
        with pytest.raises(NotFound):
            await actions.follow(conn, alice, new_id())
        with pytest.raises(NotFound):
            await actions.follow(conn, alice, bob.id)
        with pytest.raises(ValidationFailed):
            await actions.follow(conn, alice, carol.id, languages=["english"])
    assert (await fresh(db, alice)).following_count == 0


async def test_block_ends_follows_both_ways(db: Database) -> None:
    alice, bob, carol = await make_account(db), await make_account(db), await make_account(db)
    async with db.write() as conn:
        await actions.follow(conn, alice, bob.id)
        await actions.follow(conn, bob, alice.id)
        await actions.follow(conn, carol, alice.id)
    async with db.write() as conn:
        blocked = await actions.block(conn, alice, bob.id)
    assert blocked.blocking and not blocked.following and not blocked.followed_by
    assert (await relation(db, bob, alice)).blocked_by
    after_alice, after_bob = await fresh(db, alice), await fresh(db, bob)
    assert (after_alice.followers_count, after_alice.following_count) == (1, 0)
    assert (after_bob.followers_count, after_bob.following_count) == (0, 0)
    assert await notification_types(db, bob, alice) == []
    assert await notification_types(db, alice, bob) == []
    assert await notification_types(db, alice, carol) == ["follow"]

    async with db.write() as conn:
        with pytest.raises(Forbidden):
            await actions.follow(conn, alice, bob.id)
        with pytest.raises(Forbidden):
            await actions.follow(conn, bob, alice.id)
    async with db.write() as conn:
        again = await actions.block(conn, alice, bob.id)  # blocking twice is harmless
    assert again.blocking
    async with db.read() as conn:
        listed, keys = await queries.blocked_accounts(conn, alice.id, Page())
    assert [a.id for a in listed] == [bob.id] and len(keys) == 1

    async with db.write() as conn:
        unblocked = await actions.unblock(conn, alice, bob.id)
        followed = await actions.follow(conn, bob, alice.id)
    assert not unblocked.blocking and followed.following
    assert (await fresh(db, alice)).followers_count == 2


async def test_block_ends_pending_requests(db: Database) -> None:
    alice, carol = await make_account(db), await make_account(db, locked=True)
    async with db.write() as conn:
        await actions.follow(conn, alice, carol.id)
        shown = await actions.block(conn, carol, alice.id)
    assert not shown.requested_by
    assert await notification_types(db, carol, alice) == []
    async with db.read() as conn:
        assert await conn.scalar(select(func.count()).select_from(follow_requests)) == 0


async def test_mute_with_and_without_expiry(db: Database) -> None:
    alice, bob, carol = await make_account(db), await make_account(db), await make_account(db)
    before = utcnow()
    async with db.write() as conn:
        timed = await actions.mute(conn, alice, bob.id, duration=3600)
        forever = await actions.mute(conn, alice, carol.id, hide_notifications=False)
    assert timed.muting and timed.muting_notifications
    assert timed.muting_expires_at is not None
    assert before + timedelta(seconds=3599) <= timed.muting_expires_at
    assert timed.muting_expires_at <= utcnow() + timedelta(seconds=3600)
    assert forever.muting and not forever.muting_notifications
    assert forever.muting_expires_at is None
    async with db.read() as conn:
        listed, _ = await queries.muted_accounts(conn, alice.id, Page())
    assert {m.account.id for m in listed} == {bob.id, carol.id}

    # A mute whose time has passed is no mute, even before anything removes it.
    async with db.write() as conn:
        await conn.execute(
            update(mutes)
            .where(mutes.c.target_account_id == bob.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert not (await relation(db, alice, bob)).muting
    async with db.read() as conn:
        listed, _ = await queries.muted_accounts(conn, alice.id, Page())
    assert [m.account.id for m in listed] == [carol.id]

    async with db.write() as conn:
        with pytest.raises(ValidationFailed):
            await actions.mute(conn, alice, bob.id, duration=-5)
        with pytest.raises(ValidationFailed):
            await actions.mute(conn, alice, bob.id, duration=10**15)
        renewed = await actions.mute(conn, alice, bob.id)
        unmuted = await actions.unmute(conn, alice, carol.id)
    assert renewed.muting and renewed.muting_expires_at is None
    assert not unmuted.muting


async def test_relationships_keep_order_and_skip_unknown(db: Database) -> None:
    alice = await make_account(db)
    bob = await make_account(db)
    carol = await make_account(db, locked=True)
    dave = await make_account(db)
    async with db.write() as conn:
        await actions.follow(conn, alice, bob.id)
        await actions.follow(conn, alice, carol.id)
        await actions.follow(conn, dave, alice.id)
        await actions.mute(conn, alice, dave.id)
    await suspend(db, dave)
    async with db.read() as conn:
        found = await queries.relationships(
            conn, alice.id, [carol.id, new_id(), bob.id, carol.id, dave.id]
        )
        with_suspended = await queries.relationships(conn, alice.id, [dave.id], with_suspended=True)
    assert [r.id for r in found] == [carol.id, bob.id]
    assert found[0].requested and not found[0].following
    assert found[1].following and not found[1].followed_by
    assert with_suspended[0].followed_by and with_suspended[0].muting


async def test_followers_and_following_pages(db: Database) -> None:
    star = await make_account(db)
    fans = [await make_account(db) for _ in range(5)]
    for fan in fans:
        async with db.write() as conn:
            await actions.follow(conn, fan, star.id)
    async with db.read() as conn:
        first, keys = await queries.followers(conn, None, star.id, Page(limit=2))
        second, more = await queries.followers(conn, None, star.id, Page(max_id=keys[-1], limit=2))
        newer, _ = await queries.followers(conn, None, star.id, Page(min_id=more[0], limit=2))
        their_following, _ = await queries.following(conn, None, fans[0].id, Page())
    assert [a.id for a in first] == [fans[4].id, fans[3].id]
    assert [a.id for a in second] == [fans[2].id, fans[1].id]
    assert [a.id for a in newer] == [a.id for a in first]
    assert keys == sorted(keys, reverse=True)
    assert [a.id for a in their_following] == [star.id]

    # hidden: a suspended follower for everyone, a blocked one for the blocker
    await suspend(db, fans[0])
    async with db.write() as conn:
        await actions.block(conn, fans[1], fans[2].id)
    async with db.read() as conn:
        public, _ = await queries.followers(conn, None, star.id, Page())
        seen_by_blocker, _ = await queries.followers(conn, fans[1].id, star.id, Page())
        with pytest.raises(NotFound):
            await queries.followers(conn, None, fans[0].id, Page())
    assert [a.id for a in public] == [fans[4].id, fans[3].id, fans[2].id, fans[1].id]
    assert [a.id for a in seen_by_blocker] == [fans[4].id, fans[3].id, fans[1].id]

    # an account that blocks the viewer shows them no lists
    async with db.write() as conn:
        await actions.block(conn, star, fans[3].id)
    async with db.read() as conn:
        shown, keys = await queries.followers(conn, fans[3].id, star.id, Page())
    assert shown == [] and keys == []


async def test_search_within_follows_and_familiar_followers(db: Database) -> None:
    alice = await make_account(db)
    bob = await make_account(db, name="Searchable Person")
    carol = await make_account(db, name="Searchable Other")
    async with db.write() as conn:
        await actions.follow(conn, alice, bob.id)
        await actions.follow(conn, bob, carol.id)
    async with db.read() as conn:
        everyone = await queries.search_accounts_for(conn, alice.id, "searchable")
        followed = await queries.search_accounts_for(conn, alice.id, "searchable", following=True)
        familiar = await queries.familiar_followers(conn, alice.id, [carol.id, new_id()])
    assert {a.id for a in everyone} == {bob.id, carol.id}
    assert [a.id for a in followed] == [bob.id]
    assert [(i, [a.id for a in listed]) for i, listed in familiar] == [(carol.id, [bob.id])]

    async with db.write() as conn:
        await actions.block(conn, carol, alice.id)
    async with db.read() as conn:
        everyone = await queries.search_accounts_for(conn, alice.id, "searchable")
    assert [a.id for a in everyone] == [bob.id]


async def _row_counts(conn: AsyncConnection, account_id: int) -> tuple[int, int]:
    followers_rows = await conn.scalar(
        select(func.count()).select_from(follows).where(follows.c.target_account_id == account_id)
    )
    following_rows = await conn.scalar(
        select(func.count()).select_from(follows).where(follows.c.account_id == account_id)
    )
    return int(followers_rows or 0), int(following_rows or 0)


async def test_counters_stay_exact_under_concurrent_writes(db: Database) -> None:
    people = [await make_account(db) for _ in range(6)]
    rng = random.Random(20240611)
    Step = Callable[[AsyncConnection, Account, int], Awaitable[Relationship]]
    steps: list[tuple[Step, Account, Account]] = []
    for actor in people:
        for target in people:
            if actor is target:
                continue
            # the same pair followed and unfollowed several times, racing itself
            steps += [(actions.follow, actor, target)] * 3
            steps += [(actions.unfollow, actor, target)] * 2
    steps += [(actions.block, people[0], people[1]), (actions.block, people[2], people[3])]
    rng.shuffle(steps)

    async def run(step: Step, actor: Account, target: Account) -> None:
        # Forbidden: a block won the race, and the follow is refused
        with contextlib.suppress(Forbidden):
            async with db.write() as conn:
                await step(conn, actor, target.id)

    await asyncio.gather(*(run(*step) for step in steps))

    async with db.read() as conn:
        total = await conn.scalar(select(func.count()).select_from(follows))
        for person in people:
            account = await get_account(conn, person.id)
            assert (account.followers_count, account.following_count) == await _row_counts(
                conn, person.id
            )
    assert total  # the mix leaves some follows behind, so the counters had work to do
