"""Posts are moderated as they are written, and the guard honours the outcome."""

from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select

from tests.moderation.corpus import ENTITIES, POSTS
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.models import Account
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.moderation.entities import parse_json
from townsquare.domain.moderation.registry import import_entities
from townsquare.domain.posts.actions import Draft, create_post, edit_post
from townsquare.domain.search.queries import search
from townsquare.domain.timelines.home import home_timeline
from townsquare.domain.timelines.queries import public_timeline, tag_timeline
from townsquare.domain.visibility.access import can_see, in_public_reach
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database
from townsquare.storage.schema import moderation_decisions, statuses


async def _author(db: Database, name: str) -> Account:
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
        return await register(
            conn, NewAccount(username=name, email=f"{name}@example.org", password="pw-long-enough1")
        )


async def _seen(db: Database, viewer: int | None, status_id: int) -> bool:
    async with db.read() as conn:
        row = await conn.execute(
            select(statuses.c.id).where(statuses.c.id == status_id, can_see(viewer))
        )
        return row.first() is not None


async def test_praise_removed_under_dangerous_orgs(db: Database, site: Site) -> None:
    author = await _author(db, "writer")
    strict = replace(site, moderation_policy="dangerous-orgs")
    async with db.write() as conn:
        praise = await create_post(conn, strict, author, Draft(text=POSTS["praise"][1]))
        news = await create_post(
            conn, strict, author, Draft(text=POSTS["news_reporting"][0], stance="news_reporting")
        )
    assert not await _seen(db, None, praise.id)
    assert await _seen(db, author.id, praise.id)  # the author still sees it
    assert await _seen(db, None, news.id)
    async with db.read() as conn:
        rows = (
            await conn.execute(
                select(moderation_decisions).where(moderation_decisions.c.subject_id == praise.id)
            )
        ).all()
    [decision] = rows
    assert (decision.policy_id, decision.rule_id, decision.action) == (
        "dangerous-orgs", "tier1-glorification-support", "strike",
    )  # fmt: skip
    assert (decision.stance, decision.automated_decision) == ("praise", True)
    evidence = json.loads(decision.evidence_json)[0]
    assert POSTS["praise"][1][evidence["start"] : evidence["end"]] == "طالبان"
    # an edit that condemns instead lifts the removal, and is recorded too
    async with db.write() as conn:
        await edit_post(conn, strict, author, praise.id, text=POSTS["condemnation"][1])
    assert await _seen(db, None, praise.id)


async def test_open_downranks_praise_out_of_public_reach(db: Database, site: Site) -> None:
    author = await _author(db, "opener")
    async with db.write() as conn:
        praise = await create_post(conn, site, author, Draft(text=POSTS["praise"][0]))
        plain = await create_post(conn, site, author, Draft(text="Green Valley Cooperative meets"))
    async with db.read() as conn:
        row = (
            await conn.execute(
                select(statuses.c.moderation_action, statuses.c.moderation_label).where(
                    statuses.c.id == praise.id
                )
            )
        ).one()
        reach = set(
            (
                await conn.execute(
                    select(statuses.c.id).where(
                        statuses.c.id.in_([praise.id, plain.id]), in_public_reach()
                    )
                )
            ).scalars()
        )
    assert tuple(row) == ("downranked", "violent-entity-praise")
    assert await _seen(db, None, praise.id)  # still there by link
    assert reach == {plain.id}


async def test_downranked_posts_leave_public_surfaces_but_not_followers_homes(
    db: Database, site: Site
) -> None:
    author = await _author(db, "reachless")
    follower, stranger = await _author(db, "reachfan"), await _author(db, "reachpasser")
    async with db.write() as conn:
        await follow(conn, follower, author.id)
        praise = await create_post(conn, site, author, Draft(text=POSTS["praise"][0] + " #reach"))
        plain = await create_post(conn, site, author, Draft(text="Cooperative news #reach"))
    await Worker(db, site).run_until_idle()  # the search index
    async with db.read() as conn:
        public = [s.id for s in await public_timeline(conn, stranger.id, Page(limit=40))]
        tagged = [s.id for s in await tag_timeline(conn, stranger.id, "reach", Page(limit=40))]
        home = [s.id for s in await home_timeline(conn, follower.id, Page(limit=40))]
        found = [s.id for s in (await search(conn, stranger.id, "#reach")).statuses]
        own = [s.id for s in (await search(conn, author.id, "#reach")).statuses]
    assert plain.id in public and praise.id not in public
    assert tagged == [plain.id]
    assert home[:2] == [plain.id, praise.id]
    assert found == [plain.id]
    assert set(own) == {plain.id, praise.id}
