"""A limited ("silenced") account, as Mastodon limits one: off public timelines, tag
timelines and search for people who do not follow it, still everywhere for its
followers, and its notifications reach only its followers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest

from tests.moderation.test_reports import _account
from townsquare.domain.accounts.actions import ProfileChanges, update_profile
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.interactions.actions import favourite
from townsquare.domain.moderation.sanctions import act_on_account, undo_account_action
from townsquare.domain.notifications.queries import list_notifications
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.search.queries import search
from townsquare.domain.timelines.home import home_timeline
from townsquare.domain.timelines.queries import public_timeline, tag_timeline
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database


@dataclass
class Scene:
    moderator: Account
    loud: Account  # the limited account
    fan: Account  # follows it
    passer: Account  # does not
    post_id: int
    tag: str


@pytest.fixture
async def scene(db: Database, site: Site) -> Scene:
    tag = f"limit{secrets.token_hex(3)}"
    moderator = await _account(db, f"lmod{tag}", "moderator")
    loud, fan, passer = (
        await _account(db, f"loud{tag}"), await _account(db, f"fan{tag}"),
        await _account(db, f"pass{tag}"),
    )  # fmt: skip
    async with db.write() as conn:
        await follow(conn, fan, loud.id)
        post = await create_post(conn, site, loud, Draft(text=f"limited words #{tag}"))
        await act_on_account(conn, moderator, loud.id, "silence", text="too loud")
    await Worker(db, site).run_until_idle()
    return Scene(moderator, loud, fan, passer, post.id, tag)


async def _surfaces(db: Database, viewer: int | None, tag: str) -> dict[str, bool]:
    async with db.read() as conn:
        public = await public_timeline(conn, viewer, Page(limit=40))
        tagged = await tag_timeline(conn, viewer, tag, Page(limit=40))
        found = (await search(conn, viewer, f"#{tag}")).statuses if viewer else []
        home = await home_timeline(conn, viewer, Page(limit=40)) if viewer else []
    return {
        "public": bool(public), "tag": bool(tagged), "search": bool(found), "home": bool(home)
    }  # fmt: skip


async def test_followers_see_a_limited_account_everywhere_others_do_not(
    db: Database, scene: Scene
) -> None:
    tag = scene.tag
    assert await _surfaces(db, scene.fan.id, tag) == {
        "public": True, "tag": True, "search": True, "home": True
    }  # fmt: skip
    assert await _surfaces(db, scene.passer.id, tag) == {
        "public": False, "tag": False, "search": False, "home": False
    }  # fmt: skip
    visitor = await _surfaces(db, None, tag)
    assert not visitor["public"] and not visitor["tag"]
    # the account itself still sees its own posts on public surfaces
    own = await _surfaces(db, scene.loud.id, tag)
    assert own["public"] and own["tag"] and own["home"]
    async with db.write() as conn:
        await undo_account_action(conn, scene.moderator, scene.loud.id, "unsilence")
    assert await _surfaces(db, scene.passer.id, tag) == {
        "public": True, "tag": True, "search": True, "home": False
    }  # fmt: skip


async def test_notifications_of_a_limited_account_reach_only_followers(
    db: Database, site: Site, scene: Scene
) -> None:
    async with db.write() as conn:
        by_fan = await create_post(conn, site, scene.fan, Draft(text="a fan's post"))
        by_passer = await create_post(conn, site, scene.passer, Draft(text="a passer's post"))
        loud = scene.loud
        await favourite(conn, loud, by_fan.id)
        await favourite(conn, loud, by_passer.id)
        await create_post(
            conn, site, loud,
            Draft(text=f"hello @{scene.fan.username} and @{scene.passer.username}"),
        )  # fmt: skip
        await follow(conn, loud, scene.passer.id)
    await Worker(db, site).run_until_idle()

    async def kinds(account: Account) -> list[str]:
        async with db.read() as conn:
            found = await list_notifications(conn, account.id, Page(limit=40))
        return sorted(n.type for n in found if n.from_account_id == loud.id)

    # the fan follows the account, so it hears from it; the passer does not
    assert await kinds(scene.fan) == ["favourite", "mention"]
    assert await kinds(scene.passer) == []
    # once the limit is lifted, nothing held back comes back: it was never delivered
    async with db.write() as conn:
        await undo_account_action(conn, scene.moderator, loud.id, "unsilence")
    assert await kinds(scene.passer) == []


async def test_notifications_made_before_the_limit_leave_the_list_while_it_lasts(
    db: Database, site: Site
) -> None:
    moderator = await _account(db, "lmodbefore", "moderator")
    loud, passer = await _account(db, "loudbefore"), await _account(db, "passbefore")
    async with db.write() as conn:
        post = await create_post(conn, site, passer, Draft(text="like me"))
        await favourite(conn, loud, post.id)
        await act_on_account(conn, moderator, loud.id, "silence")

    async def favourites() -> int:
        async with db.read() as conn:
            found = await list_notifications(conn, passer.id, Page(limit=40))
        return sum(1 for n in found if n.from_account_id == loud.id)

    assert await favourites() == 0
    async with db.write() as conn:
        await undo_account_action(conn, moderator, loud.id, "unsilence")
    assert await favourites() == 1


async def test_a_follow_request_from_a_limited_account_still_arrives(
    db: Database, site: Site, scene: Scene
) -> None:
    async with db.write() as conn:
        locked = await update_profile(conn, scene.passer.id, ProfileChanges(locked=True))
        await follow(conn, scene.loud, locked.id)
    async with db.read() as conn:
        found = await list_notifications(conn, locked.id, Page(limit=40))
    assert [n.type for n in found if n.from_account_id == scene.loud.id] == ["follow_request"]
