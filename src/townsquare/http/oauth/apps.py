"""Client applications: register and check an app (POST /api/v1/apps)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import Unauthorized
from townsquare.domain.auth.actions import create_app
from townsquare.domain.auth.models import App
from townsquare.domain.auth.queries import app_by_id
from townsquare.http.auth import Caller, caller_of
from townsquare.http.params import read_params
from townsquare.http.responses import json_response
from townsquare.http.state import state_of

router = APIRouter(tags=["apps"])


def app_entity(app: App, *, with_secret: bool) -> dict[str, Any]:
    entity: dict[str, Any] = {
        "id": str(app.id),
        "name": app.name,
        "website": app.website,
        "scopes": list(app.scopes),
        "redirect_uri": "\n".join(app.redirect_uris),
        "redirect_uris": list(app.redirect_uris),
        "vapid_key": "",
    }
    if with_secret:
        entity["client_id"] = app.client_id
        entity["client_secret"] = app.client_secret
        entity["client_secret_expires_at"] = 0
    return entity


@router.post("/api/v1/apps")
async def register_app(request: Request) -> Response:
    params = await read_params(request)
    # One field with the URIs separated by newlines (as Mastodon.py sends them), or a list.
    redirect_uris = [
        uri for item in params.get_str_list("redirect_uris") for uri in item.split() if uri
    ]
    async with state_of(request).db.write() as conn:
        app = await create_app(
            conn,
            name=params.get_str("client_name", "", max_length=1000) or "",
            redirect_uris=redirect_uris,
            scopes=params.get_str("scopes"),
            website=params.get_str("website", max_length=2000),
        )
    return json_response(app_entity(app, with_secret=True))


@router.get("/api/v1/apps/verify_credentials")
async def verify_app(request: Request, caller: Caller = Depends(caller_of)) -> Response:
    if caller.token is None or caller.token.app_id is None:
        raise Unauthorized()
    async with state_of(request).db.read() as conn:
        app = await app_by_id(conn, caller.token.app_id)
    if app is None:
        raise Unauthorized()
    return json_response(app_entity(app, with_secret=False))
