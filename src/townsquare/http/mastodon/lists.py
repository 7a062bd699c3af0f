"""Lists: /api/v1/lists, their members, an account's lists, and the list timeline."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.lists import actions, queries
from townsquare.domain.posts.queries import hydrate
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.account import account_entity
from townsquare.http.mastodon.entities.list import list_entity
from townsquare.http.mastodon.entities.status import statuses_json
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import Params, path_id, read_params
from townsquare.http.responses import EncodedJSON, json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["lists"])

MEMBERS_LIMIT = 40
MEMBERS_MAX_LIMIT = 80

_reading = scoped("read:lists")
_writing = scoped("write:lists")


def _account_ids(params: Params) -> list[int]:
    return params.get_id_list("account_ids")


@router.get("/api/v1/lists")
async def index(request: Request, caller: Caller = Depends(_reading)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await queries.lists_of(conn, caller.user.id)
    return json_response([list_entity(chosen) for chosen in found])


@router.post("/api/v1/lists")
async def create(request: Request, caller: Caller = Depends(_writing)) -> Response:
    params = await read_params(request)
    title = params.get_str("title", max_length=actions.MAX_TITLE_LENGTH * 4)
    replies_policy = params.get_str("replies_policy", max_length=64)
    exclusive = bool(params.get_bool("exclusive", False))
    async with state_of(request).db.write() as conn:
        created = await actions.create_list(
            conn, caller.user.id, title, replies_policy=replies_policy, exclusive=exclusive
        )
    return json_response(list_entity(created))


@router.get("/api/v1/lists/{list_id}")
async def show(list_id: str, request: Request, caller: Caller = Depends(_reading)) -> Response:
    async with state_of(request).db.read() as conn:
        found = await queries.get_list(conn, caller.user.id, path_id(list_id))
    return json_response(list_entity(found))


@router.put("/api/v1/lists/{list_id}")
async def update(list_id: str, request: Request, caller: Caller = Depends(_writing)) -> Response:
    chosen_id = path_id(list_id)
    params = await read_params(request)
    title = params.get_str("title", max_length=actions.MAX_TITLE_LENGTH * 4)
    replies_policy = params.get_str("replies_policy", max_length=64)
    exclusive = params.get_bool("exclusive")
    async with state_of(request).db.write() as conn:
        changed = await actions.update_list(
            conn,
            caller.user.id,
            chosen_id,
            title=title,
            replies_policy=replies_policy,
            exclusive=exclusive,
        )
    return json_response(list_entity(changed))


@router.delete("/api/v1/lists/{list_id}")
async def destroy(list_id: str, request: Request, caller: Caller = Depends(_writing)) -> Response:
    chosen_id = path_id(list_id)
    async with state_of(request).db.write() as conn:
        await actions.delete_list(conn, caller.user.id, chosen_id)
    return json_response({})


@router.get("/api/v1/lists/{list_id}/accounts")
async def members(list_id: str, request: Request, caller: Caller = Depends(_reading)) -> Response:
    chosen_id = path_id(list_id)
    state = state_of(request)
    params = await read_params(request)
    # limit=0 asks for every member at once, as in Mastodon
    every = params.get_int("limit") == 0
    page = (
        None if every else page_of(params, default_limit=MEMBERS_LIMIT, max_limit=MEMBERS_MAX_LIMIT)
    )
    async with state.db.read() as conn:
        found, keys = await queries.list_members(conn, caller.user.id, chosen_id, page)
    return json_response(
        [account_entity(state.site, account) for account in found],
        headers={} if every else link_header(state.site, request, keys),
    )


@router.post("/api/v1/lists/{list_id}/accounts")
async def add_members(
    list_id: str, request: Request, caller: Caller = Depends(_writing)
) -> Response:
    chosen_id = path_id(list_id)
    params = await read_params(request)
    async with state_of(request).db.write() as conn:
        await actions.add_members(conn, caller.user.id, chosen_id, _account_ids(params))
    return json_response({})


@router.delete("/api/v1/lists/{list_id}/accounts")
async def remove_members(
    list_id: str, request: Request, caller: Caller = Depends(_writing)
) -> Response:
    chosen_id = path_id(list_id)
    params = await read_params(request)
    async with state_of(request).db.write() as conn:
        await actions.remove_members(conn, caller.user.id, chosen_id, _account_ids(params))
    return json_response({})


@router.get("/api/v1/accounts/{account_id}/lists")
async def lists_with_account(
    account_id: str, request: Request, caller: Caller = Depends(_reading)
) -> Response:
    member_id = path_id(account_id)
    async with state_of(request).db.read() as conn:
        found = await queries.lists_with_member(conn, caller.user.id, member_id)
    return json_response([list_entity(chosen) for chosen in found])


@router.get("/api/v1/timelines/list/{list_id}")
async def timeline(list_id: str, request: Request, caller: Caller = Depends(_reading)) -> Response:
    chosen_id = path_id(list_id)
    state = state_of(request)
    page = page_of(await read_params(request))
    async with state.db.read() as conn:
        posts = await queries.list_timeline(conn, caller.user.id, chosen_id, page)
        views = await hydrate(conn, caller.user.id, posts)
    return EncodedJSON(
        statuses_json(state.site, views),
        headers=link_header(state.site, request, [post.id for post in posts]),
    )
