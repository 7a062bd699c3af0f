"""Find a request's route by its path's shape instead of trying every route in turn.

Starlette tries routes one after another, and FastAPI's included routers match each
request twice through several layers: with a hundred and more Mastodon endpoints that
walk cost more than a whole trivial request. ``RouteIndex`` buckets the routes by their
number of path segments and the literal words they start with, and tries only the
routes of the request's buckets, in the order they were added, so the first route that
matches wins exactly as before. Anything the buckets do not settle (no route, a method
that is not allowed, a path converter that spans segments) goes to the router's own
walk, so 404 and 405 answers are unchanged. ADR 7 records the choice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

# How many leading literal segments a bucket key holds.
_KEY_DEPTH = 3

_Key = tuple[int, tuple[str, ...]]


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/") if path != "/" else []


def _key_of(route_path: str) -> _Key | None:
    """The bucket of a route: its segment count and the literal words before its first
    parameter (at most ``_KEY_DEPTH``); None for a route the index cannot place."""
    if ":path}" in route_path:
        return None
    parts = _segments(route_path)
    literal: list[str] = []
    for part in parts[:_KEY_DEPTH]:
        if "{" in part:
            break
        literal.append(part)
    return len(parts), tuple(literal)


class RouteIndex:
    """The router's dispatch, through buckets of candidate routes."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._fallback: ASGIApp = router.app
        self._buckets: dict[_Key, list[tuple[int, BaseRoute]]] = defaultdict(list)
        # routes without a bucket (mounts, multi-segment converters) are tried for every path
        self._everywhere: list[tuple[int, BaseRoute]] = []
        for position, route in enumerate(router.routes):
            key = _key_of(route.path) if isinstance(route, Route) else None
            if key is None:
                self._everywhere.append((position, route))
            else:
                self._buckets[key].append((position, route))

    def _candidates(self, path: str) -> list[BaseRoute]:
        parts = _segments(path)
        count = len(parts)
        found = list(self._everywhere)
        for depth in range(min(_KEY_DEPTH, count), -1, -1):
            bucket = self._buckets.get((count, tuple(parts[:depth])))
            if bucket:
                found.extend(bucket)
        if len(found) > 1:
            found.sort(key=lambda item: item[0])
        return [route for _, route in found]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._fallback(scope, receive, send)
            return
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        for route in self._candidates(path):
            match, child_scope = route.matches(scope)
            if match == Match.FULL:
                scope.setdefault("router", self.router)
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
        # No full match among the candidates: let the router answer 404 or 405 itself.
        await self._fallback(scope, receive, send)


def mount_flat(app: FastAPI, routers: Sequence[APIRouter], extra: Sequence[BaseRoute] = ()) -> None:
    """Add every route of ``routers``, then ``extra`` (mounts), to the app's own router
    (no nested routers, whose matching walks every route twice), and dispatch through
    a ``RouteIndex``. Routes added after this are reached only by the router's walk."""
    for router in routers:
        app.router.routes.extend(router.routes)
    app.router.routes.extend(extra)
    app.router.middleware_stack = RouteIndex(app.router)
