"""The landing page and the timelines: home, public and hashtag."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.posts.queries import hydrate
from townsquare.domain.posts.tags import find_tag
from townsquare.domain.timelines.queries import home_timeline, public_timeline, tag_timeline
from townsquare.http.state import state_of
from townsquare.http.web.compose import compose_defaults
from townsquare.http.web.pages.common import back_to, older_link, page_from, web_router
from townsquare.http.web.session import viewer_of
from townsquare.http.web.templating import page

router = web_router()


@router.get("/")
async def landing(request: Request) -> Response:
    viewer = await viewer_of(request)
    if viewer.account is not None:
        return back_to("/home")
    async with state_of(request).db.read() as conn:
        posts = await public_timeline(conn, None, page_from(request))
        views = await hydrate(conn, None, posts)
    return await page(
        request, "landing.html", posts=views, older=older_link(request, [p.id for p in posts])
    )


@router.get("/about")
async def about(request: Request) -> Response:
    return await page(request, "about.html")


@router.get("/home")
async def home(request: Request) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    async with state_of(request).db.read() as conn:
        posts = await home_timeline(conn, user.id, page_from(request))
        views = await hydrate(conn, user.id, posts)
    return await page(
        request,
        "timeline.html",
        heading="Home",
        posts=views,
        older=older_link(request, [p.id for p in posts]),
        compose=compose_defaults(viewer),
        timeline="home",
    )


@router.get("/public")
async def public(request: Request) -> Response:
    viewer = await viewer_of(request)
    local = request.query_params.get("local") == "1"
    async with state_of(request).db.read() as conn:
        posts = await public_timeline(conn, viewer.id, page_from(request), local=local)
        views = await hydrate(conn, viewer.id, posts)
    return await page(
        request,
        "timeline.html",
        heading="Public timeline",
        posts=views,
        older=older_link(request, [p.id for p in posts]),
        compose=compose_defaults(viewer) if viewer.account else None,
        timeline="public",
    )


@router.get("/tags/{name}")
async def tag(name: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    async with state_of(request).db.read() as conn:
        found = await find_tag(conn, name)
        posts = await tag_timeline(conn, viewer.id, name, page_from(request))
        views = await hydrate(conn, viewer.id, posts)
    return await page(
        request,
        "timeline.html",
        heading=None,
        tag_name=found.name if found else name,
        posts=views,
        older=older_link(request, [p.id for p in posts]),
        compose=compose_defaults(viewer, text=f"#{name} ") if viewer.account else None,
        timeline="tag",
    )
