"""Reporting an account or a post, and one's own strikes with their appeals."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import DomainError, NotFound
from townsquare.domain.accounts.queries import find_account
from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.moderation.appeals import appeal_strike, strikes_of
from townsquare.domain.moderation.describe import rule_sentence
from townsquare.domain.moderation.reports import CATEGORIES, NewReport, file_report
from townsquare.domain.posts.queries import hydrate, visible_status
from townsquare.http.params import path_id
from townsquare.http.state import state_of
from townsquare.http.web.card_notes import policy_wording
from townsquare.http.web.errors import readable
from townsquare.http.web.pages.common import back_to, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()


async def _report_page(
    request: Request,
    account_id: int | None,
    status_id: int | None,
    status: int = 200,
    **context: object,
) -> Response:
    viewer = await viewer_of(request)
    me = viewer.user
    post = None
    async with state_of(request).db.read() as conn:
        if status_id is not None:
            [post] = await hydrate(conn, me.id, [await visible_status(conn, me.id, status_id)])
            account_id = post.account.id
        account = await find_account(conn, account_id) if account_id is not None else None
    if account is None or account.suspended or account.id == me.id:
        raise NotFound()
    defaults: dict[str, object] = {"error": None, "chosen": {}}
    return await page(
        request, "report.html", status, account=account, post=post, categories=CATEGORIES,
        **{**defaults, **context},
    )  # fmt: skip


def _query_id(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    return path_id(value) if value else None


@router.get("/report")
async def report_form(request: Request) -> Response:
    return await _report_page(request, _query_id(request, "account"), _query_id(request, "status"))


@router.post("/report")
async def send_report(request: Request) -> Response:
    viewer = await viewer_of(request)
    me = viewer.user
    params = await checked_form(request)
    account_id = params.get_id("account_id")
    status_id = params.get_id("status_id")
    category = params.get_str("category", "other", max_length=32) or "other"
    rule_ids = params.get_str_list("rule_ids")
    comment = params.get_str("comment", "", max_length=5000) or ""
    if account_id is None:
        raise NotFound()
    new = NewReport(
        target_account_id=account_id,
        status_ids=[status_id] if status_id is not None else [],
        category=category,
        rule_ids=rule_ids if category == "violation" else [],
        comment=comment,
    )
    try:
        async with state_of(request).db.write() as conn:
            await file_report(conn, me, new, rules=state_of(request).settings.rules)
    except NotFound:
        raise
    except DomainError as exc:
        chosen = {"category": category, "rule_ids": rule_ids, "comment": comment}
        return await _report_page(
            request, account_id, status_id, exc.status, error=readable(exc.message), chosen=chosen
        )
    return await page(
        request, "message.html",
        message="Thank you. The moderators will look at your report.",
    )  # fmt: skip


async def _strikes_page(request: Request, status: int = 200, **context: object) -> Response:
    viewer = await viewer_of(request)
    me = viewer.user
    state = state_of(request)
    async with state.db.read() as conn:
        found = await strikes_of(conn, me.id)
        policy = await active_policy(conn, state.site.moderation_policy) if found else None
    # each strike's rule in words, as the policy page says it (a rule since dropped
    # from the policy shows by its id alone)
    wording = policy_wording(viewer.ui)
    rules = {r.id: rule_sentence(r, wording).sentence for r in (policy.rules if policy else ())}
    defaults: dict[str, object] = {"error": None, "saved": request.query_params.get("saved")}
    return await page(
        request, "strikes.html", status, strikes=found, rules=rules, **{**defaults, **context}
    )


@router.get("/settings/strikes")
async def strikes_page(request: Request) -> Response:
    return await _strikes_page(request)


@router.post("/settings/strikes/{strike_id}/appeal")
async def send_appeal(request: Request, strike_id: str) -> Response:
    viewer = await viewer_of(request)
    me = viewer.user
    params = await checked_form(request)
    text = params.get_str("text", "", max_length=5000) or ""
    try:
        async with state_of(request).db.write() as conn:
            await appeal_strike(conn, me, path_id(strike_id), text)
    except NotFound:
        raise
    except DomainError as exc:
        return await _strikes_page(request, exc.status, error=readable(exc.message))
    return back_to("/settings/strikes?saved=appeal")
