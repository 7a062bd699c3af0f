"""One's own favourites and bookmarks, paged by when each was made (``Link`` headers)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from townsquare.domain.common.paging import Page
from townsquare.domain.interactions.queries import StatusEntry, bookmarks_of, favourites_of
from townsquare.domain.posts.queries import hydrate
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.status import status_entity
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["bookmarks"])

MarkedPosts = Callable[[AsyncConnection, int, Page], Awaitable[list[StatusEntry]]]


async def _marked(request: Request, caller: Caller, query: MarkedPosts) -> Response:
    state = state_of(request)
    params = await read_params(request)
    page = page_of(params)
    me = caller.user
    async with state.db.read() as conn:
        entries = await query(conn, me.id, page)
        views = await hydrate(conn, me.id, [entry.status for entry in entries])
    return json_response(
        [status_entity(state.site, view) for view in views],
        headers=link_header(state.site, request, [entry.key for entry in entries]),
    )


@router.get("/api/v1/favourites")
async def favourites_list(
    request: Request, caller: Caller = Depends(scoped("read:favourites"))
) -> Response:
    return await _marked(request, caller, favourites_of)


@router.get("/api/v1/bookmarks")
async def bookmarks_list(
    request: Request, caller: Caller = Depends(scoped("read:bookmarks"))
) -> Response:
    return await _marked(request, caller, bookmarks_of)
