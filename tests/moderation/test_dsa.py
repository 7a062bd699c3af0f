"""Decisions exported as DSA statements of reasons, each checked by our validator."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.moderation.corpus import ENTITIES, POSTS
from tests.moderation.dsa_schema import validate_statement
from townsquare.core.clock import utcnow
from townsquare.core.ids import new_id
from townsquare.domain.accounts.actions import NewAccount, register
from townsquare.domain.common.site import Site
from townsquare.domain.moderation.dsa import statements_of_reasons
from townsquare.domain.moderation.entities import parse_json
from townsquare.domain.moderation.registry import import_entities
from townsquare.domain.posts.actions import Draft, create_post, edit_post
from townsquare.storage.database import Database
from townsquare.storage.schema import moderation_decisions

HOUSE_RULES = """
[policy]
id = "house"
version = "1"

[[rules]]
id = "spam-warn"
keywords = ["crypto giveaway"]
action = "warn"

[[rules]]
id = "scam-domain-suspend"
domains = ["scam.example"]
action = "suspend"
duration_days = 30
"""


async def scene(db: Database, site: Site, tmp_path: Path) -> dict[str, int]:
    """One post for each kind of restriction, plus posts that are allowed."""
    house = tmp_path / "house.toml"
    house.write_text(HOUSE_RULES, encoding="utf-8")
    strict = replace(site, moderation_policy="dangerous-orgs")
    rules = replace(site, moderation_policy=str(house))
    ids: dict[str, int] = {}
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
        author = await register(
            conn,
            NewAccount(username="dsawriter", email="dsa@example.org", password="pw-long-enough1"),
        )
        moderator = await register(
            conn, NewAccount(username="dsamod", email="mod@example.org", password="pw-long-enough1")
        )

        async def post(key: str, where: Site, text: str, **draft: Any) -> None:
            ids[key] = (await create_post(conn, where, author, Draft(text=text, **draft))).id

        await post("downrank", site, POSTS["praise"][0], stance="praise")
        await post("label", site, "Taliban, Kabul.")  # stance left to the classifier
        await post("remove", site, POSTS["support"][1], stance="support", language="ur")
        await post("suspend", site, "We are the Taliban's voice.", stance="representation")
        await post("strike", strict, POSTS["praise"][1], language="ur")
        await post("hold", strict, "شمالی محاذ")
        await post("warn", rules, "Huge crypto giveaway tonight")
        await post("timed", rules, "Claim it at https://scam.example/now")
        await post("allowed", strict, POSTS["news_reporting"][0], stance="news_reporting")
        await post("lifted", strict, POSTS["support"][0], stance="support")
        await edit_post(conn, strict, author, ids["lifted"], text=POSTS["condemnation"][0])
        # a moderator's own decision, as the moderation queue records one
        ids["moderated"] = new_id()
        await conn.execute(
            moderation_decisions.insert().values(
                id=ids["moderated"], subject_type="status", subject_id=ids["allowed"],
                policy_id="dangerous-orgs", policy_version="2026.12.1", rule_id="moderator-hold",
                stance="unclear", stance_source="moderator", evidence_json="[]", action="hold",
                automated_detection=False, automated_decision=False, moderator_id=moderator.id,
                created_at=utcnow(),
            )
        )  # fmt: skip
    return ids


async def _export(db: Database, limit: int) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    after = 0
    async with db.read() as conn:
        while True:
            page = await statements_of_reasons(conn, "test.invalid", after=after, limit=limit)
            statements.extend(page.statements)
            if page.next_after is None:
                return statements
            after = page.next_after


async def test_every_restricting_decision_is_a_valid_statement(
    db: Database, site: Site, tmp_path: Path
) -> None:
    ids = await scene(db, site, tmp_path)
    statements = await _export(db, limit=2)
    for statement in statements:
        assert validate_statement(statement) == [], statement
    puids = [s["puid"] for s in statements]
    assert len(set(puids)) == len(puids)
    async with db.read() as conn:
        decisions = {row.id: row for row in await conn.execute(select(moderation_decisions))}
    by_decision = {int(s["puid"].rsplit(":", 1)[1]): s for s in statements}
    assert set(by_decision) <= set(decisions)

    def about(key: str, subject_type: str = "status") -> dict[str, Any]:
        """The statement of the decision on post ``key``, or of the account decision
        made by rule ``key``."""
        [found] = [
            by_decision[d.id] for d in decisions.values()
            if d.id in by_decision and d.subject_type == subject_type
            and (d.rule_id == key if subject_type == "account" else d.subject_id == ids[key])
        ]  # fmt: skip
        return found

    kinds = ("downrank", "label", "remove", "suspend", "strike", "hold", "warn", "timed")
    visibility = {key: about(key)["decision_visibility"] for key in kinds}
    assert visibility == {
        "downrank": ["DECISION_VISIBILITY_CONTENT_DEMOTED"],
        "label": ["DECISION_VISIBILITY_CONTENT_LABELLED"],
        "remove": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "suspend": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "strike": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "hold": ["DECISION_VISIBILITY_CONTENT_DISABLED"],
        "warn": ["DECISION_VISIBILITY_OTHER"],
        "timed": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
    }
    assert about("warn")["category"] == "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
    assert about("strike")["category"] == "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"
    assert about("strike")["content_language"] == "UR"
    assert "'طالبان'" in about("strike")["decision_facts"]
    assert about("label")["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert about("remove")["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    moderated = by_decision[ids["moderated"]]
    assert (moderated["automated_detection"], moderated["automated_decision"]) == (
        "No", "AUTOMATED_DECISION_NOT_AUTOMATED",
    )  # fmt: skip
    # account actions: the two suspensions, one of them for 30 days; no strike statement
    accounts = [s for s in statements if "decision_account" in s]
    assert sorted(s["incompatible_content_ground"].rsplit(" ", 1)[1] for s in accounts) == [
        "representation-suspend", "scam-domain-suspend",
    ]  # fmt: skip
    timed = about("scam-domain-suspend", "account")
    ends = date.fromisoformat(timed["end_date_account_restriction"])
    assert (ends - date.fromisoformat(timed["application_date"])).days == 30
    assert not any(s.get("decision_provision") for s in statements)
    # allowed posts, the edit that lifts a removal and account strikes make no statement;
    # the lifted removal itself stays in the record
    restricting = [
        d for d in decisions.values()
        if d.action != "allow" and not (d.subject_type == "account" and d.action == "strike")
    ]  # fmt: skip
    assert len(statements) == len(restricting) == 12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"decision_visibility": None}, "one of decision_visibility"),
        (
            {"decision_visibility": ["DECISION_VISIBILITY_OTHER"]},
            "decision_visibility_other is required",
        ),
        (
            {"decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT"},
            "illegal_content_legal_ground is required",
        ),
        ({"category": "STATEMENT_CATEGORY_TERRORISM"}, "category has a value not in the schema"),
        ({"content_date": "2026-13-01"}, "content_date must be a date"),
        ({"application_date": "2019-12-31"}, "application_date is out of range"),
        ({"end_date_visibility_restriction": "2020-01-02"}, "before application_date"),
        ({"decision_facts": "x" * 5001}, "decision_facts is longer than 5000"),
        ({"automated_decision": "Yes"}, "automated_decision has a value not in the schema"),
        ({"content_language": "en"}, "content_language must be an upper-case"),
        ({"territorial_scope": ["US"]}, "territorial_scope has a value not in the schema"),
        ({"puid": None}, "puid is required"),
        ({"colour": "red"}, "unknown field colour"),
    ],
)
async def test_the_validator_catches_broken_statements(
    db: Database, site: Site, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    await scene(db, site, tmp_path)
    [first, *_] = await _export(db, limit=200)
    broken = {k: v for k, v in {**first, **change}.items() if v is not None}
    errors = validate_statement(broken)
    assert any(message in error for error in errors), errors
