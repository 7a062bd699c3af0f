"""Every Mastodon API router, in one list for the app to mount."""

from __future__ import annotations

from fastapi import APIRouter

from townsquare.http.mastodon import (
    accounts,
    bookmarks,
    graph,
    instance,
    markers,
    notifications,
    search,
    startup,
    statuses,
    tags,
    timelines,
    transparency,
)

ROUTERS: list[APIRouter] = [
    instance.router,
    graph.router,  # before accounts: its /accounts/<word> paths are not account ids
    accounts.router,
    timelines.router,
    notifications.router,
    markers.router,
    search.router,
    tags.router,
    startup.router,
    statuses.router,
    bookmarks.router,
    transparency.router,
]
