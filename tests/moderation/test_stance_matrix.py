"""Every stance, in English and Urdu, towards a Tier 1 entity, a Tier 2 entity (in a
peace process) and an ordinary organisation, under ``dangerous-orgs`` and ``open``:
what each decides, that ``policy simulate`` lists exactly the posts where they differ,
and that the policy suspends the account speaking for an entity only where it says so.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import replace

import pytest
from sqlalchemy import update

from tests.moderation.corpus import ENTITIES, POSTS
from tests.moderation.test_policy import as_ordinary, as_tier2, decide
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.common.site import Site
from townsquare.domain.moderation.entities import parse_json
from townsquare.domain.moderation.policy import load_policy
from townsquare.domain.moderation.registry import import_entities
from townsquare.domain.moderation.simulate import simulate
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts

# The two stances the shared corpus leaves out, in the same two languages.
STANCES = {
    **POSTS,
    "representation": (
        "We speak for the Taliban: this is our official account.",
        "ہم طالبان کی طرف سے بول رہے ہیں، یہ ہمارا سرکاری اکاؤنٹ ہے",
    ),
    "unclear": ("Taliban.", "طالبان"),
}
SUBJECTS = {"tier1": lambda text: text, "tier2": as_tier2, "ordinary": as_ordinary}
DISCOURSE = ("news_reporting", "neutral_discussion", "condemnation")

# (stance, subject) -> ((rule, action, label) under dangerous-orgs, ... under open),
# the same in both languages.
EXPECTED = {
    ("praise", "tier1"): (("tier1-glorification-support", "strike", None),
                          ("praise-restricted-reach", "downrank", "violent-entity-praise")),
    ("support", "tier1"): (("tier1-glorification-support", "strike", None),
                           ("support-remove", "remove", None)),
    ("representation", "tier1"): (("tier1-representation", "suspend", None),
                                  ("representation-suspend", "suspend", None)),
    ("unclear", "tier1"): (("tier1-unclear", "remove", None),
                           ("unclear-label", "label", "violent-entity")),
    ("praise", "tier2"): (("tier2-glorification-support", "remove", None), None),
    ("support", "tier2"): (("tier2-glorification-support", "remove", None), None),
    ("representation", "tier2"): (("tier2-representation", "suspend", None), None),
    ("unclear", "tier2"): (("tier2-unclear", "hold", None), None),
    **{(stance, "tier1"): (("exception-discourse", "allow", None),
                           ("exception-context", "allow", None)) for stance in DISCOURSE},
    **{(stance, "tier2"): (("exception-discourse", "allow", None), None) for stance in DISCOURSE},
    **{(stance, "ordinary"): (("default-allow", "allow", None), ("default-allow", "allow", None))
       for stance in STANCES},
}  # fmt: skip
# open's exception for reformed groups, peace processes, elected representatives
# and state actors allows everything about the Tier 2 entity
OPEN_EXCEPTION = ("exception-reformed-peace-elected-state", "allow", None)


def _expected(stance: str, subject: str) -> tuple[tuple[str, str, str | None], ...]:
    strict, open_ = EXPECTED[(stance, subject)]
    return strict, open_ or OPEN_EXCEPTION


@pytest.mark.parametrize("language", [0, 1], ids=["en", "ur"])
@pytest.mark.parametrize("subject", list(SUBJECTS))
@pytest.mark.parametrize("stance", list(STANCES))
def test_each_stance_under_both_presets(stance: str, subject: str, language: int) -> None:
    text = SUBJECTS[subject](STANCES[stance][language])
    found = tuple(
        (d.rule_id, d.action, d.label)
        for d in (decide(preset, text, stance) for preset in ("dangerous-orgs", "open"))
    )
    assert found == _expected(stance, subject)
    strict, open_ = found
    # praise and support go under dangerous-orgs; open removes nothing but support,
    # and labels and downranks praise instead
    if stance == "praise" and subject == "tier1":
        assert strict[1] in ("remove", "strike") and open_[1] == "downrank" and open_[2]


async def test_simulation_lists_exactly_where_the_presets_differ(db: Database, site: Site) -> None:
    ids: dict[int, tuple[str, str]] = {}
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
        author = await register(
            conn, NewAccount(username=f"mx{secrets.token_hex(4)}", email=f"mx{secrets.token_hex(4)}"
                             "@example.org", password="pw-long-enough1"),
        )  # fmt: skip
        for stance, texts in STANCES.items():
            for subject, rewrite in SUBJECTS.items():
                for language, text in zip(("en", "ur"), texts, strict=True):
                    # the policy suspends as it goes; each post starts from a clear account
                    await conn.execute(
                        update(accounts).where(accounts.c.id == author.id).values(suspended_at=None)
                    )
                    draft = Draft(text=rewrite(text), stance=stance, language=language)
                    post = await create_post(conn, site, author, draft)
                    ids[post.id] = (stance, subject)
    async with db.read() as conn:
        result = await simulate(
            conn, (load_policy("dangerous-orgs"), load_policy("open")), page_size=7
        )
    # a difference is in what happens to the post (action and label), not which rule
    differ = {
        sid for sid, key in ids.items()
        if len({(action, label) for _rule, action, label in _expected(*key)}) == 2
    }  # fmt: skip
    listed = {post.status_id: post for post in result.listed}
    assert set(listed) == differ and not result.truncated
    for sid, post in listed.items():
        assert tuple((o.rule_id, o.action, o.label) for o in post.outcomes) == _expected(*ids[sid])
    assert result.posts == len(ids)
    strict, open_ = result.totals
    assert strict == {"strike": 4, "remove": 6, "suspend": 4, "hold": 2, "allow": 26}
    assert open_ == {"downrank": 2, "remove": 2, "suspend": 2, "label": 2, "allow": 34}


@pytest.mark.parametrize("preset", ["dangerous-orgs", "open"])
async def test_speaking_for_an_entity_suspends_the_account_where_the_policy_says(
    db: Database, site: Site, preset: str
) -> None:
    here = replace(site, moderation_policy=preset)
    suspended = {}
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
        for subject, rewrite in SUBJECTS.items():
            tag = secrets.token_hex(4)
            author = await register(
                conn,
                NewAccount(username=f"rp{tag}", email=f"rp{tag}@example.org",
                           password="pw-long-enough1"),
            )  # fmt: skip
            text = rewrite(STANCES["representation"][0])
            await create_post(conn, here, author, Draft(text=text, stance="representation"))
            suspended[subject] = (await get_account(conn, author.id)).suspended
    # open's exception covers the Tier 2 entity in a peace process; dangerous-orgs has none
    assert suspended == {"tier1": True, "tier2": preset == "dangerous-orgs", "ordinary": False}
