"""``policy simulate``: two policies over the same stored posts, acting on nothing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.moderation.corpus import ENTITIES, POSTS
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.common.site import Site
from townsquare.domain.moderation.entities import parse_json
from townsquare.domain.moderation.policy import load_policy
from townsquare.domain.moderation.registry import import_entities
from townsquare.domain.moderation.simulate import simulate
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.storage.database import Database
from townsquare.storage.schema import moderation_decisions, statuses

TIER2_PRAISE = "The Northern Front are heroes, glory to them!"


async def _corpus(db: Database, site: Site) -> dict[tuple[str, str], int]:
    """Every stance in English and Urdu about the Tier 1 entity, Tier 2 praise, and
    posts about an ordinary organisation; keyed by (stance, language)."""
    ids: dict[tuple[str, str], int] = {}
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
        author = await register(
            conn,
            NewAccount(username="simwriter", email="sim@example.org", password="pw-long-enough1"),
        )
        for stance, (english, urdu) in POSTS.items():
            for language, text in (("en", english), ("ur", urdu)):
                post = await create_post(
                    conn, site, author, Draft(text=text, stance=stance, language=language)
                )
                ids[(stance, language)] = post.id
        tier2 = await create_post(conn, site, author, Draft(text=TIER2_PRAISE, stance="praise"))
        ids[("tier2-praise", "en")] = tier2.id
        for n, text in enumerate(
            ["Green Valley Cooperative meets on Friday.", "گرین ویلی کوآپریٹو کا اجلاس جمعہ کو"]
        ):
            plain = await create_post(conn, site, author, Draft(text=text))
            ids[(f"ordinary-{n}", "xx")] = plain.id
    return ids


async def _state(db: Database) -> tuple[int, list[tuple[int, str | None, str | None]]]:
    async with db.read() as conn:
        decisions = (
            await conn.execute(select(func.count()).select_from(moderation_decisions))
        ).scalar_one()
        rows = await conn.execute(
            select(
                statuses.c.id, statuses.c.moderation_action, statuses.c.moderation_label
            ).order_by(statuses.c.id)
        )
        return decisions, [tuple(r) for r in rows]  # type: ignore[misc]


async def test_dangerous_orgs_against_open_reports_exactly_the_issue_differences(
    db: Database, site: Site
) -> None:
    ids = await _corpus(db, site)
    before = await _state(db)
    policies = (load_policy("dangerous-orgs"), load_policy("open"))
    async with db.read() as conn:
        result = await simulate(conn, policies, page_size=3)  # several pages
    assert await _state(db) == before  # nothing was written

    listed = {post.status_id: post for post in result.listed}
    expected = {
        ids[(stance, language)]: outcome
        for language in ("en", "ur")
        for stance, outcome in (
            # removed with a strike under dangerous-orgs; labelled and downranked under open
            ("praise", (("tier1-glorification-support", "strike", None),
                        ("praise-restricted-reach", "downrank", "violent-entity-praise"))),
            # removed under both, but only dangerous-orgs strikes the account
            ("support", (("tier1-glorification-support", "strike", None),
                         ("support-remove", "remove", None))),
        )
    }  # fmt: skip
    # the Tier 2 entity is in a peace process: open's exception allows the praise
    expected[ids[("tier2-praise", "en")]] = (
        ("tier2-glorification-support", "remove", None),
        ("exception-reformed-peace-elected-state", "allow", None),
    )
    assert {
        sid: tuple((o.rule_id, o.action, o.label) for o in post.outcomes)
        for sid, post in listed.items()
    } == expected
    assert result.listed_total == len(expected) and not result.truncated
    assert listed[ids[("praise", "ur")]].excerpt == POSTS["praise"][1]
    assert listed[ids[("praise", "ur")]].stance == "praise"
    # news reporting, neutral discussion and condemnation are allowed by both
    assert result.posts == len(ids)
    strict, open_ = result.totals
    assert strict == {"strike": 4, "remove": 1, "allow": len(ids) - 5}
    assert open_ == {"downrank": 2, "remove": 2, "allow": len(ids) - 4}


async def test_one_policy_lists_where_it_acts_and_since_filters(db: Database, site: Site) -> None:
    ids = await _corpus(db, replace(site, moderation_policy="dangerous-orgs"))
    async with db.read() as conn:
        alone = await simulate(conn, (load_policy("open"),), max_listed=1)
        later = await simulate(conn, (load_policy("open"),), since=datetime(2999, 1, 1, tzinfo=UTC))
    acting = {ids[(s, lang)] for s in ("praise", "support") for lang in ("en", "ur")}
    assert alone.listed_total == len(acting)
    assert len(alone.listed) == 1 and alone.truncated
    assert alone.listed[0].status_id in acting
    assert later.posts == 0 and later.listed == []
