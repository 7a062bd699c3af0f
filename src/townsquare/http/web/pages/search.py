"""The search page: accounts, hashtags and posts, through the API's own search."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.posts.queries import hydrate
from townsquare.domain.search.queries import search
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import web_router
from townsquare.http.web.session import viewer_of
from townsquare.http.web.templating import page

router = web_router()


@router.get("/search")
async def search_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    query = request.query_params.get("q", "")[:200].strip()
    results = None
    views = []
    if query:
        async with state_of(request).db.read() as conn:
            results = await search(conn, viewer.id, query, limit=20)
            views = await hydrate(conn, viewer.id, results.statuses)
    return await page(request, "search.html", query=query, results=results, posts=views)
