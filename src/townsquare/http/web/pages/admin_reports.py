"""The moderation queue: reports (filter, assign, note, act, resolve) and appeals.

Moderators and admins only. Reported posts are shown whatever moderation did to
them, each with the decision its state rests on.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, NotFound, ValidationFailed
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
from townsquare.http.params import Params, path_id
from townsquare.http.state import state_of
from townsquare.http.web.errors import readable
from townsquare.http.web.messages import N_
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()

# Refusals of the action form a moderator may read on this page, for the catalogue.
_MESSAGES = (
    N_("Illegal content needs the legal ground it breaks"),
    N_("Illegal content needs an explanation of why"),
    N_("The legal ground is at most 500 characters"),
    N_("The explanation is at most 2000 characters"),
    N_("Moderators cannot act on their own account"),
)


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
    request: Request,
    report_id: int,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    me = await _moderator(request)
    async with state_of(request).db.read() as conn:
        report = await get_report(conn, report_id)
        posts = await hydrate(conn, me.id, await staff_statuses(conn, report.status_ids))
        states = await moderation_states(conn, report.status_ids)
        decisions = await latest_decisions(conn, "status", report.status_ids)
        on_account = (await latest_decisions(conn, "account", [report.target_account_id])).get(
            report.target_account_id
        )
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
        people=people, actions=ACTIONS, error=error, form=form or {}, on_account=on_account,
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
    form: dict[str, str] | None = None
    try:
        async with state_of(request).db.write() as conn:
            if step in _STEPS:
                await _STEPS[step](conn, me, wanted)
            elif step == "note":
                await add_report_note(
                    conn, me, wanted, params.get_str("content", "", max_length=5000) or ""
                )
            elif step == "act":
                form = _act_form(params)
                report = await get_report(conn, wanted)
                await act_on_account(
                    conn, me, report.target_account_id, form["type"] or "none",
                    text=form["text"], report_id=wanted, **_legal_ground(form),
                )  # fmt: skip
            elif step in ("unsuspend", "unsilence", "unsensitive", "enable"):
                report = await get_report(conn, wanted)
                await undo_account_action(conn, me, report.target_account_id, step)
            else:
                raise NotFound()
    except NotFound:
        raise
    except DomainError as exc:
        return await _report_page(request, wanted, exc.status, readable(exc.message), form)
    return back_to(f"/admin/reports/{wanted}", f"/admin/reports/{wanted}")


def _act_form(params: Params) -> dict[str, str]:
    """What the moderator typed into the action form, kept to show it again on an error."""
    return {
        "type": params.get_str("type", "none", max_length=32) or "",
        "text": params.get_str("text", "", max_length=5000) or "",
        "illegal": "1" if params.get_bool("illegal", False) else "",
        "legal_ground": params.get_str("legal_ground", "", max_length=5000) or "",
        "illegal_content_explanation": (
            params.get_str("illegal_content_explanation", "", max_length=20_000) or ""
        ),
    }


def _legal_ground(form: dict[str, str]) -> dict[str, str | None]:
    """The legal ground to decide on, if the moderator marked the content illegal.
    Text typed in without the mark is refused rather than quietly dropped."""
    typed = bool(form["legal_ground"].strip() or form["illegal_content_explanation"].strip())
    if not form["illegal"]:
        if typed:
            raise ValidationFailed(
                N_("Mark the content as illegal, or clear its legal ground and explanation")
            )
        return {"legal_ground": None, "illegal_content_explanation": None}
    if not typed:
        raise ValidationFailed("Illegal content needs the legal ground it breaks")
    return {
        "legal_ground": form["legal_ground"],
        "illegal_content_explanation": form["illegal_content_explanation"],
    }


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
