"""Reports: ``POST /api/v1/reports`` (Mastodon's Report entity)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import ValidationFailed
from townsquare.domain.accounts.queries import get_account
from townsquare.domain.moderation.reports import MAX_COMMENT, NewReport, file_report
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.moderation import report_entity
from townsquare.http.params import read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["reports"])


@router.post("/api/v1/reports")
async def create_report(
    request: Request, caller: Caller = Depends(scoped("write:reports"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    target_id = params.get_id("account_id")
    if target_id is None:
        raise ValidationFailed(
            "Validation failed: account_id is missing", details={"account_id": ["blank"]}
        )
    new = NewReport(
        target_account_id=target_id,
        status_ids=params.get_id_list("status_ids"),
        category=params.get_str("category", max_length=32),
        rule_ids=params.get_str_list("rule_ids"),
        comment=params.get_str("comment", "", max_length=MAX_COMMENT) or "",
        forward=bool(params.get_bool("forward", False)),
    )
    async with state.db.write() as conn:
        report = await file_report(conn, caller.user, new, rules=state.settings.rules)
        target = await get_account(conn, report.target_account_id)
    return json_response(report_entity(state.site, report, target))
