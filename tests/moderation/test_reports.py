"""Reports, account actions, strikes, appeals and the audit log, in the domain."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.moderation.corpus import ENTITIES, POSTS
from townsquare.core.clock import as_utc, utcnow
from townsquare.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from townsquare.domain.accounts.actions import NewAccount, authenticate, register
from townsquare.domain.accounts.errors import AccountDisabled, AccountFrozen, InvalidCredentials
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import find_account, get_account
from townsquare.domain.auth.actions import issue_token
from townsquare.domain.auth.queries import caller_by_bearer
from townsquare.domain.common.paging import Page
from townsquare.domain.common.site import Site
from townsquare.domain.graph.actions import follow
from townsquare.domain.interactions.actions import favourite
from townsquare.domain.moderation.actions import use_policy
from townsquare.domain.moderation.appeals import appeal_strike, decide_appeal, strikes_of
from townsquare.domain.moderation.audit import audit_log
from townsquare.domain.moderation.entities import parse_json
from townsquare.domain.moderation.queries import (
    latest_decisions,
    moderation_states,
    staff_statuses,
)
from townsquare.domain.moderation.registry import import_entities
from townsquare.domain.moderation.reports import (
    NewReport,
    add_report_note,
    assign_report,
    file_report,
    list_reports,
    reopen_report,
    resolve_report,
)
from townsquare.domain.moderation.sanctions import (
    PURGE_JOB,
    act_on_account,
    purge_account,
    undo_account_action,
)
from townsquare.domain.moderation.transparency import transparency_report
from townsquare.domain.posts.actions import Draft, create_post
from townsquare.domain.posts.reblogs import reblog
from townsquare.domain.search.queries import search
from townsquare.domain.timelines.queries import public_timeline
from townsquare.domain.visibility.access import can_see
from townsquare.jobs.worker import Worker
from townsquare.storage.database import Database
from townsquare.storage.schema import (
    accounts,
    jobs,
    moderation_audit,
    moderation_decisions,
    reports,
    statuses,
    strikes,
)

PASSWORD = "pw-long-enough1"


async def _account(db: Database, name: str, role: str = "user") -> Account:
    async with db.write() as conn:
        return await register(
            conn,
            NewAccount(username=name, email=f"{name}@example.org", password=PASSWORD, role=role),
        )


async def _fresh(db: Database, account_id: int) -> Account:
    async with db.read() as conn:
        return await get_account(conn, account_id)


async def _seen(db: Database, viewer: int | None, status_id: int) -> bool:
    async with db.read() as conn:
        row = await conn.execute(
            select(statuses.c.id).where(statuses.c.id == status_id, can_see(viewer))
        )
        return row.first() is not None


async def _count(db: Database, table: object) -> int:
    async with db.read() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


async def test_report_with_posts_then_queue_handling(db: Database, site: Site) -> None:
    reporter, target = await _account(db, "reporter"), await _account(db, "reported")
    moderator = await _account(db, "modder", "moderator")
    async with db.write() as conn:
        post = await create_post(conn, site, target, Draft(text="buy cheap stuff"))
        report = await file_report(
            conn, reporter,
            NewReport(target.id, [post.id], category=None, rule_ids=["2"], comment="spammy"),
            rules=["Be kind", "No spam"],
        )  # fmt: skip
    assert (report.category, report.rule_ids, report.status_ids) == (
        "violation",
        ("2",),
        (post.id,),
    )
    async with db.write() as conn:
        await assign_report(conn, moderator, report.id)
        await add_report_note(conn, moderator, report.id, "looks like spam")
        resolved = await resolve_report(conn, moderator, report.id)
    assert resolved.resolved and resolved.assigned_account_id == moderator.id
    async with db.read() as conn:
        assert await list_reports(conn, resolved=False) == []
        assert [r.id for r in await list_reports(conn, resolved=True)] == [report.id]
        log = await audit_log(conn, target_type="report")
    assert [e.action for e in log] == ["report.resolve", "report.note", "report.assign"]
    async with db.write() as conn:
        assert not (await reopen_report(conn, moderator, report.id)).resolved


async def test_bad_reports_are_refused_and_write_nothing(db: Database, site: Site) -> None:
    reporter, target = await _account(db, "reporter2"), await _account(db, "reported2")
    other = await _account(db, "bystander2")
    async with db.write() as conn:
        secret = await create_post(
            conn, site, target, Draft(text="friends only", visibility="private")
        )
        public = await create_post(conn, site, target, Draft(text="hello"))
        elsewhere = await create_post(conn, site, other, Draft(text="not theirs"))
    cases: list[tuple[NewReport, type[Exception]]] = [
        (NewReport(target.id, [secret.id]), NotFound),  # the reporter cannot see it
        (NewReport(target.id, [public.id, 12345]), NotFound),  # no such post
        (NewReport(987654321, []), NotFound),  # no such account
        (NewReport(target.id, [elsewhere.id]), ValidationFailed),
        (NewReport(target.id, [public.id], category="rude"), ValidationFailed),
        (NewReport(target.id, [], category="spam", rule_ids=["1"]), ValidationFailed),
        (NewReport(target.id, [], category="violation", rule_ids=["9"]), ValidationFailed),
        (NewReport(reporter.id, []), ValidationFailed),
    ]
    for new, error in cases:
        with pytest.raises(error):
            async with db.write() as conn:
                await file_report(conn, reporter, new, rules=["Be kind"])
    assert await _count(db, reports) == 0


async def test_non_moderators_and_unknown_actions_are_refused(db: Database) -> None:
    user, target = await _account(db, "plainuser"), await _account(db, "plaintarget")
    moderator = await _account(db, "mod2", "moderator")
    admin = await _account(db, "admin2", "admin")
    with pytest.raises(Forbidden):
        async with db.write() as conn:
            await act_on_account(conn, user, target.id, "suspend")
    with pytest.raises(ValidationFailed):
        async with db.write() as conn:
            await act_on_account(conn, moderator, target.id, "obliterate")
    with pytest.raises(Forbidden):
        async with db.write() as conn:
            await act_on_account(conn, moderator, admin.id, "silence")
    assert await _count(db, strikes) == 0
    assert await _count(db, moderation_audit) == 0
    assert not (await _fresh(db, target.id)).suspended


async def test_limit_leaves_public_surfaces_but_not_followers(db: Database, site: Site) -> None:
    moderator = await _account(db, "mod3", "moderator")
    loud, fan, passer = (
        await _account(db, "loud3"), await _account(db, "fan3"), await _account(db, "passer3")
    )  # fmt: skip
    async with db.write() as conn:
        await follow(conn, fan, loud.id)
        post = await create_post(conn, site, loud, Draft(text="limited words #limitme"))
        await act_on_account(conn, moderator, loud.id, "silence", text="too loud")
    await Worker(db, site).run_until_idle()
    async with db.read() as conn:
        public = [s.id for s in await public_timeline(conn, passer.id, Page(limit=40))]
        by_passer = [s.id for s in (await search(conn, passer.id, "#limitme")).statuses]
        by_fan = [s.id for s in (await search(conn, fan.id, "#limitme")).statuses]
    assert post.id not in public and by_passer == []
    assert by_fan == [post.id]
    assert await _seen(db, passer.id, post.id)  # still there by link
    async with db.write() as conn:
        await undo_account_action(conn, moderator, loud.id, "unsilence")
    async with db.read() as conn:
        assert post.id in [s.id for s in await public_timeline(conn, passer.id, Page(limit=40))]


async def test_freeze_stops_new_tokens_and_writes_but_not_posts(db: Database, site: Site) -> None:
    moderator = await _account(db, "mod4", "moderator")
    frozen = await _account(db, "frozen4")
    async with db.write() as conn:
        post = await create_post(conn, site, frozen, Draft(text="still here"))
        issued = await issue_token(conn, None, frozen.id, ["read"])
        await act_on_account(conn, moderator, frozen.id, "disable")
    async with db.read() as conn:
        with pytest.raises(AccountDisabled):
            await authenticate(conn, "frozen4", PASSWORD)
        # the web signs a frozen account in, to read its strikes and appeal
        signed_in = await authenticate(conn, "frozen4", PASSWORD, frozen_may_sign_in=True)
        assert signed_in.disabled
        # its token still reads (the HTTP layers refuse its writes)
        found = await caller_by_bearer(conn, issued.token)
        assert found is not None and found[1] is not None and found[1].disabled
    for write in (
        lambda conn: create_post(conn, site, signed_in, Draft(text="not now")),
        lambda conn: favourite(conn, signed_in, post.id),
        lambda conn: reblog(conn, site, signed_in, post.id),
        lambda conn: follow(conn, signed_in, moderator.id),
    ):
        with pytest.raises(AccountFrozen):
            async with db.write() as conn:
                await write(conn)
    assert await _seen(db, None, post.id)
    async with db.write() as conn:
        await undo_account_action(conn, moderator, frozen.id, "enable")
    async with db.read() as conn:
        assert (await authenticate(conn, "frozen4", PASSWORD)).id == frozen.id


async def test_sensitive_marks_new_posts(db: Database, site: Site) -> None:
    moderator = await _account(db, "mod5", "moderator")
    racy = await _account(db, "racy5")
    async with db.write() as conn:
        await act_on_account(conn, moderator, racy.id, "sensitive")
    async with db.write() as conn:
        post = await create_post(conn, site, await get_account(conn, racy.id), Draft(text="hi"))
    assert post.sensitive


async def test_suspension_hides_everything_and_is_purged_after_grace(
    db: Database, site: Site
) -> None:
    moderator = await _account(db, "mod6", "moderator")
    bad, reporter = await _account(db, "bad6"), await _account(db, "reporter6")
    async with db.write() as conn:
        post = await create_post(conn, site, bad, Draft(text="awful"))
        report = await file_report(conn, reporter, NewReport(bad.id, [post.id], category="spam"))
        await act_on_account(conn, moderator, bad.id, "suspend", report_id=report.id)
    assert not await _seen(db, None, post.id) and not await _seen(db, bad.id, post.id)
    async with db.read() as conn:
        with pytest.raises(InvalidCredentials):
            await authenticate(conn, "bad6", PASSWORD)
        [handled] = await list_reports(conn, resolved=True)
        purge = (await conn.execute(select(jobs).where(jobs.c.kind == PURGE_JOB))).one()
    assert handled.action_taken_by_id == moderator.id
    assert as_utc(purge.run_at) - utcnow() > timedelta(days=29)
    # within the grace period nothing is purged, and the account can be restored
    async with db.write() as conn:
        assert not await purge_account(conn, bad.id)
        await undo_account_action(conn, moderator, bad.id, "unsuspend")
    assert await _seen(db, None, post.id)
    async with db.write() as conn:
        await act_on_account(conn, moderator, bad.id, "suspend")
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == bad.id)
            .values(suspended_at=utcnow() - timedelta(days=31))
        )
        assert await purge_account(conn, bad.id)
    async with db.read() as conn:
        assert await find_account(conn, bad.id) is None


async def _praised(db: Database, site: Site, name: str) -> tuple[Account, int]:
    author = await _account(db, name)
    async with db.write() as conn:
        await import_entities(conn, parse_json(json.dumps(ENTITIES)))
        strict = replace(site, moderation_policy="dangerous-orgs")
        post = await create_post(conn, strict, author, Draft(text=POSTS["praise"][1]))
    return author, post.id


async def test_policy_strike_appeal_approved_restores_post(db: Database, site: Site) -> None:
    author, post_id = await _praised(db, site, "praiser7")
    moderator = await _account(db, "mod7", "moderator")
    assert not await _seen(db, None, post_id)
    async with db.read() as conn:
        [strike] = await strikes_of(conn, author.id)
    assert (strike.action, strike.rule_id, strike.status_ids) == (
        "delete_statuses", "tier1-glorification-support", (post_id,)
    )  # fmt: skip
    async with db.write() as conn:
        appeal = await appeal_strike(conn, author, strike.id, "It was a quote from a news piece")
    with pytest.raises(Conflict):
        async with db.write() as conn:
            await appeal_strike(conn, author, strike.id, "again")
    async with db.write() as conn:
        decided = await decide_appeal(conn, moderator, appeal.id, approve=True)
    assert decided.state == "approved"
    assert await _seen(db, None, post_id)
    async with db.read() as conn:
        latest = (
            await conn.execute(
                select(moderation_decisions)
                .where(moderation_decisions.c.subject_id == post_id)
                .order_by(moderation_decisions.c.id.desc())
            )
        ).first()
        log = await audit_log(conn, target_type="appeal")
    assert latest is not None and (latest.action, latest.rule_id) == ("allow", "appeal-approved")
    assert latest.moderator_id == moderator.id
    assert [e.action for e in log] == ["appeal.approve"]


async def test_late_appeal_and_others_strikes_are_refused(db: Database, site: Site) -> None:
    author, post_id = await _praised(db, site, "praiser8")
    other = await _account(db, "other8")
    async with db.read() as conn:
        [strike] = await strikes_of(conn, author.id)
    with pytest.raises(NotFound):
        async with db.write() as conn:
            await appeal_strike(conn, other, strike.id, "not mine")
    async with db.write() as conn:
        await conn.execute(
            update(strikes)
            .where(strikes.c.id == strike.id)
            .values(created_at=utcnow() - timedelta(days=21))
        )
    with pytest.raises(ValidationFailed, match="appeal window"):
        async with db.write() as conn:
            await appeal_strike(conn, author, strike.id, "too late?")
    async with db.read() as conn:
        [still] = await strikes_of(conn, author.id)
    assert still.appeal is None and not await _seen(db, None, post_id)


async def test_rejected_appeal_keeps_the_account_action(db: Database, site: Site) -> None:
    moderator = await _account(db, "mod9", "moderator")
    target = await _account(db, "target9")
    async with db.write() as conn:
        strike_id = await act_on_account(conn, moderator, target.id, "silence", text="calm down")
    async with db.write() as conn:
        appeal = await appeal_strike(conn, await get_account(conn, target.id), strike_id, "why")
        await decide_appeal(conn, moderator, appeal.id, approve=False)
    assert (await _fresh(db, target.id)).silenced
    with pytest.raises(Conflict):
        async with db.write() as conn:
            await decide_appeal(conn, moderator, appeal.id, approve=True)


async def test_approved_appeal_lifts_the_account_action(db: Database, site: Site) -> None:
    moderator = await _account(db, "mod10", "moderator")
    target = await _account(db, "target10")
    async with db.write() as conn:
        strike_id = await act_on_account(conn, moderator, target.id, "suspend")
    async with db.write() as conn:
        appeal = await appeal_strike(conn, await get_account(conn, target.id), strike_id, "no")
        await decide_appeal(conn, moderator, appeal.id, approve=True)
    assert not (await _fresh(db, target.id)).suspended
    async with db.read() as conn:
        latest = (
            await conn.execute(
                select(moderation_decisions.c.action, moderation_decisions.c.rule_id)
                .where(moderation_decisions.c.subject_id == target.id)
                .order_by(moderation_decisions.c.id.desc())
            )
        ).first()
    assert latest is not None and tuple(latest) == ("reverse", "appeal-approved")


async def test_moderators_read_removed_posts_with_their_decision(db: Database, site: Site) -> None:
    _author, post_id = await _praised(db, site, "praiser11")
    async with db.read() as conn:
        [post] = await staff_statuses(conn, [post_id])
        states = await moderation_states(conn, [post_id])
        decisions = await latest_decisions(conn, "status", [post_id])
    assert post.id == post_id and states == {post_id: "removed"}
    assert decisions[post_id].rule_id == "tier1-glorification-support"


async def test_switching_policy_is_audited(db: Database) -> None:
    admin = await _account(db, "admin12", "admin")
    async with db.write() as conn:
        await use_policy(conn, "dangerous-orgs", actor_id=admin.id)
    async with db.read() as conn:
        [entry] = await audit_log(conn, target_type="policy")
    assert (entry.account_id, entry.action, entry.target_id) == (
        admin.id, "policy.use", "dangerous-orgs"
    )  # fmt: skip


async def test_the_transparency_report_counts_appeals_and_reversals(
    db: Database, site: Site
) -> None:
    async def this_month() -> tuple[int, int, int, int]:
        async with db.read() as conn:
            months = await transparency_report(conn)
        now = utcnow().strftime("%Y-%m")
        found = [m for m in months if m.month == now]
        if not found:
            return (0, 0, 0, 0)
        m = found[0]
        return (m.appeals, m.appeals_approved, m.appeals_rejected, m.reversals)

    before = await this_month()
    author, _post_id = await _praised(db, site, "praiser11")
    moderator = await _account(db, "mod11", "moderator")
    target = await _account(db, "target11")
    async with db.read() as conn:
        [strike] = await strikes_of(conn, author.id)
    async with db.write() as conn:
        silenced = await act_on_account(conn, moderator, target.id, "silence", text="calm")
    async with db.write() as conn:
        approved = await appeal_strike(conn, author, strike.id, "it was news")
        rejected = await appeal_strike(conn, await get_account(conn, target.id), silenced, "no")
        await decide_appeal(conn, moderator, approved.id, approve=True)
        await decide_appeal(conn, moderator, rejected.id, approve=False)
    after = await this_month()
    # one post restored by the approved appeal; the rejected one reverses nothing
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (2, 1, 1, 1)
