"""Reading the audit log in the domain: filters, paging and refused filters."""

from __future__ import annotations

import secrets

import pytest

from tests.moderation.test_reports import _account
from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.domain.common.paging import Page
from townsquare.domain.moderation.audit import AuditFilter, audit_log, check_audit_filter
from townsquare.domain.moderation.sanctions import act_on_account, undo_account_action
from townsquare.storage.database import Database


async def test_filters_and_pages(db: Database) -> None:
    tag = secrets.token_hex(3)
    moderator = await _account(db, f"audm{tag}", "moderator")
    other = await _account(db, f"audo{tag}", "moderator")
    target = await _account(db, f"audt{tag}")
    async with db.write() as conn:
        await act_on_account(conn, moderator, target.id, "silence")
        await undo_account_action(conn, moderator, target.id, "unsilence")
        await act_on_account(conn, other, target.id, "sensitive")

    async def actions(wanted: AuditFilter, page: Page | None = None) -> list[str]:
        async with db.read() as conn:
            await check_audit_filter(conn, wanted)
            return [e.action for e in await audit_log(conn, wanted=wanted, page=page)]

    mine = AuditFilter(account_id=moderator.id)
    assert await actions(mine) == ["account.unsilence", "account.silence"]
    about = AuditFilter(target_type="account", target_id=str(target.id))
    assert await actions(about) == ["account.sensitive", "account.unsilence", "account.silence"]
    assert await actions(AuditFilter(action="account.sensitive", account_id=other.id)) == [
        "account.sensitive"
    ]
    # a family: every account.* entry of the moderator, none of report.* by name alone
    assert await actions(AuditFilter(action="account", account_id=moderator.id)) == [
        "account.unsilence", "account.silence",
    ]  # fmt: skip
    assert await actions(AuditFilter(action="accoun", account_id=moderator.id)) == []
    async with db.read() as conn:
        [newest, oldest] = await audit_log(conn, wanted=mine)
        assert [e.id for e in await audit_log(conn, wanted=mine, page=Page(limit=1))] == [newest.id]
        older = await audit_log(conn, wanted=mine, page=Page(max_id=newest.id, limit=5))
        newer = await audit_log(conn, wanted=mine, page=Page(since_id=oldest.id, limit=5))
        closest = await audit_log(conn, wanted=mine, page=Page(min_id=oldest.id, limit=5))
    assert [e.id for e in older] == [oldest.id]
    assert [e.id for e in newer] == [newest.id] == [e.id for e in closest]


@pytest.mark.parametrize(
    "wanted",
    [
        AuditFilter(action="DROP TABLE"),
        AuditFilter(action="account..silence"),
        AuditFilter(target_type="planet"),
        AuditFilter(target_id="12"),
        AuditFilter(target_type="account", target_id="x" * 256),
    ],
)
async def test_malformed_filters_are_refused(db: Database, wanted: AuditFilter) -> None:
    async with db.read() as conn:
        with pytest.raises(ValidationFailed):
            await check_audit_filter(conn, wanted)


async def test_an_unknown_moderator_is_not_found(db: Database) -> None:
    async with db.read() as conn:
        with pytest.raises(NotFound):
            await check_audit_filter(conn, AuditFilter(account_id=123456789))
