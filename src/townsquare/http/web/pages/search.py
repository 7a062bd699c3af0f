"""The search page: accounts, hashtags and posts, through the API's own search."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.posts.queries import hydrate
from townsquare.domain.search.queries import MAX_QUERY_LENGTH, search
from townsquare.domain.trends.queries import trending_tags
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import web_router
from townsquare.http.web.session import viewer_of
from townsquare.http.web.templating import page

router = web_router()

PAGE_SIZE = 20
MAX_PAGE = 50
TRENDING_SHOWN = 10


@router.get("/search")
async def search_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    query = request.query_params.get("q", "")[:MAX_QUERY_LENGTH].strip()
    number = request.query_params.get("page", "1")
    page_number = min(int(number), MAX_PAGE) if number.isdigit() and int(number) > 0 else 1
    results = None
    views = []
    more = None
    trending = []
    state = state_of(request)
    if not query:
        # what to look for when one has nothing in mind yet
        async with state.db.read() as conn:
            trending = await trending_tags(conn, None, limit=TRENDING_SHOWN, viewer_id=viewer.id)
    if query:
        async with state.db.read() as conn:
            results = await search(
                conn, viewer.id, query, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE,
                local_domain=state.site.domain, languages=state.site.languages,
            )  # fmt: skip
            views = await hydrate(conn, viewer.id, results.statuses)
        if len(views) == PAGE_SIZE and page_number < MAX_PAGE:
            more = f"/search?{urlencode({'q': query, 'page': page_number + 1})}"
    return await page(
        request, "search.html", query=query, results=results, posts=views, more=more,
        trending=trending,
    )  # fmt: skip
