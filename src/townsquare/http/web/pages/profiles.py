"""Profiles with their tabs, follower lists, and follow / block / mute."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.accounts.models import Account
from townsquare.domain.accounts.queries import lookup_acct
from townsquare.domain.filters.apply import filter_views, reader_filters
from townsquare.domain.graph.actions import block, follow, mute, unblock, unfollow, unmute
from townsquare.domain.graph.queries import followers, following, hidden_among, relationship
from townsquare.domain.lists.models import UserList
from townsquare.domain.lists.queries import lists_of, lists_with_member
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.timelines.queries import account_statuses
from townsquare.http.params import path_id
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import back_to, older_link, page_from, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()
TABS = ("posts", "replies", "media")


async def _owner(request: Request, acct: str, viewer_id: int | None) -> Account:
    async with state_of(request).db.read() as conn:
        account = await lookup_acct(conn, acct, state_of(request).site.domain)
        hidden = account is not None and (
            account.suspended
            or (viewer_id is not None and bool(await hidden_among(conn, viewer_id, [account.id])))
        )
    if account is None or hidden:
        raise NotFound()
    return account


@router.get("/@{acct}")
async def profile(acct: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    account = await _owner(request, acct, None)
    tab = request.query_params.get("tab", "posts")
    tab = tab if tab in TABS else "posts"
    async with state_of(request).db.read() as conn:
        relation = None
        own_lists: list[UserList] = []
        member_of: list[UserList] = []
        if viewer.account is not None and viewer.account.id != account.id:
            relation = await relationship(conn, viewer.account.id, account.id)
            if relation.following:
                own_lists = await lists_of(conn, viewer.account.id)
                member_of = await lists_with_member(conn, viewer.account.id, account.id)
        found = await account_statuses(
            conn,
            viewer.id,
            account.id,
            page_from(request),
            exclude_replies=tab == "posts",
            only_media=tab == "media",
        )
        views = await hydrate(conn, viewer.id, found.statuses)
        views = filter_views(views, await reader_filters(conn, viewer.account), "account")
    blocked_by = relation is not None and relation.blocked_by
    return await page(
        request,
        "profile.html",
        account=account,
        relation=relation,
        lists_to_join=[chosen for chosen in own_lists if chosen not in member_of],
        member_of=member_of,
        tab=tab,
        posts=[] if blocked_by else views,
        older=older_link(request, found.keys),
    )


async def _listing(request: Request, acct: str, which: str) -> Response:
    viewer = await viewer_of(request)
    account = await _owner(request, acct, viewer.id)
    lister = followers if which == "followers" else following
    async with state_of(request).db.read() as conn:
        people, keys = await lister(conn, viewer.id, account.id, page_from(request))
    return await page(
        request, "accounts.html", account=account, which=which, people=people,
        older=older_link(request, keys),
    )  # fmt: skip


@router.get("/@{acct}/followers")
async def followers_page(acct: str, request: Request) -> Response:
    return await _listing(request, acct, "followers")


@router.get("/@{acct}/following")
async def following_page(acct: str, request: Request) -> Response:
    return await _listing(request, acct, "following")


_GRAPH = {
    "follow": follow,
    "unfollow": unfollow,
    "block": block,
    "unblock": unblock,
    "mute": mute,
    "unmute": unmute,
}


@router.post("/accounts/{account_id}/{action}")
async def change_relation(account_id: str, action: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    actor = viewer.user
    params = await checked_form(request)
    target = path_id(account_id)
    change = _GRAPH.get(action)
    if change is None:
        raise NotFound()
    async with state_of(request).db.write() as conn:
        await change(conn, actor, target)
    return back_to(params.get_str("next", max_length=2000))
