"""Featured hashtags: the caller's own, suggestions, and any account's."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.accounts.queries import find_account
from townsquare.domain.hashtags import actions, queries
from townsquare.domain.hashtags.models import TagChoices
from townsquare.http.auth import Caller, optional, scoped
from townsquare.http.mastodon.entities.tag import featured_tag_entity, tag_entity
from townsquare.http.params import path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["featured_tags"])


@router.get("/api/v1/featured_tags")
async def index(request: Request, caller: Caller = Depends(scoped("read:accounts"))) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        found = await queries.featured_tags_of(conn, caller.user.id)
    return json_response(
        [featured_tag_entity(state.site, tag, caller.user.username) for tag in found]
    )


@router.post("/api/v1/featured_tags")
async def create(request: Request, caller: Caller = Depends(scoped("write:accounts"))) -> Response:
    state = state_of(request)
    params = await read_params(request)
    name = params.get_str("name", max_length=1000)
    async with state.db.write() as conn:
        featured = await actions.feature_tag(conn, caller.user.id, name)
    return json_response(featured_tag_entity(state.site, featured, caller.user.username))


@router.get("/api/v1/featured_tags/suggestions")
async def suggestions(
    request: Request, caller: Caller = Depends(scoped("read:accounts"))
) -> Response:
    state = state_of(request)
    async with state.db.read() as conn:
        found = await queries.featured_tag_suggestions(conn, caller.user.id)
        chosen = await queries.tag_choices(conn, caller.user.id, [tag.id for tag in found])
    return json_response(
        [
            tag_entity(state.site, tag, signed_in=True, choices=chosen.get(tag.id, TagChoices()))
            for tag in found
        ]
    )


@router.delete("/api/v1/featured_tags/{featured_id}")
async def destroy(
    featured_id: str, request: Request, caller: Caller = Depends(scoped("write:accounts"))
) -> Response:
    chosen_id = path_id(featured_id)
    async with state_of(request).db.write() as conn:
        await actions.unfeature_tag(conn, caller.user.id, chosen_id)
    return json_response({})


@router.get("/api/v1/accounts/{account_id}/featured_tags")
async def of_account(
    account_id: str, request: Request, _caller: Caller = Depends(optional("read:accounts"))
) -> Response:
    owner_id = path_id(account_id)
    state = state_of(request)
    async with state.db.read() as conn:
        owner = await find_account(conn, owner_id)
        if owner is None or owner.suspended:
            raise NotFound()
        found = await queries.featured_tags_of(conn, owner.id)
    return json_response([featured_tag_entity(state.site, tag, owner.username) for tag in found])
