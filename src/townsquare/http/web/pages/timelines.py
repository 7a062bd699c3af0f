"""The landing page and the timelines: home, public and hashtag."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.filters.apply import filter_views, reader_filters
from townsquare.domain.hashtags.models import TagChoices
from townsquare.domain.hashtags.queries import tag_choices
from townsquare.domain.moderation.actions import active_policy
from townsquare.domain.moderation.describe import describe_policy
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.posts.tags import find_tag
from townsquare.domain.timelines.home import home_page
from townsquare.domain.timelines.queries import public_timeline, tag_timeline
from townsquare.http.state import state_of
from townsquare.http.web.card_notes import policy_wording
from townsquare.http.web.compose import compose_defaults
from townsquare.http.web.pages.common import back_to, older_link, page_from, web_router
from townsquare.http.web.session import viewer_of
from townsquare.http.web.templating import page

router = web_router()
NOT_CHOSEN = TagChoices()


def _only_language(request: Request) -> str | None:
    """``?lang=xx``: only posts written in that language (one of the configured ones;
    anything else is ignored and the viewer's chosen languages apply)."""
    code = request.query_params.get("lang", "")
    return code if code in state_of(request).site.languages else None


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


@router.get("/about/policy")
async def policy_page(request: Request) -> Response:
    """The active moderation policy in plain sentences, for anyone."""
    state = state_of(request)
    async with state.db.read() as conn:
        policy = await active_policy(conn, state.site.moderation_policy)
    wording = policy_wording((await viewer_of(request)).ui)
    return await page(request, "policy.html", policy=describe_policy(policy, wording))


@router.get("/home")
async def home(request: Request) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    async with state_of(request).db.read() as conn:
        posts, flags, authors = await home_page(conn, user.id, page_from(request))
        views = await hydrate(conn, user.id, posts, flags=flags, author_keys=authors)
        views = filter_views(views, await reader_filters(conn, user), "home")
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
    only = _only_language(request)
    async with state_of(request).db.read() as conn:
        posts = await public_timeline(
            conn, viewer.id, page_from(request), local=local, language=only
        )
        views = await hydrate(conn, viewer.id, posts)
        views = filter_views(views, await reader_filters(conn, viewer.account), "public")
    return await page(
        request,
        "timeline.html",
        heading="Public timeline",
        posts=views,
        older=older_link(request, [p.id for p in posts]),
        compose=compose_defaults(viewer) if viewer.account else None,
        timeline="public",
        only_language=only,
    )


@router.get("/tags/{name}")
async def tag(name: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    async with state_of(request).db.read() as conn:
        found = await find_tag(conn, name)
        following = (
            found is not None
            and viewer.account is not None
            and (await tag_choices(conn, viewer.account.id, [found.id]))
            .get(found.id, NOT_CHOSEN)
            .following
        )
        only = _only_language(request)
        posts = await tag_timeline(conn, viewer.id, name, page_from(request), language=only)
        views = await hydrate(conn, viewer.id, posts)
        views = filter_views(views, await reader_filters(conn, viewer.account), "public")
    return await page(
        request,
        "timeline.html",
        heading=None,
        tag_name=found.name if found else name,
        following_tag=following,
        posts=views,
        older=older_link(request, [p.id for p in posts]),
        compose=compose_defaults(viewer, text=f"#{name} ") if viewer.account else None,
        timeline="tag",
        only_language=only,
    )
