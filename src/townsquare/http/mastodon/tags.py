"""Hashtags: GET /api/v1/tags/{name}. Following hashtags is not supported yet."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.posts.tags import MAX_TAG_LENGTH, find_tag
from townsquare.http.auth import Caller, caller_of
from townsquare.http.mastodon.entities.tag import tag_entity
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["tags"])


@router.get("/api/v1/tags/{name}")
async def show(name: str, request: Request, caller: Caller = Depends(caller_of)) -> Response:
    state = state_of(request)
    if not name.strip("# ") or len(name) > MAX_TAG_LENGTH:
        raise NotFound()
    async with state.db.read() as conn:
        tag = await find_tag(conn, name)
    if tag is None:
        raise NotFound()
    return json_response(tag_entity(state.site, tag, signed_in=caller.account_id is not None))
