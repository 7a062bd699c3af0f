"""Every Mastodon API router, in one list for the app to mount."""

from __future__ import annotations

from fastapi import APIRouter

from townsquare.http.mastodon import (
    accounts,
    admin,
    bookmarks,
    extensions,
    featured_tags,
    filters,
    graph,
    instance,
    lists,
    markers,
    media,
    notifications,
    reports,
    search,
    startup,
    statuses,
    tags,
    timelines,
    transparency,
    trends,
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
    lists.router,
    featured_tags.router,
    trends.router,
    filters.router,
    startup.router,
    statuses.router,
    media.router,
    bookmarks.router,
    reports.router,
    admin.router,
    transparency.router,
    extensions.router,
]
