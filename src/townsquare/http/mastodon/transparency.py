"""Transparency, our extensions to the Mastodon API: the public report and, for
moderators and admins, decisions as DSA statements of reasons."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import Forbidden
from townsquare.domain.moderation.dsa import PAGE_LIMIT, statements_of_reasons
from townsquare.domain.moderation.transparency import transparency_report
from townsquare.http.auth import Caller, scoped
from townsquare.http.params import read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["transparency"])

STAFF = ("admin", "moderator")


@router.get("/api/v1/instance/transparency")
async def transparency(request: Request) -> Response:
    """Decisions per month by rule, action, language and automation; counts only."""
    async with state_of(request).db.read() as conn:
        months = await transparency_report(conn)
    return json_response({"months": [month.as_dict() for month in months]})


@router.get("/api/v1/admin/transparency/dsa")
async def dsa_statements(
    request: Request, caller: Caller = Depends(scoped("admin:read"))
) -> Response:
    """Statements of reasons oldest first; ``after`` (a decision id) pages on, and
    the ``Link`` header names the next page."""
    if caller.user.role not in STAFF:
        raise Forbidden("This action is not allowed")
    state = state_of(request)
    params = await read_params(request)
    after = params.get_id("after") or 0
    limit = params.get_int("limit", 40, minimum=1, maximum=PAGE_LIMIT) or 40
    async with state.db.read() as conn:
        page = await statements_of_reasons(conn, state.site.domain, after=after, limit=limit)
    headers = {}
    if page.next_after is not None:
        query = urlencode({"after": str(page.next_after), "limit": str(limit)})
        headers["Link"] = f'<{state.site.base_url}{request.url.path}?{query}>; rel="next"'
    return json_response(page.statements, headers=headers)
