"""Mount the web app: its page routers and its static files."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from townsquare.http.web.pages import (
    auth,
    personal,
    posts,
    profiles,
    search,
    settings,
    timelines,
)

# Profiles before posts: "/@name/followers" must not be read as a post id.
ROUTERS = [
    timelines.router,
    auth.router,
    profiles.router,
    posts.router,
    personal.router,
    search.router,
    settings.router,
]


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    app.mount(
        "/assets",
        StaticFiles(packages=[("townsquare.http.web", "static")], follow_symlink=False),
        name="assets",
    )
