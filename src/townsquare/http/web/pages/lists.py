"""Lists on the web: one's lists, a list's timeline and members, adding someone from
their profile; and following a hashtag from its page. The same actions as the API."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.hashtags.actions import follow_tag, unfollow_tag
from townsquare.domain.lists import actions, queries
from townsquare.domain.lists.models import REPLIES_POLICIES
from townsquare.domain.posts.queries import hydrate
from townsquare.http.params import path_id
from townsquare.http.state import state_of
from townsquare.http.web.pages.common import back_to, older_link, page_from, web_router
from townsquare.http.web.session import checked_form, viewer_of
from townsquare.http.web.templating import page

router = web_router()


@router.get("/lists")
async def lists_page(request: Request) -> Response:
    viewer = await viewer_of(request)
    async with state_of(request).db.read() as conn:
        found = await queries.lists_of(conn, viewer.user.id)
    return await page(request, "lists.html", lists=found, policies=REPLIES_POLICIES)


@router.post("/lists")
async def create(request: Request) -> Response:
    viewer = await viewer_of(request)
    params = await checked_form(request)
    async with state_of(request).db.write() as conn:
        created = await actions.create_list(
            conn,
            viewer.user.id,
            params.get_str("title", max_length=1000),
            replies_policy=params.get_str("replies_policy", max_length=64),
            exclusive=bool(params.get_bool("exclusive", False)),
        )
    return back_to(f"/lists/{created.id}")


@router.get("/lists/{list_id}")
async def show(list_id: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    user = viewer.user
    chosen_id = path_id(list_id)
    async with state_of(request).db.read() as conn:
        chosen = await queries.get_list(conn, user.id, chosen_id)
        members, _keys = await queries.list_members(conn, user.id, chosen_id, None)
        posts = await queries.list_timeline(conn, user.id, chosen_id, page_from(request))
        views = await hydrate(conn, user.id, posts)
    return await page(
        request,
        "list.html",
        chosen=chosen,
        members=members,
        posts=views,
        policies=REPLIES_POLICIES,
        older=older_link(request, [p.id for p in posts]),
    )


@router.post("/lists/{list_id}/edit")
async def edit(list_id: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    chosen_id = path_id(list_id)
    params = await checked_form(request)
    async with state_of(request).db.write() as conn:
        await actions.update_list(
            conn,
            viewer.user.id,
            chosen_id,
            title=params.get_str("title", max_length=1000),
            replies_policy=params.get_str("replies_policy", max_length=64),
            exclusive=bool(params.get_bool("exclusive", False)),
        )
    return back_to(f"/lists/{chosen_id}")


@router.post("/lists/{list_id}/delete")
async def delete(list_id: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    chosen_id = path_id(list_id)
    await checked_form(request)
    async with state_of(request).db.write() as conn:
        await actions.delete_list(conn, viewer.user.id, chosen_id)
    return back_to("/lists")


@router.post("/lists/{list_id}/members/{action}")
async def change_members(list_id: str, action: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    chosen_id = path_id(list_id)
    params = await checked_form(request)
    account_id = params.get_id("account_id")
    ids = [account_id] if account_id is not None else []
    async with state_of(request).db.write() as conn:
        if action == "add":
            await actions.add_members(conn, viewer.user.id, chosen_id, ids)
        elif action == "remove":
            await actions.remove_members(conn, viewer.user.id, chosen_id, ids)
        else:
            raise NotFound()
    return back_to(params.get_str("next", max_length=2000), f"/lists/{chosen_id}")


@router.post("/lists/add_member")
async def add_member(request: Request) -> Response:
    """From a profile: the list is chosen in the form."""
    viewer = await viewer_of(request)
    params = await checked_form(request)
    chosen_id = params.get_id("list_id")
    account_id = params.get_id("account_id")
    if chosen_id is None or account_id is None:
        raise NotFound()
    async with state_of(request).db.write() as conn:
        await actions.add_members(conn, viewer.user.id, chosen_id, [account_id])
    return back_to(params.get_str("next", max_length=2000), f"/lists/{chosen_id}")


@router.post("/tags/{name}/{action}")
async def change_tag(name: str, action: str, request: Request) -> Response:
    viewer = await viewer_of(request)
    await checked_form(request)
    async with state_of(request).db.write() as conn:
        if action == "follow":
            await follow_tag(conn, viewer.user.id, name)
        elif action == "unfollow":
            await unfollow_tag(conn, viewer.user.id, name)
        else:
            raise NotFound()
    return back_to(f"/tags/{quote(name)}")
