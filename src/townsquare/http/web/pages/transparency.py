"""The public transparency report: what moderation decided, month by month."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.moderation.transparency import transparency_report
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import web_router
from townsquare.http.web.templating import page

router = web_router()


@router.get("/about/transparency")
async def transparency_page(request: Request) -> Response:
    async with state_of(request).db.read() as conn:
        months = await transparency_report(conn)
    return await page(request, "transparency.html", months=months)
