"""A moderator acting on a report may decide that the content is illegal, naming the
law and why; the DSA statement then rests on illegal content, otherwise on the
instance's terms, citing the moderator's rule. Half a ground writes nothing."""

from __future__ import annotations

import secrets

import orjson
import pytest
from sqlalchemy import func, select

from tests.moderation.dsa_schema import validate_statement
from tests.moderation.test_dsa_grounds import EXPLANATION, LEGAL_GROUND, _decision_of, _statements
from tests.moderation.test_reports import _account, _fresh
from townsquare.core.errors import ValidationFailed
from townsquare.domain.moderation.reports import NewReport, file_report, get_report
from townsquare.domain.moderation.sanctions import act_on_account
from townsquare.storage.database import Database
from townsquare.storage.schema import moderation_audit, moderation_decisions, strikes


async def test_a_moderator_cites_a_legal_ground_or_the_terms(db: Database) -> None:
    tag = secrets.token_hex(3)
    moderator = await _account(db, f"mgm{tag}", "moderator")
    reporter = await _account(db, f"mgr{tag}")
    unlawful, rude = await _account(db, f"mgu{tag}"), await _account(db, f"mgx{tag}")
    async with db.write() as conn:
        first = await file_report(conn, reporter, NewReport(unlawful.id, comment="recruiting"))
        second = await file_report(conn, reporter, NewReport(rude.id, comment="rude"))
        await act_on_account(
            conn, moderator, unlawful.id, "suspend", report_id=first.id,
            legal_ground=f"  {LEGAL_GROUND} ", illegal_content_explanation=EXPLANATION,
        )  # fmt: skip
        await act_on_account(conn, moderator, rude.id, "silence", report_id=second.id)
    decided = {await _decision_of(db, unlawful.id): "illegal", await _decision_of(db, rude.id): ""}
    found = await _statements(db, set(decided))
    assert len(found) == 2
    for decision_id, statement in found.items():
        assert validate_statement(statement) == [], statement
        assert statement["source_type"] == "SOURCE_ARTICLE_16"
        assert statement["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
        if decided[decision_id]:
            assert statement["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
            assert statement["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
            assert statement["illegal_content_legal_ground"] == LEGAL_GROUND
            assert statement["illegal_content_explanation"] == EXPLANATION
            assert "incompatible_content_ground" not in statement
        else:
            assert statement["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
            assert statement["incompatible_content_ground"] == (
                "moderator policy, version 1, rule moderator-silence"
            )
            assert "terms of service" in statement["incompatible_content_explanation"]
            assert "illegal_content_legal_ground" not in statement
    async with db.read() as conn:
        rows = (
            await conn.execute(
                select(moderation_audit.c.target_id, moderation_audit.c.details_json).where(
                    moderation_audit.c.target_id.in_([str(unlawful.id), str(rude.id)]),
                    moderation_audit.c.action.in_(["account.suspend", "account.silence"]),
                )
            )
        ).all()
    details = {int(row.target_id): orjson.loads(row.details_json) for row in rows}
    assert details[unlawful.id]["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert details[unlawful.id]["legal_ground"] == LEGAL_GROUND
    assert details[unlawful.id]["illegal_content_explanation"] == EXPLANATION
    assert details[rude.id]["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert "legal_ground" not in details[rude.id]


async def test_freezing_and_marking_sensitive_are_statements_too(db: Database) -> None:
    """Each account action a moderator takes restricts the account somehow, so each is a
    statement of reasons, and a legal ground given with it reaches the statement."""
    tag = secrets.token_hex(3)
    moderator = await _account(db, f"mfm{tag}", "moderator")
    reporter = await _account(db, f"mfr{tag}")
    frozen, sensitive = await _account(db, f"mff{tag}"), await _account(db, f"mfs{tag}")
    async with db.write() as conn:
        first = await file_report(conn, reporter, NewReport(frozen.id, comment="spam"))
        second = await file_report(conn, reporter, NewReport(sensitive.id, comment="gore"))
        await act_on_account(
            conn, moderator, frozen.id, "disable", report_id=first.id,
            legal_ground=LEGAL_GROUND, illegal_content_explanation=EXPLANATION,
        )  # fmt: skip
        await act_on_account(conn, moderator, sensitive.id, "sensitive", report_id=second.id)
    decisions = {
        await _decision_of(db, frozen.id): "frozen",
        await _decision_of(db, sensitive.id): "sensitive",
    }
    found = await _statements(db, set(decisions))
    assert len(found) == 2
    for decision_id, statement in found.items():
        assert validate_statement(statement) == [], statement
        if decisions[decision_id] == "frozen":
            assert statement["decision_provision"] == "DECISION_PROVISION_TOTAL_SUSPENSION"
            assert statement["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
            assert statement["illegal_content_legal_ground"] == LEGAL_GROUND
        else:
            assert statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_LABELLED"]
            assert statement["incompatible_content_ground"] == (
                "moderator policy, version 1, rule moderator-sensitive"
            )


@pytest.mark.parametrize(
    ("ground", "explanation", "field", "message"),
    [
        (LEGAL_GROUND, None, "illegal_content_explanation", "needs an explanation"),
        (LEGAL_GROUND, "   ", "illegal_content_explanation", "needs an explanation"),
        (None, EXPLANATION, "legal_ground", "needs the legal ground"),
        ("x" * 501, EXPLANATION, "legal_ground", "at most 500 characters"),
        (LEGAL_GROUND, "y" * 2001, "illegal_content_explanation", "at most 2000 characters"),
    ],
)
async def test_half_or_oversized_ground_writes_nothing(
    db: Database, ground: str | None, explanation: str | None, field: str, message: str
) -> None:
    tag = secrets.token_hex(3)
    moderator = await _account(db, f"mgm{tag}", "moderator")
    reporter, target = await _account(db, f"mgr{tag}"), await _account(db, f"mgt{tag}")
    async with db.write() as conn:
        report = await file_report(conn, reporter, NewReport(target.id, comment="bad"))
    with pytest.raises(ValidationFailed, match=message) as refused:
        async with db.write() as conn:
            await act_on_account(
                conn, moderator, target.id, "suspend", report_id=report.id,
                legal_ground=ground, illegal_content_explanation=explanation,
            )  # fmt: skip
    assert field in (refused.value.details or {})
    assert not (await _fresh(db, target.id)).suspended
    async with db.read() as conn:
        assert not (await get_report(conn, report.id)).resolved
        for table, column, value in (
            (moderation_decisions, moderation_decisions.c.subject_id, target.id),
            (strikes, strikes.c.account_id, target.id),
            (moderation_audit, moderation_audit.c.target_id, str(target.id)),
        ):
            count = await conn.scalar(
                select(func.count()).select_from(table).where(column == value)
            )
            assert count == 0, table.name
