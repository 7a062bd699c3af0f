"""A signed-in person's own lists: notifications, bookmarks and favourites."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.common.paging import Page
from townsquare.domain.filters.apply import filter_notifications, reader_filters
from townsquare.domain.interactions.queries import bookmarks_of, favourites_of
from townsquare.domain.markers.actions import set_marker
from townsquare.domain.markers.queries import get_markers
from townsquare.domain.notifications.queries import list_notifications, notification_views
from townsquare.domain.posts.queries import hydrate
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import back_to, older_link, page_from, web_router
from townsquare.http.web.session import checked_form, viewer_of
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
        views = filter_notifications(views, await reader_filters(conn, user))
        marker = (await get_markers(conn, user.id, ["notifications"])).get("notifications")
        # "mark all as read" covers every kind, not only this tab's
        latest = await list_notifications(conn, user.id, Page(limit=1))
    last_read = marker.last_read_id if marker else 0
    # Reading is marked by the "mark as read" form (a POST), never by a GET: a prefetch
    # or a link preview must not make notifications look seen.
    newest = max((item.id for item in latest), default=0)
    return await page(
        request,
        "notifications.html",
        items=views,
        last_read=last_read,
        newest=newest if newest > last_read else None,
        group=group,
        groups=list(GROUPS),
        older=older_link(request, [item.id for item in items]),
    )


@router.post("/notifications/read")
async def mark_notifications_read(request: Request) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    params = await checked_form(request)
    up_to = params.get_id("up_to")
    if up_to is not None:
        async with state_of(request).db.write() as conn:
            marker = (await get_markers(conn, user.id, ["notifications"])).get("notifications")
            # a form from an older tab never moves the marker back
            if marker is None or marker.last_read_id < up_to:
                await set_marker(conn, user.id, "notifications", up_to)
    return back_to(params.get_str("next", max_length=2000), "/notifications")


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
