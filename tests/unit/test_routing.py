"""The route index picks the same route Starlette's walk would, and leaves 404/405 to it."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import PlainTextResponse

from townsquare.http.routing import mount_flat


def _app() -> FastAPI:
    router = APIRouter()

    @router.get("/api/v1/accounts/lookup")
    async def lookup() -> PlainTextResponse:
        return PlainTextResponse("lookup")

    @router.get("/api/v1/accounts/{account_id}")
    async def account(account_id: str) -> PlainTextResponse:
        return PlainTextResponse(f"account {account_id}")

    @router.post("/api/v1/accounts/{account_id}/follow")
    async def follow(account_id: str) -> PlainTextResponse:
        return PlainTextResponse(f"follow {account_id}")

    @router.get("/files/{rest:path}")
    async def files(rest: str) -> PlainTextResponse:
        return PlainTextResponse(f"file {rest}")

    @router.get("/")
    async def root(request: Request) -> PlainTextResponse:
        return PlainTextResponse("root")

    app = FastAPI()
    mount_flat(app, [router])
    return app


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t")


async def test_first_added_route_wins_and_parameters_arrive() -> None:
    async with _client() as client:
        assert (await client.get("/api/v1/accounts/lookup")).text == "lookup"
        assert (await client.get("/api/v1/accounts/123")).text == "account 123"
        assert (await client.post("/api/v1/accounts/9/follow")).text == "follow 9"
        assert (await client.get("/files/a/b/c.txt")).text == "file a/b/c.txt"
        assert (await client.get("/")).text == "root"


async def test_unknown_paths_and_wrong_methods_answer_as_before() -> None:
    async with _client() as client:
        assert (await client.get("/api/v1/nothing/here")).status_code == 404
        assert (await client.get("/api/v1/accounts/9/follow")).status_code == 405
        assert (await client.delete("/api/v1/accounts/lookup")).status_code == 405
