"""DSA grounds and sources: a rule that names a legal ground decides on illegal
content; a decision on a user's report is an Article 16 notice, on a trusted flagger's
report a trusted flagger's; the policy's own decisions are voluntary."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.moderation.dsa_schema import validate_statement
from tests.moderation.test_reports import _account
from townsquare.cli.main import app
from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import NotFound
from townsquare.domain.common.site import Site
from townsquare.domain.moderation.dsa import statement_of, statements_of_reasons
from townsquare.domain.moderation.flaggers import set_trusted_flagger
from townsquare.domain.moderation.policy import PolicyError, parse_policy
from townsquare.domain.moderation.reports import NewReport, file_report
from townsquare.domain.moderation.sanctions import act_on_account
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.storage.database import Database
from townsquare.storage.schema import accounts, moderation_decisions, strikes

LEGAL_GROUND = "Regulation (EU) 2021/784 (terrorist content online), Article 2(7)"
EXPLANATION = "The post calls on readers to join a terrorist attack."
POLICY = f"""
[policy]
id = "legal"
version = "1"

[[rules]]
id = "incitement-remove"
keywords = ["join the attack"]
action = "remove"
legal_ground = "{LEGAL_GROUND}"
illegal_content_explanation = "{EXPLANATION}"

[[rules]]
id = "spam-warn"
keywords = ["crypto giveaway"]
action = "warn"
"""


async def _statements(db: Database, decision_ids: set[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    after: int | None = 0
    async with db.read() as conn:
        while after is not None:
            page = await statements_of_reasons(conn, "test.invalid", after=after)
            for statement in page.statements:
                decision_id = int(statement["puid"].rsplit(":", 1)[1])
                if decision_id in decision_ids:
                    found[decision_id] = statement
            after = page.next_after
    return found


async def _decision_of(db: Database, subject_id: int) -> int:
    async with db.read() as conn:
        return int(
            await conn.scalar(
                select(moderation_decisions.c.id)
                .where(moderation_decisions.c.subject_id == subject_id)
                .order_by(moderation_decisions.c.id.desc())
                .limit(1)
            )
            or 0
        )


async def test_a_rule_with_a_legal_ground_decides_on_illegal_content(
    db: Database, site: Site, tmp_path: Path
) -> None:
    policy = tmp_path / "legal.toml"
    policy.write_text(POLICY, encoding="utf-8")
    here = replace(site, moderation_policy=str(policy))
    author = await _account(db, f"dsag{secrets.token_hex(3)}")
    async with db.write() as conn:
        illegal = await create_post(conn, here, author, Draft(text="Everyone join the attack now"))
        terms = await create_post(conn, here, author, Draft(text="A crypto giveaway for all"))
    ids = {await _decision_of(db, illegal.id), await _decision_of(db, terms.id)}
    found = await _statements(db, ids)
    by_ground = {s["decision_ground"]: s for s in found.values()}
    assert set(by_ground) == {
        "DECISION_GROUND_ILLEGAL_CONTENT",
        "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    }
    unlawful = by_ground["DECISION_GROUND_ILLEGAL_CONTENT"]
    assert unlawful["illegal_content_legal_ground"] == LEGAL_GROUND
    assert unlawful["illegal_content_explanation"] == EXPLANATION
    assert "incompatible_content_ground" not in unlawful
    assert unlawful["source_type"] == "SOURCE_VOLUNTARY"
    other = by_ground["DECISION_GROUND_INCOMPATIBLE_CONTENT"]
    assert other["incompatible_content_ground"] == "legal policy, version 1, rule spam-warn"
    assert "illegal_content_legal_ground" not in other
    for statement in found.values():
        assert validate_statement(statement) == [], statement


async def test_decisions_on_reports_name_their_source(db: Database, site: Site) -> None:
    tag = secrets.token_hex(3)
    moderator = await _account(db, f"dsam{tag}", "moderator")
    reporter, flagger = await _account(db, f"dsar{tag}"), await _account(db, f"dsaf{tag}")
    targets = [await _account(db, f"dsat{tag}{n}") for n in range(3)]
    async with db.write() as conn:
        assert await set_trusted_flagger(conn, f"@{flagger.username}", True) == flagger.username
        flagged_at = await conn.scalar(
            select(accounts.c.updated_at).where(accounts.c.id == flagger.id)
        )
        assert flagged_at is not None and as_utc(flagged_at) >= flagger.created_at
        by_user = await file_report(conn, reporter, NewReport(targets[0].id, comment="spam"))
        by_flagger = await file_report(conn, flagger, NewReport(targets[1].id, comment="spam"))
        for target, report in ((targets[0], by_user), (targets[1], by_flagger)):
            await act_on_account(conn, moderator, target.id, "suspend", report_id=report.id)
        await act_on_account(conn, moderator, targets[2].id, "suspend")  # own initiative
    ids = {await _decision_of(db, t.id): t.id for t in targets}
    found = await _statements(db, set(ids))
    sources = {ids[d]: s["source_type"] for d, s in found.items()}
    assert sources == {
        targets[0].id: "SOURCE_ARTICLE_16",
        targets[1].id: "SOURCE_TRUSTED_FLAGGER",
        targets[2].id: "SOURCE_VOLUNTARY",
    }
    for statement in found.values():
        assert validate_statement(statement) == [], statement
    # the flag comes off again; later reports are plain notices
    async with db.write() as conn:
        await set_trusted_flagger(conn, flagger.username, False)
        trusted = await conn.scalar(
            select(accounts.c.trusted_flagger).where(accounts.c.id == flagger.id)
        )
    assert trusted is False
    async with db.read() as conn:
        assert await conn.scalar(select(strikes.c.id).where(strikes.c.account_id == targets[1].id))


async def test_an_unknown_account_cannot_be_a_trusted_flagger(db: Database) -> None:
    with pytest.raises(NotFound):
        async with db.write() as conn:
            await set_trusted_flagger(conn, "nobody_by_that_name", True)


def test_the_validator_accepts_every_ground_and_source() -> None:
    grounds = [
        ("DECISION_GROUND_ILLEGAL_CONTENT", LEGAL_GROUND, EXPLANATION),
        ("DECISION_GROUND_INCOMPATIBLE_CONTENT", None, None),
    ]
    sources = ["SOURCE_VOLUNTARY", "SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER"]
    subjects = [("status", "remove"), ("account", "suspend"), ("account", "limit")]
    for (ground, legal, why), source, (subject, action) in itertools.product(
        grounds, sources, subjects
    ):
        row = SimpleNamespace(
            id=1, subject_type=subject, subject_id=2, policy_id="p", policy_version="1",
            rule_id="r", stance=None, stance_source=None, evidence_json="[]", action=action,
            label=None, automated_detection=source == "SOURCE_VOLUNTARY",
            automated_decision=False, moderator_id=None if source == "SOURCE_VOLUNTARY" else 3,
            expires_at=None, created_at=utcnow(), decision_ground=ground, legal_ground=legal,
            illegal_content_explanation=why, source_type=source,
        )  # fmt: skip
        statement = statement_of(row, utcnow(), "en", "test.invalid")
        assert statement is not None
        assert (statement["decision_ground"], statement["source_type"]) == (ground, source)
        assert validate_statement(statement) == [], statement


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (f'legal_ground = "{LEGAL_GROUND}"', "'legal_ground' needs 'illegal_content_explanation'"),
        ('illegal_content_explanation = "why"', "needs 'legal_ground' too"),
        ('legal_ground = ""\nillegal_content_explanation = "why"', "must be a non-empty string"),
        ('legal_ground = 7\nillegal_content_explanation = "why"', "must be a non-empty string"),
        (f'legal_ground = "{"x" * 501}"\nillegal_content_explanation = "why"', "at most 500"),
        (f'legal_ground = "law"\nillegal_content_explanation = "{"y" * 2001}"', "at most 2000"),
    ],
)
def test_policy_check_refuses_a_half_or_bad_legal_ground(
    rule: str, message: str, tmp_path: Path
) -> None:
    source = '[policy]\nid = "p"\nversion = "1"\n\n[[rules]]\nid = "r"\naction = "remove"\n'
    source += 'keywords = ["bad"]\n' + rule + "\n"
    with pytest.raises(PolicyError, match=message) as raised:
        parse_policy(source, name="p.toml")
    assert raised.value.message.startswith("p.toml:9: ") or raised.value.message.startswith(
        "p.toml:10: "
    )
    file = tmp_path / "p.toml"
    file.write_text(source, encoding="utf-8")
    checked = CliRunner().invoke(app, ["policy", "check", str(file)])
    assert checked.exit_code == 1
    assert message in checked.stderr and "\n" not in checked.stderr.strip()


def test_policy_check_accepts_a_legal_ground(tmp_path: Path) -> None:
    file = tmp_path / "legal.toml"
    file.write_text(POLICY, encoding="utf-8")
    checked = CliRunner().invoke(app, ["policy", "check", str(file)])
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.strip() == "legal 1: 2 rules, valid"
    rule = parse_policy(POLICY).rules[0]
    assert (rule.legal_ground, rule.illegal_content_explanation) == (LEGAL_GROUND, EXPLANATION)
