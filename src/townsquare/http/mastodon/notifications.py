"""Notifications: list, show, count the unread, dismiss one, clear all."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import NotFound
from townsquare.domain.filters.apply import filter_notifications, reader_filters
from townsquare.domain.notifications.actions import clear, dismiss
from townsquare.domain.notifications.queries import (
    UNREAD_COUNT_DEFAULT,
    UNREAD_COUNT_MAX,
    get_notification,
    list_notifications,
    notification_views,
    unread_count,
)
from townsquare.http.auth import Caller, scoped
from townsquare.http.mastodon.entities.notification import notification_entity
from townsquare.http.mastodon.pagination import link_header, page_of
from townsquare.http.params import path_id, read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["notifications"])


@router.get("/api/v1/notifications")
async def index(
    request: Request, caller: Caller = Depends(scoped("read:notifications"))
) -> Response:
    state = state_of(request)
    params = await read_params(request)
    page = page_of(params, default_limit=40, max_limit=80)
    async with state.db.read() as conn:
        items = await list_notifications(
            conn,
            caller.user.id,
            page,
            types=params.get_str_list("types"),
            exclude_types=params.get_str_list("exclude_types"),
            account_id=params.get_id("account_id"),
        )
        views = await notification_views(conn, caller.user.id, items)
        views = filter_notifications(views, await reader_filters(conn, caller.user))
    return json_response(
        [notification_entity(state.site, view) for view in views],
        headers=link_header(state.site, request, [item.id for item in items]),
    )


@router.get("/api/v1/notifications/unread_count")
async def count_unread(
    request: Request, caller: Caller = Depends(scoped("read:notifications"))
) -> Response:
    params = await read_params(request)
    limit = params.get_int("limit", UNREAD_COUNT_DEFAULT, minimum=1, maximum=UNREAD_COUNT_MAX)
    async with state_of(request).db.read() as conn:
        count = await unread_count(
            conn,
            caller.user,
            limit=limit or UNREAD_COUNT_DEFAULT,
            types=params.get_str_list("types"),
            exclude_types=params.get_str_list("exclude_types"),
            account_id=params.get_id("account_id"),
        )
    return json_response({"count": count})


@router.post("/api/v1/notifications/clear")
async def clear_all(
    request: Request, caller: Caller = Depends(scoped("write:notifications"))
) -> Response:
    async with state_of(request).db.write() as conn:
        await clear(conn, caller.user.id)
    return json_response({})


@router.get("/api/v1/notifications/{notification_id}")
async def show(
    notification_id: str,
    request: Request,
    caller: Caller = Depends(scoped("read:notifications")),
) -> Response:
    state = state_of(request)
    wanted = path_id(notification_id)
    async with state.db.read() as conn:
        item = await get_notification(conn, caller.user.id, wanted)
        views = await notification_views(conn, caller.user.id, [item])
        views = filter_notifications(views, await reader_filters(conn, caller.user))
    if not views:
        raise NotFound()
    return json_response(notification_entity(state.site, views[0]))


@router.post("/api/v1/notifications/{notification_id}/dismiss")
async def dismiss_one(
    notification_id: str,
    request: Request,
    caller: Caller = Depends(scoped("write:notifications")),
) -> Response:
    wanted = path_id(notification_id)
    async with state_of(request).db.write() as conn:
        if not await dismiss(conn, caller.user.id, wanted):
            raise NotFound()
    return json_response({})


@router.post("/api/v1/notifications/dismiss")
async def dismiss_legacy(
    request: Request, caller: Caller = Depends(scoped("write:notifications"))
) -> Response:
    """The pre-2.9.2 form, with the id in the body; older clients still send it."""
    params = await read_params(request)
    wanted = params.get_id("id", lenient=True)
    if wanted is None:
        raise NotFound()
    async with state_of(request).db.write() as conn:
        if not await dismiss(conn, caller.user.id, wanted):
            raise NotFound()
    return json_response({})
