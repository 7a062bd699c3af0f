"""Trends: GET /api/v1/trends (tags), /trends/tags, /trends/statuses, /trends/links.

Open to visitors, as on Mastodon. ``lang=xx`` (not in Mastodon's API, as on the public
timeline) reads the list of one language instead of the list over all of them; without
it, a signed-in viewer who chose languages to see reads those (ADR 17).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.hashtags.queries import tag_choices
from townsquare.domain.posts.queries import hydrate
from townsquare.domain.trends.queries import trending_links, trending_statuses, trending_tags
from townsquare.domain.trends.refresh import MAX_STORED
from townsquare.http.auth import Caller, caller_of
from townsquare.http.mastodon.entities.status import status_entity
from townsquare.http.mastodon.entities.tag import NOT_CHOSEN
from townsquare.http.mastodon.entities.trend import trending_link_entity, trending_tag_entity
from townsquare.http.params import Params, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["trends"])


def _window(params: Params, default: int, maximum: int) -> tuple[int, int, str | None]:
    limit = params.get_int("limit", default, minimum=1, maximum=maximum) or default
    offset = params.get_int("offset", 0, minimum=0, maximum=MAX_STORED) or 0
    return limit, offset, params.get_language("lang")


async def _tags(request: Request, caller: Caller) -> Response:
    state = state_of(request)
    limit, offset, language = _window(await read_params(request), 10, 20)
    async with state.db.read() as conn:
        found = await trending_tags(
            conn, language, limit=limit, offset=offset, viewer_id=caller.account_id
        )
        chosen = (
            await tag_choices(conn, caller.account_id, [t.tag.id for t in found])
            if caller.account_id is not None
            else {}
        )
    signed_in = caller.account_id is not None
    return json_response(
        [
            trending_tag_entity(
                state.site, t, signed_in=signed_in, choices=chosen.get(t.tag.id, NOT_CHOSEN)
            )
            for t in found
        ]
    )


@router.get("/api/v1/trends")
async def trends(request: Request, caller: Caller = Depends(caller_of)) -> Response:
    return await _tags(request, caller)


@router.get("/api/v1/trends/tags")
async def tags(request: Request, caller: Caller = Depends(caller_of)) -> Response:
    return await _tags(request, caller)


@router.get("/api/v1/trends/statuses")
async def statuses(request: Request, caller: Caller = Depends(caller_of)) -> Response:
    state = state_of(request)
    limit, offset, language = _window(await read_params(request), 20, 40)
    async with state.db.read() as conn:
        posts = await trending_statuses(
            conn, caller.account_id, language, limit=limit, offset=offset
        )
        views = await hydrate(conn, caller.account_id, posts)
    return json_response([status_entity(state.site, view) for view in views])


@router.get("/api/v1/trends/links")
async def links(request: Request, caller: Caller = Depends(caller_of)) -> Response:
    limit, offset, language = _window(await read_params(request), 10, 20)
    async with state_of(request).db.read() as conn:
        found = await trending_links(
            conn, language, limit=limit, offset=offset, viewer_id=caller.account_id
        )
    return json_response([trending_link_entity(t) for t in found])
