"""The audit log for moderators: who did what to which target, newest first, with the
same filters as the API (``/api/v1/admin/townsquare/audit_log``)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.ids import parse_id
from townsquare.domain.accounts.queries import account_by_username
from townsquare.domain.common.paging import Page
from townsquare.domain.moderation.audit import (
    TARGET_TYPES,
    AuditFilter,
    audit_log,
    check_audit_filter,
    require_moderator,
)
from townsquare.domain.moderation.queries import staff_accounts
from townsquare.http.state import state_of
from townsquare.http.web.errors import readable
from townsquare.http.web.pages.common import web_router
from townsquare.http.web.session import viewer_of
from townsquare.http.web.templating import page

router = web_router()

PAGE_SIZE = 40


@router.get("/admin/audit")
async def audit_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    require_moderator(viewer.user)
    query = request.query_params
    moderator = (query.get("moderator") or "").strip().removeprefix("@")[:64]
    action = (query.get("action") or "").strip()[:64]
    target_type = (query.get("target_type") or "").strip()[:16]
    target_id = (query.get("target_id") or "").strip()[:255]
    before = parse_id(query.get("max_id") or "")
    form = {"moderator": moderator, "action": action, "target_type": target_type,
            "target_id": target_id}  # fmt: skip
    entries = []
    people = {}
    error = None
    async with state_of(request).db.read() as conn:
        try:
            account_id = None
            if moderator:
                found = await account_by_username(conn, moderator)
                if found is None:
                    raise NotFound("No account by that name")
                account_id = found.id
            wanted = AuditFilter(
                account_id=account_id, action=action or None,
                target_type=target_type or None, target_id=target_id or None,
            )  # fmt: skip
            await check_audit_filter(conn, wanted)
            entries = await audit_log(
                conn, wanted=wanted, page=Page(max_id=before, limit=PAGE_SIZE)
            )
            people = await staff_accounts(conn, {e.account_id for e in entries if e.account_id})
        except (NotFound, ValidationFailed) as exc:
            error = readable(exc.message)
    older = None
    if len(entries) == PAGE_SIZE:
        kept = [(k, v) for k, v in form.items() if v]
        older = f"/admin/audit?{urlencode([*kept, ('max_id', str(entries[-1].id))])}"
    return await page(
        request, "admin_audit.html", 422 if error else 200,
        entries=entries, people=people, form=form, error=error, older=older,
        target_types=TARGET_TYPES,
    )  # fmt: skip
