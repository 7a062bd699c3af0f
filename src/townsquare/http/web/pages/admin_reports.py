"""The moderation queue: reports (filter, assign, note, act, resolve) and appeals.

Moderators and admins only. Reported posts are shown whatever moderation did to
them, each with the decision its state rests on.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, NotFound
from townsquare.domain.accounts.models import Account
from townsquare.domain.moderation.appeals import decide_appeal, get_strike, pending_appeals
from townsquare.domain.moderation.audit import require_moderator
from townsquare.domain.moderation.queries import (
    latest_decisions,
    moderation_states,
    staff_accounts,
    staff_statuses,
)
from townsquare.domain.moderation.reports import (
    add_report_note,
    assign_report,
    get_report,
    list_reports,
    notes_of,
    reopen_report,
    resolve_report,
    unassign_report,
)
from townsquare.domain.moderation.sanctions import ACTIONS, act_on_account, undo_account_action
from townsquare.domain.posts.queries import hydrate
from townsquare.http.params import path_id
from townsquare.http.state import state_of
from townsquare.http.web.errors import readable
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()


async def _moderator(request: Request) -> Account:
    viewer = await viewer_of(request)
    require_moderator(viewer.user)
    return viewer.user


@router.get("/admin/reports")
async def queue(request: Request) -> Response:
    me = await _moderator(request)
    state = request.query_params.get("state", "open")
    state = state if state in ("open", "resolved", "all") else "open"
    mine = request.query_params.get("mine") == "1"
    async with state_of(request).db.read() as conn:
        found = await list_reports(
            conn,
            resolved={"open": False, "resolved": True, "all": None}[state],
            assigned_to=me.id if mine else None,
        )
        people = await staff_accounts(
            conn, {r.target_account_id for r in found} | {r.account_id for r in found}
        )
    return await page(
        request, "admin_reports.html", reports=found, people=people, state=state, mine=mine
    )


async def _report_page(
    request: Request, report_id: int, status: int = 200, error: str | None = None
) -> Response:
    me = await _moderator(request)
    async with state_of(request).db.read() as conn:
        report = await get_report(conn, report_id)
        posts = await hydrate(conn, me.id, await staff_statuses(conn, report.status_ids))
        states = await moderation_states(conn, report.status_ids)
        decisions = await latest_decisions(conn, "status", report.status_ids)
        notes = await notes_of(conn, report.id)
        people = await staff_accounts(
            conn,
            {report.account_id, report.target_account_id}
            | {n.account_id for n in notes}
            | {i for i in (report.assigned_account_id, report.action_taken_by_id) if i},
        )
    return await page(
        request, "admin_report.html", status,
        report=report, posts=posts, states=states, decisions=decisions, notes=notes,
        people=people, actions=ACTIONS, error=error,
    )  # fmt: skip


@router.get("/admin/reports/{report_id}")
async def report_page(request: Request, report_id: str) -> Response:
    return await _report_page(request, path_id(report_id))


_STEPS = {
    "assign": assign_report,
    "unassign": unassign_report,
    "resolve": resolve_report,
    "reopen": reopen_report,
}


@router.post("/admin/reports/{report_id}/{step}")
async def report_step(request: Request, report_id: str, step: str) -> Response:
    me = await _moderator(request)
    params = await checked_form(request)
    wanted = path_id(report_id)
    try:
        async with state_of(request).db.write() as conn:
            if step in _STEPS:
                await _STEPS[step](conn, me, wanted)
            elif step == "note":
                await add_report_note(
                    conn, me, wanted, params.get_str("content", "", max_length=5000) or ""
                )
            elif step == "act":
                report = await get_report(conn, wanted)
                await act_on_account(
                    conn, me, report.target_account_id,
                    params.get_str("type", "none", max_length=32) or "none",
                    text=params.get_str("text", "", max_length=5000) or "", report_id=wanted,
                )  # fmt: skip
            elif step in ("unsuspend", "unsilence", "unsensitive", "enable"):
                report = await get_report(conn, wanted)
                await undo_account_action(conn, me, report.target_account_id, step)
            else:
                raise NotFound()
    except NotFound:
        raise
    except DomainError as exc:
        return await _report_page(request, wanted, exc.status, readable(exc.message))
    return back_to(f"/admin/reports/{wanted}", f"/admin/reports/{wanted}")


@router.get("/admin/appeals")
async def appeals_page(request: Request) -> Response:
    await _moderator(request)
    async with state_of(request).db.read() as conn:
        found = await pending_appeals(conn)
        strikes = {a.id: await get_strike(conn, a.strike_id) for a in found}
        people = await staff_accounts(conn, {a.account_id for a in found})
    return await page(request, "admin_appeals.html", appeals=found, strikes=strikes, people=people)


@router.post("/admin/appeals/{appeal_id}/{verdict}")
async def decide(request: Request, appeal_id: str, verdict: str) -> Response:
    me = await _moderator(request)
    await checked_form(request)
    if verdict not in ("approve", "reject"):
        raise NotFound()
    async with state_of(request).db.write() as conn:
        await decide_appeal(conn, me, path_id(appeal_id), approve=verdict == "approve")
    return back_to("/admin/appeals", "/admin/appeals")
