"""A DirectRoute answers, fails and is documented as the same route through FastAPI's
handler would, and refuses an endpoint that needs more than the request."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import Response

from townsquare.core.errors import Unauthorized
from townsquare.http.direct import DirectRoute
from townsquare.http.errors import install_error_handlers
from townsquare.http.responses import json_response
from townsquare.http.routing import mount_flat


async def _answer(request: Request) -> Response:
    if request.query_params.get("fail"):
        raise Unauthorized()
    return json_response({"path": request.url.path, "limit": request.query_params.get("limit")})


def _app() -> FastAPI:
    router = APIRouter()
    router.add_api_route("/direct", _answer, methods=["GET"], route_class_override=DirectRoute)
    router.add_api_route("/handled", _answer, methods=["GET"])
    app = FastAPI()
    install_error_handlers(app)
    mount_flat(app, [router])
    return app


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t")


async def test_answers_and_errors_match_the_handled_route() -> None:
    async with _client() as client:
        for query in ("?limit=20", "?fail=1", ""):
            direct = await client.get(f"/direct{query}")
            handled = await client.get(f"/handled{query}")
            assert direct.status_code == handled.status_code
            assert direct.json() | {"path": None} == handled.json() | {"path": None}
            assert direct.headers.get("www-authenticate") == handled.headers.get("www-authenticate")
        assert (await client.get("/direct?fail=1")).status_code == 401
        assert (await client.post("/direct")).status_code == 405


async def test_the_route_stays_in_the_openapi_document() -> None:
    async with _client() as client:
        paths = (await client.get("/openapi.json")).json()["paths"]
    assert "get" in paths["/direct"]


def test_an_endpoint_with_parameters_is_refused() -> None:
    async def with_limit(request: Request, limit: int) -> Response:
        return json_response({"limit": limit})

    with pytest.raises(TypeError, match="takes the Request alone"):
        DirectRoute("/refused", with_limit, methods=["GET"])
