"""Mount the web app: its page routers and its static files."""

from __future__ import annotations

import inspect

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from townsquare.http.web.errors import error_page
from townsquare.http.web.pages import (
    admin_audit,
    admin_entities,
    admin_policy,
    admin_reports,
    auth,
    filters,
    lists,
    personal,
    posts,
    profiles,
    reports,
    search,
    settings,
    timelines,
    transparency,
)

# Profiles before posts: "/@name/followers" must not be read as a post id.
ROUTERS = [
    timelines.router,
    auth.router,
    profiles.router,
    posts.router,
    personal.router,
    lists.router,
    search.router,
    settings.router,
    filters.router,
    reports.router,
    admin_reports.router,
    admin_audit.router,
    admin_entities.router,
    transparency.router,
    admin_policy.router,
]


# Paths that answer machines: their errors stay as the API shapes them.
_MACHINE_PATHS = ("/api/", "/oauth/", "/.well-known/", "/nodeinfo", "/users/", "/assets/")


def _wants_page(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.url.path.startswith(_MACHINE_PATHS)


def install(app: FastAPI) -> None:
    """A browser that asks for a page that is not there gets a page. (The app mounts
    ``ROUTERS`` and ``assets()`` with the API's routes, in one index.)"""
    api_handler = app.exception_handlers[HTTPException]

    async def not_found(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code in (404, 405) and _wants_page(request):
            return await error_page(request, 404, "That page does not exist, or is hidden.")
        answer = api_handler(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(HTTPException, not_found)


def assets() -> Mount:
    """Our own stylesheet, scripts and images, under /assets."""
    return Mount(
        "/assets",
        app=StaticFiles(packages=[("townsquare.http.web", "static")], follow_symlink=False),
        name="assets",
    )
