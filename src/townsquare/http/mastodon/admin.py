"""Mastodon's admin API for reports and accounts, for moderators and admins.

Every route needs both an ``admin:*`` scope on the token and a moderator or admin
account behind it (403 otherwise); the domain actions check the role again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.moderation.audit import (
    AuditFilter,
    audit_log,
    check_audit_filter,
    require_moderator,
)
from townsquare.domain.moderation.queries import (
    STATES,
    list_staff_accounts,
    staff_accounts,
    staff_statuses,
)
from townsquare.domain.moderation.reports import (
    Report,
    assign_report,
    get_report,
    list_reports,
    reopen_report,
    resolve_report,
    unassign_report,
)
from townsquare.domain.moderation.sanctions import act_on_account, undo_account_action
from townsquare.domain.posts.queries import hydrate
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.moderation import (
    admin_account_entity,
    admin_report_entity,
    audit_entry_entity,
)
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import AppState, state_of

router = APIRouter(tags=["admin"])


def staff(scope: str) -> Callable[[Request], Awaitable[Caller]]:
    token_check = scoped(scope)

    async def dependency(request: Request) -> Caller:
        caller = await token_check(request)
        require_moderator(caller.user)
        return caller

    return dependency


async def _report_entities(
    conn: AsyncConnection, state: AppState, caller: Caller, found: list[Report]
) -> list[dict[str, object]]:
    people = await staff_accounts(
        conn,
        {
            i
            for r in found
            for i in (r.account_id, r.target_account_id, r.assigned_account_id,
                      r.action_taken_by_id)
            if i is not None
        },
    )  # fmt: skip
    entities = []
    for report in found:
        # moderators see reported posts whatever moderation did to them
        views = await hydrate(conn, caller.user.id, await staff_statuses(conn, report.status_ids))
        entities.append(
            admin_report_entity(state.site, report, people, views, state.settings.rules)
        )
    return entities


@router.get("/api/v1/admin/reports")
async def admin_reports(
    request: Request, caller: Caller = Depends(staff("admin:read:reports"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    resolved = bool(params.get_bool("resolved", False))
    unresolved = params.get_bool("unresolved")
    limit = params.get_int("limit", minimum=1) or 100
    async with state.db.read() as conn:
        found = await list_reports(
            conn,
            resolved=None if resolved and unresolved else resolved,
            account_id=params.get_id("account_id"),
            target_account_id=params.get_id("target_account_id"),
            max_id=params.get_id("max_id"),
            limit=min(limit, 200),
        )
        entities = await _report_entities(conn, state, caller, found)
    return json_response(entities)


async def _one_report(request: Request, caller: Caller, report_id: int) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        [entity] = await _report_entities(conn, state, caller, [await get_report(conn, report_id)])
    return json_response(entity)


@router.get("/api/v1/admin/reports/{report_id}")
async def admin_report(
    request: Request, report_id: str, caller: Caller = Depends(staff("admin:read:reports"))
) -> Response:
    return await _one_report(request, caller, path_id(report_id))


ReportStep = Callable[..., Awaitable[Report]]
_REPORT_STEPS: dict[str, ReportStep] = {
    "assign_to_self": assign_report,
    "unassign": unassign_report,
    "resolve": resolve_report,
    "reopen": reopen_report,
}


@router.post("/api/v1/admin/reports/{report_id}/{step}")
async def admin_report_step(
    request: Request,
    report_id: str,
    step: str,
    caller: Caller = Depends(staff("admin:write:reports")),
) -> Response:
    action = _REPORT_STEPS.get(step)
    if action is None:
        raise NotFound()
    state = state_of(request)
    async with state.db.write() as conn:
        await action(conn, caller.user, path_id(report_id))
    return await _one_report(request, caller, path_id(report_id))


@router.get("/api/v1/admin/accounts")
async def admin_accounts(
    request: Request, caller: Caller = Depends(staff("admin:read:accounts"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    wanted = [name for name in STATES if params.get_bool(name, False)]
    limit = params.get_int("limit", minimum=1) or 100
    async with state.db.read() as conn:
        found = await list_staff_accounts(
            conn,
            local=bool(params.get_bool("local", False)) or not params.get_bool("remote", False),
            remote=bool(params.get_bool("remote", False)),
            state=wanted[0] if wanted else None,
            username=params.get_str("username", max_length=64),
            email=params.get_str("email", max_length=320),
            staff=bool(params.get_bool("staff", False)),
            max_id=params.get_id("max_id"),
            limit=min(limit, 200),
        )
    return json_response([admin_account_entity(state.site, s) for s in found])


async def _one_account(request: Request, account_id: int) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        found = (await staff_accounts(conn, [account_id])).get(account_id)
    if found is None:
        raise NotFound()
    return json_response(admin_account_entity(state.site, found))


@router.get("/api/v1/admin/accounts/{account_id}")
async def admin_account(
    request: Request, account_id: str, caller: Caller = Depends(staff("admin:read:accounts"))
) -> Response:
    return await _one_account(request, path_id(account_id))


@router.post("/api/v1/admin/accounts/{account_id}/action")
async def admin_account_action(
    request: Request, account_id: str, caller: Caller = Depends(staff("admin:write:accounts"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    # warning_preset_id and send_email_notification are accepted; there are no
    # presets and no e-mail here, the strike is what the user sees. legal_ground and
    # illegal_content_explanation are ours (docs/api-extensions.md).
    async with state.db.write() as conn:
        await act_on_account(
            conn,
            caller.user,
            path_id(account_id),
            params.get_str("type", "none", max_length=32) or "none",
            text=params.get_str("text", "", max_length=5000) or "",
            report_id=params.get_id("report_id"),
            legal_ground=params.get_str("legal_ground", max_length=5000),
            illegal_content_explanation=params.get_str(
                "illegal_content_explanation", max_length=20_000
            ),
        )
    return json_response({})


@router.post("/api/v1/admin/accounts/{account_id}/{undo}")
async def admin_account_undo(
    request: Request,
    account_id: str,
    undo: str,
    caller: Caller = Depends(staff("admin:write:accounts")),
) -> Response:
    if undo not in ("unsuspend", "unsilence", "unsensitive", "enable"):
        raise NotFound()
    state = state_of(request)
    async with state.db.write() as conn:
        await undo_account_action(conn, caller.user, path_id(account_id), undo)
    return await _one_account(request, path_id(account_id))


@router.get("/api/v1/admin/townsquare/audit_log")
async def admin_audit_log(
    request: Request, caller: Caller = Depends(staff("admin:read"))
) -> Response:
    """The moderation audit log, newest first: townsquare's own (Mastodon has none in
    its API), paged with max_id/since_id/min_id/limit and a Link header."""
    state = state_of(request)
    params = await read_params(request)
    wanted = AuditFilter(
        account_id=params.get_id("account_id"),
        action=params.get_str("action", max_length=64) or None,
        target_type=params.get_str("target_type", max_length=16) or None,
        target_id=params.get_str("target_id", max_length=255) or None,
    )
    page = page_of(params, default_limit=40, max_limit=200)
    async with state.db.read() as conn:
        await check_audit_filter(conn, wanted)
        entries = await audit_log(conn, wanted=wanted, page=page)
        people = await staff_accounts(conn, {e.account_id for e in entries if e.account_id})
    entities = [audit_entry_entity(state.site, entry, people) for entry in entries]
    return json_response(
        entities, headers=link_header(state.site, request, [e.id for e in entries])
    )
