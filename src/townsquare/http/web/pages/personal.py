"""A signed-in person's own lists: notifications, bookmarks and favourites."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.interactions.queries import bookmarks_of, favourites_of
from townsquare.domain.markers.actions import set_marker
from townsquare.domain.markers.queries import get_markers
from townsquare.domain.notifications.queries import list_notifications, notification_views
from townsquare.domain.posts.queries import hydrate
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import older_link, page_from, web_router
from townsquare.http.web.session import viewer_of
from townsquare.http.web.templating import page

router = web_router()

# Filters as tabs: what Mastodon's web UI groups notifications by.
GROUPS = {
    "all": None,
    "mentions": ("mention",),
    "follows": ("follow", "follow_request"),
    "favourites": ("favourite",),
    "reblogs": ("reblog", "quote"),
}


@router.get("/notifications")
async def notifications(request: Request) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    group = request.query_params.get("group", "all")
    group = group if group in GROUPS else "all"
    paging = page_from(request)
    async with state_of(request).db.read() as conn:
        items = await list_notifications(conn, user.id, paging, types=GROUPS[group])
        views = await notification_views(conn, user.id, items)
        marker = (await get_markers(conn, user.id, ["notifications"])).get("notifications")
    last_read = marker.last_read_id if marker else 0
    newest = max((item.id for item in items), default=0)
    if paging.max_id is None and newest > last_read:
        # Seeing the first page is reading it; older pages move nothing.
        async with state_of(request).db.write() as conn:
            await set_marker(conn, user.id, "notifications", newest)
    return await page(
        request,
        "notifications.html",
        items=views,
        last_read=last_read,
        group=group,
        groups=list(GROUPS),
        older=older_link(request, [item.id for item in items]),
    )


async def _marked(request: Request, which: str) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    lister = bookmarks_of if which == "bookmarks" else favourites_of
    async with state_of(request).db.read() as conn:
        entries = await lister(conn, user.id, page_from(request))
        views = await hydrate(conn, user.id, [entry.status for entry in entries])
    heading = "Bookmarks" if which == "bookmarks" else "Favourites"
    return await page(
        request, "timeline.html", heading=heading, posts=views, compose=None, timeline=which,
        older=older_link(request, [entry.key for entry in entries]),
    )  # fmt: skip


@router.get("/bookmarks")
async def bookmarks(request: Request) -> Response:
    return await _marked(request, "bookmarks")


@router.get("/favourites")
async def favourites(request: Request) -> Response:
    return await _marked(request, "favourites")
