"""The social graph: follows, follow requests, blocks, mutes and relationships.

Mounted before the accounts router, so that ``/api/v1/accounts/relationships``,
``/search`` and ``/familiar_followers`` are not taken for an account id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import orjson
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.ids import parse_id
from townsquare.domain.accounts.models import Account
from townsquare.domain.graph import actions, queries
from townsquare.domain.graph.models import Relationship
from townsquare.http.auth import Caller, optional, scoped
from townsquare.http.mastodon.entities.account import account_entity
from townsquare.http.mastodon.entities.common import iso
from townsquare.http.mastodon.entities.relationship import relationship_entity
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import BadRequest, Params, path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import AppState, state_of

router = APIRouter(tags=["graph"])

LIST_LIMIT = 40
LIST_MAX_LIMIT = 80

Action = Callable[[AsyncConnection, Account, int], Awaitable[Relationship]]


async def _ids(request: Request, params: Params) -> list[int]:
    """``id[]`` from the query; Mastodon.py sends some GETs with a JSON body instead.
    Ids that cannot be ids match no account, as in Mastodon."""
    values = params.get_str_list("id")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not values and content_type == "application/json":
        raw = await request.body()
        if raw.strip():
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise BadRequest("The request body is not valid JSON") from None
            if isinstance(data, dict):
                values = Params.from_mapping(data).get_str_list("id")
    return [parsed for parsed in map(parse_id, values) if parsed is not None]


async def _act(request: Request, caller: Caller, account_id: str, action: Action) -> Response:
    target_id = path_id(account_id)
    async with state_of(request).db.write() as conn:
        relation = await action(conn, caller.user, target_id)
    return json_response(relationship_entity(relation))


def _account_list(
    state: AppState, request: Request, found: Sequence[Account], keys: list[int]
) -> Response:
    """A page of accounts with the Link header to the next and previous pages."""
    return json_response(
        [account_entity(state.site, account) for account in found],
        headers=link_header(state.site, request, keys),
    )


@router.post("/api/v1/accounts/{account_id}/follow")
async def follow(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:follows"))
) -> Response:
    target_id = path_id(account_id)
    params = await read_params(request)
    reblogs = params.get_bool("reblogs")
    notify = params.get_bool("notify")
    languages = params.get_str_list("languages") if params.has("languages") else None
    async with state_of(request).db.write() as conn:
        relation = await actions.follow(
            conn, caller.user, target_id, reblogs=reblogs, notify=notify, languages=languages
        )
    return json_response(relationship_entity(relation))


@router.post("/api/v1/accounts/{account_id}/unfollow")
async def unfollow(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:follows"))
) -> Response:
    return await _act(request, caller, account_id, actions.unfollow)


@router.post("/api/v1/accounts/{account_id}/remove_from_followers")
async def remove_from_followers(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:follows"))
) -> Response:
    return await _act(request, caller, account_id, actions.remove_follower)


@router.post("/api/v1/accounts/{account_id}/block")
async def block(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:blocks"))
) -> Response:
    return await _act(request, caller, account_id, actions.block)


@router.post("/api/v1/accounts/{account_id}/unblock")
async def unblock(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:blocks"))
) -> Response:
    return await _act(request, caller, account_id, actions.unblock)


@router.post("/api/v1/accounts/{account_id}/mute")
async def mute(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:mutes"))
) -> Response:
    target_id = path_id(account_id)
    params = await read_params(request)
    hide_notifications = params.get_bool("notifications", True)
    duration = params.get_int("duration", 0)
    async with state_of(request).db.write() as conn:
        relation = await actions.mute(
            conn,
            caller.user,
            target_id,
            hide_notifications=bool(hide_notifications),
            duration=duration or 0,
        )
    return json_response(relationship_entity(relation))


@router.post("/api/v1/accounts/{account_id}/unmute")
async def unmute(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:mutes"))
) -> Response:
    return await _act(request, caller, account_id, actions.unmute)


@router.post("/api/v1/accounts/{account_id}/note")
async def note(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    target_id = path_id(account_id)
    params = await read_params(request)
    comment = params.get_str("comment", "", max_length=actions.MAX_NOTE_LENGTH * 4) or ""
    async with state_of(request).db.write() as conn:
        relation = await actions.set_note(conn, caller.user, target_id, comment)
    return json_response(relationship_entity(relation))


@router.get("/api/v1/accounts/relationships")
async def relationships(
    request: Request, caller: Caller = Depends(scoped("read:follows"))
) -> Response:
    params = await read_params(request)
    ids = await _ids(request, params)
    with_suspended = bool(params.get_bool("with_suspended", False))
    async with state_of(request).db.read() as conn:
        found = await queries.relationships(
            conn, caller.user.id, ids, with_suspended=with_suspended
        )
    return json_response([relationship_entity(relation) for relation in found])


@router.get("/api/v1/accounts/familiar_followers")
async def familiar_followers(
    request: Request, caller: Caller = Depends(scoped("read:follows"))
) -> Response:
    state = state_of(request)
    ids = await _ids(request, await read_params(request))
    async with state.db.read() as conn:
        found = await queries.familiar_followers(conn, caller.user.id, ids)
    return json_response(
        [
            {"id": str(account_id), "accounts": [account_entity(state.site, a) for a in listed]}
            for account_id, listed in found
        ]
    )


@router.get("/api/v1/accounts/search")
async def search(request: Request, caller: Caller = Depends(scoped("read:accounts"))) -> Response:
    state = state_of(request)
    params = await read_params(request)
    query = params.get_str("q", "", max_length=500) or ""
    limit = params.get_int("limit", LIST_LIMIT, minimum=1, maximum=LIST_MAX_LIMIT)
    offset = params.get_int("offset", 0, minimum=0)
    following = bool(params.get_bool("following", False))
    params.get_bool("resolve")  # nothing to resolve before federation; still checked
    async with state.db.read() as conn:
        found = await queries.search_accounts_for(
            conn,
            caller.user.id,
            query,
            limit=limit or LIST_LIMIT,
            offset=offset or 0,
            following=following,
        )
    return json_response([account_entity(state.site, account) for account in found])


@router.get("/api/v1/accounts/{account_id}/followers")
async def followers(
    account_id: str, request: Request, caller: Caller = Depends(optional("read:accounts"))
) -> Response:
    owner_id = path_id(account_id)
    state = state_of(request)
    page = page_of(await read_params(request), default_limit=LIST_LIMIT, max_limit=LIST_MAX_LIMIT)
    async with state.db.read() as conn:
        found, keys = await queries.followers(conn, caller.account_id, owner_id, page)
    return _account_list(state, request, found, keys)


@router.get("/api/v1/accounts/{account_id}/following")
async def following(
    account_id: str, request: Request, caller: Caller = Depends(optional("read:accounts"))
) -> Response:
    owner_id = path_id(account_id)
    state = state_of(request)
    page = page_of(await read_params(request), default_limit=LIST_LIMIT, max_limit=LIST_MAX_LIMIT)
    async with state.db.read() as conn:
        found, keys = await queries.following(conn, caller.account_id, owner_id, page)
    return _account_list(state, request, found, keys)


@router.get("/api/v1/blocks")
async def blocks(request: Request, caller: Caller = Depends(scoped("read:blocks"))) -> Response:
    state = state_of(request)
    page = page_of(await read_params(request), default_limit=LIST_LIMIT, max_limit=LIST_MAX_LIMIT)
    async with state.db.read() as conn:
        found, keys = await queries.blocked_accounts(conn, caller.user.id, page)
    return _account_list(state, request, found, keys)


@router.get("/api/v1/mutes")
async def mutes(request: Request, caller: Caller = Depends(scoped("read:mutes"))) -> Response:
    state = state_of(request)
    page = page_of(await read_params(request), default_limit=LIST_LIMIT, max_limit=LIST_MAX_LIMIT)
    async with state.db.read() as conn:
        found, keys = await queries.muted_accounts(conn, caller.user.id, page)
    return json_response(
        [
            {**account_entity(state.site, muted.account), "mute_expires_at": iso(muted.expires_at)}
            for muted in found
        ],
        headers=link_header(state.site, request, keys),
    )


@router.get("/api/v1/follow_requests")
async def follow_requests(
    request: Request, caller: Caller = Depends(scoped("read:follows"))
) -> Response:
    state = state_of(request)
    page = page_of(await read_params(request), default_limit=LIST_LIMIT, max_limit=LIST_MAX_LIMIT)
    async with state.db.read() as conn:
        found, keys = await queries.requesting_accounts(conn, caller.user.id, page)
    return _account_list(state, request, found, keys)


@router.post("/api/v1/follow_requests/{account_id}/authorize")
async def authorize_follow_request(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:follows"))
) -> Response:
    return await _act(request, caller, account_id, actions.authorize_follow_request)


@router.post("/api/v1/follow_requests/{account_id}/reject")
async def reject_follow_request(
    account_id: str, request: Request, caller: Caller = Depends(scoped("write:follows"))
) -> Response:
    return await _act(request, caller, account_id, actions.reject_follow_request)
