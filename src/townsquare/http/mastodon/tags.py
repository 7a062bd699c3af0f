"""Hashtags: GET /api/v1/tags/{name}, following and unfollowing them, and the list of
followed hashtags."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.hashtags import actions
from townsquare.domain.hashtags.models import TagChoices
from townsquare.domain.hashtags.queries import followed_tags_of, tag_choices
from townsquare.domain.posts.tags import MAX_TAG_LENGTH, find_tag
from townsquare.http.auth import Caller, caller_of, scoped
from townsquare.http.mastodon.entities.tag import NOT_CHOSEN, tag_entity
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["tags"])

# As Mastodon's followed_tags
FOLLOWED_LIMIT = 100
FOLLOWED_MAX_LIMIT = 200


@router.get("/api/v1/tags/{name}")
async def show(name: str, request: Request, caller: Caller = Depends(caller_of)) -> Response:
    state = state_of(request)
    if not name.strip("# ") or len(name) > MAX_TAG_LENGTH:
        raise NotFound()
    async with state.db.read() as conn:
        tag = await find_tag(conn, name)
        if tag is None:
            raise NotFound()
        choices = (
            (await tag_choices(conn, caller.account_id, [tag.id])).get(tag.id, NOT_CHOSEN)
            if caller.account_id is not None
            else NOT_CHOSEN
        )
    return json_response(
        tag_entity(state.site, tag, signed_in=caller.account_id is not None, choices=choices)
    )


async def _choose(request: Request, caller: Caller, name: str, *, follow: bool) -> Response:
    state = state_of(request)
    async with state.db.write() as conn:
        if follow:
            tag = await actions.follow_tag(conn, caller.user.id, name)
        else:
            tag = await actions.unfollow_tag(conn, caller.user.id, name)
        choices = (await tag_choices(conn, caller.user.id, [tag.id])).get(tag.id, NOT_CHOSEN)
    return json_response(tag_entity(state.site, tag, signed_in=True, choices=choices))


@router.post("/api/v1/tags/{name}/follow")
async def follow(
    name: str, request: Request, caller: Caller = Depends(scoped("write:follows"))
) -> Response:
    return await _choose(request, caller, name, follow=True)


@router.post("/api/v1/tags/{name}/unfollow")
async def unfollow(
    name: str, request: Request, caller: Caller = Depends(scoped("write:follows"))
) -> Response:
    return await _choose(request, caller, name, follow=False)


@router.get("/api/v1/followed_tags")
async def followed(request: Request, caller: Caller = Depends(scoped("read:follows"))) -> Response:
    state = state_of(request)
    params = await read_params(request)
    page = page_of(params, default_limit=FOLLOWED_LIMIT, max_limit=FOLLOWED_MAX_LIMIT)
    async with state.db.read() as conn:
        found, keys = await followed_tags_of(conn, caller.user.id, page)
        featured = await tag_choices(conn, caller.user.id, [tag.id for tag in found])
    return json_response(
        [
            tag_entity(
                state.site,
                tag,
                signed_in=True,
                choices=TagChoices(True, featured.get(tag.id, NOT_CHOSEN).featuring),
            )
            for tag in found
        ],
        headers=link_header(state.site, request, keys),
    )
